import { event, refusedSubmit, roundTrip, stored, T0 } from './flow-events.test-fixture';
import { RefusalAggregator } from './refusal.aggregator';

describe('RefusalAggregator', () => {
  it('counts only events whose outcome is a reason code, by code and stage', () => {
    const refusals = new RefusalAggregator();
    const stream = [
      ...roundTrip('ok-1', T0), // OK, ACCEPTED: not refusals
      event('receive', T0 + 5, { node: 'us-cbp', outcome: 'DUPLICATE' }), // a duplicate is handled, not refused
      refusedSubmit(T0 + 10),
      refusedSubmit(T0 + 20),
      event('receive', T0 + 30, {
        node: 'us-cbp',
        outcome: 'BAD_SIGNATURE',
        rule: 'signature',
        sender: 'sv-dga',
      }),
      event('publish', T0 + 40, { node: 'us-cbp', outcome: 'DEAD_LETTER' }), // the relay filing a dead letter
      event('dead-letter', T0 + 50, { node: 'us-cbp', outcome: 'UNKNOWN_SENDER' }),
    ];
    for (const e of stream) refusals.add(stored(e));

    expect(refusals.view()).toEqual([
      {
        reason: 'PURPOSE_NOT_PERMITTED',
        count: 2,
        byStage: { submit: 2 },
        lastAt: new Date(T0 + 20).toISOString(),
        lastNode: 'us-cbp',
        lastRule: 'purpose',
        lastFrom: 'us-cbp',
        lastTo: 'sv-dga',
      },
      expect.objectContaining({
        reason: 'BAD_SIGNATURE',
        count: 1,
        byStage: { receive: 1 },
        lastRule: 'signature',
      }),
      expect.objectContaining({ reason: 'UNKNOWN_SENDER', count: 1, byStage: { 'dead-letter': 1 } }),
    ]);
  });

  it('un-counts evicted refusals and forgets a code with none left', () => {
    const refusals = new RefusalAggregator();
    const a = stored(refusedSubmit(T0));
    const b = stored(refusedSubmit(T0 + 1));
    refusals.add(a);
    refusals.add(b);
    refusals.remove(a);
    expect(refusals.view()[0]).toMatchObject({ count: 1, byStage: { submit: 1 } });
    refusals.remove(b);
    expect(refusals.view()).toEqual([]);
  });
});
