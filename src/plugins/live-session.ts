// A live trading session: one account on one venue, supervised. It owns the
// venue client, the order journal, the trader (heartbeat, cancel-all), the
// user channel and the watchdogs, and turns every unsafe condition into a
// persisted HALT: the operator's `x`, the paper breaker, a missed exchange
// heartbeat, a silent user channel, reconciliation that cannot map what the
// venue holds, repeated failed settlements, local clock drift against the
// venue's /time, and the venue in cancel-only mode. A halt cancels all and
// stops the heartbeat (so the venue cancels even if our DELETE is lost).
// Everything the console shows about live trading is computed here (view()).
import { systemWall, type WallNow } from '../clock.js';
import type { DB } from '../persist/db.js';
import { LiveJournal, type JournalRow, type LiveClose } from '../persist/live-journal.js';
import { l1Headers } from '../exec/auth.js';
import { LiveTrader, type ReconcileReport } from '../exec/trader.js';
import { UserChannel } from '../exec/user-ws.js';
import type { ReceivedUserEvent as UserEvent } from '../protocol/events.js';
import { Venue, VenueError, sanitize } from '../exec/venue.js';
import { parseSettlement } from '../exec/settlement.js';
import { Secret } from '../exec/secret.js';
import type { ApiCreds, Wallet } from '../exec/wallet.js';
import type { ExchangeVersion } from '../exec/contracts.js';
import { TICK_SIZES, type OrderType, type TickSize } from '../exec/orders.js';
import type { Executor, ExecutorAccount, ExecutorHolding } from '../paper/executor.js';
import { TemplateCache, type TemplateStats } from '../exec/templates.js';
import { SigningWorker } from '../exec/sign-worker.js';
import { performance } from 'node:perf_hooks';
import type { CommittedOrder, PlannedOrder } from '../paper/broker.js';
import { PRICE_SCALE } from '../protocol/units.js';

export interface LiveLimits {
  /** Largest notional (price × size, USDC) of one order. */
  perOrderUsd: number;
  /** Largest notional sent in one UTC day. */
  perDayUsd: number;
}

export interface LiveSessionOptions {
  wallet: Wallet;
  clob: string;
  userWsUrl: string;
  db: DB;
  limits: LiveLimits;
  /** Whether a market is negative-risk (the catalog knows). */
  negRiskOf: (marketId: string) => boolean | undefined;
  /** This machine's clock (injectable: the drift watchdog compares it with the venue's /time). */
  now?: WallNow;
  /** Largest |local − venue| clock difference before halting (default 5 s). */
  maxDriftMs?: number;
  clockEveryMs?: number;
  /** No frame (event or PONG) on the user channel for this long halts (default 60 s). */
  silenceMs?: number;
  pingMs?: number;
  heartbeatEveryMs?: number;
  reconcileEveryMs?: number;
  maxFailedSettlements?: number;
  deadlineMs?: number;
  log?: (line: string) => void;
  onHalt?: (reason: string) => void;
  /** A SELL fill settled on chain (once per fill): its realised P&L feeds the breaker's losing run and cooldown. */
  onClose?: (c: LiveClose) => void;
  /** The console's touch for a token (price units), for template windows and the account's marks. */
  touchOf?: (tokenId: string) => { bid?: number; ask?: number } | undefined;
  /** The venue balance is read this often, off the hot path (default 5 s)… */
  accountEveryMs?: number;
  /** …and counts as unknown (entries refused) once older than this (default 20 s). */
  accountMaxAgeMs?: number;
  /**
   * Pre-signed templates for the tokens the desk trades most: `sizes` signed
   * ahead besides the sizes the desk recently used there; `worker` signs
   * refills in a worker thread (default true). false: always sign fresh.
   */
  templates?: false | { sizes?: string[]; window?: number; ttlMs?: number; cap?: number; maxTokens?: number; worker?: boolean };
}

/** Templates on the live path: how often a desk order found one, and how fast its bytes left. */
export interface TemplateReport extends TemplateStats {
  tokens: number;
  ready: number;
  /** Orders posted from a template, and those the venue refused (any reason). */
  posted: number;
  rejected: number;
  rejections: string[];
  /** Desk decision (executor commit) → request bytes written to the socket, ms, template hits only. */
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  hitRate: number | null;
}

/** What the screen shows of the venue account: the same numbers the desk sizes from. */
export interface LiveAccountView {
  unknown: string | null;
  balanceUsd: number;
  reservedUsd: number;
  availableUsd: number;
  equityUsd: number;
  readAgoMs: number | null;
  positions: { tokenId: string; confirmed: number; pending: number; sellable: number; avgPrice: number; mark: number | null }[];
}

