import { describe, expect, it } from 'vitest';
import { MICRO_STALE_MS, MicroScorer, type MicroOptions } from '../../src/signals/micro-scorer.js';
import { T0, trade } from './helpers.js';

const UP = { feedUp: true, closed: false };

function scorer(opts: MicroOptions = {}) {
  const s = new MicroScorer(opts);
  s.registerMarket('m1', 'Y', 'N');
  return s;
}

/** Feeds trades 1 s apart (distinct venue timestamps) from T0; returns the time of the last one. */
function feed(s: MicroScorer, trades: Parameters<typeof trade>[]): number {
  let now = T0;
  trades.forEach((args, k) => {
    now = T0 + k * 1_000;
    s.onTrade(trade(args[0], args[1], args[2], args[3], now), now);
  });
  return now;
}

describe('MicroScorer: the worked micro-math vectors through the scorer', () => {
  it('YES 0.50 → 0.525 (5% rise) gives momentum 0.5', () => {
    const s = scorer();
    const now = feed(s, [['Y', 'BUY', 5000, 100], ['Y', 'BUY', 5250, 200]]);
    expect(s.score('m1', now, UP).momentum).toBeCloseTo(0.5, 6);
  });

  it('YES 0.50 → 0.45 (10% fall) gives momentum −1', () => {
    const s = scorer();
    const now = feed(s, [['Y', 'SELL', 5000, 100], ['Y', 'SELL', 4500, 200]]);
    expect(s.score('m1', now, UP).momentum).toBe(-1);
  });

  it('only YES volume (BUY YES 1000 + 500) gives volume flow +1', () => {
    const s = scorer();
    const now = feed(s, [['Y', 'BUY', 5000, 1000], ['Y', 'BUY', 5000, 500]]);
    expect(s.score('m1', now, UP).volumeFlow).toBe(1);
  });

  it('only NO volume (BUY NO 1000) gives volume flow −1; BUY YES 500 vs BUY NO 500 gives 0', () => {
    const a = scorer();
    expect(a.score('m1', feed(a, [['N', 'BUY', 5000, 1000]]), UP).volumeFlow).toBe(-1);
    const b = scorer();
    expect(b.score('m1', feed(b, [['Y', 'BUY', 5000, 500], ['N', 'BUY', 5000, 500]]), UP).volumeFlow).toBe(0);
  });

  it('taker side and token: SELL NO 300 is YES flow (+1), SELL YES 300 is NO flow (−1)', () => {
    const a = scorer();
    expect(a.score('m1', feed(a, [['N', 'SELL', 4000, 300]]), UP).volumeFlow).toBe(1);
    const b = scorer();
    expect(b.score('m1', feed(b, [['Y', 'SELL', 4000, 300]]), UP).volumeFlow).toBe(-1);
  });

  it('all YES whales: YES 1500 × 0.80 ($1,200) and 2500 × 0.80 ($2,000), NO 100 × 0.20 ($20) give whale +1 with 2 whales', () => {
    const s = scorer();
    const sig = s.score('m1', feed(s, [['Y', 'BUY', 8000, 1500], ['Y', 'BUY', 8000, 2500], ['N', 'BUY', 2000, 100]]), UP);
    expect(sig.whale).toBe(1);
    expect(sig.whales).toBe(2);
  });

  it('balanced whales: YES 1500 × 0.80 ($1,200) vs NO 1200 × 0.90 ($1,080) give whale 0', () => {
    const s = scorer();
    const sig = s.score('m1', feed(s, [['Y', 'BUY', 8000, 1500], ['N', 'BUY', 9000, 1200]]), UP);
    expect(sig.whale).toBe(0);
    expect(sig.whales).toBe(2);
  });

  it('no whales: YES 500 × 0.50 ($250), NO 800 × 0.50 ($400) give whale 0', () => {
    const s = scorer();
    const sig = s.score('m1', feed(s, [['Y', 'BUY', 5000, 500], ['N', 'BUY', 5000, 800]]), UP);
    expect(sig.whale).toBe(0);
    expect(sig.whales).toBe(0);
  });

  it('the whale threshold is configurable: $200 makes YES 500 × 0.50 ($250) a whale', () => {
    const s = scorer({ whaleUsd: 200 });
    expect(s.score('m1', feed(s, [['Y', 'BUY', 5000, 500]]), UP).whales).toBe(1);
  });
});

