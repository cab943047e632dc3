import { PartitionProgress } from './partition-progress';

describe('PartitionProgress', () => {
  it('reports a partition stalled only when it has lag and its offset has not moved for the limit', () => {
    let now = 1_000_000;
    const p = new PartitionProgress(() => now);
    p.fetched(0, '10', '5');
    p.pending(0, now - 4_000);
    p.fetched(1, '3', '3'); // nothing waits on partition 1
    now += 30_000;
    expect(p.stalls(20_000)).toEqual([{ partition: 0, offset: '5', lag: '5', stuckForMs: 30_000 }]);
    expect(p.oldestUnhandledAgeSeconds()).toBe(34);

    p.handled(0, '7');
    expect(p.stalls(20_000)).toEqual([]);
    expect(p.oldestUnhandledAgeSeconds()).toBe(0);
    now += 25_000;
    expect(p.stalls(20_000).map((s) => s.offset)).toEqual(['7']);
    p.handled(0, '10');
    now += 60_000;
    expect(p.stalls(20_000)).toEqual([]);

    // A partition revoked with lag is the new owner's to report, not this consumer's.
    p.fetched(2, '9', '4');
    now += 60_000;
    expect(p.stalls(20_000).map((s) => s.partition)).toEqual([2]);
    p.keepOnly([0, 1]);
    expect(p.stalls(20_000)).toEqual([]);
  });
});
