// One cash truth: the offline `status` report and the trader compute cash the
// same way (Σ ledger movements), after random fills, settlements and restarts,
// and even when a running-balance column was mis-stamped. `status` names each
// position's outcome.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openDatabase, type DB } from '../../src/persist/db.js';
import { MarketsRepo } from '../../src/persist/markets-repo.js';
import { PaperTrader } from '../../src/paper/trader.js';
import { readStatus, formatStatus } from '../../src/status.js';
import type { MarketResolvedEvent } from '../../src/protocol/events.js';
import { book, market, T0 } from './helpers.js';
import { wallMs } from '../../src/clock.js';

/** A small deterministic generator (mulberry32), so a failure replays. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('one cash truth', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: status cash equals the trader's cash after every random fill, settlement and restart`, () => {
      const path = join(mkdtempSync(join(tmpdir(), 'pc-cash-')), 'paper.db');
      const fee = { rate: 0.05, exponent: 1, takerOnly: true, rebateRate: 0 };
      const ms = Array.from({ length: 6 }, (_, i) => market({ id: `c${seed}-${i}`, fee, outcomes: i % 2 ? ['Up', 'Down'] : ['Yes', 'No'] }));
      const books = new Map(ms.flatMap((m) => m.tokenIds.map((t) => [t, book([[0.5, 5_000]], [[0.49, 5_000]])] as const)));
      const opts = { bookOf: (t: string) => books.get(t), config: { enabled: true, cooldownMs: 0, maxTokenPct: 1, maxEventPct: 1, maxGrossPct: 1, stopLossPct: 0, takeProfitPct: 0, maxConsecutiveLosses: 1000, maxDrawdownPct: 1, dailyLossPct: 1 }, markets: ms };
      let db: DB = openDatabase(path).db;
      new MarketsRepo(db).save(ms, T0);
      let t = PaperTrader.load(db, opts, T0);
      const r = rng(seed);
      const settled = new Set<string>();
      let now = T0;
      let checks = 0;
      const check = () => {
        const s = readStatus(path, wallMs(now));
        expect(s.cash).toBeCloseTo(t.broker.cashMicros / 1e6, 6);
        expect(s.cash).toBeCloseTo(t.summary().cash, 2);
        checks++;
      };
      for (let step = 0; step < 60; step++) {
        now += 1_000;
        const open = ms.filter((m) => !settled.has(m.id));
        const m = open[Math.floor(r() * open.length)];
        const x = r();
        if (m && x < 0.55) {
          const token = m.tokenIds[Math.floor(r() * 2)]!;
          t.submit({ tokenId: token, side: 'BUY', type: 'market', size: 5 + Math.floor(r() * 50), reason: 'random buy' }, now);
        } else if (m && x < 0.8) {
          const token = m.tokenIds[Math.floor(r() * 2)]!;
          const held = t.broker.positions.get(token)?.shares ?? 0;
          if (held >= 5) t.submit({ tokenId: token, side: 'SELL', type: 'market', size: Math.max(5, Math.floor(held * r())), reason: 'random sell' }, now);
        } else if (m && x < 0.9) {
          const win = Math.floor(r() * 2);
          const ev: MarketResolvedEvent = { type: 'market_resolved', id: m.id, market: m.conditionId, assetIds: m.tokenIds, winningAssetId: m.tokenIds[win]!, winningOutcome: m.outcomes[win]!, ts: now };
          t.onResolved(ev, now);
          settled.add(m.id);
        } else {
          db.close();
          db = openDatabase(path).db;
          t = PaperTrader.load(db, opts, now);
        }
        check();
      }
      expect(checks).toBe(60);
      expect(t.broker.fills).toBeGreaterThan(5);
      // A mis-stamped running balance cannot split the two views: both read Σ movements.
      db.exec('UPDATE cash_ledger SET balance_micros = balance_micros + 123456789 WHERE id = (SELECT MAX(id) FROM cash_ledger)');
      db.close();
      db = openDatabase(path).db;
      t = PaperTrader.load(db, opts, now + 1);
      check();
      db.close();
    });
  }

  it('status names each position’s outcome: two positions of one market say YES and NO (with the market’s own labels)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pc-cash-')), 'paper.db');
    const ms = [market({ id: 'o1', question: 'Will it rain?' }), market({ id: 'o2', question: 'BTC up or down?', outcomes: ['Up', 'Down'] })];
    const books = new Map(ms.flatMap((m) => m.tokenIds.map((t) => [t, book([[0.5, 5_000]], [[0.49, 5_000]])] as const)));
    const db = openDatabase(path).db;
    new MarketsRepo(db).save(ms, T0);
    const t = PaperTrader.load(db, { bookOf: (x: string) => books.get(x), config: { enabled: true, cooldownMs: 0 }, markets: ms }, T0);
    for (const token of ['o1-yes', 'o1-no', 'o2-no']) expect(t.submit({ tokenId: token, side: 'BUY', type: 'market', size: 10, reason: 'x' }, T0).ok).toBe(true);
    db.close();
    const s = readStatus(path, wallMs(T0));
    expect(s.positions.map((p) => [p.tokenId, p.outcome])).toEqual([
      ['o1-no', 'NO'],
      ['o1-yes', 'YES'],
      ['o2-no', 'NO (Down)'],
    ]);
    const text = formatStatus(s);
    expect(text).toMatch(/YES\s+10\.00 @ 0\.5000\s+Will it rain\?/);
    expect(text).toMatch(/NO\s+10\.00 @ 0\.5000\s+Will it rain\?/);
    expect(text).toMatch(/NO \(Down\)\s+10\.00/);
  });
});
