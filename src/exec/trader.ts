// Live order lifecycle on one account: sign, journal (before anything leaves
// the process), post, record the answer; cancel and cancel-all; the exchange
// heartbeat chain; HALT; reconciliation against the venue on start and after
// any gap. Fail closed: an order whose fate is unknown stays SENT until the
// venue says what happened, and anything reconciliation cannot map halts.
import type { LocalAccount } from 'viem';
import { buildSignedOrder, orderPayload, type OrderIntent, type OrderType, type SignedOrder } from './orders.js';
import { orderHash } from './orders.js';
import type { SignatureType } from './wallet.js';
import { Venue, VenueError } from './venue.js';
import { UNRESOLVED, type JournalState, type LiveJournal } from '../persist/live-journal.js';
import { parseSettlement } from './settlement.js';
import type { Template } from './templates.js';
import type { WireOpenOrder, WireTrade } from '../protocol/events.js';
import { systemWall, type WallNow } from '../clock.js';

export interface TraderOptions {
  account: LocalAccount;
  funder: `0x${string}`;
  signatureType: SignatureType;
  apiKey: string;
  venue: Venue;
  journal: LiveJournal;
  /** Heartbeat period (venue deadline is 10 s; send every 5 s). */
  heartbeatEveryMs?: number;
  /** Called once when trading halts, with the reason (UI, alerts). */
  onHalt?: (reason: string) => void;
  /** Notional caps in USDC (price × size); an order over either is refused before it is signed. */
  limits?: { perOrderUsd: number; perDayUsd: number };
  /** Failed settlements within `failedWindowMs` (default 10 min) that halt trading (default 3). */
  maxFailedSettlements?: number;
  failedWindowMs?: number;
  /** This machine's clock (journal stamps are on it). */
  wall?: WallNow;
}

export interface PlaceResult {
  hash: string;
  state: JournalState;
  error?: VenueError;
}

export interface ReconcileReport {
  openOnVenue: number;
  resolved: number;
  fills: number;
  reversed: number;
  /** Plain sentences for what could not be mapped (non-empty ⇒ halted). */
  problems: string[];
}

/** Refusals that say the account cannot trade at all: the first halts. */
const HALTING = new Set<string>(['cancel-only', 'geo-blocked', 'signer-not-key', 'deposit-wallet-required']);

export class LiveTrader {
  private hbTimer: NodeJS.Timeout | undefined;
  private hbId = '';
  private halted: string | undefined;
  /** POSTs refused locally because trading was halted (tests). */
  blocked = 0;

  constructor(private readonly o: TraderOptions) {
    this.halted = o.journal.halt()?.reason;
  }

  get heartbeatRunning(): boolean {
    return this.hbTimer !== undefined;
  }

  get haltReason(): string | undefined {
    return this.halted;
  }

