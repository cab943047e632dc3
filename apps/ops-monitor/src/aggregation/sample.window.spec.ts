import { SampleWindow } from './sample.window';

describe('SampleWindow', () => {
  it('reports nearest-rank percentiles of the samples in the window', () => {
    const w = new SampleWindow(60_000, 10_000);
    for (let v = 1; v <= 100; v++) w.add(1_000, v);
    expect(w.percentiles(2_000)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  });

  it('forgets samples older than the window', () => {
    const w = new SampleWindow(60_000, 10_000);
    w.add(0, 500);
    w.add(50_000, 10);
    expect(w.percentiles(70_000)).toMatchObject({ count: 1, p50: 10, max: 10 });
    expect(w.percentiles(200_000)).toEqual({ count: 0, p50: null, p95: null, p99: null, max: null });
  });

  it('keeps at most maxSamples, dropping the oldest', () => {
    const w = new SampleWindow(60_000, 3);
    [100, 1, 2, 3].forEach((v, i) => w.add(i, v));
    expect(w.percentiles(10)).toMatchObject({ count: 3, max: 3 });
  });

  it('stays correct across compaction of a long run', () => {
    const w = new SampleWindow(1_000, 100_000);
    for (let t = 0; t < 10_000; t++) w.add(t, t);
    expect(w.percentiles(9_999)).toMatchObject({ count: 1001, p50: 9499, max: 9999 });
  });
});
