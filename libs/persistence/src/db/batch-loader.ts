/**
 * Coalesces lookups by key that arrive together (in the same turn of the event loop) into one query:
 * under load, the inbox handles many records at once, and each would otherwise make its own round
 * trip to the database. Each caller gets the row for its key, or undefined.
 */
export class BatchLoader<K, V> {
  private pending: { key: K; resolve: (v: V | undefined) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    /** Loads many keys at once; the result is keyed by `keyOf`. */
    private readonly loadMany: (keys: readonly K[]) => Promise<ReadonlyMap<string, V>>,
    private readonly keyOf: (key: K) => string,
    private readonly maxKeys = 500,
  ) {}

  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      this.pending.push({ key, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const waiting = this.pending;
    this.pending = [];
    for (let i = 0; i < waiting.length; i += this.maxKeys) {
      const chunk = waiting.slice(i, i + this.maxKeys);
      try {
        const found = await this.loadMany(chunk.map((w) => w.key));
        for (const w of chunk) w.resolve(found.get(this.keyOf(w.key)));
      } catch (error) {
        for (const w of chunk) w.reject(error);
      }
    }
  }
}
