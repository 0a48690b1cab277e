// Paper trading's tables (DESIGN §6): orders, fills, positions, cash_ledger,
// settlements, and the breaker's tracker_state row. Statements are prepared
// once; the trader wraps each order, basket or settlement in ONE transaction
// that commits before the result is returned. The schema is version 1's:
// `orders.basket_id` holds the source key (signal key or arbitrage id) that
// groups a basket's legs and deduplicates auto-trading; an order's filled
// size is Σ of its fills. The blotter's and the alert watcher's incremental
// reads of the same tables are here too, so every statement on these tables
// lives in one file.
import type { DB } from './db.js';
import type { BreakerData } from '../paper/breaker.js';
import type { OrderStatus, PaperFill, Side } from '../paper/types.js';

export interface OrderRow {
  id: number;
  created_at: number;
  token_id: string;
  market_id: string | null;
  side: Side;
  type: string;
  limit_price: number | null;
  size: number;
  status: OrderStatus;
  reason: string | null;
  basket_id: string | null;
}

export interface PositionRow {
  token_id: string;
  market_id: string;
  shares: number;
  cost_micros: number;
  realized_micros: number;
  updated_at: number;
}

export interface LoadedState {
  balanceMicros: number | undefined;
  positions: PositionRow[];
  /** Resting orders with what is left of them. */
  open: (OrderRow & { filled: number })[];
  breaker: unknown;
  /** The breaker row exists but cannot be read (why); trading must start halted. */
  breakerError?: string;
  orders: number;
  fills: number;
  refused: number;
  feesMicros: number;
  /** Per token: Σ fee_micros (for the positions' fees column in the pane). */
  feesByToken: Map<string, number>;
  sources: string[];
  /** Tokens whose positions row disagrees with Σ fills − Σ settlements. */
  mismatched: string[];
}

export class PaperRepo {
  private readonly insOrder;
  private readonly updOrder;
  private readonly insFill;
  private readonly upsPosition;
  private readonly insLedger;
  private readonly insSettlement;
  private readonly upsBreaker;
  /** Running balance, the last row's balance_micros. */
  balanceMicros = 0;

  constructor(readonly db: DB) {
    this.insOrder = db.prepare(
      'INSERT INTO orders (created_at, token_id, market_id, side, type, limit_price, size, status, reason, signal_id, basket_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)',
    );
    this.updOrder = db.prepare('UPDATE orders SET status = ? WHERE id = ?');
    this.insFill = db.prepare('INSERT INTO fills (order_id, ts, token_id, side, price, size, fee_micros, liquidity) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.upsPosition = db.prepare(
      'INSERT INTO positions (token_id, market_id, shares, cost_micros, realized_micros, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(token_id) DO UPDATE SET market_id = excluded.market_id, shares = excluded.shares, cost_micros = excluded.cost_micros, realized_micros = excluded.realized_micros, updated_at = excluded.updated_at',
    );
    this.insLedger = db.prepare('INSERT INTO cash_ledger (ts, delta_micros, kind, ref, balance_micros) VALUES (?, ?, ?, ?, ?)');
    this.insSettlement = db.prepare('INSERT INTO settlements (ts, market_id, token_id, shares, payout_micros, realized_micros) VALUES (?, ?, ?, ?, ?, ?)');
    this.upsBreaker = db.prepare(
      'INSERT INTO tracker_state (name, json, cycle, updated_at) VALUES (?, ?, 0, ?) ON CONFLICT(name) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at',
    );
  }

