import { percentilesOf, rateOf, timeConcurrentOps, warmupFor } from './op-rate';

describe('op rates', () => {
  it('turns a count and a duration into ops/s and µs/op', () => {
    expect(rateOf(500, 250)).toEqual({ ops: 500, totalMs: 250, opsPerSecond: 2000, microsPerOp: 500 });
  });

  it('warms up a tenth of the count, at least 10', () => {
    expect(warmupFor(20)).toBe(10);
    expect(warmupFor(5000)).toBe(500);
  });

  it('takes nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentilesOf(samples)).toEqual({ p50: 50, p95: 95, p99: 99, max: 100 });
    expect(percentilesOf([])).toEqual({ p50: 0, p95: 0, p99: 0, max: 0 });
  });

  it('runs each concurrent operation once, never more than the limit at a time', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen = new Set<number>();
    const rate = await timeConcurrentOps(50, 0, 4, async (i) => {
      seen.add(i);
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
    });
    expect(rate.ops).toBe(50);
    expect(seen.size).toBe(50);
    expect(peak).toBe(4);
  });
});
