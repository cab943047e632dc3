/**
 * A fixed-capacity FIFO over a preallocated array: O(1) push and shift without moving elements, so
 * the monitor's memory stays flat however long it runs. Pushing into a full ring hands back the
 * oldest item, which the caller must then un-count.
 */
export class EventRing<T> {
  private readonly slots: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.slots = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Appends `item`; returns the item that was evicted to make room, if the ring was full. */
  push(item: T): T | undefined {
    if (this.count === this.capacity) {
      const evicted = this.shift();
      this.slots[(this.head + this.count) % this.capacity] = item;
      this.count += 1;
      return evicted;
    }
    this.slots[(this.head + this.count) % this.capacity] = item;
    this.count += 1;
    return undefined;
  }

  oldest(): T | undefined {
    return this.count === 0 ? undefined : this.slots[this.head];
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.slots[this.head];
    this.slots[this.head] = undefined; // let the event be collected
    this.head = (this.head + 1) % this.capacity;
    this.count -= 1;
    return item;
  }

  /** Oldest first. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.count; i++) yield this.slots[(this.head + i) % this.capacity] as T;
  }
}
