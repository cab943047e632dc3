/**
 * Counts per second over a fixed horizon (default 5 minutes), in a ring of one-second buckets: O(1)
 * to add, O(horizon) to read, constant memory per series. A bucket is reused when its second has
 * passed out of the horizon, so old counts expire without a sweep.
 */
export class RateWindow {
  private readonly counts: Float64Array;
  private readonly seconds: Float64Array;

  constructor(readonly horizonSeconds = 300) {
    this.counts = new Float64Array(horizonSeconds);
    this.seconds = new Float64Array(horizonSeconds).fill(-1);
  }

  add(atMs: number, n = 1): void {
    const second = Math.floor(atMs / 1000);
    const i = second % this.horizonSeconds;
    const held = this.seconds[i] ?? -1;
    if (held > second) return; // older than the horizon: that bucket already moved on
    if (held < second) {
      this.seconds[i] = second;
      this.counts[i] = 0;
    }
    this.counts[i] = (this.counts[i] ?? 0) + n;
  }

  /** Events in the `seconds` seconds up to and including the current one. */
  count(nowMs: number, seconds: number): number {
    const now = Math.floor(nowMs / 1000);
    const span = Math.min(seconds, this.horizonSeconds);
    let total = 0;
    for (let s = now - span + 1; s <= now; s++) {
      const i = ((s % this.horizonSeconds) + this.horizonSeconds) % this.horizonSeconds;
      if (this.seconds[i] === s) total += this.counts[i] ?? 0;
    }
    return total;
  }

  perSecond(nowMs: number, seconds: number): number {
    return this.count(nowMs, seconds) / seconds;
  }
}
