import { describe, expect, it } from 'vitest';
import {
  classify,
  combine,
  confidence,
  isYesFlow,
  momentumScore,
  volumeFlowScore,
  whaleScore,
} from '../../src/signals/micro-math.js';

describe('momentumScore = clamp(10 × ΔP/P₀, ±1) (worked vectors)', () => {
  it('YES 0.50 → 0.525 (+5%) gives 0.5', () => {
    expect(momentumScore(5000, 5250)).toBeCloseTo(0.5, 12);
  });
  it('YES 0.50 → 0.45 (−10%) gives −1', () => {
    expect(momentumScore(5000, 4500)).toBe(-1);
  });
  it('YES 0.50 → 0.50 gives 0; 0.20 → 0.30 (+50%) clamps to +1', () => {
    expect(momentumScore(5000, 5000)).toBe(0);
    expect(momentumScore(2000, 3000)).toBe(1);
  });
  it('no first price (0) gives 0', () => {
    expect(momentumScore(0, 5000)).toBe(0);
  });
});

describe('volumeFlowScore = (YES − NO)/total (worked vectors)', () => {
  it('only YES volume (1000 + 500) gives +1', () => {
    expect(volumeFlowScore(1500, 0)).toBe(1);
  });
  it('only NO volume 1000 gives −1', () => {
    expect(volumeFlowScore(0, 1000)).toBe(-1);
  });
  it('500 YES vs 500 NO gives 0; 60% YES / 40% NO gives +0.2; no volume gives 0', () => {
    expect(volumeFlowScore(500, 500)).toBe(0);
    expect(volumeFlowScore(60, 40)).toBeCloseTo(0.2, 12);
    expect(volumeFlowScore(0, 0)).toBe(0);
  });
});

describe('whaleScore = (YES whales − NO whales)/all whales (worked vectors)', () => {
  it('2 YES whales, 0 NO whales gives +1', () => {
    expect(whaleScore(2, 0)).toBe(1);
  });
  it('balanced whales 1 vs 1 gives 0', () => {
    expect(whaleScore(1, 1)).toBe(0);
  });
  it('no whales gives 0 (no division by zero)', () => {
    expect(whaleScore(0, 0)).toBe(0);
  });
});

describe('combine: 0.40 momentum + 0.35 flow + 0.25 whale, in [−1, 1]', () => {
  it('(0.5, 1, 0) gives 0.55; (1, 1, 1) gives 1; (−1, −1, −1) gives −1', () => {
    expect(combine(0.5, 1, 0)).toBeCloseTo(0.55, 12);
    expect(combine(1, 1, 1)).toBeCloseTo(1, 12);
    expect(combine(-1, -1, -1)).toBeCloseTo(-1, 12);
  });
});

describe('confidence = min(trades/50, 1) × covered/window × 0.5 below 10 trades × 0.5 on a gap', () => {
  it('50 trades over the full 120 s gives 1', () => {
    expect(confidence(50, 120_000, 120_000)).toBe(1);
  });
  it('25 trades over the full window gives 0.5; over 60 of 120 s gives 0.25', () => {
    expect(confidence(25, 120_000, 120_000)).toBe(0.5);
    expect(confidence(25, 60_000, 120_000)).toBe(0.25);
  });
  it('5 trades over the full window gives 0.1 × 0.5 = 0.05', () => {
    expect(confidence(5, 120_000, 120_000)).toBeCloseTo(0.05, 12);
  });
  it('a gap halves it: 50 trades, 90 of 120 s covered, gap → 0.375', () => {
    expect(confidence(50, 90_000, 120_000, true)).toBeCloseTo(0.375, 12);
  });
});

describe('classify: NEUTRAL below 0.2, STRONG from 0.5 with confidence ≥ 0.5, LOW_LIQUIDITY_ below 10 trades', () => {
  it('0.55 at confidence 1 with 50 trades is STRONG_BULLISH; −0.55 is STRONG_BEARISH', () => {
    expect(classify(0.55, 1, 50)).toBe('STRONG_BULLISH');
    expect(classify(-0.55, 1, 50)).toBe('STRONG_BEARISH');
  });
  it('0.55 at confidence 0.4 is only WEAK_BULLISH', () => {
    expect(classify(0.55, 0.4, 20)).toBe('WEAK_BULLISH');
  });
  it('0.3 is WEAK_BULLISH, −0.2 is WEAK_BEARISH, 0.19 is NEUTRAL', () => {
    expect(classify(0.3, 1, 50)).toBe('WEAK_BULLISH');
    expect(classify(-0.2, 1, 50)).toBe('WEAK_BEARISH');
    expect(classify(0.19, 1, 50)).toBe('NEUTRAL');
  });
  it('0.3 with 9 trades is LOW_LIQUIDITY_WEAK_BULLISH; 0 with 0 trades is LOW_LIQUIDITY_NEUTRAL', () => {
    expect(classify(0.3, 0.09, 9)).toBe('LOW_LIQUIDITY_WEAK_BULLISH');
    expect(classify(0, 0, 0)).toBe('LOW_LIQUIDITY_NEUTRAL');
  });
});

describe('trade side mapping: buying YES or selling NO is YES flow', () => {
  it('BUY YES and SELL NO are YES flow; BUY NO and SELL YES are NO flow', () => {
    expect(isYesFlow(true, 'BUY')).toBe(true);
    expect(isYesFlow(false, 'SELL')).toBe(true);
    expect(isYesFlow(false, 'BUY')).toBe(false);
    expect(isYesFlow(true, 'SELL')).toBe(false);
  });
});
