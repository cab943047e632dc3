import type { FlowEvent } from '@app/observability';
import { LatencyAggregator } from './latency.aggregator';

const at = '2026-01-01T12:00:00.000Z';
const t0 = Date.parse(at);

describe('LatencyAggregator', () => {
  it('takes end-to-end latency from settle events and stage durations from every event', () => {
    const latency = new LatencyAggregator(300_000, 1_000);
    const events: FlowEvent[] = [];
    for (let i = 1; i <= 20; i++) {
      events.push({
        at,
        node: 'sv-dga',
        stage: 'settle',
        outcome: 'ACCEPTED',
        endToEndMs: i * 10,
        durationMs: 2,
      });
      events.push({ at, node: 'sv-dga', stage: 'submit', outcome: 'OK', durationMs: i });
    }
    events.push({ at, node: 'us-cbp', stage: 'receive', outcome: 'OK' }); // no duration: not a sample
    for (const e of events) latency.add(e, t0);

    const view = latency.view(t0 + 1_000);
    expect(view.windowSeconds).toBe(300);
    expect(view.endToEnd).toEqual({ count: 20, p50: 100, p95: 190, p99: 200, max: 200 });
    expect(view.stages.submit).toEqual({ count: 20, p50: 10, p95: 19, p99: 20, max: 20 });
    expect(view.stages.settle).toMatchObject({ count: 20, p99: 2 });
    expect(view.stages.receive.count).toBe(0);
    expect(view.stages['dead-letter'].p50).toBeNull();
  });

  it('forgets samples once they are older than the window', () => {
    const latency = new LatencyAggregator(60_000, 1_000);
    latency.add({ at, node: 'sv-dga', stage: 'settle', outcome: 'ACCEPTED', endToEndMs: 5 }, t0);
    expect(latency.view(t0 + 61_000).endToEnd.count).toBe(0);
  });
});
