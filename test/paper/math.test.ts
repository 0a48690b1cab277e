// Worked numbers: fees (research/polymarket-protocol.md §5), Kelly
// (quant-anchors §4, §8D), VWAP walks.
import { describe, expect, it } from 'vitest';
import { takerFeeMicros, notionalMicros } from '../../src/paper/money.js';
import { kellyFraction, kellySize, type KellyInput } from '../../src/paper/kelly.js';
import { walkBook, depthAtOrBetter, Consumed } from '../../src/paper/walk.js';
import { book } from './helpers.js';

const crypto = { rate: 0.07, exponent: 1 };

describe('taker fee = shares × rate × p × (1 − p), rounded to 5 decimals', () => {
  it('100 shares at 0.50, rate 0.07 → $1.75', () => {
    expect(takerFeeMicros(100, 5000, crypto)).toBe(1_750_000);
  });

  it('rounds to 5 decimals: 1 share at 0.33, rate 0.07 → 0.0154770 → $0.01548', () => {
    // 0.07 × 0.33 × 0.67 = 0.015477
    expect(takerFeeMicros(1, 3300, crypto)).toBe(15_480);
  });

  it('anything under $0.000005 rounds to zero: 1 share at 0.9999, rate 0.04 → 0.0000039996 → $0', () => {
    expect(takerFeeMicros(1, 9999, { rate: 0.04, exponent: 1 })).toBe(0);
  });

  it('an exact half rounds up: 1 share at 0.5, rate 0.00002 → 0.000005 → $0.00001', () => {
    expect(takerFeeMicros(1, 5000, { rate: 0.00002, exponent: 1 })).toBe(10);
  });

  it('fees off (rate 0) → $0; notional 100 × 0.5 = $50 in micro-dollars', () => {
    expect(takerFeeMicros(100, 5000, { rate: 0, exponent: 1 })).toBe(0);
    expect(notionalMicros(5000, 100)).toBe(50_000_000);
    expect(notionalMicros(9400, 212.76)).toBe(199_994_400);
  });
});

describe('fractional Kelly f = k × (p − c)/(1 − c)', () => {
  const base: KellyInput = {
    p: 0.97,
    c: 0.94,
    k: 0.25,
    equity: 10_000,
    tokenRoom: 200,
    eventRoom: 500,
    grossRoom: 5_000,
    tokenPct: 0.02,
    eventPct: 0.05,
    grossPct: 0.5,
    depth: 10_000,
    depthShare: 0.25,
    minOrderSize: 5,
  };

  it('p = 0.97, c = 0.94 → f* = 0.5, × k 0.25 = 0.125, then capped at 2% of equity (token cap)', () => {
    expect(kellyFraction(0.97, 0.94)).toBeCloseTo(0.5, 12);
    const s = kellySize(base);
    expect(s.fStar).toBeCloseTo(0.5, 12);
    expect(s.f).toBeCloseTo(0.125, 12);
    expect(s.target).toBeCloseTo(1250, 9);
    // $200 / 0.94 = 212.765… → 212.76 shares
    expect(s.shares).toBe(212.76);
    expect(s.capsHit).toEqual(['token 2%']);
    expect(s.explain).toContain('f* = (p − c)/(1 − c) = 0.5000');
    expect(s.explain).toContain('× k 0.25 = 0.1250');
    expect(s.explain).toContain('hit: token 2%');
    expect(s.explain).toContain('final 212.76 shares');
  });

  it('no edge (p ≤ c) → no order', () => {
    const s = kellySize({ ...base, p: 0.9 });
    expect(s.fStar).toBeLessThan(0);
    expect(s.shares).toBe(0);
    expect(s.refused).toBe('min-edge');
  });

  it('depth cap: 25% of 40 visible shares = 10 shares', () => {
    const s = kellySize({ ...base, depth: 40 });
    expect(s.shares).toBe(10);
    expect(s.capsHit).toEqual(['depth 25%']);
  });

  it('event cap binds when the event already holds $450 of $500', () => {
    const s = kellySize({ ...base, eventRoom: 50 });
    expect(s.shares).toBe(53.19);
    expect(s.capsHit).toEqual(['event 5%']);
  });

  it('below the market minimum the order is refused, not rounded up', () => {
    const s = kellySize({ ...base, depth: 16, minOrderSize: 5 }); // 4 shares
    expect(s.shares).toBe(0);
    expect(s.refused).toBe('min-size');
    expect(s.explain).toContain('4.00 sh < min order 5: refused');
  });

  it('uncapped: small Kelly fraction wins (p 0.55, c 0.50 → f* 0.1, f 0.025 → $250 → 500 shares with a $1000 token room)', () => {
    const s = kellySize({ ...base, p: 0.55, c: 0.5, tokenRoom: 1000, eventRoom: 1000 });
    expect(s.fStar).toBeCloseTo(0.1, 12);
    expect(s.shares).toBe(500);
    expect(s.capsHit).toEqual([]);
  });
});

describe('walking the book', () => {
  const b = book(
    [
      [0.5, 100],
      [0.51, 50],
      [0.53, 200],
    ],
    [[0.48, 80]],
  );

  it('VWAP over levels: 180 shares take 100 @ 0.50, 50 @ 0.51, 30 @ 0.53 → VWAP 0.50694', () => {
    const w = walkBook(b, 'BUY', 180, 9999);
    expect(w.takes).toEqual([
      { price: 5000, size: 100 },
      { price: 5100, size: 50 },
      { price: 5300, size: 30 },
    ]);
    expect(w.filled).toBe(180);
    expect(w.vwap).toBeCloseTo((100 * 5000 + 50 * 5100 + 30 * 5300) / 180, 9);
    expect(w.worst).toBe(5300);
  });

  it('never past the limit: limit 0.51 fills 150 of 180', () => {
    const w = walkBook(b, 'BUY', 180, 5100);
    expect(w.filled).toBe(150);
    expect(w.worst).toBe(5100);
  });

  it('a SELL takes bids at or above its limit', () => {
    expect(walkBook(b, 'SELL', 100, 4800).filled).toBe(80);
    expect(walkBook(b, 'SELL', 100, 4900).filled).toBe(0);
  });

  it('depth at or better than the limit', () => {
    expect(depthAtOrBetter(b, 'BUY', 5100)).toBe(150);
    expect(depthAtOrBetter(b, 'BUY', 4999)).toBe(0);
  });

  it('what an earlier paper fill took is gone until the book changes', () => {
    const c = new Consumed();
    const first = walkBook(b, 'BUY', 120, 9999, c, 't');
    c.record('t', b, 'BUY', first.takes);
    const second = walkBook(b, 'BUY', 100, 9999, c, 't');
    expect(second.takes).toEqual([
      { price: 5100, size: 30 },
      { price: 5300, size: 70 },
    ]);
    b.version = (b.version ?? 0) + 1; // the feed updated the book: its levels are the venue's again
    expect(walkBook(b, 'BUY', 100, 9999, c, 't').takes).toEqual([{ price: 5000, size: 100 }]);
  });
});
