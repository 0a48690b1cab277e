// Dense integer slots for string keys (token or market ids), so per-entity state
// lives in typed arrays. Capacity doubles up to a hard maximum; beyond it new
// keys are refused and counted, which keeps memory bounded.
//
// Several trackers can share one Slots (the hub does, for tokens): each listens
// for growth and for a slot being (re)assigned or freed, and one id lookup per
// event then serves them all.

export interface SlotListener {
  /** Capacity grew: enlarge per-slot arrays to `capacity`. */
  grow(capacity: number): void;
  /** Slot i was freed or handed to a new key: forget its state. */
  reset(i: number): void;
}

export class Slots {
  private readonly index = new Map<string, number>();
  /** Key of each slot; '' for a freed slot. */
  readonly keys: string[] = [];
  private readonly free: number[] = [];
  private readonly listeners: SlotListener[] = [];
  capacity: number;
  readonly max: number;
  /** Keys refused because `max` was reached. */
  rejected = 0;

  constructor(initial: number, max: number) {
    this.capacity = Math.max(1, Math.min(initial, max));
    this.max = max;
  }

  /** Registers a listener; its arrays must already have `capacity` slots. */
  listen(l: SlotListener): void {
    this.listeners.push(l);
  }

  get(key: string): number | undefined {
    return this.index.get(key);
  }

  /** Slot of the key, added (with every listener reset for it) if new; -1 when full. */
  add(key: string): number {
    const known = this.index.get(key);
    if (known !== undefined) return known;
    let i = this.free.pop();
    if (i === undefined) {
      if (this.keys.length >= this.max) {
        this.rejected++;
        return -1;
      }
      i = this.keys.length;
      if (i >= this.capacity) {
        this.capacity = Math.min(this.max, this.capacity * 2);
        for (const l of this.listeners) l.grow(this.capacity);
      }
      this.keys.push(key);
    } else this.keys[i] = key;
    this.index.set(key, i);
    for (const l of this.listeners) l.reset(i);
    return i;
  }

  remove(key: string): number | undefined {
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    this.index.delete(key);
    this.keys[i] = '';
    this.free.push(i);
    for (const l of this.listeners) l.reset(i);
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
