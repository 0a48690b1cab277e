// The paper broker: turns planned orders into fills, cash movements and
// positions, each order or basket in ONE transaction that commits before the
// result is returned (DESIGN §6), and holds the resting orders.
//
// Taker fills come from walking the live book (walk.ts) and pay the venue's fee
// per fill: shares × rate × p(1−p), rounded to 5 decimals. Maker fills pay no
// fee. A resting order fills only when the market trades THROUGH it, never at
// its price: a resting BUY at L fills at L when a trade prints strictly below
// L (up to the print's size) or when the best ask moves strictly below L (up
// to the size offered below L); a SELL mirrors it. At exactly L we would be in
// a queue of unknown position, so we assume the queue ahead of us absorbed it.
import type { TradeEvent } from '../protocol/events.js';
import { applyBuy, applySell, applySettlement, type Position } from './ledger.js';
import { floorShares, notionalMicros, takerFeeMicros } from './money.js';
import type { PaperRepo } from '../persist/paper-repo.js';
import type { LevelTake } from './walk.js';
import type { MarketInfo, OrderStatus, PaperBook, PaperFill, Side } from './types.js';

export interface PlannedOrder {
  info: MarketInfo;
  side: Side;
  /** 'market', 'limit-IOC', 'limit-GTC'. */
  type: string;
  limit: number;
  size: number;
  takes: readonly LevelTake[];
  /** Shares to leave resting after the taker part (GTC). */
  rest: number;
  reason: string;
  source?: string;
  /** 'split': mint shares at $0.50 each from collateral (one side of a $1 YES+NO set), no fee. */
  liquidity?: 'split';
}

export interface CommittedOrder {
  orderId: number;
  status: OrderStatus;
  fills: PaperFill[];
  filled: number;
  feeMicros: number;
}

export interface Resting {
  id: number;
  tokenId: string;
  marketId: string;
  side: Side;
  limit: number;
  size: number;
  filled: number;
  reason: string;
  source?: string;
  createdAt: number;
}

export interface PnlEvent {
  /** Realised P&L net of fees, micro-dollars. */
  micros: number;
  isClose: boolean;
}

export interface SettledToken {
  tokenId: string;
  shares: number;
  payoutMicros: number;
  realizedMicros: number;
}

export class Broker {
  readonly positions = new Map<string, Position>();
  readonly resting = new Map<number, Resting>();
  feesMicros = 0;
  orders = 0;
  fills = 0;
  refused = 0;

  constructor(
    readonly repo: PaperRepo,
    /** Called inside each transaction with the P&L it realises (the breaker's day P&L and cooldown). */
    private readonly onPnl: (e: PnlEvent, now: number) => void,
    /** Written inside every transaction (the breaker's row), so its state commits with the trade. */
    private readonly inTx: (now: number) => void,
    /** Each fill, after its commit (headless JSON lines). */
    private readonly onFill?: (f: PaperFill) => void,
  ) {}

  get cashMicros(): number {
    return this.repo.balanceMicros;
  }

  /** Cash held back for resting BUYs (limit × remaining; makers pay no fee). */
  reservedMicros(tokenId?: string): number {
    let r = 0;
    for (const o of this.resting.values()) if (o.side === 'BUY' && (tokenId === undefined || o.tokenId === tokenId)) r += notionalMicros(o.limit, o.size - o.filled);
    return r;
  }

  /** Shares promised to resting SELLs. */
  reservedShares(tokenId: string): number {
    let r = 0;
    for (const o of this.resting.values()) if (o.side === 'SELL' && o.tokenId === tokenId) r += o.size - o.filled;
    return r;
  }

  get realizedMicros(): number {
    let r = 0;
    for (const p of this.positions.values()) r += p.realizedMicros;
    return r;
  }

  position(info: Pick<MarketInfo, 'tokenId' | 'marketId' | 'eventId'>, now: number): Position {
    return this.positions.get(info.tokenId) ?? { tokenId: info.tokenId, marketId: info.marketId, eventId: info.eventId, shares: 0, costMicros: 0, realizedMicros: 0, feesMicros: 0, updatedAt: now };
  }

  /** Runs fn in one transaction; the ledger's running balance is rolled back with it. */
  private tx<T>(fn: () => T): T {
    const before = this.repo.balanceMicros;
    try {
      return this.repo.tx(fn);
    } catch (err) {
      this.repo.balanceMicros = before;
      throw err;
    }
  }