  /** Signs, journals, posts. Throws before any network call when halted or when the journal write fails. */
  async place(intent: OrderIntent, orderType: OrderType, opts: { postOnly?: boolean; expiration?: number; signed?: SignedOrder } = {}): Promise<PlaceResult> {
    if (this.halted) {
      this.blocked++;
      throw new Error(`trading is halted: ${this.halted}`);
    }
    this.checkLimits(intent.price, intent.size);
    const who = { account: this.o.account, funder: this.o.funder, signatureType: this.o.signatureType };
    const signed = opts.signed ?? (await buildSignedOrder(intent, who, { expiration: opts.expiration ?? 0 }));
    const hash = orderHash(signed, intent.version, intent.negRisk);
    const body = orderPayload(signed, this.o.apiKey, orderType, opts.postOnly ?? false);
    this.o.journal.journal({ hash, tokenId: intent.tokenId, side: intent.side, price: intent.price, size: intent.size, orderType, postOnly: opts.postOnly ?? false, version: intent.version, negRisk: intent.negRisk, signatureType: this.o.signatureType, maker: this.o.funder, salt: signed.salt, expiration: signed.expiration });
    // Re-check after the await: a HALT may have landed while signing.
    if (this.halted) {
      this.o.journal.setState(hash, 'NOT_FOUND');
      this.blocked++;
      throw new Error(`trading is halted: ${this.halted}`);
    }
    this.o.journal.setState(hash, 'SENT');
    try {
      const r = await this.o.venue.call<{ success: boolean; orderID: string; status: string; errorMsg?: string; makingAmount?: string; takingAmount?: string }>('POST', '/order', JSON.parse(body));
      const state: JournalState = r.status === 'live' || r.status === 'delayed' ? 'LIVE' : r.status === 'matched' ? 'MATCHED' : 'CANCELED';
      if (r.orderID && r.orderID.toLowerCase() !== hash.toLowerCase()) this.halt(`the venue acknowledged order ${hash.slice(0, 10)}… under another id ${String(r.orderID).slice(0, 10)}…`);
      const matched = (intent.side === 'BUY' ? r.takingAmount : r.makingAmount) || '0';
      this.o.journal.ack(hash, state, matched);
      return { hash, state };
    } catch (err) {
      if (!(err instanceof VenueError)) throw err;
      // Timeouts and network errors leave the order SENT: it may be booked; reconciliation decides.
      if (err.kind === 'timeout' || err.kind === 'network') return { hash, state: 'SENT', error: err };
      this.o.journal.ack(hash, 'REJECTED', '0', err.venueText);
      if (HALTING.has(err.kind)) void this.halt(`the venue refused an order: ${err.venueText}`);
      return { hash, state: 'REJECTED', error: err };
    }
  }

  /**
   * The template hot path: journal, then hand the ready body to the socket.
   * `flushed` is when the bytes left for the socket (performance.now()).
   */
  placeTemplate(t: Template, orderType: OrderType, postOnly = false): { hash: string; flushed: Promise<number>; done: Promise<PlaceResult> } {
    if (this.halted) {
      this.blocked++;
      throw new Error(`trading is halted: ${this.halted}`);
    }
    this.checkLimits(t.price, t.size);
    const hash = orderHash(t.order, t.version, t.negRisk);
    const body = orderPayload(t.order, this.o.apiKey, orderType, postOnly);
    this.o.journal.journal({ hash, tokenId: t.tokenId, side: t.side, price: t.price, size: t.size, orderType, postOnly, version: t.version, negRisk: t.negRisk, signatureType: this.o.signatureType, maker: this.o.funder, salt: t.order.salt, expiration: t.order.expiration });
    this.o.journal.setState(hash, 'SENT');
    const { flushed, reply } = this.o.venue.postRaw('/order', body);
    const done = reply.then(
      (r) => {
        const a = r as { status: string; makingAmount?: string; takingAmount?: string };
        const state: JournalState = a.status === 'live' || a.status === 'delayed' ? 'LIVE' : a.status === 'matched' ? 'MATCHED' : 'CANCELED';
        this.o.journal.ack(hash, state, (t.side === 'BUY' ? a.takingAmount : a.makingAmount) || '0');
        return { hash, state };
      },
      (err: unknown) => {
        if (!(err instanceof VenueError) || err.kind === 'timeout' || err.kind === 'network') return { hash, state: 'SENT' as JournalState, ...(err instanceof VenueError ? { error: err } : {}) };
        this.o.journal.ack(hash, 'REJECTED', '0', err.venueText);
        if (HALTING.has(err.kind)) void this.halt(`the venue refused an order: ${err.venueText}`);
        return { hash, state: 'REJECTED' as JournalState, error: err };
      },
    );
    return { hash, flushed, done };
  }

