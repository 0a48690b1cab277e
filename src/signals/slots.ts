// Dense integer slots for string keys (token or market ids), so per-entity state
// lives in typed arrays. Capacity doubles up to a hard maximum; beyond it new
// keys are refused and counted, which keeps memory bounded.

export class Slots {
  private readonly index = new Map<string, number>();
  /** Key of each slot; '' for a freed slot. */
  readonly keys: string[] = [];
  private readonly free: number[] = [];
  capacity: number;
  readonly max: number;
  /** Keys refused because `max` was reached. */
  rejected = 0;
  private readonly onGrow: (capacity: number) => void;

  constructor(initial: number, max: number, onGrow: (capacity: number) => void) {
    this.capacity = Math.max(1, Math.min(initial, max));
    this.max = max;
    this.onGrow = onGrow;
  }

  get(key: string): number | undefined {
    return this.index.get(key);
  }

  /** Slot of a new key (the caller resets its state), or -1 when full. */
  add(key: string): number {
    let i = this.free.pop();
    if (i === undefined) {
      if (this.keys.length >= this.max) {
        this.rejected++;
        return -1;
      }
      i = this.keys.length;
      if (i >= this.capacity) {
        this.capacity = Math.min(this.max, this.capacity * 2);
        this.onGrow(this.capacity);
      }
      this.keys.push(key);
    } else this.keys[i] = key;
    this.index.set(key, i);
    return i;
  }

  remove(key: string): number | undefined {
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    this.index.delete(key);
    this.keys[i] = '';
    this.free.push(i);
    return i;
  }

  get size(): number {
    return this.index.size;
  }

  /** One past the highest slot ever used: iterate 0 ≤ i < end and skip keys[i] === ''. */
  get end(): number {
    return this.keys.length;
  }
}
