// Builders for paper-trading tests: plain books, catalog markets, a trader on
// an in-memory (or file) database.
import { openDatabase, type DB } from '../../src/persist/db.js';
import type { CatalogMarket } from '../../src/protocol/gamma.js';
import { PaperTrader, type PaperTraderOptions } from '../../src/paper/trader.js';
import type { PaperConfigInput } from '../../src/paper/config.js';
import type { PaperBook } from '../../src/paper/types.js';
import { levelBook, setLevels, type LevelBook } from '../fixtures/books.js';

export const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

/** A plain book the trader reads (test/fixtures/books.ts). */
export type TestBook = LevelBook & PaperBook;

/** A book from [price, size] levels in probability units, any order. */
export function book(asks: [number, number][], bids: [number, number][] = [], receivedAt = T0, state = 'fresh'): TestBook {
  return levelBook(asks, bids, receivedAt, state);
}

export { setLevels };

let seq = 0;

export function market(extra: Partial<CatalogMarket> = {}): CatalogMarket {
  const n = ++seq;
  const id = extra.id ?? `m${n}`;
  return {
    id,
    conditionId: `0xcond${id}`,
    question: `Question ${id}?`,
    slug: `q-${id}`,
    outcomes: ['Yes', 'No'],
    outcomePrices: [5000, 5000],
    tokenIds: [`${id}-yes`, `${id}-no`],
    active: true,
    closed: false,
    volume: 1000,
    liquidity: 1000,
    negRisk: false,
    fee: { rate: 0, exponent: 1, takerOnly: true, rebateRate: 0 },
    tickSize: 100,
    minOrderSize: 5,
    tags: [],
    eventId: `e-${id}`,
    endDate: T0 + 30 * 86_400_000,
    ...extra,
  };
}

export interface Harness {
  db: DB;
  trader: PaperTrader;
  books: Map<string, TestBook>;
  markets: CatalogMarket[];
}

/** A trader with paper mode on, $10,000, and the given markets and books. */
export function harness(markets: CatalogMarket[], books: Record<string, TestBook>, config: PaperConfigInput = {}, db?: DB, extra: Partial<PaperTraderOptions> = {}): Harness {
  const database = db ?? openDatabase(':memory:').db;
  const map = new Map(Object.entries(books));
  const trader = PaperTrader.load(database, { bookOf: (t) => map.get(t), config: { enabled: true, ...config }, markets, ...extra }, T0);
  return { db: database, trader, books: map, markets };
}

export function rows<T>(db: DB, sql: string): T[] {
  return db.prepare(sql).all() as T[];
}

export function one<T>(db: DB, sql: string): T {
  return db.prepare(sql).get() as T;
}

/** The crash test's invariants: ledger balance = Σ deltas; positions = Σ fills − Σ settlements. */
export function ledgerInvariants(db: DB): { last: number; sum: number; mismatched: number } {
  const last = (db.prepare('SELECT balance_micros AS v FROM cash_ledger ORDER BY id DESC LIMIT 1').get() as { v: number }).v;
  const sum = (db.prepare('SELECT SUM(delta_micros) AS v FROM cash_ledger').get() as { v: number }).v;
  const mismatched = (
    db
      .prepare(
        `SELECT COUNT(*) AS v FROM positions p WHERE ABS(p.shares - COALESCE((SELECT SUM(CASE f.side WHEN 'BUY' THEN f.size ELSE -f.size END) FROM fills f WHERE f.token_id = p.token_id), 0) + COALESCE((SELECT SUM(s.shares) FROM settlements s WHERE s.token_id = p.token_id), 0)) > 1e-6`,
      )
      .get() as { v: number }
  ).v;
  return { last, sum, mismatched };
}