export interface LiveOrderView {
  hash: string;
  ts: number;
  side: 'BUY' | 'SELL';
  price: number;
  size: number;
  matched: number;
  /** live / matched / partially filled / cancelled / rejected / sent / unknown. */
  state: string;
  /** The exchange's refusal, sanitised. */
  refusal: string;
  tokenId: string;
}

export interface LiveFillView {
  tradeId: string;
  ts: number;
  side: 'BUY' | 'SELL';
  price: number;
  size: number;
  /** MATCHED → MINED → CONFIRMED, or FAILED (reversed). */
  settlement: string;
  reversed: boolean;
  tokenId: string;
}

export interface LiveView {
  /** Abbreviated funder address (never a secret). */
  wallet: string;
  venue: string;
  halted: string | null;
  heartbeat: 'running' | 'stopped';
  userChannel: 'open' | 'closed';
  /** Last measured venue − local clock, ms (null before the first probe). */
  clockDriftMs: number | null;
  limits: LiveLimits;
  todayUsd: number;
  orders: LiveOrderView[];
  fills: LiveFillView[];
  /** Orders refused before they left (limits, halt), newest first. */
  refusals: { ts: number; text: string }[];
  account: LiveAccountView;
}

/** "0x1234…cdef": enough to recognise a wallet, never the whole key material. */
export function abbreviate(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** The phrase the operator types to go live: names the wallet. */
export function confirmPhrase(funder: string): string {
  return `live ${funder.slice(-6).toLowerCase()}`;
}

/** The venue's order-type for a desk plan: IOC and market orders are FAK; resting orders GTC. */
export function orderTypeOf(planType: string): OrderType {
  return planType === 'limit-GTC' ? 'GTC' : 'FAK';
}

/** The tick size string for a tick in price units (0.01 → '0.01'); undefined when the venue has no such tick. */
export function tickOf(units: number): TickSize | undefined {
  const t = (units / PRICE_SCALE).toString();
  return (TICK_SIZES as readonly string[]).includes(t) ? (t as TickSize) : undefined;
}

/** A price in units as the venue's decimal text on `tick`'s grid. */
export function priceText(units: number, tick: TickSize): string {
  const dp = tick.split('.')[1]!.length;
  return (units / PRICE_SCALE).toFixed(dp);
}

const MAX_REFUSALS = 50;

export class LiveSession {
  readonly journal: LiveJournal;
  readonly trader: LiveTrader;
  readonly venue: Venue;
  private channel: UserChannel | undefined;
  private channelOpen = false;
  private timers: NodeJS.Timeout[] = [];
  private driftMs: number | null = null;
  private readonly refusals: { ts: number; text: string }[] = [];
  private readonly now: WallNow;
  private closed = false;
  version: ExchangeVersion;
  /** Orders handed to the trader and not yet answered. */
  pending = 0;
  /** Pre-signed templates (undefined when turned off). */
  templates: TemplateCache | undefined;
  private signer: SigningWorker | undefined;
  private refillQueued = false;
  /** Tokens the desk sent orders for: how often, the sizes used, tick and neg-risk. */
  private readonly use = new Map<string, { n: number; sizes: string[]; tick: TickSize; negRisk: boolean }>();
  private readonly templateTokensSet = new Set<string>();
  private readonly lastTouch = new Map<string, { bid: number | undefined; ask: number | undefined }>();
  private readonly hitMs: number[] = [];
  private templatePosted = 0;
  private readonly templateRejections: string[] = [];
  /** Orders handed to the trader and not yet journaled or answered: BUY cash and SELL shares they hold back. */
  private readonly inflight = new Map<number, { tokenId: string; buyMicros: number; sellShares: number }>();
  private inflightSeq = 0;
  private balanceMicros: number | undefined;
  private balanceAt = 0;
  private balanceError: string | undefined;
  private accountMemo: { at: number; a: ExecutorAccount } | undefined;

  private constructor(
    private readonly o: LiveSessionOptions,
    creds: ApiCreds,
    version: ExchangeVersion,
  ) {
    this.now = o.now ?? systemWall;
    this.version = version;
    this.journal = new LiveJournal(o.db);
    this.journal.onConfirmedSell = (c) => {
      this.log(`live: closed ${c.size} sh at ${c.price} against avg ${c.avgBuyPrice.toFixed(4)}: ${c.netMicros < 0 ? '−' : '+'}$${(Math.abs(c.netMicros) / 1e6).toFixed(2)}`);
      try {
        o.onClose?.(c);
      } catch (err) {
        // Fail closed: a close the breaker could not count halts live trading.
        void this.halt(`a settled SELL could not reach the breaker (${describe(err)})`);
      }
    };
    const w = o.wallet;
    // The API key is bound to the funder for a deposit wallet, to the signer otherwise.
    const address = w.signatureType === 3 ? w.funder : w.signer;
    this.venue = new Venue({ clob: o.clob, address, creds, deadlineMs: o.deadlineMs ?? 5000 });
    this.trader = new LiveTrader({
      account: w.account,
      funder: w.funder,
      signatureType: w.signatureType,
      apiKey: creds.key,
      venue: this.venue,
      journal: this.journal,
      heartbeatEveryMs: o.heartbeatEveryMs ?? 5000,
      limits: o.limits,
      ...(o.maxFailedSettlements !== undefined ? { maxFailedSettlements: o.maxFailedSettlements } : {}),
      onHalt: (reason) => {
        this.log(`live: trading HALTED: ${reason}`);
        o.onHalt?.(reason);
      },
    });
    this.creds = creds;
  }

  private readonly creds: ApiCreds;

  /**
   * Opens a session: API credentials (configured, or derived with an L1
   * signature, or created), the exchange version, reconciliation, then the
   * heartbeat, the user channel and the watchdogs. A persisted halt stays:
   * nothing is started that could trade.
   */
  static async open(o: LiveSessionOptions): Promise<LiveSession> {
    const creds = o.wallet.creds ?? (await deriveCreds(o.clob, o.wallet, o.now ?? systemWall));
    const version = await readVersion(o.clob);
    const s = new LiveSession(o, creds, version);
    try {
      await s.reconcile();
    } catch (err) {
      await s.halt(`reconciliation at start failed: ${describe(err)}`);
    }
    await s.checkClock();
    await s.refreshAccount();
    if (o.templates !== false) await s.startTemplates();
    if (!s.halted) s.trader.startHeartbeat();
    await s.openChannel();
    s.timers.push(
      setInterval(() => {
        void s.checkClock();
        void s.checkVersion();
      }, o.clockEveryMs ?? 60_000),
    );
    s.timers.push(setInterval(() => void s.refreshAccount(), o.accountEveryMs ?? 5000));
    s.timers.push(
      setInterval(() => {
        void s.reconcile().catch((err: unknown) => s.halt(`reconciliation failed: ${describe(err)}`));
      }, o.reconcileEveryMs ?? 60_000),
    );
    return s;
  }

  get halted(): string | undefined {
    return this.trader.haltReason;
  }

  private log(line: string): void {
    this.o.log?.(sanitize(line, 400));
  }

  /** HALT from any source; persisted, cancels all, stops the heartbeat. */
  halt(reason: string): Promise<void> {
    return this.trader.halt(sanitize(reason, 300));
  }

  async reconcile(): Promise<ReconcileReport> {
    const r = await this.trader.reconcile();
    this.accountMemo = undefined;
    if (r.problems.length) this.log(`live: reconciliation: ${r.problems.slice(0, 3).join('; ')}`);
    return r;
  }

  /** Local clock against the venue's /time (seconds); beyond the bound halts. */
  async checkClock(): Promise<number | null> {
    try {
      const t0 = this.now();
      const r = await fetch(`${this.o.clob}/time`, { signal: AbortSignal.timeout(5000) });
      const server = Number(await r.text()) * 1000;
      const t1 = this.now();
      if (!Number.isFinite(server) || server <= 0) throw new Error('the venue time is not a number');
      // /time has one-second resolution: the venue's second may be up to 1 s behind.
      const drift = server + 500 - (t0 + t1) / 2;
      this.driftMs = Math.round(drift);
      const bound = this.o.maxDriftMs ?? 5000;
      if (Math.abs(drift) > bound) await this.halt(`clock drift: this machine is ${Math.round(Math.abs(drift) / 1000)} s ${drift > 0 ? 'behind' : 'ahead of'} the venue (bound ${bound / 1000} s); fix time sync`);
      return this.driftMs;
    } catch (err) {
      this.log(`live: the venue time could not be read (${describe(err)})`);
      return null;
    }
  }

  private async openChannel(): Promise<void> {
    if (this.closed) return;
    const ch = new UserChannel({
      url: this.o.userWsUrl,
      creds: this.creds,
      markets: [],
      onEvent: (ev) => this.onUserEvent(ev),
      onGap: (why) => {
        this.channelOpen = false;
        if (this.closed) return;
        // Silence is a watchdog halt; a drop reconnects and reconciles (the channel replays nothing).
        if (why.includes('silent')) void this.halt(`user channel silent for ${Math.round((this.o.silenceMs ?? 60_000) / 1000)} s: order and fill updates are not arriving`);
        else void this.reconnect(why);
      },
      pingMs: this.o.pingMs ?? 10_000,
      silenceMs: this.o.silenceMs ?? 60_000,
    });
    this.channel = ch;
    try {
      await ch.open();
      // Closed while connecting: the session is over and its database may be gone; nothing more to do.
      if (this.closed) {
        ch.close();
        return;
      }
      this.channelOpen = true;
    } catch (err) {
      if (!this.closed) await this.halt(`user channel could not connect: ${describe(err)}`);
    }
  }

  private async reconnect(why: string): Promise<void> {
    this.log(`live: ${why}; reconnecting and reconciling`);
    this.channel?.close();
    await this.openChannel();
    if (this.closed || !this.channelOpen) return;
    try {
      await this.reconcile();
    } catch (err) {
      await this.halt(`reconciliation after a user-channel gap failed: ${describe(err)}`);
    }
  }

  private onUserEvent(ev: UserEvent): void {
    this.accountMemo = undefined;
    try {
      if (ev.event_type === 'order') this.onOrderEvent(ev);
      else this.onTradeEvent(ev);
    } catch (err) {
      void this.halt(`a user-channel update could not be applied: ${describe(err)}`);
    }
  }

  private onOrderEvent(ev: UserEvent): void {
    const id = String(ev['id'] ?? '');
    const row = this.journal.get(id) ?? this.journal.get(id.toLowerCase());
    if (!row) {
      void this.halt(`the user channel reports order ${id.slice(0, 12)}… that the journal never wrote`);
      return;
    }
    const type = String(ev['type'] ?? '').toUpperCase();
    const matched = String(ev['size_matched'] ?? row.sizeMatched);
    if (type === 'CANCELLATION') this.journal.ack(row.hash, 'CANCELED', matched, row.venueError);
    else {
      const full = Number(matched) > 0 && Number(matched) >= Number(row.size) - 1e-9;
      this.journal.ack(row.hash, full ? 'MATCHED' : 'LIVE', matched, row.venueError);
    }
  }

  private onTradeEvent(ev: UserEvent): void {
    const status = parseSettlement(ev['status']);
    const tradeId = String(ev['id'] ?? '');
    if (!status) {
      void this.halt(`trade ${tradeId.slice(0, 16)} has an unknown status "${sanitize(String(ev['status']), 20)}"`);
      return;
    }
    const me = this.o.wallet.funder.toLowerCase();
    const legs: { hash: string; side: 'BUY' | 'SELL'; size: string; price: string; traderSide: 'TAKER' | 'MAKER'; feeRateBps: number }[] = [];
    const bps = (x: unknown) => (Number.isFinite(Number(x)) && Number(x) > 0 ? Number(x) : 0);
    const taker = String(ev['taker_order_id'] ?? '');
    if (taker && this.journal.get(taker)) legs.push({ hash: taker, side: ev['side'] === 'SELL' ? 'SELL' : 'BUY', size: String(ev['size']), price: String(ev['price']), traderSide: 'TAKER', feeRateBps: bps(ev['fee_rate_bps']) });
    const makers = Array.isArray(ev['maker_orders']) ? (ev['maker_orders'] as Record<string, unknown>[]) : [];
    for (const m of makers) {
      if (String(m['maker_address'] ?? '').toLowerCase() !== me) continue;
      legs.push({ hash: String(m['order_id']), side: m['side'] === 'SELL' ? 'SELL' : 'BUY', size: String(m['matched_amount']), price: String(m['price']), traderSide: 'MAKER', feeRateBps: bps(m['fee_rate_bps']) });
    }
    if (!legs.length) {
      void this.halt(`the user channel reports trade ${tradeId.slice(0, 16)} with no order the journal wrote`);
      return;
    }
    const matchTime = Number(ev['match_time'] ?? ev['matchtime'] ?? 0);
    for (const leg of legs) {
      if (!this.journal.get(leg.hash)) {
        void this.halt(`trade ${tradeId.slice(0, 16)} fills order ${leg.hash.slice(0, 12)}… that the journal never wrote`);
        continue;
      }
      const r = this.journal.fill({ tradeId, orderHash: leg.hash, tokenId: String(ev['asset_id'] ?? ''), side: leg.side, price: leg.price, size: leg.size, traderSide: leg.traderSide, status, feeRateBps: leg.feeRateBps, ...(typeof ev['transaction_hash'] === 'string' ? { txHash: ev['transaction_hash'] } : {}), matchedAt: matchTime > 1e12 ? matchTime : matchTime * 1000 });
      if (r === 'reversed') this.log(`live: fill ${tradeId.slice(0, 16)} FAILED on chain; reversed`);
    }
    const max = this.o.maxFailedSettlements ?? 3;
    const failed = this.journal.failedSince(this.now() - 600_000);
    if (failed >= max) void this.halt(`${failed} fills failed to settle in the last 10 minutes`);
  }

  /** The desk's executor: orders that passed every paper gate go to the venue. */
  executor(): Executor {
    return {
      kind: 'live',
      baskets: false,
      commit: (plans: readonly PlannedOrder[]): CommittedOrder[] => plans.map((p) => this.send(p)),
      account: () => this.account(),
    };
  }

  private send(p: PlannedOrder): CommittedOrder {
    const t0 = performance.now();
    const out: CommittedOrder = { orderId: 0, status: 'open', fills: [], filled: 0, feeMicros: 0 };
    const tick = tickOf(p.info.tickSize);
    const negRisk = this.o.negRiskOf(p.info.marketId);
    if (!tick || negRisk === undefined) {
      this.refused(`${p.side} ${p.size} ${p.info.outcome}: ${!tick ? `tick ${p.info.tickSize / PRICE_SCALE} is not one the venue signs` : 'neg-risk flag unknown for the market'}`);
      out.status = 'refused';
      return out;
    }
    const intent = { tokenId: p.info.tokenId, side: p.side, price: priceText(p.limit, tick), size: p.size.toFixed(2), tick, negRisk, version: this.version };
    const type = orderTypeOf(p.type);
    // Held back from the account until the journal (or the answer) knows the order.
    const id = ++this.inflightSeq;
    this.inflight.set(id, { tokenId: intent.tokenId, buyMicros: p.side === 'BUY' ? Math.round(Number(intent.price) * Number(intent.size) * 1e6) : 0, sellShares: p.side === 'SELL' ? Number(intent.size) : 0 });
    this.accountMemo = undefined;
    this.pending++;
    const settled = () => {
      this.pending--;
      this.inflight.delete(id);
      this.accountMemo = undefined;
    };
    const tpl = this.templates?.take(intent.tokenId, intent.side, intent.price, intent.size);
    if (tpl) {
      try {
        const r = this.trader.placeTemplate(tpl, type);
        this.templatePosted++;
        void r.flushed.then((t) => {
          this.hitMs.push(t - t0);
          if (this.hitMs.length > 10_000) this.hitMs.splice(0, 5_000);
        });
        void r.done
          .then((res) => {
            if (res.state !== 'REJECTED') return;
            const text = res.error?.venueText ?? 'refused';
            this.templateRejections.push(sanitize(text, 200));
            if (this.templateRejections.length > 50) this.templateRejections.shift();
            this.log(`live: the venue refused ${p.side} ${intent.size} @ ${intent.price} (pre-signed): ${text}`);
            if (res.error?.kind === 'version-mismatch') void this.checkVersion();
          })
          .finally(settled);
      } catch (err) {
        this.refused(`${p.side} ${intent.size} @ ${intent.price}: ${describe(err)}`);
        settled();
      }
    } else {
      this.trader
        .place(intent, type)
        .then(
          (r) => {
            if (r.error && r.state === 'REJECTED') this.log(`live: the venue refused ${p.side} ${intent.size} @ ${intent.price}: ${r.error.venueText}`);
            if (r.error?.kind === 'version-mismatch') void this.checkVersion();
          },
          (err: unknown) => this.refused(`${p.side} ${intent.size} @ ${intent.price}: ${describe(err)}`),
        )
        .finally(settled);
    }
    this.noteUse(intent.tokenId, intent.size, tick, negRisk);
    return out;
  }

  // ---- pre-signed templates ---------------------------------------------------

  private async startTemplates(): Promise<void> {
    const t = this.o.templates === false ? undefined : (this.o.templates ?? {});
    if (!t) return;
    const w = this.o.wallet;
    let account = w.account as import('viem').LocalAccount;
    if (t.worker !== false) {
      try {
        const signer = new SigningWorker(w.privateKey, w.signer);
        await signer.ready;
        this.signer = signer;
        account = signer.account;
      } catch (err) {
        this.log(`live: template signing stays on the main thread (${describe(err)})`);
      }
    }
    this.templates = new TemplateCache({ account, funder: w.funder, signatureType: w.signatureType }, this.version, {
      ...(t.window !== undefined ? { window: t.window } : {}),
      ...(t.ttlMs !== undefined ? { ttlMs: t.ttlMs } : {}),
      cap: t.cap ?? 2000,
      now: this.now,
      parallel: this.signer ? 2 : 1,
    });
  }

  hasTemplates(tokenId: string): boolean {
    return this.templateTokensSet.has(tokenId);
  }

  /** Tokens templates are kept for (the console feeds their touch through onTouch). */
  templateTokens(): string[] {
    return [...this.templateTokensSet];
  }

  /**
   * Keeps templates for a token (the desk's most-traded ones are added by
   * themselves): its tick and neg-risk flag, and sizes besides the configured.
   */
  watchTemplates(tokenId: string, tick: TickSize, negRisk: boolean, sizes: readonly string[] = []): void {
    if (!this.templates) return;
    const cfg = (this.o.templates || {}).sizes ?? [];
    const all = [...new Set([...cfg, ...sizes].map((x) => Number(x).toFixed(2)))];
    this.templates.watch(tokenId, { tick, negRisk, sizes: all });
    this.templateTokensSet.add(tokenId);
    const t = this.o.touchOf?.(tokenId);
    if (t) this.onTouch(tokenId, t.bid, t.ask);
  }

  /** Counts an order toward "most traded" and keeps templates for the top tokens at the sizes used there. */
  private noteUse(tokenId: string, size: string, tick: TickSize, negRisk: boolean): void {
    if (!this.templates) return;
    const u = this.use.get(tokenId) ?? { n: 0, sizes: [], tick, negRisk };
    u.n++;
    u.tick = tick;
    u.negRisk = negRisk;
    if (!u.sizes.includes(size)) {
      u.sizes.push(size);
      if (u.sizes.length > 3) u.sizes.shift();
    }
    this.use.set(tokenId, u);
    const max = (this.o.templates || {}).maxTokens ?? 20;
    const top = [...this.use.entries()].sort((a, b) => b[1].n - a[1].n).slice(0, max);
    const keep = new Set(top.map(([t]) => t));
    for (const t of this.templateTokensSet) {
      if (keep.has(t) || !this.use.has(t)) continue;
      this.templates.closed(t);
      this.templateTokensSet.delete(t);
    }
    if (keep.has(tokenId)) this.watchTemplates(tokenId, tick, negRisk, u.sizes);
    this.kickRefill();
  }

  /** A new touch (price units): templates outside the window are dropped, the refill follows off the hot path. */
  onTouch(tokenId: string, bid: number | undefined, ask: number | undefined): void {
    if (!this.templates || !this.templateTokensSet.has(tokenId)) return;
    const last = this.lastTouch.get(tokenId);
    if (last && last.bid === bid && last.ask === ask) return;
    this.lastTouch.set(tokenId, { bid, ask });
    this.templates.touch(tokenId, bid === undefined ? undefined : bid / PRICE_SCALE, ask === undefined ? undefined : ask / PRICE_SCALE);
    this.kickRefill();
  }

  /** The market's tick changed (tick_size_change, catalog): every template for it is dropped. */
  onTick(tokenId: string, tickUnits: number): void {
    const tick = tickOf(tickUnits);
    if (!this.templates || !this.templateTokensSet.has(tokenId)) return;
    this.lastTouch.delete(tokenId);
    if (tick) this.templates.tickChanged(tokenId, tick);
    else this.onClosed(tokenId);
  }

  onClosed(tokenId: string): void {
    if (!this.templates || !this.templateTokensSet.has(tokenId)) return;
    this.templates.closed(tokenId);
    this.templateTokensSet.delete(tokenId);
    this.use.delete(tokenId);
  }

  /** Signs what the windows miss, in the background (never awaited on the hot path). */
  private kickRefill(): void {
    if (!this.templates || this.refillQueued || this.closed || this.halted) return;
    this.refillQueued = true;
    setImmediate(() => {
      this.refillQueued = false;
      if (this.closed || this.halted) return;
      void this.templates?.refill().catch((err: unknown) => this.log(`live: template refill failed (${describe(err)})`));
    });
  }

  templateReport(): TemplateReport {
    const st = this.templates?.stats ?? { hits: 0, misses: 0, signed: 0, dropped: 0, refusedStale: 0 };
    const lat = [...this.hitMs].sort((a, b) => a - b);
    const q = (f: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(lat.length * f))]! : null);
    const asked = st.hits + st.misses;
    return { ...st, tokens: this.templateTokensSet.size, ready: this.templates?.size ?? 0, posted: this.templatePosted, rejected: this.templateRejections.length, rejections: [...this.templateRejections], p50Ms: q(0.5), p99Ms: q(0.99), maxMs: lat.at(-1) ?? null, hitRate: asked ? st.hits / asked : null };
  }

  /** The exchange version from /version; a change drops every template signed for the old one. */
  async checkVersion(): Promise<ExchangeVersion> {
    const v = await readVersion(this.o.clob, this.version);
    if (v !== this.version) {
      this.log(`live: the exchange version changed ${this.version} → ${v}; orders are signed for ${v} from now`);
      this.version = v;
      this.templates?.versionChanged(v);
      this.kickRefill();
    }
    return v;
  }

  // ---- the venue account ---------------------------------------------------------

  /** Reads the collateral balance (GET /balance-allowance) off the hot path; a failure makes the account unknown. */
  async refreshAccount(): Promise<void> {
    try {
      const b = await this.venue.call<{ balance?: unknown }>('GET', '/balance-allowance', undefined, { asset_type: 'COLLATERAL', signature_type: String(this.o.wallet.signatureType) });
      const raw = b?.balance;
      const v = typeof raw === 'string' && /^\d{1,18}$/.test(raw) ? Number(raw) : typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0 ? raw : NaN;
      if (!Number.isFinite(v)) throw new Error(`the venue's balance "${sanitize(String(raw), 24)}" is not an amount`);
      this.balanceMicros = v;
      this.balanceAt = this.now();
      this.balanceError = undefined;
    } catch (err) {
      if (!this.balanceError) this.log(`live: the venue balance could not be read (${plainError(err)}); no new orders until it is`);
      this.balanceError = `the venue balance could not be read (${plainError(err)})`;
    }
    this.accountMemo = undefined;
  }

  /**
   * The account the desk sizes from: the venue's collateral balance, less
   * what our open BUYs hold back, and the shares the venue matched for us
   * (sellable only once confirmed). Computed at most every 250 ms, or at once
   * after an order or an update.
   */
  account(): ExecutorAccount {
    const now = this.now();
    if (this.accountMemo && now - this.accountMemo.at < 250 && now >= this.accountMemo.at) return this.accountMemo.a;
    const maxAge = this.o.accountMaxAgeMs ?? 20_000;
    let unknown: string | undefined;
    if (this.balanceError) unknown = this.balanceError;
    else if (this.balanceMicros === undefined) unknown = 'the venue balance has not been read yet';
    else if (now - this.balanceAt > maxAge) unknown = `the venue balance is ${Math.round((now - this.balanceAt) / 1000)} s old (limit ${Math.round(maxAge / 1000)} s)`;
    const reservedByToken = new Map<string, number>();
    const offered = new Map<string, number>();
    const add = (m: Map<string, number>, k: string, x: number) => m.set(k, (m.get(k) ?? 0) + x);
    for (const o of this.journal.open()) {
      const left = Math.max(0, Number(o.size) - (Number(o.sizeMatched) || 0));
      if (o.side === 'BUY') add(reservedByToken, o.tokenId, Math.round(left * Number(o.price) * 1e6));
      else add(offered, o.tokenId, left);
    }
    for (const f of this.inflight.values()) {
      if (f.buyMicros) add(reservedByToken, f.tokenId, f.buyMicros);
      if (f.sellShares) add(offered, f.tokenId, f.sellShares);
    }
    let reservedMicros = 0;
    for (const x of reservedByToken.values()) reservedMicros += x;
    const cashMicros = this.balanceMicros ?? 0;
    let equityMicros = cashMicros;
    const holdings = new Map<string, ExecutorHolding>();
    for (const [tokenId, h] of this.journal.holdings()) {
      const held = h.confirmed + h.pending;
      if (held <= 0 && h.confirmed <= 0) continue;
      const bid = this.o.touchOf?.(tokenId)?.bid;
      const mark = bid ?? Math.round(h.avgBuyPrice * PRICE_SCALE);
      equityMicros += Math.round((h.confirmed + Math.min(h.pending, 0)) * mark * (1e6 / PRICE_SCALE));
      holdings.set(tokenId, {
        tokenId,
        confirmed: h.confirmed,
        pending: h.pending,
        // A matched SELL (pending, negative) no longer holds its shares even before it settles.
        sellable: Math.max(0, Math.floor((h.confirmed + Math.min(h.pending, 0) - (offered.get(tokenId) ?? 0)) * 100 + 1e-6) / 100),
        costMicros: Math.round(Math.max(held, 0) * h.avgBuyPrice * 1e6),
        ...(bid !== undefined ? { mark: bid } : {}),
      });
    }
    const a: ExecutorAccount = { cashMicros, reservedMicros, reservedByToken, equityMicros, holdings, readAt: this.balanceAt, ...(unknown ? { unknown } : {}) };
    this.accountMemo = { at: now, a };
    return a;
  }

  private refused(text: string): void {
    this.refusals.unshift({ ts: this.now(), text: sanitize(text, 200) });
    if (this.refusals.length > MAX_REFUSALS) this.refusals.pop();
    this.log(`live: order not sent: ${text}`);
  }

  view(limit = 30): LiveView {
    const orders = this.journal.recent(limit).map(orderView);
    const fills = this.journal.recentFills(limit).map((f) => ({ tradeId: f.tradeId, ts: f.matchedAt, side: f.side, price: Number(f.price), size: Number(f.size), settlement: f.status, reversed: f.reversed, tokenId: f.tokenId }));
    const w = this.o.wallet;
    return {
      wallet: abbreviate(w.funder),
      venue: sanitize(this.o.clob, 80),
      halted: this.halted ?? null,
      heartbeat: this.trader.heartbeatRunning ? 'running' : 'stopped',
      userChannel: this.channelOpen ? 'open' : 'closed',
      clockDriftMs: this.driftMs,
      limits: this.o.limits,
      todayUsd: Math.round(this.journal.notionalSince(Math.floor(this.now() / 86_400_000) * 86_400_000) * 100) / 100,
      orders,
      fills,
      refusals: this.refusals.slice(0, 10),
      account: this.accountView(),
    };
  }

  accountView(): LiveAccountView {
    const a = this.account();
    const usd = (m: number) => Math.round(m / 1e4) / 100;
    return {
      unknown: a.unknown ?? null,
      balanceUsd: usd(a.cashMicros),
      reservedUsd: usd(a.reservedMicros),
      availableUsd: usd(a.cashMicros - a.reservedMicros),
      equityUsd: usd(a.equityMicros),
      readAgoMs: a.readAt ? Math.max(0, this.now() - a.readAt) : null,
      positions: [...a.holdings.values()].map((h) => ({ tokenId: h.tokenId, confirmed: h.confirmed, pending: h.pending, sellable: h.sellable, avgPrice: h.confirmed + h.pending > 0 ? Math.round(h.costMicros / (h.confirmed + h.pending) / 100) / 1e4 : 0, mark: h.mark !== undefined ? h.mark / PRICE_SCALE : null })),
    };
  }

  /** Stops watchdogs and the channel; the heartbeat stops too (the venue cancels resting orders at its deadline). */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.trader.stopHeartbeat();
    this.channel?.close();
    this.venue.close();
    void this.signer?.close();
  }
}