  /** Runs `fn` in one transaction (nested calls join the outer one). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  insertOrder(o: Omit<OrderRow, 'id'>): number {
    return Number(this.insOrder.run(o.created_at, o.token_id, o.market_id, o.side, o.type, o.limit_price, o.size, o.status, o.reason, o.basket_id).lastInsertRowid);
  }

  setOrderStatus(id: number, status: OrderStatus): void {
    this.updOrder.run(status, id);
  }

  insertFill(f: Omit<PaperFill, 'id' | 'marketId' | 'reason'>): number {
    return Number(this.insFill.run(f.orderId, f.ts, f.tokenId, f.side, f.price, f.size, f.feeMicros, f.liquidity).lastInsertRowid);
  }

  upsertPosition(p: PositionRow): void {
    this.upsPosition.run(p.token_id, p.market_id, p.shares, p.cost_micros, p.realized_micros, p.updated_at);
  }

  /** Appends one cash movement and returns the new balance. */
  ledger(ts: number, deltaMicros: number, kind: 'deposit' | 'buy' | 'sell' | 'fee' | 'settlement', ref: string): number {
    const balance = this.balanceMicros + deltaMicros;
    this.insLedger.run(ts, deltaMicros, kind, ref, balance);
    this.balanceMicros = balance;
    return balance;
  }

  insertSettlement(ts: number, marketId: string, tokenId: string, shares: number, payoutMicros: number, realizedMicros: number): void {
    this.insSettlement.run(ts, marketId, tokenId, shares, payoutMicros, realizedMicros);
  }

  saveBreaker(data: BreakerData, now: number): void {
    this.upsBreaker.run('breaker', JSON.stringify(data), now);
  }

  load(): LoadedState {
    const db = this.db;
    // Σ deltas is the one definition of cash (status reads the same function).
    const balanceMicros = ledgerCashMicros(db);
    if (balanceMicros !== undefined) this.balanceMicros = balanceMicros;
    const positions = db.prepare('SELECT token_id, market_id, shares, cost_micros, realized_micros, updated_at FROM positions ORDER BY token_id').all() as PositionRow[];
    const open = db
      .prepare(
        `SELECT o.id, o.created_at, o.token_id, o.market_id, o.side, o.type, o.limit_price, o.size, o.status, o.reason, o.basket_id,
                COALESCE((SELECT SUM(f.size) FROM fills f WHERE f.order_id = o.id), 0) AS filled
         FROM orders o WHERE o.status = 'open' ORDER BY o.id`,
      )
      .all() as (OrderRow & { filled: number })[];
    const breakerRow = db.prepare("SELECT json FROM tracker_state WHERE name = 'breaker'").get() as { json: string } | undefined;
    let breaker: unknown;
    let breakerError: string | undefined;
    try {
      breaker = breakerRow ? JSON.parse(breakerRow.json) : undefined;
    } catch (err) {
      // Never swallowed: an unreadable safety state is reported, and the trader starts HALTED.
      breaker = undefined;
      breakerError = (err as Error).message.slice(0, 120);
    }
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const feesByToken = new Map<string, number>();
    for (const r of db.prepare('SELECT token_id, SUM(fee_micros) AS f FROM fills GROUP BY token_id').all() as { token_id: string; f: number }[]) feesByToken.set(r.token_id, r.f);
    const mismatched = (
      db
        .prepare(
          `SELECT p.token_id AS t FROM positions p WHERE ABS(p.shares
             - COALESCE((SELECT SUM(CASE f.side WHEN 'BUY' THEN f.size ELSE -f.size END) FROM fills f WHERE f.token_id = p.token_id), 0)
             + COALESCE((SELECT SUM(s.shares) FROM settlements s WHERE s.token_id = p.token_id), 0)) > 1e-6`,
        )
        .all() as { t: string }[]
    ).map((r) => r.t);
    return {
      balanceMicros,
      positions,
      open,
      breaker,
      ...(breakerError !== undefined ? { breakerError } : {}),
      orders: n("SELECT COUNT(*) AS n FROM orders WHERE status <> 'refused'"),
      fills: n('SELECT COUNT(*) AS n FROM fills'),
      refused: n("SELECT COUNT(*) AS n FROM orders WHERE status = 'refused'"),
      feesMicros: n('SELECT COALESCE(SUM(fee_micros), 0) AS n FROM fills'),
      feesByToken,
      sources: (db.prepare("SELECT DISTINCT basket_id AS s FROM orders WHERE basket_id IS NOT NULL AND status <> 'refused'").all() as { s: string }[]).map((r) => r.s),
      mismatched,
    };
  }
}

