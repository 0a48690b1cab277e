// Compact keys and retention on real SQLite files: a version-1 ledger migrates
// its text-keyed trades to integer token keys without losing a row; retention
// deletes only raw rows older than the period, oldest first, in bounded
// batches, and never touches the ledger or the backtest's price history.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase } from '../../src/persist/db.js';
import { MIGRATIONS } from '../../src/persist/migrations.js';
import { TradesRepo } from '../../src/persist/trades-repo.js';
import { Retention } from '../../src/persist/retention.js';
import { tempDir } from '../helpers/paths.js';

const TOKEN = (i: number) => `${'7'.repeat(70)}${String(i).padStart(7, '0')}`;
const MARKET = (i: number) => `0x${String(i).padStart(64, 'a')}`;

describe('integer keys', () => {
  it('a version-1 database migrates every text-keyed trade to integer keys; trades_text reads as before', () => {
    const path = join(tempDir(), 'v1.db');
    const v1 = openDatabase(path, MIGRATIONS.filter((m) => m.version === 1));
    const ins = v1.db.prepare('INSERT INTO trades (token_id, market, price, size, side, ts, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const rows: unknown[][] = [];
    for (let i = 0; i < 500; i++) rows.push([TOKEN(i % 17), MARKET(i % 17), 1000 + i, 1.5 + i, i % 3 ? 'BUY' : 'SELL', 1_700_000_000_000 + i, 1_700_000_000_500 + i]);
    v1.db.transaction(() => rows.forEach((r) => ins.run(...r)))();
    v1.db.close();
    const { db, schemaVersion } = openDatabase(path);
    expect(schemaVersion).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    const back = db.prepare('SELECT token_id, market, price, size, side, ts, received_at FROM trades_text ORDER BY id').raw().all();
    expect(back).toEqual(rows);
    expect(db.prepare('SELECT COUNT(*) AS n FROM tokens').get()).toEqual({ n: 17 });
    const cols = (db.prepare('PRAGMA table_info(trades)').all() as { name: string; type: string }[]).map((c) => `${c.name}:${c.type}`);
    expect(cols).toContain('token:INTEGER');
    expect(cols.some((c) => c.startsWith('token_id'))).toBe(false);
    db.close();
  });

  it('new trades are written with integer keys, one tokens row per token', () => {
    const { db } = openDatabase(join(tempDir(), 'k.db'));
    const repo = new TradesRepo(db);
    for (let i = 0; i < 1000; i++) repo.add({ type: 'last_trade_price', asset: TOKEN(i % 10), market: MARKET(i % 10), price: 5000, size: 2, side: i % 2 ? 'BUY' : 'SELL', ts: i }, 10_000 + i);
    expect(repo.flush()).toBe(1000);
    expect(db.prepare('SELECT COUNT(*) AS n FROM tokens').get()).toEqual({ n: 10 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM trades_text WHERE side = 'BUY'").get()).toEqual({ n: 500 });
    expect(db.prepare('SELECT token_id, market FROM trades_text WHERE id = 3').get()).toEqual({ token_id: TOKEN(2), market: MARKET(2) });
    db.close();
  });
});

describe('retention', () => {
  it('deletes raw trades, signals and closed incidents older than the period in bounded batches; ledger and history untouched', () => {
    const { db } = openDatabase(join(tempDir(), 'r.db'));
    const day = 86_400_000;
    const now = 100 * day;
    const repo = new TradesRepo(db);
    // 20,000 trades: the first 12,000 received 5 days ago, the rest 1 day ago.
    for (let i = 0; i < 20_000; i++) repo.add({ type: 'last_trade_price', asset: TOKEN(i % 5), market: MARKET(i % 5), price: 5000, size: 1, side: 'BUY', ts: i }, i < 12_000 ? now - 5 * day : now - day);
    repo.flush();
    const sig = db.prepare("INSERT INTO signals (created_at, kind, reason) VALUES (?, 'strategy', 'r')");
    for (let i = 0; i < 300; i++) sig.run(i < 100 ? now - 4 * day : now - 60_000);
    db.prepare("INSERT INTO feed_incidents (shard, kind, start_ms, end_ms, assets) VALUES (0, 'gap', ?, ?, 1), (0, 'gap', ?, NULL, 1)").run(now - 9 * day, now - 9 * day, now - 9 * day);
    db.prepare("INSERT INTO cash_ledger (ts, delta_micros, kind, balance_micros) VALUES (?, 1, 'deposit', 1)").run(now - 30 * day);
    db.prepare("INSERT INTO fills (order_id, ts, token_id, side, price, size, fee_micros, liquidity) VALUES (1, ?, 't', 'BUY', 1, 1, 0, 'taker')").run(now - 30 * day);
    db.prepare('INSERT INTO price_snapshots (token_id, ts, price) VALUES (?, ?, ?)').run(TOKEN(1), now - 60 * day, 4000);
    const r = new Retention(db, { retainMs: 3 * day, batch: 2000, budgetMs: 1000 });
    const passes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const n = r.prune(now);
      passes.push(n);
      if (!n) break;
    }
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(n('SELECT COUNT(*) AS n FROM trades')).toBe(8000);
    expect(n(`SELECT MIN(received_at) AS n FROM trades`)).toBe(now - day);
    expect(n('SELECT COUNT(*) AS n FROM signals')).toBe(200);
    expect(n('SELECT COUNT(*) AS n FROM feed_incidents')).toBe(1); // the open one stays
    expect(n('SELECT COUNT(*) AS n FROM cash_ledger')).toBe(1);
    expect(n('SELECT COUNT(*) AS n FROM fills')).toBe(1);
    expect(n('SELECT COUNT(*) AS n FROM price_snapshots')).toBe(1);
    expect(r.deleted).toEqual({ trades: 12_000, signals: 100, feed_incidents: 1 });
    // Bounded: one pass with a 1 ms budget deletes at most a couple of batches.
    for (let i = 0; i < 5000; i++) repo.add({ type: 'last_trade_price', asset: TOKEN(1), market: MARKET(1), price: 1, size: 1, side: 'SELL', ts: i }, now - 10 * day);
    repo.flush();
    const tight = new Retention(db, { retainMs: 3 * day, batch: 500, budgetMs: 0 });
    expect(tight.prune(now + 10 * day)).toBeLessThanOrEqual(500 * 3);
    db.close();
  });
});
