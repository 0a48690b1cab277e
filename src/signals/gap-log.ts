// Per-entity record of the recent periods when the feed could not be trusted
// (feed gap, stale or out-of-sync book, process restart). A window that overlaps
// one is flagged, and the time it covers is subtracted from the window's coverage.
//
// Each entity keeps at most PER_ENTITY disjoint intervals sorted by start; an open
// interval (still going on) has end = +Infinity and is always the last one.
// Intervals that ended before `now − horizon` are dropped; when there are still
// too many, the two oldest merge (the time between them counts as gap: coverage
// errs low, never high).

import { grown } from './typed.js';

export const GAPS_PER_ENTITY = 4;
const K = GAPS_PER_ENTITY;

export class GapLog {
  readonly horizonMs: number;
  private starts: Float64Array;
  private ends: Float64Array;
  private count: Uint8Array;

  constructor(capacity: number, horizonMs: number) {
    this.horizonMs = horizonMs;
    this.starts = new Float64Array(capacity * K);
    this.ends = new Float64Array(capacity * K);
    this.count = new Uint8Array(capacity);
  }

  grow(capacity: number): void {
    this.starts = grown(this.starts, capacity * K);
    this.ends = grown(this.ends, capacity * K);
    this.count = grown(this.count, capacity);
  }

  clear(i: number): void {
    this.count[i] = 0;
  }

  isOpen(i: number): boolean {
    const c = this.count[i]!;
    return c > 0 && this.ends[i * K + c - 1] === Infinity;
  }

  /** Starts an open-ended gap at t unless one is already open. */
  open(i: number, t: number): void {
    if (!this.isOpen(i)) this.add(i, t, Infinity, t);
  }

  /** Ends the open gap (if any) at t. */
  close(i: number, t: number): void {
    const c = this.count[i]!;
    if (c === 0) return;
    const j = i * K + c - 1;
    if (this.ends[j] === Infinity) this.ends[j] = Math.max(t, this.starts[j]!);
  }

  /** Records the gap [start, end] (end = Infinity: still open). */
  add(i: number, start: number, end: number, now: number): void {
    if (!(end >= start)) return;
    const base = i * K;
    let c = this.count[i]!;
    // Drop intervals that ended before the horizon.
    let keep = 0;
    for (let k = 0; k < c; k++) {
      if (this.ends[base + k]! < now - this.horizonMs) continue;
      this.starts[base + keep] = this.starts[base + k]!;
      this.ends[base + keep] = this.ends[base + k]!;
      keep++;
    }
    c = keep;
    // Insert sorted by start, merging every interval it touches.
    let s = start;
    let e = end;
    let out = 0;
    const tmpS: number[] = [];
    const tmpE: number[] = [];
    let placed = false;
    for (let k = 0; k < c; k++) {
      const ks = this.starts[base + k]!;
      const ke = this.ends[base + k]!;
      if (ke < s) {
        tmpS.push(ks);
        tmpE.push(ke);
      } else if (ks > e) {
        if (!placed) {
          tmpS.push(s);
          tmpE.push(e);
          placed = true;
        }
        tmpS.push(ks);
        tmpE.push(ke);
      } else {
        s = Math.min(s, ks);
        e = Math.max(e, ke);
      }
    }
    if (!placed) {
      tmpS.push(s);
      tmpE.push(e);
    }
    while (tmpS.length > K) {
      // Merge the two oldest.
      tmpE[0] = Math.max(tmpE[0]!, tmpE[1]!);
      tmpS.splice(1, 1);
      tmpE.splice(1, 1);
    }
    for (out = 0; out < tmpS.length; out++) {
      this.starts[base + out] = tmpS[out]!;
      this.ends[base + out] = tmpE[out]!;
    }
    this.count[i] = out;
  }

  /** True when a gap overlaps [from, now] (or is still open). */
  overlaps(i: number, from: number, now: number): boolean {
    const base = i * K;
    const c = this.count[i]!;
    for (let k = 0; k < c; k++) if (this.ends[base + k]! >= from && this.starts[base + k]! <= now) return true;
    return false;
  }

  /** Milliseconds of [from, to] inside a gap. */
  gapMs(i: number, from: number, to: number): number {
    const base = i * K;
    const c = this.count[i]!;
    let ms = 0;
    for (let k = 0; k < c; k++) {
      const a = Math.max(this.starts[base + k]!, from);
      const b = Math.min(this.ends[base + k]!, to);
      if (b > a) ms += b - a;
    }
    return ms;
  }

  /** Intervals for checkpoints; an open end is written as null. */
  dump(i: number): [number, number | null][] {
    const out: [number, number | null][] = [];
    for (let k = 0; k < this.count[i]!; k++) {
      const e = this.ends[i * K + k]!;
      out.push([this.starts[i * K + k]!, e === Infinity ? null : e]);
    }
    return out;
  }

  load(i: number, intervals: readonly (readonly [number, number | null])[], now: number): void {
    this.clear(i);
    for (const [s, e] of intervals) this.add(i, s, e ?? Infinity, now);
  }

  get bytes(): number {
    return this.starts.byteLength + this.ends.byteLength + this.count.byteLength;
  }
}