// Cash has one definition: the sum of every cash_ledger movement. The
// trader's restart and the offline `status` command both read it here, so
// they can never disagree (a mis-stamped running balance column cannot leak).

/** Σ delta_micros over the ledger; undefined when the ledger is empty (paper trading never ran). */
export function ledgerCashMicros(db: DB): number | undefined {
  const r = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(delta_micros), 0) AS s FROM cash_ledger').get() as { n: number; s: number };
  return r.n ? r.s : undefined;
}

// ---- incremental readers (by rowid watermark) ---------------------------

/** A fill with the order that made it. */
export interface FillRec {
  id: number;
  ts: number;
  token_id: string;
  side: 'BUY' | 'SELL';
  price: number;
  size: number;
  fee_micros: number;
  market_id: string | null;
  reason: string | null;
  basket_id: string | null;
}
export interface SettleRec {
  id: number;
  ts: number;
  market_id: string;
  token_id: string;
  shares: number;
  payout_micros: number;
}
export interface RefusedRec {
  id: number;
  created_at: number;
  token_id: string;
  market_id: string | null;
  side: 'BUY' | 'SELL';
  limit_price: number | null;
  size: number;
  reason: string | null;
  basket_id: string | null;
}

/** The blotter's reads: rows after a watermark id, oldest first. */
export class BlotterReader {
  private readonly fills;
  private readonly settles;
  private readonly refused;

  constructor(db: DB) {
    this.fills = db.prepare(
      'SELECT f.id, f.ts, f.token_id, f.side, f.price, f.size, f.fee_micros, o.market_id, o.reason, o.basket_id FROM fills f JOIN orders o ON o.id = f.order_id WHERE f.id > ? ORDER BY f.id',
    );
    this.settles = db.prepare('SELECT id, ts, market_id, token_id, shares, payout_micros FROM settlements WHERE id > ? ORDER BY id');
    this.refused = db.prepare("SELECT id, created_at, token_id, market_id, side, limit_price, size, reason, basket_id FROM orders WHERE status = 'refused' AND id > ? ORDER BY id");
  }

  fillsAfter(id: number): FillRec[] {
    return this.fills.all(id) as FillRec[];
  }

  settlementsAfter(id: number): SettleRec[] {
    return this.settles.all(id) as SettleRec[];
  }

  refusedAfter(id: number): RefusedRec[] {
    return this.refused.all(id) as RefusedRec[];
  }
}

/** The alert watcher's tail of fills and settlements. */
export class PaperTail {
  constructor(private readonly db: DB) {}

  /** The newest id of a table (0 when empty): where a new watcher starts. */
  lastId(table: 'fills' | 'settlements'): number {
    return (this.db.prepare(`SELECT COALESCE(MAX(id), 0) AS m FROM ${table === 'fills' ? 'fills' : 'settlements'}`).get() as { m: number }).m;
  }

  fillsAfter(id: number, limit: number): { id: number; token_id: string; side: string; price: number; size: number; fee_micros: number }[] {
    return this.db.prepare('SELECT id, token_id, side, price, size, fee_micros FROM fills WHERE id > ? ORDER BY id LIMIT ?').all(id, limit) as { id: number; token_id: string; side: string; price: number; size: number; fee_micros: number }[];
  }

  settlementsAfter(id: number, limit: number): { id: number; market_id: string; shares: number; payout_micros: number; realized_micros: number }[] {
    return this.db.prepare('SELECT id, market_id, shares, payout_micros, realized_micros FROM settlements WHERE id > ? ORDER BY id LIMIT ?').all(id, limit) as { id: number; market_id: string; shares: number; payout_micros: number; realized_micros: number }[];
  }
}
