// Fee model and the worked edge vectors of quant-anchors §8A.
import { describe, expect, it } from 'vitest';
import { feeForOrder, takerFeePerShare, takerFeePerShareUnits } from '../../src/arb/fees.js';
import { sweepBasket, type SweepLeg } from '../../src/arb/sweep.js';
import { feePerShare as scanFeePerShare } from '../../src/scan/strategies.js';

const fee = (rate: number) => ({ rate, exponent: 1 });
/** One level per leg, deep enough not to matter. */
const buy = (price: number, rate: number): SweepLeg => ({ side: 'BUY', px: [Math.round(price * 10_000)], sz: [1_000], fee: fee(rate) });

describe('takerFeePerShare', () => {
  it('is the one fee the scan, arbitrage and paper fills charge: exponent 0 is a flat rate, prices outside (0, 1) pay nothing', () => {
    // The venue's formula is rate × (p(1−p))^exponent with the exponent as sent: 0 means flat, not "default to 1".
    expect(takerFeePerShare(0.3, { rate: 0.02, exponent: 0 })).toBeCloseTo(0.02, 12);
    expect(takerFeePerShare(1.2, fee(0.07))).toBe(0);
    expect(takerFeePerShare(-0.1, fee(0.07))).toBe(0);
    for (const p of [0.01, 0.25, 0.5, 0.77, 0.99]) {
      for (const sch of [fee(0.05), { rate: 0.25, exponent: 2 }, { rate: 0.02, exponent: 0 }, fee(0)]) {
        expect(scanFeePerShare(p, sch)).toBe(takerFeePerShare(p, sch));
      }
    }
  });

  it('is rate × p(1−p): 0.04 at 0.48 → 0.009984', () => {
    expect(takerFeePerShare(0.48, fee(0.04))).toBeCloseTo(0.009984, 12);
  });
  it('uses the general form rate × (p(1−p))^exponent: 0.25 at 0.5 with exponent 2 → 0.015625', () => {
    expect(takerFeePerShare(0.5, { rate: 0.25, exponent: 2 })).toBeCloseTo(0.015625, 12);
  });
  it('is 0 at rate 0 and at p = 0 or 1', () => {
    expect(takerFeePerShare(0.5, fee(0))).toBe(0);
    expect(takerFeePerShare(0, fee(0.07))).toBe(0);
    expect(takerFeePerShare(1, fee(0.07))).toBe(0);
  });
  it('reads prices in 0.0001 units: 5000 units at 0.07 → 0.0175', () => {
    expect(takerFeePerShareUnits(5_000, fee(0.07))).toBeCloseTo(0.0175, 12);
  });
});

describe('feeForOrder', () => {
  it('charges 100 crypto shares at $0.50 (rate 0.07) $1.75', () => {
    expect(feeForOrder(100, 0.5, fee(0.07))).toBe(1.75);
  });
  it('rounds to 5 decimals: 1 share at 0.48, rate 0.04 → 0.00998', () => {
    expect(feeForOrder(1, 0.48, fee(0.04))).toBe(0.00998);
  });
  it('rounds anything under 0.000005 to zero: 0.1 share at 0.0001, rate 0.04 → 0', () => {
    expect(feeForOrder(0.1, 0.0001, fee(0.04))).toBe(0);
  });
});

describe('worked vectors (quant-anchors §8A)', () => {
  it('binary buy-both: asks 0.48 + 0.46 at rate 0.04 → gross 0.06, fees 0.01992, net 0.04008', () => {
    const r = sweepBasket([buy(0.48, 0.04), buy(0.46, 0.04)], 1, { minEdge: 0.01, slippage: 200 });
    expect(r.topEdge).toBeCloseTo(0.04008, 10);
    expect(r.edge).toBeCloseTo(0.04008, 10);
    expect(r.legs[0]!.fees + r.legs[1]!.fees).toBeCloseTo(0.01992 * r.size, 8);
  });

  it('negRisk long: asks 0.30 / 0.25 / 0.35 at rate 0.05 → gross 0.10, fees 0.03125, net 0.06875', () => {
    const r = sweepBasket([buy(0.3, 0.05), buy(0.25, 0.05), buy(0.35, 0.05)], 1, { minEdge: 0.01, slippage: 200 });
    expect(r.edge).toBeCloseTo(0.06875, 10);
  });

  it('implication A ⇒ B: a_YB 0.35 + a_NA 0.61 at rate 0.04 → gross 0.04, fees 0.018616, net 0.021384', () => {
    const r = sweepBasket([buy(0.35, 0.04), buy(0.61, 0.04)], 1, { minEdge: 0.01, slippage: 200 });
    expect(r.edge).toBeCloseTo(0.021384, 10);
  });

  it('negRisk short: NO asks 0.70 / 0.75 / 0.45 at rate 0 → (n − 1) − Σ = 0.10', () => {
    const r = sweepBasket([buy(0.7, 0), buy(0.75, 0), buy(0.45, 0)], 2, { minEdge: 0.01, slippage: 200 });
    expect(r.edge).toBeCloseTo(0.1, 10);
  });
});
