// An accelerated run against the simulator with paper trading on.
// Every fill is at a price that existed in the venue's book at that moment (by
// the simulator's own level log, at the venue time the engine's book showed),
// cash = initial + realised − fees − cost of what is still held, nothing
// committed is lost, and every position in a market resolved before the end
// is settled.
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/sim/simulator.js';
import { Engine } from '../../src/engine.js';
import { App } from '../../src/app.js';
import { openDatabase } from '../../src/persist/db.js';
import { waitFor } from '../helpers/wait.js';

// 25 s at ×600 is about four venue-hours: the operator orders below (markets
// ending 35 min to 3 h out) all resolve within it. The default run ends once
// they have (and at least 8 s have passed, for the strategies' own fills);
// `npm run test:long` runs the whole 40 s (PAPER_RUN_SECONDS sets any length).
const SECONDS = Number(process.env['PAPER_RUN_SECONDS'] ?? 25);
const MIN_SECONDS = process.env['PAPER_RUN_SECONDS'] ? SECONDS : 8;

describe('paper trading against the simulator', () => {
  it(`${SECONDS} s at ×600: fills were real, cash reconciles, resolved positions settled`, async () => {
    // The core world only: this run needs the few markets that end within its four
    // venue-hours, and at ×600 each extra second of catalog sync costs ten of them.
    const sim = new Simulator({ seed: 'paper', markets: 1200, speed: 600, rate: 2500, levelLog: true, catalog: false });
    const urls = await sim.start();
    const { db } = openDatabase(':memory:');
    const engine = new Engine({ kind: 'SIM', gammaUrl: urls.gamma, clobUrl: urls.clob, wsUrl: urls.ws }, db, { hotCap: 2400, refreshMs: 5_000 });
    const audits: { token: string; side: 'BUY' | 'SELL'; price: number; size: number; venueTs: number; liquidity: string }[] = [];
    const lines: string[] = [];
    const app = new App(engine, {
      // Exits off: the operator positions below are held to resolution, so they must settle.
      paper: { enabled: true, initialCash: 10_000, stopLossPct: 0, takeProfitPct: 0 },
      collector: false,
      emit: (line) => {
        lines.push(line);
        if (!line.startsWith('{"type":"fill"')) return;
        const f = JSON.parse(line) as { tokenId: string; side: 'BUY' | 'SELL'; price: number; size: number; liquidity?: string };
        // The engine's book at this instant reflects the venue as of its updateTs.
        audits.push({ token: f.tokenId, side: f.side, price: Math.round(f.price * 10_000), size: f.size, venueTs: engine.books.get(f.tokenId)?.updateTs ?? -1, liquidity: f.liquidity ?? 'taker' });
      },
    });
    try {
      await engine.start();
      // Operator orders in markets ending soon (past the 30-minute closing gate, within
      // four market-hours): they resolve during the run and must settle.
      // Most books, not all: at ×600 markets resolve while a busy host is still subscribing.
      await waitFor(() => engine.books.counts().fresh >= engine.books.counts().total * 0.95, { timeoutMs: 120_000, what: 'books fresh' });
      const vnow = engine.venueNow();
      const soon = [...engine.catalog.markets.values()]
        .filter((m) => !m.closed && m.endDate !== undefined && m.endDate > vnow + 35 * 60_000 && m.endDate < vnow + 3 * 3_600_000 && engine.books.get(m.tokenIds[0]!)?.state === 'fresh')
        .sort((a, b) => a.endDate! - b.endDate!)
        .slice(0, 6);
      const placed = soon.map((m) => app.paper.trader.submit({ tokenId: m.tokenIds[0]!, side: 'BUY', type: 'market', size: Math.max(10, m.minOrderSize), reason: 'test: operator order in a market ending soon' }, engine.now()));
      expect(placed.filter((r) => r.filled > 0).length, JSON.stringify(placed.map((r) => [r.status, r.gate, r.reason]))).toBeGreaterThan(0);
      const t0 = Date.now();
      const ordered = soon.filter((_, i) => placed[i]!.filled > 0).map((m) => m.id);
      const resolved = () => ordered.every((id) => sim.world.market(id)?.closed);
      await waitFor(() => Date.now() - t0 >= SECONDS * 1000 || (Date.now() - t0 >= MIN_SECONDS * 1000 && resolved()), { timeoutMs: SECONDS * 1000 + 5000, everyMs: 500 });
      sim.pauseClock();
      const pausedAt = Date.now();
      // Let the engine apply what is in flight, settle, and run a cycle or two.
      await waitFor(() => engine.pool.shards.every((s) => s.lastMsgAt > pausedAt) || Date.now() - pausedAt > 12_000, { timeoutMs: 15_000, everyMs: 200 });
      await engine.refresh();
      await engine.cycle();

      const fills = lines.filter((l) => l.startsWith('{"type":"fill"'));
      expect(fills.length).toBeGreaterThan(0);

      // 1. Every taker fill was at a price the venue's book held at that moment.
      const log = sim.exchange.levelLog!;
      const missing: string[] = [];
      for (const a of audits.filter((x) => x.liquidity === 'taker')) {
        // A BUY lifts an ask (SELL side level); a SELL hits a bid.
        const size = log.sizeAt(a.token, a.side === 'BUY' ? 'SELL' : 'BUY', a.price, a.venueTs);
        if (size <= 0) missing.push(`${a.side} ${a.price} @ venue ${a.venueTs} token ${a.token.slice(0, 10)}`);
      }
      expect(missing).toEqual([]);

      // 2. Cash reconciles to the micro-dollar.
      const one = <T>(sql: string) => db.prepare(sql).get() as T;
      const ledger = one<{ s: number }>('SELECT SUM(delta_micros) AS s FROM cash_ledger').s;
      const balance = one<{ b: number }>('SELECT balance_micros AS b FROM cash_ledger ORDER BY id DESC LIMIT 1').b;
      expect(balance).toBe(ledger);
      const realized = one<{ r: number | null }>('SELECT SUM(realized_micros) AS r FROM positions').r ?? 0;
      const fees = one<{ f: number | null }>('SELECT SUM(fee_micros) AS f FROM fills').f ?? 0;
      const held = one<{ c: number | null }>('SELECT SUM(cost_micros) AS c FROM positions WHERE shares > 1e-9').c ?? 0;
      expect(balance).toBe(10_000_000_000 + realized - fees - held);

      // 3. Positions equal fills minus settlements.
      const drift = one<{ n: number }>(
        `SELECT COUNT(*) AS n FROM positions p WHERE ABS(p.shares - COALESCE((SELECT SUM(CASE f.side WHEN 'BUY' THEN f.size ELSE -f.size END) FROM fills f WHERE f.token_id = p.token_id), 0) + COALESCE((SELECT SUM(s.shares) FROM settlements s WHERE s.token_id = p.token_id), 0)) > 1e-6`,
      ).n;
      expect(drift).toBe(0);

      // 4. Every position in a market the simulator resolved is settled.
      const open = db.prepare('SELECT token_id AS t, market_id AS m, shares FROM positions WHERE shares > 1e-9').all() as { t: string; m: string; shares: number }[];
      const unsettled = open.filter((p) => sim.world.market(p.m)?.closed);
      expect(unsettled).toEqual([]);

      const s = app.paper.trader.summary();
      expect(s.orders).toBeGreaterThan(0);
      // The operator orders' markets resolved during the run, and were settled.
      const settled = one<{ n: number }>('SELECT COUNT(*) AS n FROM settlements').n;
      expect(settled).toBeGreaterThan(0);
      console.log(`paper run: ${fills.length} fills audited (${audits.length}), ${one<{ n: number }>('SELECT COUNT(*) AS n FROM settlements').n} settlements, summary ${JSON.stringify(s)}`);
    } finally {
      await engine.stop();
      await sim.stop();
      db.close();
    }
  }, (SECONDS + 180) * 1000);
});
