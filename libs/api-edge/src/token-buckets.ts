/**
 * One token bucket per key (an API client, or the address of an unauthenticated caller): `burst`
 * requests at once, refilled at `perSecond`. Memory is bounded: the map holds at most `maxBuckets`
 * keys, least recently used first out, and a bucket idle long enough to be full again is dropped
 * (it is the same as no bucket). A key evicted under pressure starts again with a full burst, which
 * errs towards letting a caller through rather than towards unbounded memory.
 */
export class TokenBuckets {
  /** Insertion order is last-use order: every take() re-inserts its key. */
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly refillMs: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly maxBuckets = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    this.refillMs = (burst / perSecond) * 1000;
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Takes one token for `key`: 0 when the request may go ahead, else the whole seconds to wait. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key);
    let tokens = this.burst;
    if (bucket) {
      tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
      this.buckets.delete(key);
    }
    const admitted = tokens >= 1;
    this.buckets.set(key, { tokens: admitted ? tokens - 1 : tokens, at: now });
    this.evict(now);
    return admitted ? 0 : Math.max(1, Math.ceil((1 - tokens) / this.perSecond));
  }

  private evict(now: number): void {
    for (const [key, bucket] of this.buckets) {
      const full = now - bucket.at >= this.refillMs;
      if (!full && this.buckets.size <= this.maxBuckets) break;
      this.buckets.delete(key);
    }
  }
}
