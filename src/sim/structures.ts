// Two small data structures the simulator needs: weighted sampling over a set
// whose weights change (Fenwick tree) and a min-heap of due times.

export class Fenwick {
  private tree = new Float64Array(16);
  private weights = new Float64Array(16);
  private n = 0;
  private total = 0;

  set(index: number, weight: number): void {
    if (index >= this.weights.length) this.grow(index + 1);
    if (index >= this.n) this.n = index + 1;
    const delta = weight - this.weights[index]!;
    if (delta === 0) return;
    this.weights[index] = weight;
    this.total += delta;
    for (let i = index + 1; i <= this.weights.length; i += i & -i) this.tree[i - 1]! += delta;
  }

  /** Index drawn with probability ∝ weight, from u in [0, 1); −1 if all weights are 0. */
  sample(u: number): number {
    if (this.total <= 1e-12) return -1;
    let target = u * this.total;
    let pos = 0;
    let step = 1;
    while (step * 2 <= this.weights.length) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.weights.length && this.tree[next - 1]! <= target) {
        pos = next;
        target -= this.tree[next - 1]!;
      }
    }
    // Guard against float drift landing on a zero-weight slot.
    while (pos < this.n && this.weights[pos]! <= 0) pos++;
    return pos < this.n ? pos : -1;
  }

  private grow(min: number): void {
    let size = this.weights.length;
    while (size < min) size *= 2;
    const old = this.weights;
    this.weights = new Float64Array(size);
    this.tree = new Float64Array(size);
    this.total = 0;
    const n = this.n;
    this.n = 0;
    for (let i = 0; i < n; i++) if (old[i]) this.set(i, old[i]!);
    this.n = n;
  }
}

export class MinHeap {
  private keys: number[] = [];
  private vals: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  peekKey(): number {
    return this.keys[0]!;
  }

  push(key: number, value: number): void {
    this.keys.push(key);
    this.vals.push(value);
    let i = this.keys.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.keys[p]! <= key) break;
      this.keys[i] = this.keys[p]!;
      this.vals[i] = this.vals[p]!;
      i = p;
    }
    this.keys[i] = key;
    this.vals[i] = value;
  }

  pop(): [number, number] | undefined {
    if (!this.keys.length) return undefined;
    const top: [number, number] = [this.keys[0]!, this.vals[0]!];
    const k = this.keys.pop()!;
    const v = this.vals.pop()!;
    if (this.keys.length) {
      let i = 0;
      const n = this.keys.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && this.keys[r]! < this.keys[l]! ? r : l;
        if (this.keys[c]! >= k) break;
        this.keys[i] = this.keys[c]!;
        this.vals[i] = this.vals[c]!;
        i = c;
      }
      this.keys[i] = k;
      this.vals[i] = v;
    }
    return top;
  }
}
