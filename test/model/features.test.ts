// Features: a worked example of the layout, and the no-look-ahead property —
// changing anything stamped after t (prices, new points, the settlement, the
// winner) never changes the vector at t.
import { describe, expect, it } from 'vitest';
import { defaultFeatureSpec, F, FeatureSpec, logit, viewFromHistory, type MarketView } from '../../src/model/features.js';
import { samplesFromResolved } from '../../src/model/samples.js';
import { Rng } from '../../src/rng.js';
import { DAY, HOUR, market, T0 } from '../backtest/helpers.js';
import { defaultStrategies } from '../../src/scan/strategies.js';

describe('FeatureSpec.vector', () => {
  const spec = new FeatureSpec(['Crypto', 'Weather'], ['Crypto/BTC-Price', 'Weather/Temperature'], ['A', 'B']);

  it('lays out base features, one-hots and strategy flags at fixed positions', () => {
    expect(spec.width).toBe(18 + 3 + 3 + 2);
    const v: MarketView = { atMs: T0, mid: 0.2, spread: 0.02, depthBid: 300, depthAsk: 100, endMs: T0 + 47 * HOUR, category: 'Weather/Temperature', strategies: ['B', 'unknown'], fair: 0.5 };
    const x = spec.vector(v);
    expect(x).toHaveLength(spec.width);
    expect(x[F.bias]).toBe(1);
    expect(x[F.logitMid]).toBeCloseTo(Math.log(0.25), 12);
    expect(x[F.extremity]).toBeCloseTo(Math.log(4), 12);
    expect(x[F.spread]).toBeCloseTo(0.2, 12);
    expect(x[F.hasSpread]).toBe(1);
    expect(x[F.depth]).toBeCloseTo(Math.log(401) / 10, 12);
    expect(x[F.depthImbalance]).toBeCloseTo(0.5, 12);
    expect(x[F.hasOfi]).toBe(0);
    expect(x[F.hoursToEnd]).toBeCloseTo(Math.log(48) / 5, 12);
    expect(x[F.fairGap]).toBeCloseTo(0 - Math.log(0.25), 12);
    expect(x[F.hasFair]).toBe(1);
    expect(x[F.hasVol]).toBe(0);
    const on = spec.names.filter((_, i) => i >= 18 && x[i] === 1);
    expect(on).toEqual(['family:Weather', 'category:Weather/Temperature', 'strategy:B']);
  });

  it('an unknown category goes to the "other" slots; the width never changes', () => {
    const x = spec.vector({ atMs: T0, mid: 0.5, endMs: T0, category: 'Sports/NBA' });
    expect(spec.names.filter((_, i) => i >= 18 && x[i] === 1)).toEqual(['family:other', 'category:other']);
    expect(x).toHaveLength(spec.width);
  });

  it('the default layout comes from the taxonomy and the strategies, and its hash names it', () => {
    const d = defaultFeatureSpec();
    expect(d.names).toContain('family:Crypto');
    expect(d.names).toContain('category:Weather/Temperature');
    expect(d.names).toContain('strategy:WEATHER_FADE_LONGSHOTS');
    expect(d.hash).not.toBe(spec.hash);
  });
});

describe('viewFromHistory', () => {
  it('momentum against the point a day earlier and volatility of hourly logit changes', () => {
    const t: number[] = [];
    const p: number[] = [];
    for (let h = 0; h <= 30; h++) {
      t.push((T0 + h * HOUR) / 1000);
      p.push(h % 2 ? 5000 : 6000);
    }
    const v = viewFromHistory(t, p, T0 + 30 * HOUR, T0 + 40 * HOUR, HOUR)!;
    expect(v.mid).toBe(0.6);
    expect(v.momentum).toBeCloseTo(0, 12); // 6 h → 30 h: same price
    // Alternating ±logit(0.6): |d| constant per hour, mean ≈ 0.
    const l = logit(0.6);
    expect(v.vol).toBeGreaterThan(l * 0.95);
    expect(v.vol).toBeLessThan(l * 1.05);
  });

  it('no point within tolerance, or only the settlement after close: undefined', () => {
    expect(viewFromHistory([T0 / 1000], [5000], T0 + 7 * HOUR, T0 + DAY, 6 * HOUR)).toBeUndefined();
    // The only point at/after closedTime is never read.
    expect(viewFromHistory([(T0 + HOUR) / 1000], [10000], T0 + 2 * HOUR, T0 + HOUR, 6 * HOUR)).toBeUndefined();
  });
});

