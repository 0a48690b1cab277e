// Restart: PaperTrader.load on the same file rebuilds cash, positions, resting
// orders, counters, deduplication and the breaker exactly as they were.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openDatabase } from '../../src/persist/db.js';
import { PaperTrader } from '../../src/paper/trader.js';
import { Checkpoints } from '../../src/persist/checkpoints.js';
import { book, market, ledgerInvariants, T0 } from './helpers.js';
import type { MarketResolvedEvent } from '../../src/protocol/events.js';
import { wallMs } from '../../src/clock.js';

describe('restart', () => {
  it('reload equals pre-restart state: cash, positions, resting orders, counters, breaker, executed ids', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pc-paper-')), 'paper.db');
    const fee = { rate: 0.05, exponent: 1, takerOnly: true, rebateRate: 0 };
    const ms = ['r1', 'r2', 'r3'].map((id) => market({ id, fee }));
    const books = new Map(ms.flatMap((m) => m.tokenIds.map((t) => [t, book([[0.45, 1_000]], [[0.44, 1_000]])] as const)));
    const opts = { bookOf: (t: string) => books.get(t), config: { enabled: true, cooldownMs: 0 }, markets: ms };
    const a = openDatabase(path).db;
    const t1 = PaperTrader.load(a, opts, T0);
    t1.submit({ tokenId: 'r1-yes', side: 'BUY', type: 'market', size: 100, reason: 'a' }, T0);
    t1.submit({ tokenId: 'r1-yes', side: 'SELL', type: 'market', size: 33.33, reason: 'b' }, T0);
    t1.submit({ tokenId: 'r2-no', side: 'BUY', type: 'limit', limit: 4500, size: 60, reason: 'c', tif: 'GTC' }, T0);
    books.set('r2-no', book([[0.5, 1_000]], [[0.46, 1_000]]));
    t1.submit({ tokenId: 'r2-no', side: 'BUY', type: 'limit', limit: 4000, size: 50, reason: 'resting', tif: 'GTC' }, T0);
    t1.submit({ tokenId: 'r3-yes', side: 'BUY', type: 'market', size: 20, reason: 'd' }, T0);
    const ev: MarketResolvedEvent = { type: 'market_resolved', id: 'r3', market: '0xcondr3', assetIds: ['r3-yes', 'r3-no'], winningAssetId: 'r3-yes', winningOutcome: 'Yes', ts: T0 };
    t1.onResolved(ev, T0 + 1);
    t1.execute({ key: 'arb:x', kind: 'arb', label: 'buy-both', tier: 'ARB', priority: 1, relationConfidence: 1, marketIds: ['r1'], autoTradable: true, size: 10, edge: 0.05, legs: [{ marketId: 'r1', tokenId: 'r1-no', side: 'BUY', outcome: 'NO', price: 4500, vwap: 4500, size: 10, fee: 0.12375 }] }, T0 + 2);
    expect(t1.broker.resting.size).toBe(1);
    const snap = (t: PaperTrader) => {
      // The pane's last refusal and Kelly text are this session's UI memory, not state.
      const { kellyExplain: _k, lastRefusal: _l, lastFill: _f, ...pane } = t.portfolioPane();
      const byToken = [...t.broker.positions.values()].sort((x, y) => (x.tokenId < y.tokenId ? -1 : 1));
      return { summary: t.summary(), pane, resting: [...t.broker.resting.values()], positions: byToken, breaker: t.breaker.toCheckpoint(), executed: t.hasExecuted('arb:x'), reserved: t.broker.reservedMicros() };
    };
    const before = snap(t1);
    a.close();

    const b = openDatabase(path).db;
    const t2 = PaperTrader.load(b, opts, T0 + 10);
    const after = snap(t2);
    expect(after).toEqual(before);
    expect(after.resting.length).toBe(1);
    expect(after.breaker.lastLossAt).toBe(T0); // the cooldown clock survives too
    const inv = ledgerInvariants(b);
    expect(inv.last).toBe(inv.sum);
    expect(inv.mismatched).toBe(0);
    // One deposit only, however many restarts.
    PaperTrader.load(b, opts, T0 + 20);
    expect((b.prepare("SELECT COUNT(*) AS n FROM cash_ledger WHERE kind = 'deposit'").get() as { n: number }).n).toBe(1);
    b.close();
  });

  it('an open resting order survives the restart and still fills', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pc-paper-')), 'paper.db');
    const m = market({ id: 'q1' });
    const books = new Map([['q1-yes', book([[0.5, 100]], [[0.45, 100]])]]);
    const opts = { bookOf: (t: string) => books.get(t), config: { enabled: true }, markets: [m] };
    const a = openDatabase(path).db;
    const t1 = PaperTrader.load(a, opts, T0);
    t1.submit({ tokenId: 'q1-yes', side: 'BUY', type: 'limit', limit: 4700, size: 40, reason: 'rest' }, T0);
    const reserved = t1.broker.reservedMicros();
    a.close();
    const b = openDatabase(path).db;
    const t2 = PaperTrader.load(b, opts, T0 + 1);
    expect(t2.broker.resting.size).toBe(1);
    expect(t2.broker.reservedMicros()).toBe(reserved);
    const f = t2.onTrade({ type: 'last_trade_price', asset: 'q1-yes', market: '0xcondq1', price: 4600, size: 100, side: 'SELL', ts: T0 + 2 }, T0 + 2);
    expect(f.map((x) => [x.price, x.size, x.liquidity])).toEqual([[4700, 40, 'maker']]);
    expect(t2.broker.resting.size).toBe(0);
  });

  it('a halted breaker stays halted across a restart (and mid-resume stays mid-resume)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pc-paper-')), 'paper.db');
    const opts = { bookOf: () => undefined };
    const a = openDatabase(path).db;
    const t1 = PaperTrader.load(a, opts, T0);
    t1.halt('kill switch', T0);
    a.close();
    const b = openDatabase(path).db;
    const t2 = PaperTrader.load(b, opts, T0 + 1);
    expect(t2.breakerView()).toMatchObject({ state: 'HALTED', reason: 'kill switch', trips: 1 });
    t2.requestResume(T0 + 2);
    b.close();
    const c = openDatabase(path).db;
    const t3 = PaperTrader.load(c, opts, T0 + 3);
    expect(t3.breaker.status).toBe('RESUME-REQUESTED');
    expect(t3.confirmResume(T0 + 4).ok).toBe(true);
    c.close();
  });

  it('the breaker registers with Checkpoints and restores through it', () => {
    const db = openDatabase(':memory:').db;
    const books = new Map<string, ReturnType<typeof book>>();
    const t1 = PaperTrader.load(db, { bookOf: (t) => books.get(t) }, T0);
    t1.halt('saved', T0);
    const cp = new Checkpoints(db, () => wallMs(T0 + 1));
    cp.register(t1.breaker);
    cp.save(1);
    const t2 = PaperTrader.load(db, { bookOf: (t) => books.get(t) }, T0 + 2);
    const cp2 = new Checkpoints(db, () => wallMs(T0 + 10 * 86_400_000));
    cp2.register(t2.breaker);
    expect(cp2.restore()[0]!.outcome).toBe('restored');
    expect(t2.breaker.status).toBe('HALTED');
  });
});

