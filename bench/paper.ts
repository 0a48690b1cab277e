// Paper trading: fills per second (market orders walking 1–3 levels of
// 10-level books, each order committed to a file database in its own
// transaction), and pre-trade gate evaluations per second (every gate of an
// order, no commit). Orders per second are set against the ceiling of bare
// single-row commits per second on the same kind of file database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/persist/db.js';
import { PaperTrader } from '../src/paper/trader.js';
import type { CatalogMarket } from '../src/protocol/gamma.js';
import type { OrderRequest, PaperBook } from '../src/paper/types.js';
import Database from 'better-sqlite3';
import { measure, stat, throughput, type Figure, type Stat } from './harness.js';

const TOKENS = 200;
const LEVELS = 10;
const LEVEL_SIZE = 100;
const NOW = Date.UTC(2026, 5, 1);

interface BenchBook extends PaperBook {
  askPx: number[];
  askSz: number[];
  bidPx: number[];
  bidSz: number[];
  state: string;
  receivedAt: number;
  version: number;
}

function fixture(): { markets: CatalogMarket[]; books: Map<string, BenchBook> } {
  const markets: CatalogMarket[] = [];
  const books = new Map<string, BenchBook>();
  for (let i = 0; i < TOKENS / 2; i++) {
    const id = `b${i}`;
    const m: CatalogMarket = {
      id,
      conditionId: `0x${id}`,
      question: id,
      slug: id,
      outcomes: ['Yes', 'No'],
      outcomePrices: [5000, 5000],
      tokenIds: [`${id}-y`, `${id}-n`],
      active: true,
      closed: false,
      volume: 0,
      liquidity: 0,
      negRisk: false,
      fee: { rate: 0.07, exponent: 1, takerOnly: true, rebateRate: 0.2 },
      tickSize: 100,
      minOrderSize: 5,
      eventId: `e${i}`,
      endDate: NOW + 30 * 86_400_000,
      tags: [],
    };
    markets.push(m);
    for (const t of m.tokenIds) {
      const askPx: number[] = [];
      const bidPx: number[] = [];
      for (let l = LEVELS - 1; l >= 0; l--) askPx.push(4_000 + 100 + l * 100); // descending, best (0.41) last
      for (let l = LEVELS - 1; l >= 0; l--) bidPx.push(4_000 - l * 100); // ascending, best (0.40) last
      books.set(t, { askPx, askSz: askPx.map(() => LEVEL_SIZE), bidPx, bidSz: bidPx.map(() => LEVEL_SIZE), state: 'fresh', receivedAt: NOW, version: 0 });
    }
  }
  return { markets, books };
}

const WIDE = { enabled: true, initialCash: 1e9, maxTokenPct: 1, maxEventPct: 1, maxGrossPct: 1, maxNotionalUsd: 1e9, maxOpenPositions: 10_000, slippage: 0.05, stopLossPct: 0, takeProfitPct: 0, cooldownMs: 0 };

function rawCommits(path: string, runs: number): Stat {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (a INTEGER, b TEXT, c REAL)');
  const ins = db.prepare('INSERT INTO t VALUES (?, ?, ?)');
  const tx = db.transaction((i: number) => ins.run(i, 'bench', i / 3));
  const ids = Array.from({ length: 1000 }, (_, i) => i);
  throughput(ids, tx, 100);
  const r = measure(runs, () => throughput(ids, tx));
  db.close();
  return r;
}

export function paperSuite(runs: number): Figure[] {
  const out: Figure[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-paper-'));
  try {
    const { markets, books } = fixture();
    const tokens = [...books.keys()];
    let fills = 0;
    let round = 0;
    const orderRates: number[] = [];
    const fillRate = measure(runs, () => {
      const db = openDatabase(join(dir, `fills-${round++}.db`)).db;
      const trader = PaperTrader.load(db, { bookOf: (t) => books.get(t), config: WIDE, markets }, NOW);
      let n = 0;
      let orders = 0;
      const t0 = performance.now();
      let t = t0;
      for (let i = 0; t - t0 < 400; i++) {
        const token = tokens[i % tokens.length]!;
        const b = books.get(token)!;
        b.version++; // a book update between orders: the levels are the venue's again
        // 50, 150 or 250 shares: one, two or three levels; then sell them back so positions stay small.
        const size = 50 + 100 * (i % 3);
        const buy = trader.submit({ tokenId: token, side: 'BUY', type: 'market', size, reason: 'bench' } satisfies OrderRequest, NOW);
        b.version++;
        const sell = trader.submit({ tokenId: token, side: 'SELL', type: 'market', size: buy.filled, reason: 'bench' }, NOW);
        n += buy.fills.length + sell.fills.length;
        orders += 2;
        if ((i & 15) === 15) t = performance.now();
      }
      fills = n;
      const ms = performance.now() - t0;
      orderRates.push((orders * 1000) / ms);
      const rate = (n * 1000) / ms;
      db.close();
      return rate;
    });
    out.push({ suite: 'paper', name: `fills/s, market orders over 1–3 of ${LEVELS} levels, file DB, one transaction per order (${fills.toLocaleString('en-US')} fills in the last run)`, unit: 'fills/s', ...fillRate });
    // Ceiling for "one transaction per order": bare commits per second on a file DB with the same pragmas.
    const commits = rawCommits(join(dir, 'commits.db'), runs);
    const orders = stat(orderRates);
    out.push({ suite: 'paper', name: 'raw better-sqlite3 commits/s, one single-row transaction each, same pragmas (ceiling)', unit: 'tx/s', ...commits });
    out.push({ suite: 'paper', name: 'orders/s in the same runs (each one transaction: order, fills, position, ledger)', unit: 'orders/s', ...orders, ceiling: 'raw commits', ratio: orders.median / commits.median });

    const db = openDatabase(join(dir, 'gates.db')).db;
    const trader = PaperTrader.load(db, { bookOf: (t) => books.get(t), config: { ...WIDE, maxTokenPct: 0.02, maxEventPct: 0.05, maxGrossPct: 0.5, maxOpenPositions: 50 }, markets }, NOW);
    // Some open positions, so the caps have exposure to add up.
    for (let i = 0; i < 40; i++) trader.submit({ tokenId: tokens[i * 3]!, side: 'BUY', type: 'market', size: 50, reason: 'seed' }, NOW);
    const reqs: OrderRequest[] = tokens.map((tokenId, i) => ({ tokenId, side: 'BUY', type: i % 2 ? 'market' : 'limit', limit: 4_200, tif: 'IOC', size: 20 + (i % 5) * 40, reason: 'bench' }));
    let passed = 0;
    const gateRate = measure(runs, () => {
      let n = 0;
      let ok = 0;
      const t0 = performance.now();
      let t = t0;
      while (t - t0 < 300) {
        for (const r of reqs) if (trader.check(r, NOW).ok) ok++;
        n += reqs.length;
        t = performance.now();
      }
      passed = ok / n;
      return (n * 1000) / (t - t0);
    });
    out.push({ suite: 'paper', name: `gate evaluations/s, every gate of an order, 40 open positions (${(passed * 100).toFixed(0)}% pass)`, unit: 'orders/s', ...gateRate });
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
