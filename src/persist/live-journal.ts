// The live order journal: every order is written here, with its hash (the
// venue's order id), before it is posted, so a crash at any point leaves a row
// that reconciliation can resolve against the venue. Fills carry their
// settlement state; shares count as sellable only once CONFIRMED. The HALT
// flag lives here too, so a halt survives a restart until the operator clears
// it. Nothing secret is stored: no key, no API secret, no passphrase, no
// signature. Its tables (live_orders, live_fills, live_state) come from
// migration 4.
import type { DB } from './db.js';
import { advanceSettlement, type Settlement } from '../exec/settlement.js';
import { systemWall, type WallNow } from '../clock.js';
import { deepFreeze } from '../frozen.js';
import { feeForOrder } from '../arb/fees.js';

/**
 * Order states: JOURNALED (written, not yet sent), SENT (request on the wire,
 * answer unknown), LIVE, MATCHED (fully), CANCELED, REJECTED (the venue said
 * no), NOT_FOUND (never reached the venue, resolved by reconciliation).
 */
export type JournalState = 'JOURNALED' | 'SENT' | 'LIVE' | 'MATCHED' | 'CANCELED' | 'REJECTED' | 'NOT_FOUND';
export const UNRESOLVED: readonly JournalState[] = deepFreeze(['JOURNALED', 'SENT']);

export interface JournalOrder {
  hash: string;
  tokenId: string;
  market?: string;
  side: 'BUY' | 'SELL';
  price: string;
  size: string;
  orderType: string;
  postOnly: boolean;
  version: number;
  negRisk: boolean;
  signatureType: number;
  maker: string;
  salt: string;
  expiration: string;
}

export interface JournalRow extends JournalOrder {
  state: JournalState;
  sizeMatched: string;
  venueError: string | null;
  createdAt: number;
}

export interface FillUpdate {
  tradeId: string;
  orderHash: string;
  tokenId: string;
  side: 'BUY' | 'SELL';
  price: string;
  size: string;
  traderSide: 'TAKER' | 'MAKER';
  status: Settlement;
  txHash?: string;
  matchedAt: number;
  /** The fee rate the venue reports for this leg (basis points); not stored, it only prices a close. */
  feeRateBps?: number;
}

/** A SELL fill that settled on chain: what it realised against the token's average BUY price. */
export interface LiveClose {
  tradeId: string;
  orderHash: string;
  tokenId: string;
  size: number;
  price: number;
  avgBuyPrice: number;
  /** (price − average BUY price) × size − the fee, in USDC micros. */
  netMicros: number;
}

/**
 * Realised P&L of selling `size` at `price` against `avgBuyPrice`, net of the
 * the venue's taker fee (the one fee function: rate × p(1 − p) per share,
 * rounded to 5 decimals). Example: 10 sh bought at 0.60, sold at 0.50 as the
 * taker at 100 bps → −1.00 − 10 × 0.01 × 0.25 = −$1.025.
 */
export function closeNetMicros(size: number, price: number, avgBuyPrice: number, feeRateBps = 0): number {
  const fee = feeForOrder(size, price, { rate: Math.max(0, feeRateBps) / 10_000, exponent: 1 });
  return Math.round(((price - avgBuyPrice) * size - fee) * 1e6);
}

export class LiveJournal {
  /**
   * Called once per SELL fill, when it turns CONFIRMED (the journal's row is
   * the marker: a replayed or reconciled update finds it CONFIRMED already and
   * calls nothing). A match that later FAILS was never counted.
   */
  onConfirmedSell: ((c: LiveClose) => void) | undefined;

  private readonly st;

