// The portfolio explains itself: a complete YES+NO basket is one line valued at
// the $1 per set it locks in and is never stopped out leg by leg; the blotter
// lists every fill, settlement and refusal with why, and its rows add up to
// the realised P&L the portfolio shows (also after a restart).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openDatabase } from '../../src/persist/db.js';
import { PaperTrader } from '../../src/paper/trader.js';
import type { MarketResolvedEvent } from '../../src/protocol/events.js';
import { book, harness, market, setLevels, T0 } from './helpers.js';

describe('baskets', () => {
  it('a locked YES+NO basket: one line at $1 per set, equity unmoved when one leg’s bid collapses, no stop-loss on a leg', () => {
    const m = market({ id: 'b1' });
    const h = harness([m], { 'b1-yes': book([[0.46, 1_000]], [[0.45, 1_000]]), 'b1-no': book([[0.5, 1_000]], [[0.49, 1_000]]) }, { stopLossPct: 0.3, cooldownMs: 0 });
    const legs = (['b1-yes', 'b1-no'] as const).map((tokenId, i) => ({ marketId: 'b1', tokenId, side: 'BUY' as const, outcome: (i ? 'NO' : 'YES') as 'YES' | 'NO', price: i ? 5000 : 4600, vwap: i ? 5000 : 4600, size: 100, fee: 0 }));
    const r = h.trader.execute({ key: 'arb:b1', kind: 'arb', label: 'buy-both', tier: 'ARB', priority: 1, relationConfidence: 1, marketIds: ['b1'], autoTradable: false, size: 100, edge: 0.04, legs }, T0);
    expect(r.ok).toBe(true);
    const cash = h.trader.broker.cashMicros;
    // 100 sets locked: $100 at resolution for $96 paid.
    let pane = h.trader.portfolioPane();
    expect(pane.positions).toHaveLength(1);
    expect(pane.positions[0]).toMatchObject({ outcome: 'YES+NO', shares: 100, mark: 1, basket: { sets: 100, locked: 100, cost: 96 } });
    expect(pane.positions[0]!.unrealized).toBeCloseTo(4, 6);
    expect(h.trader.equityMicros()).toBe(cash + 100_000_000);
    // The YES bid collapses to 0.10: far past a 30% stop on that leg alone.
    setLevels(h.books.get('b1-yes')!, [[0.12, 1_000]], [[0.1, 1_000]]);
    const fills = h.trader.onBook('b1-yes', T0 + 1_000);
    expect(fills).toEqual([]);
    expect(h.trader.broker.positions.get('b1-yes')!.shares).toBe(100);
    expect(h.trader.equityMicros()).toBe(cash + 100_000_000);
    expect(h.trader.breakerView().state).toBe('ARMED');
    // Shares beyond the complete sets are a single leg again, marked and stopped like any other.
    expect(h.trader.submit({ tokenId: 'b1-yes', side: 'BUY', type: 'market', size: 20, reason: 'extra' }, T0 + 2_000).ok).toBe(true);
    pane = h.trader.portfolioPane();
    expect(pane.positions.map((p) => [p.outcome, p.shares])).toEqual([
      ['YES+NO', 100],
      ['Yes', 20],
    ]);
    setLevels(h.books.get('b1-yes')!, [[0.06, 1_000]], [[0.05, 1_000]]);
    const stop = h.trader.onBook('b1-yes', T0 + 3_000);
    expect(stop.map((f) => [f.side, f.size])).toEqual([['SELL', 20]]);
    expect(h.trader.broker.positions.get('b1-yes')!.shares).toBe(100);
  });
});

describe('blotter', () => {
  it('every change of realised P&L is a blotter row with its why; the rows add up to the portfolio’s realised, also after a restart', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pc-blotter-')), 'b.db');
    const fee = { rate: 0.05, exponent: 1, takerOnly: true, rebateRate: 0 };
    const ms = [market({ id: 'x1', fee }), market({ id: 'x2', fee })];
    const books = new Map(ms.flatMap((m) => m.tokenIds.map((t) => [t, book([[0.5, 5_000]], [[0.49, 5_000]])] as const)));
    const opts = { bookOf: (t: string) => books.get(t), config: { enabled: true, cooldownMs: 0, stopLossPct: 0.3, maxConsecutiveLosses: 100 }, markets: ms };
    let db = openDatabase(path).db;
    let t = PaperTrader.load(db, opts, T0);
    expect(t.execute({ key: 'strategy:FADE:x1', kind: 'strategy', label: 'FADE', tier: 'ALERT', priority: 0.8, p: 0.6, marketIds: ['x1'], tokenId: 'x1-yes', autoTradable: false }, T0).ok).toBe(true);
    t.submit({ tokenId: 'x2-no', side: 'BUY', type: 'market', size: 50, reason: 'operator buy' }, T0 + 1);
    // A stop-loss on x1-yes, with its arithmetic in the reason.
    books.set('x1-yes', book([[0.31, 5_000]], [[0.3, 5_000]]));
    expect(t.onBook('x1-yes', T0 + 2).length).toBeGreaterThan(0);
    // A refusal (paper off) is listed too, with its gate.
    t.setEnabled(false);
    t.submit({ tokenId: 'x2-yes', side: 'BUY', type: 'market', size: 10, reason: 'while off' }, T0 + 3);
    t.setEnabled(true);
    // Settlement of x2: NO wins.
    const ev: MarketResolvedEvent = { type: 'market_resolved', id: 'x2', market: '0xcondx2', assetIds: ['x2-yes', 'x2-no'], winningAssetId: 'x2-no', winningOutcome: 'No', ts: T0 + 4 };
    t.onResolved(ev, T0 + 4);
    const rows = t.blotter(100);
    expect(rows.map((r) => r.side)).toEqual(['SETTLE', 'BUY', 'SELL', 'BUY', 'BUY']);
    const [settle, refused, stop, buy2, buy1] = rows;
    expect(buy1).toMatchObject({ kind: 'fill', outcome: 'Yes', realized: null });
    expect(buy1!.why).toMatch(/^operator FADE: p 0\.6000 c 0\.5125 f /);
    expect(buy1!.why).toContain('[strategy:FADE:x1]');
    expect(buy2!.why).toBe('operator buy');
    expect(stop!.why).toMatch(/^stop-loss: bid 0\.3000 ≤ avg 0\.5000 × \(1 − 0\.3\)/);
    expect(stop!.realized).toBeLessThan(0);
    expect(refused).toMatchObject({ kind: 'refused', side: 'BUY' });
    expect(refused!.why).toContain('disabled: paper trading is off');
    expect(settle).toMatchObject({ kind: 'settle', outcome: 'No', price: 1 });
    expect(settle!.why).toMatch(/^settlement: won, paid \$50\.00 − cost \$25\.00/);
    expect(settle!.realized).toBeCloseTo(25, 6);
    const sum = rows.reduce((s, r) => s + (r.realized ?? 0), 0);
    expect(sum).toBeCloseTo(t.broker.realizedMicros / 1e6, 6);
    expect(t.blotterRealizedMicros()).toBe(t.broker.realizedMicros);
    // After a restart the blotter is rebuilt from the database and still adds up.
    db.close();
    db = openDatabase(path).db;
    t = PaperTrader.load(db, opts, T0 + 10);
    const again = t.blotter(100);
    expect(again.map((r) => [r.side, r.realized])).toEqual(rows.map((r) => [r.side, r.realized]));
    expect(t.blotterRealizedMicros()).toBe(t.broker.realizedMicros);
    db.close();
  });
});
