import { event, roundTrip, T0 } from './flow-events.test-fixture';
import { OverdueTracker } from './overdue.tracker';

function feed(tracker: OverdueTracker, events: ReturnType<typeof roundTrip>): void {
  for (const e of events) tracker.add(e, Date.parse(e.at));
}

describe('OverdueTracker', () => {
  it('reports a published message without a settle once it waited longer than the threshold', () => {
    const tracker = new OverdueTracker();
    feed(tracker, roundTrip('settled', T0));
    feed(tracker, roundTrip('stuck', T0 + 1_000, { settle: false }));
    expect(tracker.overdue(T0 + 20_000, 30_000)).toEqual({ total: 0, items: [] });

    const { total, items } = tracker.overdue(T0 + 61_040, 30_000);
    expect(total).toBe(1);
    expect(items[0]).toEqual({
      messageId: 'stuck',
      conversationId: 'stuck', // kept from the submit: the publish event carries none
      type: 'puente.customs_offense.v1.AssistanceRequest',
      agreementId: 'cmaa-us-sv',
      from: 'sv-dga',
      to: 'us-cbp',
      waitingFor: 'settle',
      since: new Date(T0 + 1_040).toISOString(),
      ageSeconds: 60,
    });
    expect(tracker.tracked).toBe(1); // receipts are never tracked
  });

  it('reports a message accepted but never published as waiting for publish', () => {
    const tracker = new OverdueTracker();
    feed(tracker, roundTrip('outbox', T0).slice(0, 1));
    expect(tracker.overdue(T0 + 40_000, 30_000).items[0]).toMatchObject({
      messageId: 'outbox',
      waitingFor: 'publish',
    });
  });

  it('lets expiry finish a message, and ignores refusals that never started one', () => {
    const tracker = new OverdueTracker();
    feed(tracker, roundTrip('gone', T0, { settle: false }));
    tracker.add(event('expire', T0 + 5_000, { messageId: 'gone', outcome: 'EXPIRED' }), T0 + 5_000);
    tracker.add(event('submit', T0, { messageId: 'refused', outcome: 'PURPOSE_NOT_PERMITTED' }), T0);
    expect(tracker.tracked).toBe(0);
  });

  it('holds at most maxTracked messages, forgetting the oldest', () => {
    const tracker = new OverdueTracker(2);
    for (const id of ['a', 'b', 'c']) feed(tracker, roundTrip(id, T0, { settle: false }).slice(0, 2));
    expect(tracker.tracked).toBe(2);
    expect(tracker.forgotten).toBe(1);
    expect(tracker.overdue(T0 + 60_000, 1_000).items.map((i) => i.messageId)).toEqual(['b', 'c']);
  });
});