  constructor(
    private readonly db: DB,
    private readonly now: WallNow = systemWall,
  ) {
    this.st = {
      insert: db.prepare(
        `INSERT INTO live_orders (hash, token_id, market, side, price, size, order_type, post_only, exchange_version, neg_risk, signature_type, maker, salt, expiration, state, created_at, updated_at)
         VALUES (@hash, @tokenId, @market, @side, @price, @size, @orderType, @postOnly, @version, @negRisk, @signatureType, @maker, @salt, @expiration, 'JOURNALED', @at, @at)`,
      ),
      setState: db.prepare('UPDATE live_orders SET state = ?, updated_at = ? WHERE hash = ?'),
      setAck: db.prepare('UPDATE live_orders SET state = ?, size_matched = ?, venue_error = ?, updated_at = ? WHERE hash = ?'),
      get: db.prepare('SELECT * FROM live_orders WHERE hash = ?'),
      byStates: db.prepare('SELECT * FROM live_orders WHERE state IN (SELECT value FROM json_each(?)) ORDER BY created_at'),
      fill: db.prepare('SELECT status, reversed FROM live_fills WHERE trade_id = ? AND order_hash = ?'),
      insertFill: db.prepare(
        `INSERT INTO live_fills (trade_id, order_hash, token_id, side, price, size, trader_side, status, tx_hash, matched_at, updated_at, reversed)
         VALUES (@tradeId, @orderHash, @tokenId, @side, @price, @size, @traderSide, @status, @txHash, @matchedAt, @at, @reversed)`,
      ),
      updateFill: db.prepare('UPDATE live_fills SET status = ?, tx_hash = COALESCE(?, tx_hash), updated_at = ?, reversed = ? WHERE trade_id = ? AND order_hash = ?'),
      positions: db.prepare(
        `SELECT token_id,
                SUM(CASE WHEN status = 'CONFIRMED' THEN (CASE side WHEN 'BUY' THEN 1 ELSE -1 END) * CAST(size AS REAL) ELSE 0 END) AS confirmed,
                SUM(CASE WHEN status IN ('MATCHED', 'MINED', 'RETRYING') THEN (CASE side WHEN 'BUY' THEN 1 ELSE -1 END) * CAST(size AS REAL) ELSE 0 END) AS pending
           FROM live_fills GROUP BY token_id`,
      ),
      getState: db.prepare('SELECT value FROM live_state WHERE key = ?'),
      putState: db.prepare('INSERT INTO live_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at'),
      delState: db.prepare('DELETE FROM live_state WHERE key = ?'),
    };
  }

  /** Writes the order before it is posted; throws (and nothing may be posted) if the write fails or the hash exists. */
  journal(o: JournalOrder): void {
    this.st.insert.run({ ...o, market: o.market ?? null, postOnly: o.postOnly ? 1 : 0, negRisk: o.negRisk ? 1 : 0, at: this.now() });
  }

  setState(hash: string, state: JournalState): void {
    this.st.setState.run(state, this.now(), hash);
  }

  ack(hash: string, state: JournalState, sizeMatched: string, venueError: string | null = null): void {
    this.st.setAck.run(state, sizeMatched, venueError === null ? null : venueError.slice(0, 300), this.now(), hash);
  }

  get(hash: string): JournalRow | undefined {
    const r = this.st.get.get(hash) as Record<string, unknown> | undefined;
    return r ? rowOf(r) : undefined;
  }

  inStates(states: readonly JournalState[]): JournalRow[] {
    return (this.st.byStates.all(JSON.stringify(states)) as Record<string, unknown>[]).map(rowOf);
  }

  /**
   * Applies a fill update (REST or user channel). Returns 'reversed' when this
   * update turned a fill FAILED (the caller unwinds the position and P&L once).
   */
  fill(u: FillUpdate): 'new' | 'advanced' | 'unchanged' | 'reversed' {
    let close: LiveClose | undefined;
    const { feeRateBps, ...row } = u;
    const r = this.db.transaction((): 'new' | 'advanced' | 'unchanged' | 'reversed' => {
      const cur = this.st.fill.get(u.tradeId, u.orderHash) as { status: Settlement; reversed: number } | undefined;
      const at = this.now();
      if (!cur) {
        this.st.insertFill.run({ ...row, txHash: u.txHash ?? null, at, reversed: u.status === 'FAILED' ? 1 : 0 });
        if (u.status === 'CONFIRMED' && u.side === 'SELL') close = this.closeOf(u, feeRateBps);
        return u.status === 'FAILED' ? 'reversed' : 'new';
      }
      const next = advanceSettlement(cur.status, u.status);
      if (next === cur.status) return 'unchanged';
      const reversed = next === 'FAILED' && !cur.reversed;
      this.st.updateFill.run(next, u.txHash ?? null, at, reversed || cur.reversed ? 1 : 0, u.tradeId, u.orderHash);
      if (next === 'CONFIRMED' && u.side === 'SELL') close = this.closeOf(u, feeRateBps);
      return reversed ? 'reversed' : 'advanced';
    })();
    if (close) this.onConfirmedSell?.(close);
    return r;
  }

