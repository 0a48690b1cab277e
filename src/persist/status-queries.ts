// The offline `status` command's reads: one read-only connection, closed
// before returning, so a running console's database is never written to.
import Database from 'better-sqlite3';
import { ledgerCashMicros } from './paper-repo.js';

export interface StatusPositionRow {
  token_id: string;
  market_id: string;
  question: string | null;
  outcomes: string | null;
  token_ids: string | null;
  shares: number;
  cost_micros: number;
  realized_micros: number;
}

export interface StatusRows {
  /** Σ ledger deltas; null when there is no ledger table or it is empty. */
  cashMicros: number | null;
  feesMicros: number;
  realizedMicros: number;
  positions: StatusPositionRow[];
  breakerJson: string | undefined;
  checkpoints: { name: string; cycle: number; updated_at: number; bytes: number }[];
  actions: { ts: number; action: string; old_value: string | null; new_value: string | null; detail: string | null }[];
  counts: Record<string, number>;
}

const COUNTED = ['markets', 'trades', 'signals', 'clusters', 'orders', 'fills', 'settlements', 'feed_incidents'] as const;

/** Reads everything `status` shows; throws if the file is not a polyconsole database. */
export function readStatusRows(path: string): StatusRows {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const one = <T>(sql: string): T | undefined => db.prepare(sql).get() as T | undefined;
    const has = (table: string) => !!db.prepare("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
    if (!has('markets')) throw new Error(`${path} is not a polyconsole database (no markets table)`);
    // The trader's own definition of cash (Σ ledger deltas), not the last row's running balance.
    const cashMicros = has('cash_ledger') ? (ledgerCashMicros(db) ?? null) : null;
    const feesMicros = one<{ f: number | null }>('SELECT SUM(fee_micros) AS f FROM fills')?.f ?? 0;
    const realizedMicros = one<{ r: number | null }>('SELECT SUM(realized_micros) AS r FROM positions')?.r ?? 0;
    const positions = db
      .prepare('SELECT p.token_id, p.market_id, m.question, m.outcomes, m.token_ids, p.shares, p.cost_micros, p.realized_micros FROM positions p LEFT JOIN markets m ON m.id = p.market_id WHERE p.shares > 1e-9 ORDER BY p.market_id, p.token_id')
      .all() as StatusPositionRow[];
    const breakerJson = one<{ json: string }>("SELECT json FROM tracker_state WHERE name = 'breaker'")?.json;
    const checkpoints = db.prepare('SELECT name, cycle, updated_at, length(json) AS bytes FROM tracker_state ORDER BY updated_at DESC').all() as StatusRows['checkpoints'];
    const actions = db.prepare('SELECT ts, action, old_value, new_value, detail FROM operator_actions ORDER BY id DESC LIMIT 15').all() as StatusRows['actions'];
    const counts: Record<string, number> = {};
    for (const t of COUNTED) if (has(t)) counts[t] = one<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`)!.n;
    return { cashMicros, feesMicros, realizedMicros, positions, breakerJson, checkpoints, actions, counts };
  } finally {
    db.close();
  }
}
