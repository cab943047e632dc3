interface Progress {
  /** Next offset to handle: every record before it is handled. */
  next: bigint;
  /** When `next` last moved (or the partition was first fetched). */
  movedAt: number;
  /** The partition's high watermark at the last fetch: the offset the next record written will get. */
  highWatermark: bigint;
  /** The record being handled first in line, while there is one: its broker timestamp. */
  oldestPendingAt: number | undefined;
}

export interface PartitionStall {
  readonly partition: number;
  readonly offset: string;
  readonly lag: string;
  readonly stuckForMs: number;
}

/**
 * Where the inbox consumer stands on each partition, for `/health` and `/metrics`: a partition is
 * stalled when it has records waiting (lag) and its handled offset has not moved for longer than the
 * limit — a poison record retried forever, a handler that never returns.
 */
export class PartitionProgress {
  private readonly partitions = new Map<number, Progress>();

  constructor(private readonly now: () => number = Date.now) {}

  fetched(partition: number, highWatermark: string, firstOffset: string): void {
    const p = this.partitions.get(partition);
    const hw = BigInt(highWatermark);
    const first = BigInt(firstOffset);
    if (p && first >= p.next) p.highWatermark = hw > p.highWatermark ? hw : p.highWatermark;
    // New, or fetched again from an earlier offset (a rebalance rewound it to the last commit).
    else
      this.partitions.set(partition, {
        next: first,
        movedAt: this.now(),
        highWatermark: hw,
        oldestPendingAt: undefined,
      });
  }

  pending(partition: number, timestampMs: number): void {
    const p = this.partitions.get(partition);
    if (p && p.oldestPendingAt === undefined)
      p.oldestPendingAt = Number.isFinite(timestampMs) ? timestampMs : this.now();
  }

  handled(partition: number, nextOffset: string): void {
    const p = this.partitions.get(partition);
    if (!p) return;
    const next = BigInt(nextOffset);
    if (next > p.next) {
      p.next = next;
      p.movedAt = this.now();
    }
    p.oldestPendingAt = undefined;
  }

  /** Keeps only the partitions this consumer is assigned (after a rebalance or a new consumer). */
  keepOnly(partitions: readonly number[]): void {
    for (const partition of [...this.partitions.keys()])
      if (!partitions.includes(partition)) this.partitions.delete(partition);
  }

  stalls(limitMs: number): PartitionStall[] {
    const now = this.now();
    const out: PartitionStall[] = [];
    for (const [partition, p] of this.partitions) {
      const lag = p.highWatermark - p.next;
      if (lag > 0n && now - p.movedAt > limitMs)
        out.push({ partition, offset: p.next.toString(), lag: lag.toString(), stuckForMs: now - p.movedAt });
    }
    return out.sort((a, b) => a.partition - b.partition);
  }

  /** Age of the oldest record fetched and not yet handled, in seconds (0 when none waits). */
  oldestUnhandledAgeSeconds(): number {
    const now = this.now();
    let oldest = 0;
    for (const p of this.partitions.values())
      if (p.oldestPendingAt !== undefined) oldest = Math.max(oldest, now - p.oldestPendingAt);
    return oldest / 1000;
  }
}