describe('no look-ahead', () => {
  it('1,000 random (market, t): perturbing every point after t, the close and the winner leaves features(t) bit-identical', () => {
    const spec = defaultFeatureSpec();
    const rng = new Rng('lookahead');
    for (let k = 0; k < 1000; k++) {
      const n = 5 + Math.floor(rng.next() * 60);
      const t = new Int32Array(n);
      const p = new Uint16Array(n);
      let s = (T0 - 10 * DAY) / 1000;
      for (let i = 0; i < n; i++) {
        s += 600 + Math.floor(rng.next() * 4 * 3600);
        t[i] = s;
        p[i] = 100 + Math.floor(rng.next() * 9800);
      }
      const closedMs = (t[n - 1]! + 60) * 1000;
      const atMs = (t[0]! + rng.next() * (t[n - 1]! - t[0]!)) * 1000;
      const tol = 6 * HOUR;
      const base = viewFromHistory(t, p, atMs, closedMs, tol);
      // Perturb: every later price, extra later points, a later close.
      const t2 = Int32Array.from(t);
      const p2 = Uint16Array.from(p);
      for (let i = 0; i < n; i++) if (t2[i]! * 1000 > atMs) p2[i] = 100 + Math.floor(rng.next() * 9800);
      const extra = 1 + Math.floor(rng.next() * 5);
      const t3 = new Int32Array(n + extra);
      const p3 = new Uint16Array(n + extra);
      t3.set(t2);
      p3.set(p2);
      for (let i = 0; i < extra; i++) {
        t3[n + i] = t2[n - 1]! + 60 * (i + 1);
        p3[n + i] = rng.next() < 0.5 ? 0 : 10000;
      }
      const after = viewFromHistory(t3, p3, atMs, closedMs + rng.next() * 10 * DAY, tol);
      expect(after).toEqual(base);
      if (!base) continue;
      const view: MarketView = { atMs, endMs: closedMs, category: 'Weather/Temperature', ...base };
      const a = spec.vector(view);
      const b = spec.vector({ ...view, ...after });
      expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
    }
  });

  it('backtest rows: changing the prices after the decision time and the winner changes no feature row', () => {
    const strategies = defaultStrategies().strategies;
    const mk = (late: number, winner: 0 | 1) =>
      [0, 1, 2].map((i) =>
        market({ id: `m${i}`, endMs: T0 + (i + 3) * DAY, winner, points: [[T0 + (i + 3) * DAY - 30 * HOUR, 0.08], [T0 + (i + 3) * DAY - 25 * HOUR, 0.07], [T0 + (i + 3) * DAY - 2 * HOUR, late]] }),
      );
    const o = { leadMs: 24 * HOUR, toleranceMs: 6 * HOUR, halfSpread: 0.01, strategies };
    const a = samplesFromResolved(mk(0.9, 0), o);
    const b = samplesFromResolved(mk(0.01, 1), o);
    expect(a.n).toBe(3);
    expect(Buffer.from(b.x.buffer).equals(Buffer.from(a.x.buffer))).toBe(true);
    expect([...a.mid]).toEqual([0.07, 0.07, 0.07]);
    expect([...a.y]).toEqual([1, 1, 1]);
    expect([...b.y]).toEqual([0, 0, 0]);
    // The weather strategy's rules are met at the decision time (NO at 0.93 + half spread).
    const flag = defaultFeatureSpec().names.indexOf('strategy:WEATHER_FADE_LONGSHOTS');
    expect(a.x[flag]).toBe(1);
  });

  it('the decision time does not depend on when the market closed: an early decision after T changes no row', () => {
    const mk = (closedMs: number) => [market({ id: 'm', endMs: T0 + 10 * DAY, closedMs, winner: 0, points: [[T0 + 8 * DAY, 0.2], [T0 + 9 * DAY - HOUR, 0.25]] })];
    const o = { leadMs: 24 * HOUR, toleranceMs: 6 * HOUR, halfSpread: 0.01 };
    const onTime = samplesFromResolved(mk(T0 + 10 * DAY + HOUR), o);
    const early = samplesFromResolved(mk(T0 + 9 * DAY + 2 * HOUR), o);
    expect(onTime.n).toBe(1);
    expect(Buffer.from(early.x.buffer).equals(Buffer.from(onTime.x.buffer))).toBe(true);
    expect(early.atMs[0]).toBe(onTime.atMs[0]);
    // Closed before T: not live at the decision time, left out and counted.
    const gone = samplesFromResolved(mk(T0 + 9 * DAY - 2 * HOUR), o);
    expect(gone.n).toBe(0);
    expect(gone.closedBefore).toBe(1);
  });
});

describe('live and backtest build the same vector', () => {
  it('from the same price history, a live view without a book equals the backtest row; book and signals only add their own slots', async () => {
    const { liveView } = await import('../../src/model/live-view.js');
    const spec = defaultFeatureSpec();
    const points: [number, number][] = [];
    for (let h = 0; h < 60; h++) points.push([T0 + h * HOUR, 0.3 + 0.2 * Math.sin(h / 5)]);
    const m = market({ id: 'x', endMs: T0 + 80 * HOUR, winner: 1, points });
    const rows = samplesFromResolved([m], { leadMs: 24 * HOUR, toleranceMs: 6 * HOUR, halfSpread: 0.01 });
    expect(rows.n).toBe(1);
    const atMs = T0 + 56 * HOUR;
    const live = liveView({ atMs, endMs: m.endMs, category: m.category, history: { t: m.t, p: m.p } })!;
    expect(Buffer.from(spec.vector(live).buffer).equals(Buffer.from(rows.x.buffer))).toBe(true);
    // With a book, OFI (gapped: dropped), micro and a priced fair value.
    const full = liveView({
      atMs,
      endMs: m.endMs,
      category: m.category,
      history: { t: m.t, p: m.p },
      bestBid: 0.4,
      bestAsk: 0.42,
      bidDepth: 100,
      askDepth: 300,
      ofi: { normalized: 0.3, gap: true },
      micro: { score: -0.2, gap: false },
      fair: { status: 'priced', p: 0.5, inputs: {} as never },
    })!;
    const x = spec.vector(full);
    expect(full.mid).toBeCloseTo(0.41, 12);
    expect(x[F.hasSpread]).toBe(1);
    expect(x[F.hasDepth]).toBe(1);
    expect(x[F.hasOfi]).toBe(0);
    expect(x[F.micro]).toBeCloseTo(-0.2, 12);
    expect(x[F.hasFair]).toBe(1);
    expect(x[F.vol]).toBe(rows.x[F.vol]);
    expect(x[F.momentum]).toBe(rows.x[F.momentum]);
    expect(liveView({ atMs, endMs: m.endMs, category: m.category })).toBeUndefined();
  });
});