  /** Refuses an order whose notional breaks the per-order or per-day (UTC) cap. */
  private checkLimits(price: string, size: string): void {
    const l = this.o.limits;
    if (!l) return;
    const usd = Number(price) * Number(size);
    if (usd > l.perOrderUsd) throw new Error(`order notional ${usd.toFixed(2)} USDC is over the per-order limit ${l.perOrderUsd}`);
    const day = this.o.journal.notionalSince(Math.floor((this.o.wall ?? systemWall)() / 86_400_000) * 86_400_000);
    if (day + usd > l.perDayUsd) throw new Error(`today's notional would be ${(day + usd).toFixed(2)} USDC, over the daily limit ${l.perDayUsd}`);
  }

  async cancel(hash: string): Promise<boolean> {
    const r = await this.o.venue.call<{ canceled: string[] }>('DELETE', '/order', { orderID: hash });
    const done = r.canceled.includes(hash);
    // Not cancelled may still be live: local state is left for reconciliation.
    if (done) this.o.journal.setState(hash, 'CANCELED');
    return done;
  }

  async cancelAll(): Promise<string[]> {
    const r = await this.o.venue.call<{ canceled: string[] }>('DELETE', '/cancel-all', undefined, undefined, 2000);
    for (const h of r.canceled) if (this.o.journal.get(h)) this.o.journal.setState(h, 'CANCELED');
    return r.canceled;
  }

  /** Starts the chained heartbeat; a failed beat halts (the venue will cancel everything at its deadline anyway). */
  startHeartbeat(): void {
    if (this.hbTimer || this.halted) return;
    const beat = async () => {
      try {
        let r: { heartbeat_id: string };
        try {
          r = await this.o.venue.call<{ heartbeat_id: string }>('POST', '/v1/heartbeats', { heartbeat_id: this.hbId }, undefined, 3000);
        } catch (err) {
          // A restart inside the venue's deadline finds the previous process's chain
          // still running: the first beat joins it (the venue names the id it expects).
          // Mid-chain, a mismatch means another process beats for this key: halt.
          const expected = err instanceof VenueError && this.hbId === '' ? /expected ([0-9a-zA-Z-]{8,80})/.exec(err.venueText)?.[1] : undefined;
          if (!expected) throw err;
          r = await this.o.venue.call<{ heartbeat_id: string }>('POST', '/v1/heartbeats', { heartbeat_id: expected }, undefined, 3000);
        }
        this.hbId = r.heartbeat_id;
      } catch (err) {
        if (this.hbTimer) this.halt(`exchange heartbeat failed (${(err as Error).message}); the venue cancels all orders at its deadline`);
      }
    };
    void beat();
    this.hbTimer = setInterval(() => void beat(), this.o.heartbeatEveryMs ?? 5000);
  }

  stopHeartbeat(): void {
    if (this.hbTimer) clearInterval(this.hbTimer);
    this.hbTimer = undefined;
    this.hbId = '';
  }

  /**
   * HALT: new orders are refused from this instant, the halt is persisted
   * (it survives a restart until the operator clears it), the heartbeat stops
   * (so the venue cancels even if our cancel is lost), and cancel-all goes out.
   */
  halt(reason: string): Promise<void> {
    const first = !this.halted;
    this.halted = this.halted ?? reason;
    this.o.journal.setHalt(this.halted);
    this.stopHeartbeat();
    if (first) this.o.onHalt?.(reason);
    return this.cancelAll().then(
      () => undefined,
      () => undefined,
    );
  }

  /** Pages through a list endpoint (cursor "MA==" first, "LTE=" last), bounded. */
  private async all<T>(path: string, query: Record<string, string> = {}): Promise<T[]> {
    const out: T[] = [];
    let cursor = 'MA==';
    for (let i = 0; i < 1000 && cursor !== 'LTE='; i++) {
      const r = await this.o.venue.call<{ data: T[]; next_cursor: string }>('GET', path, undefined, { ...query, next_cursor: cursor });
      out.push(...r.data);
      cursor = r.next_cursor;
    }
    return out;
  }

