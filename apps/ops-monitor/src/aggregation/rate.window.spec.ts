import { RateWindow } from './rate.window';

describe('RateWindow', () => {
  const t0 = Date.parse('2026-01-01T12:00:00Z');

  it('counts events over the last 1 and 5 minutes', () => {
    const rate = new RateWindow(300);
    for (let i = 0; i < 60; i++) rate.add(t0 + i * 1000); // one per second for a minute
    rate.add(t0 - 200_000); // 200 s before: inside 5 min only
    const now = t0 + 59_500;
    expect(rate.count(now, 60)).toBe(60);
    expect(rate.perSecond(now, 60)).toBe(1);
    expect(rate.count(now, 300)).toBe(61);
    expect(rate.perSecond(now, 300)).toBeCloseTo(61 / 300);
  });

  it('forgets buckets that fell out of the horizon, and ignores events older than it', () => {
    const rate = new RateWindow(10);
    rate.add(t0);
    expect(rate.count(t0 + 9_000, 10)).toBe(1);
    expect(rate.count(t0 + 10_000, 10)).toBe(0);
    rate.add(t0 + 10_000); // reuses the bucket of t0
    rate.add(t0); // now older than what the bucket holds: dropped
    expect(rate.count(t0 + 10_000, 10)).toBe(1);
  });
});
