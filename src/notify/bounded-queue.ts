/** A first-in first-out ring buffer of fixed capacity: push and shift are O(1); a push when full drops the oldest. */
export class BoundedQueue<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`queue capacity must be a whole number of at least 1, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  /** How many items wait. */
  get size(): number {
    return this.count;
  }

  /** Adds at the back; returns the item dropped from the front to make room, if any. */
  push(item: T): T | undefined {
    let dropped: T | undefined;
    if (this.count === this.capacity) dropped = this.shift();
    this.items[(this.head + this.count) % this.capacity] = item;
    this.count++;
    return dropped;
  }

  /** Takes from the front. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return item;
  }
}
