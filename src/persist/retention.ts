// Retention: raw venue trades, signal rows and closed feed incidents older
// than the retention period are deleted in small batches, oldest first, a few
// milliseconds per call, from the engine's cycle (never in the ingest path).
// Ledger tables (orders, fills, cash, positions, settlements), the catalog,
// checkpoints, operator actions and the collector's hourly price snapshots
// (the backtest's history) are never pruned.
import type { DB } from './db.js';

export interface RetentionOptions {
  /** Keep this long, ms. */
  retainMs: number;
  /** Rows per DELETE. */
  batch?: number;
  /** Stop a prune call after this long, ms (more next call). */
  budgetMs?: number;
}

interface Target {
  table: string;
  /** Deletes one batch of the oldest rows older than the cut-off; returns rows deleted. */
  step: (cutoff: number) => number;
}

export class Retention {
  readonly retainMs: number;
  private readonly batch: number;
  private readonly budgetMs: number;
  private readonly targets: Target[];
  /** Rows deleted so far, per table. */
  readonly deleted: Record<string, number> = {};

  constructor(
    private readonly db: DB,
    opts: RetentionOptions,
  ) {
    this.retainMs = opts.retainMs;
    this.batch = opts.batch ?? 2000;
    this.budgetMs = opts.budgetMs ?? 15;
    // Each DELETE looks at the `batch` lowest row ids only (rows are appended in
    // time order), so a call costs the same however large the table is.
    const oldest = (table: string, col: string) => {
      const stmt = db.prepare(`DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} ORDER BY id LIMIT ?) AND ${col} < ?`);
      return (cutoff: number) => stmt.run(this.batch, cutoff).changes;
    };
    this.targets = [
      { table: 'trades', step: oldest('trades', 'received_at') },
      { table: 'signals', step: oldest('signals', 'created_at') },
      { table: 'feed_incidents', step: oldest('feed_incidents', 'COALESCE(end_ms, 9e15)') },
    ];
    for (const t of this.targets) this.deleted[t.table] = 0;
  }

  /** One bounded pass; returns rows deleted. Throws SQLite errors (the caller's health guard handles them). */
  prune(now: number): number {
    const cutoff = now - this.retainMs;
    const deadline = performance.now() + this.budgetMs;
    let total = 0;
    for (const t of this.targets) {
      for (;;) {
        const n = t.step(cutoff);
        this.deleted[t.table]! += n;
        total += n;
        if (n < this.batch || performance.now() > deadline) break;
      }
      if (performance.now() > deadline) break;
    }
    return total;
  }
}
