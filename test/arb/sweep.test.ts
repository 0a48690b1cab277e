// Basket sweeps: size is bounded by the thinnest leg inside the slippage ceiling
// and by the marginal edge; the reported edge is the VWAP edge.
import { describe, expect, it } from 'vitest';
import { depthWithin, sweepBasket, vwapOf, type SweepLeg } from '../../src/arb/sweep.js';

const NO_FEE = { rate: 0, exponent: 1 };
// Asks descending, best last: 0.48×100, 0.49×300, 0.52×1000.
const A: SweepLeg = { side: 'BUY', px: [5200, 4900, 4800], sz: [1000, 300, 100], fee: NO_FEE };
// 0.46×250, 0.47×500.
const B: SweepLeg = { side: 'BUY', px: [4700, 4600], sz: [500, 250], fee: NO_FEE };

describe('sweepBasket', () => {
  it('fills 400 sets when leg A has 400 shares within a 0.02 ceiling: VWAPs 0.4875 / 0.46375, edge 0.04875', () => {
    const r = sweepBasket([A, B], 1, { minEdge: 0.01, slippage: 200 });
    expect(r.size).toBe(400);
    expect(r.legs[0]!.vwap).toBeCloseTo(4875, 6);
    expect(r.legs[1]!.vwap).toBeCloseTo(4637.5, 6);
    expect(r.legs[0]!.worst).toBe(4900);
    expect(r.legs[1]!.worst).toBe(4700);
    expect(r.edge).toBeCloseTo(0.04875, 10);
    expect(r.topEdge).toBeCloseTo(0.06, 10);
  });

  it('walks to 0.52 with a 0.04 ceiling while the marginal set still nets 0.01: 750 sets', () => {
    const r = sweepBasket([A, B], 1, { minEdge: 0.01, slippage: 400 });
    expect(r.size).toBe(750);
    expect(r.edge).toBeGreaterThanOrEqual(0.01);
  });

  it('stops at 400 sets when the next set would net 0.01 < min edge 0.02', () => {
    expect(sweepBasket([A, B], 1, { minEdge: 0.02, slippage: 400 }).size).toBe(400);
  });

  it('caps at maxSize 120', () => {
    const r = sweepBasket([A, B], 1, { minEdge: 0.01, slippage: 200, maxSize: 120 });
    expect(r.size).toBe(120);
    expect(r.edge).toBeCloseTo((100 * 0.06 + 20 * 0.05) / 120, 10);
  });

  it('split-and-sell: bids 0.51 + 0.52 pay 0.03 over the $1 split, 50 sets (NO bid depth)', () => {
    const yes: SweepLeg = { side: 'SELL', px: [5000, 5100], sz: [200, 100], fee: NO_FEE };
    const no: SweepLeg = { side: 'SELL', px: [5200], sz: [50], fee: NO_FEE };
    const r = sweepBasket([yes, no], -1, { minEdge: 0.01, slippage: 200 });
    expect(r.size).toBe(50);
    expect(r.edge).toBeCloseTo(0.03, 10);
  });

  it('fills nothing when the top set is below the minimum edge (asks 0.50 + 0.495)', () => {
    const r = sweepBasket(
      [
        { side: 'BUY', px: [5000], sz: [100], fee: NO_FEE },
        { side: 'BUY', px: [4950], sz: [100], fee: NO_FEE },
      ],
      1,
      { minEdge: 0.01, slippage: 200 },
    );
    expect(r.size).toBe(0);
    expect(r.topEdge).toBeCloseTo(0.005, 10);
  });

  it('fills nothing when a leg has an empty side', () => {
    const r = sweepBasket([A, { side: 'BUY', px: [], sz: [], fee: NO_FEE }], 1, { minEdge: 0.01, slippage: 200 });
    expect(r.size).toBe(0);
  });
});

describe('depthWithin / vwapOf', () => {
  it('counts 400 ask shares within 0.02 of the best ask 0.48', () => {
    expect(depthWithin(A.px, A.sz, 'BUY', 200)).toBe(400);
    expect(depthWithin(A.px, A.sz, 'BUY', 400)).toBe(1400);
  });
  it('counts bid depth downward from the best bid: 0.51×100 + 0.50×200 within 0.01', () => {
    expect(depthWithin([5000, 5100], [200, 100], 'SELL', 100)).toBe(300);
    expect(depthWithin([5000, 5100], [200, 100], 'SELL', 50)).toBe(100);
  });
  it('gives VWAP 4875 units for 400 shares and undefined beyond the book', () => {
    expect(vwapOf(A.px, A.sz, 400)).toBeCloseTo(4875, 9);
    expect(vwapOf(A.px, A.sz, 2000)).toBeUndefined();
  });
});