describe('MicroScorer: trades, windows, confidence and types', () => {
  it('one taker order printed as 3 levels (same token, side, ts; $400 each) is 1 trade and 1 whale ($1,200)', () => {
    const s = scorer();
    for (const px of [5000, 5000, 5000]) s.onTrade(trade('Y', 'BUY', px, 800, 77), T0);
    const sig = s.score('m1', T0, UP);
    expect(sig.trades).toBe(1);
    expect(sig.whales).toBe(1);
    expect(sig.yesVolume).toBe(2400);
  });

  it('50 YES buys 0.50 → 0.55 over the whole 120 s window: score 0.4 + 0.35 = 0.75, confidence 1, STRONG_BULLISH', () => {
    const s = scorer();
    s.onBookState('Y', 'fresh', T0 - 120_000);
    for (let k = 0; k < 50; k++) s.onTrade(trade('Y', 'BUY', k < 49 ? 5000 : 5500, 10, k), T0 + k);
    const sig = s.score('m1', T0 + 50, UP);
    expect(sig.momentum).toBeCloseTo(1, 6);
    expect(sig.score).toBeCloseTo(0.75, 6);
    expect(sig.confidence).toBeCloseTo(1, 6);
    expect(sig.type).toBe('STRONG_BULLISH');
  });

  it('the same 50 trades seen for only 60 of 120 s: confidence 0.5, still STRONG_BULLISH (threshold 0.5)', () => {
    const s = scorer();
    for (let k = 0; k < 50; k++) s.onTrade(trade('Y', 'BUY', k < 49 ? 5000 : 5500, 10, k), T0 + k);
    const sig = s.score('m1', T0 + 60_000, UP);
    expect(sig.coverage).toBeCloseTo(0.5, 6);
    expect(sig.confidence).toBeCloseTo(0.5, 6);
    expect(sig.type).toBe('STRONG_BULLISH');
  });

  it('5 NO buys over the full window: flow −1 → score −0.35, confidence 0.1 × 0.5 = 0.05, LOW_LIQUIDITY_WEAK_BEARISH', () => {
    const s = scorer();
    s.onBookState('Y', 'fresh', T0 - 200_000);
    for (let k = 0; k < 5; k++) s.onTrade(trade('N', 'BUY', 5000, 10, k), T0 + k);
    const sig = s.score('m1', T0 + 10, UP);
    expect(sig.score).toBeCloseTo(-0.35, 6);
    expect(sig.confidence).toBeCloseTo(0.05, 6);
    expect(sig.type).toBe('LOW_LIQUIDITY_WEAK_BEARISH');
  });

  it('trades leave the 120 s window: a buy at T0 is gone at T0 + 125 s; windowMs 300 s keeps it', () => {
    const s = scorer();
    s.onTrade(trade('Y', 'BUY', 5000, 10, 1), T0);
    expect(s.score('m1', T0 + 125_000, UP).trades).toBe(0);
    const l = scorer({ windowMs: 300_000 });
    l.onTrade(trade('Y', 'BUY', 5000, 10, 1), T0);
    expect(l.score('m1', T0 + 125_000, UP).trades).toBe(1);
  });

  it('momentum spans buckets and follows the window: 0.50 at 0 s, 0.55 at 60 s → +1 at 61 s; at 130 s only 0.55 is left → 0', () => {
    const s = scorer();
    s.onTrade(trade('Y', 'BUY', 5000, 10, 1), T0);
    s.onTrade(trade('Y', 'BUY', 5500, 10, 2), T0 + 60_000);
    expect(s.score('m1', T0 + 61_000, UP).momentum).toBeCloseTo(1, 6);
    expect(s.score('m1', T0 + 130_000, UP).momentum).toBe(0);
  });

  it('feed down gives MARKET_UNAVAILABLE, closed gives MARKET_CLOSED, both with score 0 and confidence 0', () => {
    const s = scorer();
    feed(s, [['Y', 'BUY', 5000, 1000]]);
    expect(s.score('m1', T0, { feedUp: false, closed: false })).toMatchObject({ type: 'MARKET_UNAVAILABLE', score: 0, confidence: 0 });
    expect(s.score('m1', T0, { feedUp: true, closed: true })).toMatchObject({ type: 'MARKET_CLOSED', score: 0, confidence: 0 });
    expect(s.score('unknown', T0, UP).type).toBe('MARKET_UNAVAILABLE');
  });

  it('a trade on an unregistered token is counted as unknown and ignored', () => {
    const s = scorer();
    s.onTrade(trade('X', 'BUY', 5000, 10), T0);
    expect(s.stats.unknown).toBe(1);
    expect(s.active(T0)).toEqual([]);
  });

  it('scores(now) lists active markets strongest first', () => {
    const s = new MicroScorer();
    s.registerMarket('a', 'aY', 'aN');
    s.registerMarket('b', 'bY', 'bN');
    s.onTrade(trade('aY', 'BUY', 5000, 10, 1), T0);
    s.onTrade(trade('bY', 'BUY', 5000, 10, 1), T0);
    s.onTrade(trade('bY', 'BUY', 5500, 10, 2), T0);
    expect(s.scores(T0 + 1).map((x) => x.marketId)).toEqual(['b', 'a']);
  });
});