  /** Records a refusal (an order row with status 'refused' and the gate's reason). */
  recordRefusal(o: { tokenId: string; marketId?: string; side: Side; type: string; limit?: number; size: number; reason: string; source?: string }, now: number): number {
    const id = this.tx(() => {
      const id = this.repo.insertOrder({ created_at: now, token_id: o.tokenId, market_id: o.marketId ?? null, side: o.side, type: o.type, limit_price: o.limit ?? null, size: o.size, status: 'refused', reason: o.reason, basket_id: o.source ?? null });
      this.inTx(now);
      return id;
    });
    this.refused++;
    return id;
  }

  /** Commits taker fills (and the resting remainder) of one order or one whole basket. */
  commit(plans: readonly PlannedOrder[], now: number): CommittedOrder[] {
    const staged = new Map<string, Position>();
    const pnl: PnlEvent[] = [];
    const rests: Resting[] = [];
    let fees = 0;
    const out = this.tx(() => {
      const results: CommittedOrder[] = [];
      for (const plan of plans) {
        const filled = floorShares(plan.takes.reduce((s, t) => s + t.size, 0) + 1e-9);
        const status: OrderStatus = plan.rest > 0 ? 'open' : filled <= 0 ? 'unfilled' : filled + 1e-9 >= plan.size ? 'filled' : 'partial';
        const orderId = this.repo.insertOrder({
          created_at: now,
          token_id: plan.info.tokenId,
          market_id: plan.info.marketId,
          side: plan.side,
          type: plan.type,
          limit_price: plan.limit,
          size: plan.size,
          status,
          reason: plan.reason,
          basket_id: plan.source ?? null,
        });
        const fills: PaperFill[] = [];
        let orderFee = 0;
        for (const t of plan.takes) {
          const split = plan.liquidity === 'split';
          const fee = split ? 0 : takerFeeMicros(t.size, t.price, plan.info.fee);
          const f = this.fill(staged, plan.info, orderId, plan.side, t.price, t.size, fee, split ? 'split' : 'taker', plan.reason, now, pnl);
          fills.push(f);
          orderFee += fee;
        }
        fees += orderFee;
        if (plan.rest > 0) rests.push({ id: orderId, tokenId: plan.info.tokenId, marketId: plan.info.marketId, side: plan.side, limit: plan.limit, size: plan.size, filled, reason: plan.reason, ...(plan.source ? { source: plan.source } : {}), createdAt: now });
        results.push({ orderId, status, fills, filled, feeMicros: orderFee });
      }
      for (const e of pnl) this.onPnl(e, now);
      this.inTx(now);
      return results;
    });
    for (const [k, p] of staged) this.positions.set(k, p);
    for (const r of rests) this.resting.set(r.id, r);
    this.feesMicros += fees;
    this.orders += plans.length;
    for (const r of out) this.fills += r.fills.length;
    if (this.onFill) for (const r of out) for (const f of r.fills) this.onFill(f);
    return out;
  }

  /** One fill inside a transaction: fill row, ledger rows, position row (staged). */
  private fill(
    staged: Map<string, Position>,
    info: Pick<MarketInfo, 'tokenId' | 'marketId' | 'eventId'>,
    orderId: number,
    side: Side,
    price: number,
    size: number,
    feeMicros: number,
    liquidity: 'taker' | 'maker' | 'split',
    reason: string,
    now: number,
    pnl: PnlEvent[],
  ): PaperFill {
    const pos = staged.get(info.tokenId) ?? this.position(info, now);
    const id = this.repo.insertFill({ orderId, ts: now, tokenId: info.tokenId, side, price, size, feeMicros, liquidity });
    let next: Position;
    if (side === 'BUY') {
      const e = applyBuy(pos, price, size, feeMicros, now);
      this.repo.ledger(now, -e.costMicros, 'buy', `fill:${id}`);
      next = e.pos;
      if (feeMicros) pnl.push({ micros: -feeMicros, isClose: false });
    } else {
      const e = applySell(pos, price, size, feeMicros, now);
      this.repo.ledger(now, e.proceedsMicros, 'sell', `fill:${id}`);
      next = e.pos;
      pnl.push({ micros: e.realizedMicros - feeMicros, isClose: true });
    }
    if (feeMicros) this.repo.ledger(now, -feeMicros, 'fee', `fill:${id}`);
    if (next.mark === undefined) next.mark = price;
    staged.set(info.tokenId, next);
    this.repo.upsertPosition({ token_id: next.tokenId, market_id: next.marketId, shares: next.shares, cost_micros: next.costMicros, realized_micros: next.realizedMicros, updated_at: now });
    return { id, orderId, ts: now, tokenId: info.tokenId, marketId: info.marketId, side, price, size, feeMicros, liquidity, reason };
  }