  /**
   * Reads open orders and trades back and maps them onto the journal. Orders
   * the journal does not know, and trades of such orders, halt trading.
   */
  async reconcile(opts: { tradesAfter?: number } = {}): Promise<ReconcileReport> {
    const problems: string[] = [];
    const open = await this.all<WireOpenOrder>('/data/orders');
    const trades = await this.all<WireTrade>('/data/trades', opts.tradesAfter ? { after: String(opts.tradesAfter) } : {});
    const openIds = new Set(open.map((o) => o.id.toLowerCase()));
    for (const o of open) {
      const j = this.o.journal.get(o.id.toLowerCase()) ?? this.o.journal.get(o.id);
      if (!j) problems.push(`the venue holds an open order ${o.id.slice(0, 12)}… (${o.side} ${o.original_size} @ ${o.price}) that the journal never wrote`);
      else if (j.state !== 'LIVE') this.o.journal.ack(j.hash, 'LIVE', o.size_matched);
    }
    let resolved = 0;
    for (const j of this.o.journal.inStates([...UNRESOLVED, 'LIVE'])) {
      if (openIds.has(j.hash.toLowerCase())) {
        if (j.state !== 'LIVE') resolved++;
        continue;
      }
      // Not open: ask for it by id (matched, cancelled), or conclude it never arrived.
      const one = await this.o.venue.call<{ status?: string; size_matched?: string } | null>('GET', `/data/order/${j.hash}`);
      const state: JournalState = !one ? 'NOT_FOUND' : one.status === 'MATCHED' ? 'MATCHED' : 'CANCELED';
      this.o.journal.ack(j.hash, state, one?.size_matched ?? '0');
      resolved++;
    }
    let fills = 0;
    let reversed = 0;
    const me = this.o.funder.toLowerCase();
    for (const t of trades) {
      const status = parseSettlement(t.status);
      if (!status) {
        problems.push(`trade ${t.id} has an unknown status "${String(t.status).slice(0, 20)}"`);
        continue;
      }
      const legs: Array<{ hash: string; side: 'BUY' | 'SELL'; size: string; price: string; feeRateBps: number }> = [];
      const bps = (x: unknown) => (Number.isFinite(Number(x)) && Number(x) > 0 ? Number(x) : 0);
      if (t.trader_side === 'TAKER') legs.push({ hash: t.taker_order_id, side: t.side, size: t.size, price: t.price, feeRateBps: bps(t.fee_rate_bps) });
      else for (const mo of t.maker_orders) if (mo.maker_address.toLowerCase() === me) legs.push({ hash: mo.order_id, side: mo.side, size: mo.matched_amount, price: mo.price, feeRateBps: bps(mo.fee_rate_bps) });
      if (!legs.length) problems.push(`trade ${t.id} has no leg owned by ${me}`);
      for (const leg of legs) {
        if (!this.o.journal.get(leg.hash)) {
          problems.push(`trade ${t.id} fills order ${leg.hash.slice(0, 12)}… that the journal never wrote`);
          continue;
        }
        const r = this.o.journal.fill({ tradeId: t.id, orderHash: leg.hash, tokenId: t.asset_id, side: leg.side, price: leg.price, size: leg.size, traderSide: t.trader_side, status, feeRateBps: leg.feeRateBps, ...(t.transaction_hash ? { txHash: t.transaction_hash } : {}), matchedAt: Number(t.match_time) * 1000 });
        if (r !== 'unchanged') fills++;
        if (r === 'reversed') reversed++;
      }
    }
    const failed = this.o.journal.failedSince((this.o.wall ?? systemWall)() - (this.o.failedWindowMs ?? 600_000));
    if (failed >= (this.o.maxFailedSettlements ?? 3)) problems.push(`${failed} fills failed to settle in the last ${Math.round((this.o.failedWindowMs ?? 600_000) / 60_000)} minutes`);
    if (problems.length) await this.halt(`reconciliation: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`);
    return { openOnVenue: open.length, resolved, fills, reversed, problems };
  }
}
