// Cash has one definition: the sum of every cash_ledger movement. The
// trader's restart and the offline `status` command both read it here, so
// they can never disagree (a mis-stamped running balance column cannot leak).
import type Database from 'better-sqlite3';

/** Σ delta_micros over the ledger; undefined when the ledger is empty (paper trading never ran). */
export function ledgerCashMicros(db: Database.Database): number | undefined {
  const r = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(delta_micros), 0) AS s FROM cash_ledger').get() as { n: number; s: number };
  return r.n ? r.s : undefined;
}