  /** The stored row's own price and size are what settled (an update may repeat them or not). */
  private closeOf(u: FillUpdate, feeRateBps: number | undefined): LiveClose | undefined {
    const f = this.db.prepare('SELECT token_id, price, size, trader_side FROM live_fills WHERE trade_id = ? AND order_hash = ?').get(u.tradeId, u.orderHash) as { token_id: string; price: string; size: string; trader_side: string } | undefined;
    if (!f) return undefined;
    const size = Number(f.size);
    const price = Number(f.price);
    const avgBuyPrice = this.holdings().get(f.token_id)?.avgBuyPrice ?? 0;
    if (!(size > 0) || !Number.isFinite(price) || !(avgBuyPrice > 0)) return undefined;
    return { tradeId: u.tradeId, orderHash: u.orderHash, tokenId: f.token_id, size, price, avgBuyPrice, netMicros: closeNetMicros(size, price, avgBuyPrice, f.trader_side === 'TAKER' ? feeRateBps : 0) };
  }

  /** Shares per token: confirmed (sellable) and pending (matched, not yet confirmed). FAILED counts nowhere. */
  positions(): Map<string, { confirmed: number; pending: number }> {
    const out = new Map<string, { confirmed: number; pending: number }>();
    for (const r of this.st.positions.all() as { token_id: string; confirmed: number; pending: number }[]) {
      out.set(r.token_id, { confirmed: round2(r.confirmed), pending: round2(r.pending) });
    }
    return out;
  }

  /**
   * Per token: confirmed and pending shares (as positions()) and the average
   * BUY price of fills that did not fail (the cost basis stop-loss and
   * take-profit compare against).
   */
  holdings(): Map<string, { confirmed: number; pending: number; avgBuyPrice: number }> {
    const rows = this.db
      .prepare(
        `SELECT token_id,
                SUM(CASE WHEN status = 'CONFIRMED' THEN (CASE side WHEN 'BUY' THEN 1 ELSE -1 END) * CAST(size AS REAL) ELSE 0 END) AS confirmed,
                SUM(CASE WHEN status IN ('MATCHED', 'MINED', 'RETRYING') THEN (CASE side WHEN 'BUY' THEN 1 ELSE -1 END) * CAST(size AS REAL) ELSE 0 END) AS pending,
                SUM(CASE WHEN side = 'BUY' AND status != 'FAILED' THEN CAST(size AS REAL) ELSE 0 END) AS bought,
                SUM(CASE WHEN side = 'BUY' AND status != 'FAILED' THEN CAST(size AS REAL) * CAST(price AS REAL) ELSE 0 END) AS paid
           FROM live_fills GROUP BY token_id`,
      )
      .all() as { token_id: string; confirmed: number; pending: number; bought: number; paid: number }[];
    const out = new Map<string, { confirmed: number; pending: number; avgBuyPrice: number }>();
    for (const r of rows) out.set(r.token_id, { confirmed: round2(r.confirmed), pending: round2(r.pending), avgBuyPrice: r.bought > 0 ? r.paid / r.bought : 0 });
    return out;
  }

  /** Orders that may still rest at the venue or be on their way (journaled, sent, live). */
  open(): JournalRow[] {
    return this.inStates(['JOURNALED', 'SENT', 'LIVE']);
  }

