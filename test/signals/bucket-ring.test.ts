import { describe, expect, it } from 'vitest';
import { BucketRing } from '../../src/signals/bucket-ring.js';

describe('BucketRing (30 s window, 30 buckets of 1 s, fields side by side)', () => {
  it('values at 0 s and 29.5 s are both in the window at 29.9 s; at 30.0 s the first is gone', () => {
    const r = new BucketRing(30_000, 30, 1, 4);
    r.data[r.slot(0, 0)] += 1;
    r.data[r.slot(0, 29_500)] += 2;
    expect(r.sum(0, 29_999, 0)).toBe(3);
    expect(r.sum(0, 30_000, 0)).toBe(2);
  });

  it('a late event (time running backwards) lands in the newest bucket', () => {
    const r = new BucketRing(30_000, 30, 1, 1);
    r.data[r.slot(0, 10_000)] += 1;
    r.data[r.slot(0, 5_000)] += 1;
    expect(r.sum(0, 10_000, 0)).toBe(2);
    expect(r.sum(0, 39_999, 0)).toBe(2);
    expect(r.sum(0, 40_000, 0)).toBe(0);
  });

  it('a skip of more than the window clears every slot', () => {
    const r = new BucketRing(30_000, 30, 1, 1);
    for (let t = 0; t < 30_000; t += 1_000) r.data[r.slot(0, t)] += 1;
    expect(r.sum(0, 29_000, 0)).toBe(30);
    r.data[r.slot(0, 100_000)] += 5;
    expect(r.sum(0, 100_000, 0)).toBe(5);
  });

  it('two fields of one bucket sit side by side: offsets 0 and 1 of the slot', () => {
    const r = new BucketRing(30_000, 30, 2, 2);
    const s = r.slot(1, 5_000);
    r.data[s] += 3;
    r.data[s + 1] += 4;
    expect([r.sum(1, 5_000, 0), r.sum(1, 5_000, 1), r.sum(0, 5_000, 0)]).toEqual([3, 4, 0]);
  });

  it('grow keeps existing entities', () => {
    const r = new BucketRing(30_000, 30, 1, 1);
    r.data[r.slot(0, 0)] += 7;
    r.grow(8);
    expect(r.sum(0, 0, 0)).toBe(7);
    expect(r.sum(5, 0, 0)).toBe(0);
  });
});