function orderView(r: JournalRow): LiveOrderView {
  const matched = Number(r.sizeMatched) || 0;
  const state =
    r.state === 'LIVE' ? (matched > 0 ? 'partially filled' : 'live') : r.state === 'MATCHED' ? 'matched' : r.state === 'CANCELED' ? (matched > 0 ? 'partially filled, cancelled' : 'cancelled') : r.state === 'REJECTED' ? 'rejected' : r.state === 'NOT_FOUND' ? 'never arrived' : r.state === 'SENT' ? 'sent' : 'journaled';
  return { hash: r.hash, ts: r.createdAt, side: r.side, price: Number(r.price), size: Number(r.size), matched, state, refusal: r.venueError ? sanitize(r.venueError, 200) : '', tokenId: r.tokenId };
}

/** A failure as one plain phrase: the HTTP status and the text of an HTML page without its markup. */
function plainError(err: unknown): string {
  if (!(err instanceof VenueError)) return describe(err);
  const text = err.venueText.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return sanitize(err.status ? `HTTP ${err.status}${text ? `: ${text}` : ''}` : `${err.kind}${text ? `: ${text}` : ''}`, 160);
}

function describe(err: unknown): string {
  return sanitize(err instanceof VenueError ? `${err.kind}: ${err.venueText}` : err instanceof Error ? err.message : String(err), 200);
}

