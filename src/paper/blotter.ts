// The blotter: every order's fills, every settlement and every refusal, each
// with why it happened (signal and strategy, arbitrage basket, stop-loss or
// take-profit with its arithmetic, settlement), newest first. Realised P&L per
// row is replayed from the database with the ledger's own arithmetic
// (applyBuy / applySell / applySettlement), so the rows add up to the
// realised P&L the portfolio shows. Incremental: each refresh reads only rows
// it has not seen.
import type { DB } from '../persist/db.js';
import { BlotterReader, type FillRec, type RefusedRec, type SettleRec } from '../persist/paper-repo.js';
import { applyBuy, applySell, applySettlement, type Position } from './ledger.js';
import type { MarketInfo } from './types.js';

export interface BlotterRow {
  ts: number;
  kind: 'fill' | 'settle' | 'refused';
  marketId: string;
  tokenId: string;
  /** The outcome's label ("Yes", "Down"), or '' if the catalog does not know it. */
  outcome: string;
  side: 'BUY' | 'SELL' | 'SETTLE';
  /** Probability units (a settlement: the payout per share, 1 or 0). */
  price: number | null;
  size: number;
  fee: number;
  /** Realised P&L this row booked, dollars (fees excluded, as in the portfolio); null if none. */
  realized: number | null;
  why: string;
}

const KEEP = 200;

export class Blotter {
  private readonly positions = new Map<string, Position>();
  private lastFill = 0;
  private lastSettle = 0;
  private lastRefused = 0;
  private readonly rows: BlotterRow[] = [];
  /** Σ realised over every replayed row, micro-dollars (equals Σ positions.realized_micros). */
  realizedMicros = 0;
  private readonly read: BlotterReader;

  constructor(db: DB) {
    this.read = new BlotterReader(db);
  }

  /** Reads new rows and returns the newest `limit`, newest first. */
  view(infoOf: (tokenId: string) => MarketInfo | undefined, limit = 50): BlotterRow[] {
    const fills = this.read.fillsAfter(this.lastFill);
    const settles = this.read.settlementsAfter(this.lastSettle);
    const refused = this.read.refusedAfter(this.lastRefused);
    // Replay in time order; at one instant fills come before the settlement they precede.
    const events: ({ t: 0; r: FillRec } | { t: 1; r: SettleRec } | { t: 2; r: RefusedRec })[] = [
      ...fills.map((r) => ({ t: 0 as const, r })),
      ...settles.map((r) => ({ t: 1 as const, r })),
      ...refused.map((r) => ({ t: 2 as const, r })),
    ];
    const tsOf = (e: (typeof events)[number]) => (e.t === 2 ? e.r.created_at : e.r.ts);
    events.sort((a, b) => tsOf(a) - tsOf(b) || a.t - b.t || a.r.id - b.r.id);
    for (const e of events) this.rows.push(this.apply(e, infoOf));
    if (fills.length) this.lastFill = fills[fills.length - 1]!.id;
    if (settles.length) this.lastSettle = settles[settles.length - 1]!.id;
    if (refused.length) this.lastRefused = refused[refused.length - 1]!.id;
    if (this.rows.length > KEEP) this.rows.splice(0, this.rows.length - KEEP);
    return this.rows.slice(-limit).reverse();
  }

  private pos(tokenId: string, marketId: string): Position {
    return this.positions.get(tokenId) ?? { tokenId, marketId, eventId: marketId, shares: 0, costMicros: 0, realizedMicros: 0, feesMicros: 0, updatedAt: 0 };
  }

  private apply(e: { t: 0; r: FillRec } | { t: 1; r: SettleRec } | { t: 2; r: RefusedRec }, infoOf: (tokenId: string) => MarketInfo | undefined): BlotterRow {
    const outcome = (t: string) => infoOf(t)?.outcome ?? '';
    if (e.t === 0) {
      const f = e.r;
      const p = this.pos(f.token_id, f.market_id ?? '');
      let realized: number | null = null;
      if (f.side === 'BUY') this.positions.set(f.token_id, applyBuy(p, f.price, f.size, f.fee_micros, f.ts).pos);
      else {
        const x = applySell(p, f.price, f.size, f.fee_micros, f.ts);
        this.positions.set(f.token_id, x.pos);
        realized = x.realizedMicros;
        this.realizedMicros += realized;
      }
      const why = `${f.reason ?? ''}${f.basket_id && !(f.reason ?? '').includes(f.basket_id) ? ` [${f.basket_id}]` : ''}`;
      return { ts: f.ts, kind: 'fill', marketId: f.market_id ?? '', tokenId: f.token_id, outcome: outcome(f.token_id), side: f.side, price: f.price / 10_000, size: f.size, fee: f.fee_micros / 1e6, realized: realized === null ? null : realized / 1e6, why };
    }
    if (e.t === 1) {
      const s = e.r;
      const p = this.pos(s.token_id, s.market_id);
      const perShare = s.shares > 0 ? Math.round((s.payout_micros / s.shares / 1e6) * 10_000) : 0;
      const x = applySettlement(p, perShare, s.ts);
      this.positions.set(s.token_id, x.pos);
      this.realizedMicros += x.realizedMicros;
      const won = perShare >= 10_000;
      return {
        ts: s.ts,
        kind: 'settle',
        marketId: s.market_id,
        tokenId: s.token_id,
        outcome: outcome(s.token_id),
        side: 'SETTLE',
        price: perShare / 10_000,
        size: s.shares,
        fee: 0,
        realized: x.realizedMicros / 1e6,
        why: `settlement: ${won ? 'won' : perShare === 0 ? 'lost' : 'split'}, paid $${(s.payout_micros / 1e6).toFixed(2)} − cost $${(p.costMicros / 1e6).toFixed(2)}`,
      };
    }
    const o = e.r;
    return { ts: o.created_at, kind: 'refused', marketId: o.market_id ?? '', tokenId: o.token_id, outcome: outcome(o.token_id), side: o.side, price: o.limit_price === null ? null : o.limit_price / 10_000, size: o.size, fee: 0, realized: null, why: `refused ${o.reason ?? ''}` };
  }
}