  /** Maker fills of resting orders on a trade printed through their price. */
  onTrade(ev: TradeEvent, infoOf: (tokenId: string) => MarketInfo | undefined, now: number): PaperFill[] {
    const out: PaperFill[] = [];
    for (const o of [...this.resting.values()]) {
      if (o.tokenId !== ev.asset) continue;
      const through = o.side === 'BUY' ? ev.price < o.limit : ev.price > o.limit;
      if (through) out.push(...this.makerFill(o, ev.size, infoOf, now));
    }
    return out;
  }

  /** Maker fills of resting orders the opposite best has moved through. */
  onBook(tokenId: string, book: PaperBook, infoOf: (tokenId: string) => MarketInfo | undefined, now: number): PaperFill[] {
    const out: PaperFill[] = [];
    for (const o of [...this.resting.values()]) {
      if (o.tokenId !== tokenId) continue;
      const px = o.side === 'BUY' ? book.askPx : book.bidPx;
      const sz = o.side === 'BUY' ? book.askSz : book.bidSz;
      let through = 0;
      for (let i = px.length - 1; i >= 0; i--) {
        const p = px[i]!;
        if (o.side === 'BUY' ? p >= o.limit : p <= o.limit) break;
        through += sz[i]!;
      }
      if (through > 0) out.push(...this.makerFill(o, through, infoOf, now));
    }
    return out;
  }

  private makerFill(o: Resting, available: number, infoOf: (tokenId: string) => MarketInfo | undefined, now: number): PaperFill[] {
    const size = floorShares(Math.min(o.size - o.filled, available));
    if (size <= 0) return [];
    const info = infoOf(o.tokenId) ?? { tokenId: o.tokenId, marketId: o.marketId, eventId: this.positions.get(o.tokenId)?.eventId ?? o.marketId };
    const staged = new Map<string, Position>();
    const pnl: PnlEvent[] = [];
    const filledAfter = floorShares(o.filled + size + 1e-9);
    const done = filledAfter + 1e-9 >= o.size;
    const fill = this.tx(() => {
      const f = this.fill(staged, info, o.id, o.side, o.limit, size, 0, 'maker', o.reason, now, pnl);
      if (done) this.repo.setOrderStatus(o.id, 'filled');
      for (const e of pnl) this.onPnl(e, now);
      this.inTx(now);
      return f;
    });
    for (const [k, p] of staged) this.positions.set(k, p);
    o.filled = filledAfter;
    if (done) this.resting.delete(o.id);
    this.fills++;
    this.onFill?.(fill);
    return [fill];
  }

  /** Cancels resting orders (all, or one token's); returns how many. */
  cancel(now: number, tokenIds?: ReadonlySet<string>): number {
    const ids = [...this.resting.values()].filter((o) => !tokenIds || tokenIds.has(o.tokenId)).map((o) => o.id);
    if (!ids.length) return 0;
    this.tx(() => {
      for (const id of ids) this.repo.setOrderStatus(id, 'canceled');
      this.inTx(now);
    });
    for (const id of ids) this.resting.delete(id);
    return ids.length;
  }

  /**
   * Settles one market's tokens at their payouts (units per share) in one
   * transaction: settlement rows, a ledger row per payout, positions kept at
   * 0 shares with their realised P&L. Resting orders on them are canceled.
   */
  settle(marketId: string, payouts: ReadonlyMap<string, number>, now: number, onSettled?: (s: readonly SettledToken[]) => void): SettledToken[] {
    const toSettle = [...payouts].filter(([t]) => (this.positions.get(t)?.shares ?? 0) > 0);
    const restingIds = [...this.resting.values()].filter((o) => payouts.has(o.tokenId)).map((o) => o.id);
    if (!toSettle.length && !restingIds.length) return [];
    const staged = new Map<string, Position>();
    const done = this.tx(() => {
      const out: SettledToken[] = [];
      for (const id of restingIds) this.repo.setOrderStatus(id, 'canceled');
      for (const [tokenId, units] of toSettle) {
        const e = applySettlement(this.positions.get(tokenId)!, units, now);
        this.repo.insertSettlement(now, marketId, tokenId, e.shares, e.payoutMicros, e.realizedMicros);
        if (e.payoutMicros) this.repo.ledger(now, e.payoutMicros, 'settlement', `market:${marketId}`);
        this.repo.upsertPosition({ token_id: tokenId, market_id: e.pos.marketId, shares: 0, cost_micros: 0, realized_micros: e.pos.realizedMicros, updated_at: now });
        staged.set(tokenId, e.pos);
        out.push({ tokenId, shares: e.shares, payoutMicros: e.payoutMicros, realizedMicros: e.realizedMicros });
      }
      if (out.length) onSettled?.(out);
      this.inTx(now);
      return out;
    });
    for (const [k, p] of staged) this.positions.set(k, p);
    for (const id of restingIds) this.resting.delete(id);
    return done;
  }
}
