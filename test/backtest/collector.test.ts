// The snapshot collector against the simulator (backfill attached): hourly top-N
// snapshots in one request per 100 markets, every resolution since the last
// sweep with its /prices-history, paced by the rate budget, checkpointed; and
// what it stores is a backtest source.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotCollector } from '../../src/backtest/collector.js';
import { loadDbHistory } from '../../src/backtest/db-source.js';
import { fromBackfill } from '../../src/sim/resolved-history.js';
import { RestClient } from '../../src/feed/rest-client.js';
import { openDatabase, type DB } from '../../src/persist/db.js';
import { attachBackfill, type Backfill } from '../../src/sim/history.js';
import type { SimUrls, Simulator } from '../../src/sim/simulator.js';
import { SimPool, manualClock } from '../sim/helpers.js';

const pool = new SimPool();
let sim: Simulator;
let urls: SimUrls;
let bf: Backfill;
const MIN = 60_000;

beforeAll(async () => {
  ({ sim, urls } = await pool.start({ seed: 'collector', markets: 300, ...manualClock(MIN, 1) }));
  bf = attachBackfill(sim.world, { days: 10, familiesPerDay: 20, categoryRates: { 'Crypto/BTC-UpDown': 6 } });
});
afterAll(() => pool.stopAll());

function fresh(opts = {}): { db: DB; c: SnapshotCollector; rest: RestClient } {
  const { db } = openDatabase(':memory:');
  const rest = new RestClient({ maxRetries: 0 });
  return { db, rest, c: new SnapshotCollector(db, rest, { gamma: urls.gamma, clob: urls.clob }, { topN: 150, lookbackMs: 3 * 86_400_000, ...opts }) };
}

describe('SnapshotCollector', () => {
  it('first tick: top 150 by volume in 2 Gamma requests, resolutions of the last 3 days, histories queued and fetched a few per tick', async () => {
    const { db, c } = fresh();
    const now = sim.world.epochMs;
    const r = await c.tick(now);
    expect(r.ran).toBe(true);
    expect(r.errors).toEqual([]);
    expect(r.snapshots).toBe(150);
    const top = [...sim.world.markets].sort((a, b) => b.volume - a.volume || a.index - b.index).slice(0, 150);
    const rows = db.prepare('SELECT token_id, ts, price FROM price_snapshots WHERE ts = ?').all(now) as { token_id: string; price: number }[];
    expect(new Set(rows.map((x) => x.token_id))).toEqual(new Set(top.map((m) => m.tokenIds[0])));
    const recent = bf.markets.filter((m) => m.closedMs! > now - 3 * 86_400_000);
    expect(r.resolutions).toBe(Math.min(recent.length, 500));
    expect(r.histories).toBe(20);
    expect(r.nextDueMs).toBe(now + MIN); // backlog pending
    // 2 snapshot pages + resolution pages + history requests.
    expect(r.requests).toBe(2 + Math.min(5, Math.ceil((recent.length + 1) / 100)) + 20);
  });

  it('drains the backlog a minute apart, then is not due until the hour; the database is a backtest source', async () => {
    const { db, c } = fresh();
    let now = sim.world.epochMs;
    await c.tick(now);
    for (let i = 0; i < 200 && c.backlog > 0; i++) {
      const early = await c.tick(now + 30_000);
      expect(early.skipped).toBe('not due');
      now += MIN;
      const r = await c.tick(now);
      expect(r.ran).toBe(true);
    }
    expect(c.backlog).toBe(0);
    expect((await c.tick(now + MIN)).skipped).toBe('not due');
    const recent = bf.markets.filter((m) => m.closedMs! > sim.world.epochMs - 3 * 86_400_000);
    expect(c.totals.resolutions).toBe(recent.length);
    expect(c.totals.histories).toBe(recent.length);

    const { markets, rejects } = loadDbHistory(db);
    expect(rejects).toEqual({});
    expect(markets.map((m) => m.id).sort()).toEqual(recent.map((m) => m.id).sort());
    const want = new Map(fromBackfill(bf).map((m) => [m.id, m]));
    for (const m of markets.slice(0, 25)) {
      const w = want.get(m.id)!;
      expect(m.winner).toBe(w.winner);
      expect(m.closedMs).toBe(w.closedMs);
      expect(m.category).toBe(w.category);
      // Hourly fidelity: a subset of the sim's points, the settlement included.
      const all = new Map([...w.t].map((t, i) => [t, w.p[i]]));
      for (let i = 0; i < m.t.length; i++) expect(all.get(m.t[i]!)).toBe(m.p[i]);
      expect(m.t[m.t.length - 1]).toBe(w.t[w.t.length - 1]);
    }

    // The next hour: new snapshots; the sweep stops at the watermark after one page.
    const hour = await c.tick(sim.world.epochMs + 3_600_000);
    expect(hour.ran).toBe(true);
    expect(hour.snapshots).toBe(150);
    expect(hour.resolutions).toBe(0);
    expect(hour.requests).toBe(3);
  });

  it('skips when less than 30% of the rate budget is left, and never runs two ticks at once', async () => {
    const { db } = openDatabase(':memory:');
    let share = 0.2;
    let calls = 0;
    const rest = {
      budgetShareLeft: () => share,
      getJson: async () => {
        calls++;
        return { ok: true as const, status: 200, body: [] };
      },
    };
    const c = new SnapshotCollector(db, rest, { gamma: 'http://g', clob: 'http://c' });
    expect((await c.tick(0)).skipped).toBe('budget');
    expect(calls).toBe(0);
    share = 0.9;
    const [a, b] = await Promise.all([c.tick(0), c.tick(0)]);
    expect(a.ran).toBe(true);
    expect(b.skipped).toBe('busy');
  });

  it('checkpoints its schedule, watermark and queue; invalid state is refused', async () => {
    const { db, c } = fresh();
    await c.tick(sim.world.epochMs);
    const cp = JSON.parse(JSON.stringify(c.toCheckpoint()));
    expect(cp.queue.length).toBeGreaterThan(0);
    const restored = new SnapshotCollector(db, new RestClient(), { gamma: urls.gamma, clob: urls.clob });
    expect(restored.fromCheckpoint(cp)).toBe(true);
    expect(restored.toCheckpoint()).toEqual(cp);
    expect(restored.fromCheckpoint({ version: 2 })).toBe(false);
    expect(restored.name).toBe('snapshot-collector');
  });
});

describe('SnapshotCollector failures', () => {
  it('a database error is reported as a value and retried a minute later, never thrown', async () => {
    const { db } = openDatabase(':memory:');
    const one = { id: '1', question: 'Will it rain?', conditionId: '0x1', outcomePrices: '["0.5","0.5"]', clobTokenIds: '["11","12"]', closed: false };
    const rest = { budgetShareLeft: () => 1, getJson: async (url: string) => ({ ok: true as const, status: 200, body: url.includes('closed=false') ? [one] : [] }) };
    const c = new SnapshotCollector(db, rest, { gamma: 'http://g', clob: 'http://c' });
    db.exec('DROP TABLE price_snapshots');
    db.exec('CREATE TABLE price_snapshots (x INTEGER)');
    const r = await c.tick(1_000);
    expect(r.ran).toBe(true);
    expect(r.errors.join(' ')).toMatch(/collector: /);
    expect((await c.tick(2_000)).skipped).toBe('not due');
    expect((await c.tick(61_000)).ran).toBe(true);
  });
});