describe('fail closed at start', () => {
  const start = () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pc-paper-')), 'paper.db');
    const m = market({ id: 'f1' });
    const books = new Map([['f1-yes', book([[0.5, 1_000]], [[0.49, 1_000]])]]);
    const logs: string[] = [];
    const opts = { bookOf: (t: string) => books.get(t), config: { enabled: true }, markets: [m], log: (l: string) => logs.push(l) };
    const db = openDatabase(path).db;
    PaperTrader.load(db, opts, T0).submit({ tokenId: 'f1-yes', side: 'BUY', type: 'market', size: 10, reason: 'a' }, T0);
    return { db, opts, logs };
  };
  const buy = { tokenId: 'f1-yes', side: 'BUY' as const, type: 'market' as const, size: 10, reason: 'b' };

  for (const [what, damage, reason] of [
    ['unreadable JSON', "UPDATE tracker_state SET json = '{not json' WHERE name = 'breaker'", /saved breaker state unreadable/],
    ['a valid JSON of the wrong shape', `UPDATE tracker_state SET json = '{"state":"SOMETHING"}' WHERE name = 'breaker'`, /saved breaker state invalid/],
    ['a missing row beside an existing ledger', "DELETE FROM tracker_state WHERE name = 'breaker'", /no saved breaker state for an existing ledger/],
    ['a position that disagrees with its fills', "UPDATE positions SET shares = shares + 5", /1 position\(s\) disagree with their fills/],
  ] as const) {
    it(`${what}: starts HALTED, logged with the reason, shown in the pane; no order until the operator resumes`, () => {
      const { db, opts, logs } = start();
      db.exec(damage);
      const t = PaperTrader.load(db, opts, T0 + 1_000);
      expect(t.breakerView().state).toBe('HALTED');
      expect(t.breakerView().reason).toMatch(reason);
      expect(t.portfolioPane().breaker.reason).toMatch(reason);
      expect(logs.some((l) => /trading HALTED at start/.test(l) && reason.test(l))).toBe(true);
      expect(t.submit(buy, T0 + 1_001)).toMatchObject({ ok: false, gate: 'breaker' });
      // The halt is saved: another restart is still halted.
      expect(PaperTrader.load(db, opts, T0 + 2_000).breakerView().state).toBe('HALTED');
      const t2 = PaperTrader.load(db, opts, T0 + 3_000);
      expect(t2.requestResume(T0 + 3_000).ok).toBe(true);
      expect(t2.confirmResume(T0 + 3_001).ok).toBe(true);
      expect(t2.breakerView().state).toBe('ARMED');
    });
  }

  it('a first start (empty ledger, no breaker row) is ARMED', () => {
    const db = openDatabase(':memory:').db;
    const t = PaperTrader.load(db, { bookOf: () => undefined, config: { enabled: true } }, T0);
    expect(t.breakerView().state).toBe('ARMED');
  });
});