  /** Shares of a token that may be sold now: confirmed, less what open SELL orders already offer. */
  sellable(tokenId: string): number {
    const confirmed = this.positions().get(tokenId)?.confirmed ?? 0;
    let offered = 0;
    for (const o of this.inStates(['JOURNALED', 'SENT', 'LIVE'])) if (o.tokenId === tokenId && o.side === 'SELL') offered += Number(o.size) - Number(o.sizeMatched);
    return Math.max(0, round2(confirmed - offered));
  }

  /** Notional (price × size, USDC) of orders journaled since `ms` that may have reached the venue. */
  notionalSince(ms: number): number {
    const r = this.db.prepare(`SELECT COALESCE(SUM(CAST(price AS REAL) * CAST(size AS REAL)), 0) AS n FROM live_orders WHERE created_at >= ? AND state NOT IN ('REJECTED', 'NOT_FOUND')`).get(ms) as { n: number };
    return r.n;
  }

  /** Fills that turned FAILED since `ms` (by when the journal learnt it). */
  failedSince(ms: number): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM live_fills WHERE status = 'FAILED' AND updated_at >= ?`).get(ms) as { n: number }).n;
  }

  /**
   * The persisted HALT, if any. Fail closed: a halt row that cannot be read
   * (corrupt JSON, a missing reason) is a halt.
   */
  halt(): { reason: string; at: number } | undefined {
    const r = this.st.getState.get('halt') as { value: string } | undefined;
    if (!r) return undefined;
    try {
      const v = JSON.parse(r.value) as { reason?: unknown; at?: unknown };
      if (typeof v.reason === 'string' && v.reason && typeof v.at === 'number') return { reason: v.reason, at: v.at };
    } catch {
      // fall through: unreadable
    }
    return { reason: 'the saved halt state is unreadable; check, then clear it deliberately', at: 0 };
  }

  /** Newest orders first (the blotter). */
  recent(limit: number): JournalRow[] {
    return (this.db.prepare('SELECT * FROM live_orders ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit) as Record<string, unknown>[]).map(rowOf);
  }

  /** Newest fills first, with their settlement state. */
  recentFills(limit: number): Array<FillUpdate & { reversed: boolean }> {
    const rows = this.db.prepare('SELECT * FROM live_fills ORDER BY matched_at DESC, rowid DESC LIMIT ?').all(limit) as Record<string, unknown>[];
    return rows.map((r) => ({
      tradeId: r.trade_id as string,
      orderHash: r.order_hash as string,
      tokenId: r.token_id as string,
      side: r.side as 'BUY' | 'SELL',
      price: r.price as string,
      size: r.size as string,
      traderSide: r.trader_side as 'TAKER' | 'MAKER',
      status: r.status as Settlement,
      ...(r.tx_hash ? { txHash: r.tx_hash as string } : {}),
      matchedAt: r.matched_at as number,
      reversed: r.reversed === 1,
    }));
  }

  setHalt(reason: string): void {
    if (this.st.getState.get('halt')) return;
    this.st.putState.run('halt', JSON.stringify({ reason, at: this.now() }), this.now());
  }

  /** Only the operator clears a halt. */
  clearHalt(): void {
    this.st.delState.run('halt');
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function rowOf(r: Record<string, unknown>): JournalRow {
  return {
    hash: r.hash as string,
    tokenId: r.token_id as string,
    ...(r.market ? { market: r.market as string } : {}),
    side: r.side as 'BUY' | 'SELL',
    price: r.price as string,
    size: r.size as string,
    orderType: r.order_type as string,
    postOnly: r.post_only === 1,
    version: r.exchange_version as number,
    negRisk: r.neg_risk === 1,
    signatureType: r.signature_type as number,
    maker: r.maker as string,
    salt: r.salt as string,
    expiration: r.expiration as string,
    state: r.state as JournalState,
    sizeMatched: r.size_matched as string,
    venueError: (r.venue_error as string | null) ?? null,
    createdAt: r.created_at as number,
  };
}