async function readVersion(clob: string, fallback: ExchangeVersion = 2): Promise<ExchangeVersion> {
  try {
    const r = await fetch(`${clob}/version`, { signal: AbortSignal.timeout(5000) });
    const v = Number(((await r.json()) as { version?: unknown }).version ?? 2);
    return v === 3 ? 3 : 2;
  } catch {
    return fallback;
  }
}

/** The key bound to the address that signs (a deposit wallet's own address): derived, or created when none exists. */
export async function deriveCreds(clob: string, w: Wallet, now: WallNow = systemWall): Promise<ApiCreds> {
  const bound = w.signatureType === 3 ? w.funder : w.signer;
  const ask = async (method: 'GET' | 'POST', path: string) => {
    const r = await fetch(`${clob}${path}`, { method, headers: await l1Headers(w.account, Math.floor(now() / 1000), 0, bound), signal: AbortSignal.timeout(10_000) });
    const body = (await r.json().catch(() => ({}))) as { apiKey?: string; secret?: string; passphrase?: string; error?: string };
    return r.ok && body.apiKey && body.secret && body.passphrase ? { key: body.apiKey, secret: new Secret(body.secret), passphrase: new Secret(body.passphrase) } : undefined;
  };
  const c = (await ask('GET', '/auth/derive-api-key')) ?? (await ask('POST', '/auth/api-key'));
  if (!c) throw new Error(`no API key could be derived or created for ${bound}; run polyconsole doctor`);
  return c;
}
