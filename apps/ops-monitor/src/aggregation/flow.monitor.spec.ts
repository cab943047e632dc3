import { FlowMonitor } from './flow.monitor';
import { event, refusedSubmit, roundTrip, T0 } from './flow-events.test-fixture';

const options = { maxEvents: 1_000, historyMs: 15 * 60_000, overdueAfterMs: 30_000 };

describe('FlowMonitor', () => {
  it('turns a permitted round trip and a refusal into links, latency, refusals and a trail', () => {
    const monitor = new FlowMonitor(options);
    for (const e of [...roundTrip('m1', T0), refusedSubmit(T0 + 500)]) monitor.ingest(e, T0 + 1_000);

    const view = monitor.view(T0 + 1_000);
    expect(view.links).toEqual([
      expect.objectContaining({
        from: 'sv-dga',
        to: 'us-cbp',
        agreementId: 'cmaa-us-sv',
        sent: 1,
        published: 1,
        received: 1,
        delivered: 1,
      }),
      expect.objectContaining({
        from: 'us-cbp',
        to: 'sv-dga',
        agreementId: 'cmaa-us-sv',
        sent: 0,
        refused: 1,
      }),
    ]);
    expect(view.refusals).toEqual([expect.objectContaining({ reason: 'PURPOSE_NOT_PERMITTED', count: 1 })]);
    expect(view.latency.endToEnd).toMatchObject({ count: 1, p50: 180 });
    expect(view.overdue.total).toBe(0);
    expect(view.ingest).toMatchObject({ ingested: 6, invalid: 0, stale: 0, held: 6, capacity: 1_000 });

    const trail = monitor.trail({ conversationId: 'm1' });
    expect(trail.map((s) => `${s.node}:${s.stage}`)).toEqual([
      'sv-dga:submit',
      'sv-dga:publish', // found by conversation although its event named none
      'us-cbp:receive',
      'sv-dga:settle',
    ]);
    expect(trail[1]).toMatchObject({ conversationId: 'm1', agreementId: 'cmaa-us-sv' });
  });

  it('completes only FlowEvent keys, and holds nothing that was not in an event', () => {
    const monitor = new FlowMonitor(options);
    for (const e of roundTrip('m1', T0)) monitor.ingest(e, T0);
    const keys = new Set(monitor.trail({ messageId: 'm1' }).flatMap((s) => Object.keys(s)));
    const allowed = [
      'at',
      'node',
      'stage',
      'outcome',
      'messageId',
      'conversationId',
      'type',
      'agreementId',
      'sender',
      'recipient',
      'rule',
      'sizeBytes',
      'durationMs',
      'endToEndMs',
      'sincePreviousMs',
      'sinceFirstMs',
    ];
    expect([...keys].filter((k) => !allowed.includes(k))).toEqual([]);
  });

  it('skips events older than the window and evicts events once the window has passed', () => {
    const monitor = new FlowMonitor(options);
    expect(monitor.ingest(event('submit', T0 - 16 * 60_000), T0)).toBeUndefined();
    for (const e of roundTrip('m1', T0)) monitor.ingest(e, T0);
    monitor.ingest(refusedSubmit(T0 + 10 * 60_000), T0 + 10 * 60_000);

    const later = monitor.view(T0 + 16 * 60_000);
    expect(later.ingest).toMatchObject({ stale: 1, held: 1, evictedEarly: 0 });
    expect(later.links).toEqual([expect.objectContaining({ from: 'us-cbp', refused: 1 })]);
    expect(monitor.trail({ messageId: 'm1' })).toEqual([]);
  });

  it('holds at most maxEvents, counting the early evictions', () => {
    const monitor = new FlowMonitor({ ...options, maxEvents: 3 });
    for (const e of roundTrip('m1', T0)) monitor.ingest(e, T0);
    const view = monitor.view(T0);
    expect(view.ingest).toMatchObject({ held: 3, evictedEarly: 2, ingested: 5 });
    expect(monitor.trail({ messageId: 'm1' }).map((s) => s.stage)).toEqual(['receive', 'settle']);
    expect(view.links[0]).toMatchObject({ sent: 0, published: 0, received: 1, delivered: 1 });
  });

  it('lists a message published but never settled as overdue', () => {
    const monitor = new FlowMonitor(options);
    for (const e of roundTrip('lost', T0, { settle: false })) monitor.ingest(e, T0);
    expect(monitor.view(T0 + 45_000).overdue.items).toEqual([
      expect.objectContaining({
        messageId: 'lost',
        waitingFor: 'settle',
        from: 'sv-dga',
        to: 'us-cbp',
        ageSeconds: 44,
      }),
    ]);
  });

  it('counts invalid records it was told about', () => {
    const monitor = new FlowMonitor(options);
    monitor.countInvalid();
    expect(monitor.view(T0).ingest.invalid).toBe(1);
  });
});