describe('MicroScorer: gaps', () => {
  it('NO book stale from 40 s to 70 s: flagged, coverage (120 − 30)/120 = 0.75, confidence 1 × 0.75 × 0.5 = 0.375', () => {
    const s = scorer();
    s.onBookState('Y', 'fresh', T0 - 200_000);
    s.onBookState('N', 'stale', T0 + 40_000);
    s.onBookState('Y', 'out-of-sync', T0 + 50_000);
    s.onBookState('N', 'fresh', T0 + 60_000);
    s.onBookState('Y', 'fresh', T0 + 70_000); // market healthy only when both books are fresh
    for (let k = 0; k < 60; k++) s.onTrade(trade('Y', 'BUY', 5000, 10, k), T0 + 80_000 + k);
    const sig = s.score('m1', T0 + 120_000, UP);
    expect(sig.gap).toBe(true);
    expect(sig.coverage).toBeCloseTo(0.75, 6);
    expect(sig.confidence).toBeCloseTo(0.375, 6);
    // The gap ended at 70 s: from 190 s on the window is clean.
    expect(s.score('m1', T0 + 191_000, UP).gap).toBe(false);
  });

  it('markGap(tokens, start, end) flags the window the same way', () => {
    const s = scorer();
    s.onBookState('Y', 'fresh', T0 - 200_000);
    s.markGap(['Y'], T0 + 10_000, T0 + 22_000);
    const sig = s.score('m1', T0 + 60_000, UP);
    expect(sig.gap).toBe(true);
    expect(sig.coverage).toBeCloseTo(108 / 120, 6);
  });
});

describe('MicroScorer: checkpoints', () => {
  it('round trip through JSON 20 s later keeps counts and scores; the downtime is a gap', () => {
    const s = scorer();
    feed(s, [['Y', 'BUY', 5000, 1000], ['Y', 'BUY', 5250, 3000], ['N', 'BUY', 9000, 1200]]);
    const saved = T0 + 10_000;
    const json = JSON.parse(JSON.stringify(s.toCheckpoint(saved)));
    const r = new MicroScorer();
    expect(r.fromCheckpoint(json, saved + 20_000)).toBe(true);
    const a = s.score('m1', saved + 20_000, UP);
    const b = r.score('m1', saved + 20_000, UP);
    expect(b.trades).toBe(a.trades);
    expect(b.score).toBeCloseTo(a.score, 6);
    expect(b.whales).toBe(2);
    expect(b.gap).toBe(true);
    expect(b.confidence).toBeLessThan(a.confidence);
  });

  it(`rejects a checkpoint older than MICRO_STALE_MS = 30 s, and corrupt data, leaving the scorer untouched`, () => {
    const s = scorer();
    feed(s, [['Y', 'BUY', 5000, 1000]]);
    const ck = s.toCheckpoint(T0);
    const r = new MicroScorer();
    expect(MICRO_STALE_MS).toBe(30_000);
    expect(r.fromCheckpoint(ck, T0 + 30_001)).toBe(false);
    expect(r.restoreError).toMatch(/stale/);
    expect(r.fromCheckpoint({ ...ck, markets: [{ m: 'm1' }] }, T0 + 1)).toBe(false);
    expect(r.fromCheckpoint('{"v":1', T0 + 1)).toBe(false);
    expect(r.fromCheckpoint({ ...ck, windowMs: 60_000 }, T0 + 1)).toBe(false);
    expect(r.size).toBe(0);
  });
});
