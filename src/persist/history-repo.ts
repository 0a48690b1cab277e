// Price history in SQLite: the collector's `price_snapshots` (ms timestamps,
// 0.0001 units, one row per token and instant) and the resolved `markets`
// rows a backtest replays them against.
import type { Statement } from 'better-sqlite3';
import type { DB } from './db.js';

/** A closed market as stored (JSON arrays still encoded). */
export interface ClosedMarketRow {
  id: string;
  question: string;
  event_id: string | null;
  event_title: string | null;
  token_ids: string;
  outcome_prices: string | null;
  tags: string | null;
  fee_rate: number;
  fee_exponent: number;
  end_ms: number | null;
  closed_ms: number | null;
  winner: number | null;
  volume: number;
}

export interface PricePoint {
  ts: number;
  price: number;
}

export class PriceHistoryRepo {
  private insertStmt: Statement | undefined;
  private readonly pointsStmt;

  constructor(private readonly db: DB) {
    this.pointsStmt = db.prepare('SELECT ts, price FROM price_snapshots WHERE token_id = ? ORDER BY ts');
  }

  /** Writes points in one transaction (a point at an existing token and instant replaces it). Prepared on first use: backtests read through a read-only handle. */
  write(points: Iterable<{ token: string; ts: number; price: number }>): void {
    const insert = (this.insertStmt ??= this.db.prepare('INSERT OR REPLACE INTO price_snapshots (token_id, ts, price) VALUES (?, ?, ?)'));
    this.db.transaction(() => {
      for (const p of points) insert.run(p.token, p.ts, p.price);
    })();
  }

  /** One token's points, oldest first. */
  points(token: string): PricePoint[] {
    return this.pointsStmt.all(token) as PricePoint[];
  }

  /** Every closed market, by id. */
  closedMarkets(): ClosedMarketRow[] {
    return this.db
      .prepare('SELECT id, question, event_id, event_title, token_ids, outcome_prices, tags, fee_rate, fee_exponent, end_ms, closed_ms, winner, volume FROM markets WHERE closed = 1 ORDER BY id')
      .all() as ClosedMarketRow[];
  }
}
