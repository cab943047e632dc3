export interface Percentiles {
  readonly count: number;
  /** Milliseconds; null while there are no samples. */
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

export const NO_SAMPLES: Percentiles = { count: 0, p50: null, p95: null, p99: null, max: null };

/**
 * Timed samples over a sliding window, capped in number so a burst cannot grow memory: past the cap
 * the oldest samples go first. Percentiles are exact (sort on read, nearest rank); at the default
 * caps that is a few milliseconds once a second.
 */
export class SampleWindow {
  private times: number[] = [];
  private values: number[] = [];
  private head = 0;

  constructor(
    private readonly windowMs: number,
    private readonly maxSamples: number,
  ) {}

  get size(): number {
    return this.times.length - this.head;
  }

  add(atMs: number, value: number): void {
    this.times.push(atMs);
    this.values.push(value);
    if (this.size > this.maxSamples) this.head += 1;
    this.compact();
  }

  percentiles(nowMs: number): Percentiles {
    this.evict(nowMs);
    if (this.size === 0) return NO_SAMPLES;
    const sorted = this.values.slice(this.head).sort((a, b) => a - b);
    const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
    return { count: sorted.length, p50: rank(50), p95: rank(95), p99: rank(99), max: sorted.at(-1) ?? null };
  }

  private evict(nowMs: number): void {
    const from = nowMs - this.windowMs;
    // Samples arrive roughly in time order; a late straggler is evicted with its neighbours.
    while (this.head < this.times.length && (this.times[this.head] ?? 0) < from) this.head += 1;
    this.compact();
  }

  /** Drops the evicted prefix once it is the larger half, so eviction stays O(1) amortised. */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.values = this.values.slice(this.head);
      this.head = 0;
    }
  }
}
