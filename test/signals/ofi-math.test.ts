import { describe, expect, it } from 'vitest';
import { bookOfiEvent, NO_ASK, NO_BID, normalizeOfi, signedTrade, type Top } from '../../src/signals/ofi-math.js';

// research/quant-anchors.md §8B: starting book bid 0.50×100, ask 0.52×200 (prices in 0.0001 units).
const start: Top = { bidPx: 5000, bidSz: 100, askPx: 5200, askSz: 200 };
const next = (patch: Partial<Top>): Top => ({ ...start, ...patch });

describe('bookOfiEvent (Cont, Kukanov & Stoikov 2014, inclusive inequalities)', () => {
  it('bid size 100 → 150 at 0.50 gives +50', () => {
    expect(bookOfiEvent(start, next({ bidSz: 150 }))).toBe(50);
  });

  it('new bid 0.51×40 above 0.50×100 gives +40', () => {
    expect(bookOfiEvent(start, next({ bidPx: 5100, bidSz: 40 }))).toBe(40);
  });

  it('best bid 0.50×100 wiped, new best 0.49×300 gives −100', () => {
    expect(bookOfiEvent(start, next({ bidPx: 4900, bidSz: 300 }))).toBe(-100);
  });

  it('new ask 0.51×80 below 0.52×200 gives −80', () => {
    expect(bookOfiEvent(start, next({ askPx: 5100, askSz: 80 }))).toBe(-80);
  });

  it('best ask 0.52×200 consumed, new best 0.53×500 gives +200', () => {
    expect(bookOfiEvent(start, next({ askPx: 5300, askSz: 500 }))).toBe(200);
  });

  it('unchanged top gives 0; ask size 200 → 120 at 0.52 gives +80 (asks withdrawn are buy pressure)', () => {
    expect(bookOfiEvent(start, start)).toBe(0);
    expect(bookOfiEvent(start, next({ askSz: 120 }))).toBe(80);
  });

  it('both sides at once add up: bid 100 → 150 (+50) and ask 200 → 260 (−60) gives −10', () => {
    expect(bookOfiEvent(start, next({ bidSz: 150, askSz: 260 }))).toBe(-10);
  });

  it('empty sides: bid side vanishing gives −100, ask side vanishing gives +200, a bid appearing on an empty side gives +40', () => {
    expect(bookOfiEvent(start, next({ bidPx: NO_BID, bidSz: 0 }))).toBe(-100);
    expect(bookOfiEvent(start, next({ askPx: NO_ASK, askSz: 0 }))).toBe(200);
    expect(bookOfiEvent(next({ bidPx: NO_BID, bidSz: 0 }), next({ bidPx: 4000, bidSz: 40 }))).toBe(40);
  });
});

describe('normalisation and trade sign', () => {
  it('OFI +50 over average depth qb + qa = 300 is 0.1667; depth 0 gives 0', () => {
    expect(normalizeOfi(50, 300)).toBeCloseTo(0.16667, 4);
    expect(normalizeOfi(50, 0)).toBe(0);
  });

  it('taker BUY 25 is +25, taker SELL 25 is −25', () => {
    expect(signedTrade('BUY', 25)).toBe(25);
    expect(signedTrade('SELL', 25)).toBe(-25);
  });
});
