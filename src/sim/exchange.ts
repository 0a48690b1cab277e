// The simulated venue: a book per token, market makers quoting around a lagging
// estimate of the hidden truth, informed Poisson takers and whales, markets that
// resolve on the sim clock and respawn. Everything it does is queued as
// venue-shaped wire objects in `out` for the WebSocket server to route.
//
// This is the one place that holds the venue's order state and matching: the
// books, `take` (every fill goes through it), the last trade and public trade
// log per token, traded volume, tick sizes and the hashes clients verify. The
// REST routes and the WebSocket server only read it. Accounts' orders rest
// here too and are matched by `take`; the trading desk (trading.ts) owns
// accounts, authentication and settlement.
import { SimBook } from './sim-book.js';
import type { Side, WireBestBidAsk, WireBook, WireLastTradePrice, WireMarketResolved, WireNewMarket, WirePriceChangeEntry, WireTickSizeChange } from '../protocol/events.js';
import { PRICE_SCALE } from '../protocol/units.js';
import { Rng } from './rng.js';
import { advance, drawOutcomes } from './truth.js';
import { levelSize, mirror, quoteYes, type Quote } from './quotes.js';
import { bookDigest, bookSummary, fmtPrice, fmtSize, wsBook, type HashMode } from './wire-out.js';
import { createHash } from 'node:crypto';
import type { World } from './world.js';
import type { Family, SimMarket } from './world-types.js';
import { DAY_MS, MINUTE_MS } from './dates.js';
import { Fenwick, MinHeap } from './structures.js';

export type PcEntry = WirePriceChangeEntry;

export type Outbound =
  /** price_change: entries may cover both tokens of the market. */
  | { kind: 'pc'; market: string; ts: number; entries: PcEntry[] }
  /** One asset's event (last_trade_price, tick_size_change, best_bid_ask). */
  | { kind: 'asset'; asset: string; custom: boolean; obj: WireBook | WireLastTradePrice | WireTickSizeChange | WireBestBidAsk }
  /** Custom-feature market events (new_market, market_resolved). */
  | { kind: 'market'; assets: string[]; obj: WireNewMarket | WireMarketResolved };

export interface ExchangeStats {
  actions: number;
  trades: number;
  whales: number;
  requotes: number;
  resolved: number;
  spawned: number;
  tickChanges: number;
}

const WHALE_SHARE = 0.04;

/**
 * The simulator's own log of every level change (tests check paper fills
 * against it): per token, flat [simTs, side (1 bid / −1 ask / 0 clear), price, size, …].
 */
export class LevelLog {
  readonly byToken = new Map<string, number[]>();

  push(token: string, ts: number, side: number, price: number, size: number): void {
    let a = this.byToken.get(token);
    if (!a) this.byToken.set(token, (a = []));
    a.push(ts, side, price, size);
  }

  /** Size at `price` on `side` ('BUY' bids, 'SELL' asks) once every change up to and including `ts` is applied. */
  sizeAt(token: string, side: Side, price: number, ts: number): number {
    const a = this.byToken.get(token);
    if (!a) return 0;
    const want = side === 'BUY' ? 1 : -1;
    let size = 0;
    for (let i = 0; i < a.length; i += 4) {
      if (a[i]! > ts) break;
      if (a[i + 1] === 0) size = 0;
      else if (a[i + 1] === want && a[i + 2] === price) size = a[i + 3]!;
    }
    return size;
  }
}

const HISTORY_EVERY_MS = 10 * MINUTE_MS;
const TRADES_KEPT = 100;
const HOUR = 3_600_000;

/**
 * An account's order resting on the book (the authenticated flow). It is part
 * of the public level at its price (REST /book, the market channel) and fills
 * ahead of the makers' size at that price; the makers never quote through it.
 */
export interface UserOrder {
  id: string;
  /** API key that placed it. */
  owner: string;
  /** Funder address (lower case). */
  maker: string;
  token: string;
  side: Side;
  /** Price units. */
  price: number;
  original: number;
  matched: number;
  /** Wall clock, unix seconds. */
  createdAt: number;
  /** Unix seconds; 0 = none. */
  expiration: number;
  orderType: string;
  status: 'LIVE' | 'MATCHED' | 'CANCELED';
}

/** A resting order's part in a fill. */
export interface UserFill {
  order: UserOrder;
  size: number;
  trade: SimTrade;
}

/** One fill as the venue reports it publicly (trade events, last trade price). */
export interface SimTrade {
  token: string;
  outcome: 0 | 1;
  /** The taker's side. */
  side: Side;
  price: number;
  size: number;
  ts: number;
  txHash: string;
  /** The resting account order that was the maker, when it was one. */
  maker?: UserOrder;
}

export class Exchange {
  readonly books = new Map<string, SimBook<UserOrder>>();
  readonly out: Outbound[] = [];
  readonly stats: ExchangeStats = { actions: 0, trades: 0, whales: 0, requotes: 0, resolved: 0, spawned: 0, tickChanges: 0 };
  /** Per YES token: flat [unixSeconds, priceUnits, …] samples of the mid. */
  readonly history = new Map<string, number[]>();
  now: number;
  /** The core stream; the catalog's families draw from `catalogRng` (see withStream). */
  private rng: Rng;
  private readonly coreRng: Rng;
  private readonly catalogRng: Rng;
  /** Catalog families: their own sampler and due queue, so the core world's draws and order stay as they were. */
  private readonly catalogSampler = new Fenwick();
  private readonly catalogDue = new MinHeap();
  private readonly sampler = new Fenwick();
  private readonly due = new MinHeap();
  private readonly temporal = new Set<number>();
  private nextHistory: number;
  private readonly hashCache = new Map<string, { version: number; ts: number; ltp: number | undefined; tick: number; hash: string }>();
  /** Last fill per token (REST /last-trade-price). */
  readonly lastTrade = new Map<string, SimTrade>();
  /** Recent fills per market index, newest last (REST trade events). */
  readonly trades = new Map<number, SimTrade[]>();
  /** Traded notional per market index in hour buckets: flat [hourIndex, usd, …]. */
  private readonly volHours = new Map<number, number[]>();
  /**
   * Whether anyone wants a full `book` for this token now (the WS server's
   * subscriptions). Snapshots are only built for watched tokens; unset = none.
   */
  wantsBook: ((asset: string) => boolean) | undefined;
  /** Called with the resting orders each `take` filled (the trading desk books them). */
  onUserFills: ((fills: UserFill[]) => void) | undefined;
  /** Called with the resting orders a resolution cancelled. */
  onUserCancels: ((orders: UserOrder[]) => void) | undefined;
  /** Last best bid/ask announced per token (custom best_bid_ask events). */
  private readonly lastBest = new Map<string, string>();

  /** Set to record every level change (tests); off by default. */
  readonly levelLog: LevelLog | undefined;

  constructor(
    readonly world: World,
    seed: string | number,
    readonly hashMode: HashMode = 'sha1',
    levelLog = false,
  ) {
    this.levelLog = levelLog ? new LevelLog() : undefined;
    this.rng = this.coreRng = new Rng(`exchange:${seed}`);
    this.catalogRng = new Rng(`exchange-catalog:${seed}`);
    this.now = world.epochMs;
    this.nextHistory = this.now;
    for (const f of world.families) this.register(f);
    for (const m of world.markets) this.openBooks(m);
    this.recordHistory();
  }

  /** Advances the sim clock by dtMs and performs `actions` market actions. */
  step(dtMs: number, actions: number): void {
    this.now += dtMs;
    this.resolveDue();
    this.hazards(dtMs);
    for (let i = 0; i < actions; i++) this.act();
    // The catalog's families act on top, from their own stream.
    const activity = this.world.templates.catalog?.activity ?? 0;
    if (actions > 0 && activity > 0 && this.catalogSampler.sample(0.5) >= 0) {
      this.withStream(true, () => {
        const n = this.rng.poisson(actions * activity);
        for (let i = 0; i < n; i++) this.act(this.catalogSampler);
      });
    }
    if (this.now >= this.nextHistory) this.recordHistory();
  }

  book(asset: string): SimBook<UserOrder> | undefined {
    return this.books.get(asset);
  }

  marketOf(asset: string): SimMarket | undefined {
    const ref = this.world.byToken.get(asset);
    return ref ? this.world.markets[ref.market] : undefined;
  }

  /** Hash of a token's book summary as it stands (cached per version). */
  hashOf(book: SimBook<UserOrder>): string {
    const c = this.hashCache.get(book.asset);
    if (c && c.version === book.version && c.ts === book.updateTs && c.ltp === book.lastTradePrice && c.tick === book.tick) return c.hash;
    const m = this.hashMode === 'sha1' ? this.marketOf(book.asset) : undefined;
    const hash = m ? bookDigest(book, bookSummary(m, book), 'sha1') : bookDigest(book, {}, 'fast');
    this.hashCache.set(book.asset, { version: book.version, ts: book.updateTs, ltp: book.lastTradePrice, tick: book.tick, hash });
    return hash;
  }

  /** Best bid (BUY) or best ask (SELL) in price units; undefined on an empty side or unknown token. */
  bestPrice(asset: string, side: Side): number | undefined {
    const b = this.books.get(asset);
    return side === 'BUY' ? b?.bestBid : b?.bestAsk;
  }

  /** Traded notional (USD) of a market since `sinceMs` on the sim clock, from hour buckets. */
  tradedSince(marketIndex: number, sinceMs: number): number {
    const a = this.volHours.get(marketIndex);
    if (!a) return 0;
    const from = Math.floor(sinceMs / HOUR);
    let v = 0;
    for (let i = a.length - 2; i >= 0 && a[i]! >= from; i -= 2) v += a[i + 1]!;
    return v;
  }

  /** Queues a full `book` event for a token if someone watches it (after trades and tick changes). */
  private pushBook(m: SimMarket, token: string): void {
    if (!this.wantsBook?.(token)) return;
    const b = this.books.get(token);
    if (!b) return;
    this.out.push({ kind: 'asset', asset: token, custom: false, obj: wsBook(m, b, this.hashOf(b)) });
  }

  private recordTrade(m: SimMarket, token: string, side: Side, price: number, size: number): SimTrade {
    const t: SimTrade = {
      token,
      outcome: m.tokenIds[0] === token ? 0 : 1,
      side,
      price,
      size,
      ts: this.now,
      txHash: '0x' + createHash('sha256').update(`${this.world.seed}:${m.index}:${this.stats.trades}:${this.now}:${price}:${size}`).digest('hex'),
    };
    this.lastTrade.set(token, t);
    let list = this.trades.get(m.index);
    if (!list) this.trades.set(m.index, (list = []));
    list.push(t);
    if (list.length > TRADES_KEPT) list.splice(0, list.length - TRADES_KEPT);
    let h = this.volHours.get(m.index);
    if (!h) this.volHours.set(m.index, (h = []));
    const hour = Math.floor(this.now / HOUR);
    const usd = (size * price) / PRICE_SCALE;
    if (h.length && h[h.length - 2] === hour) h[h.length - 1]! += usd;
    else h.push(hour, usd);
    return t;
  }

  // ---- setup --------------------------------------------------------------

  private register(f: Family): void {
    if (f.resolved) return;
    (f.extra ? this.catalogSampler : this.sampler).set(f.index, f.weight);
    (f.extra ? this.catalogDue : this.due).push(this.nextDue(f), f.index);
    if (f.kind === 'temporal') this.temporal.add(f.index);
  }

  private nextDue(f: Family): number {
    if (f.kind !== 'temporal') return f.endMs;
    let next = Infinity;
    for (const i of f.markets) if (!this.world.markets[i]!.closed) next = Math.min(next, this.world.markets[i]!.endMs);
    return next;
  }

  private openBooks(m: SimMarket): void {
    if (m.closed) return;
    for (const t of m.tokenIds) {
      const b = new SimBook<UserOrder>(t);
      const log = this.levelLog;
      if (log) {
        b.onLevel = (side, price, size) => log.push(t, this.now, side === 'BUY' ? 1 : -1, price, size);
        b.onReset = () => log.push(t, this.now, 0, 0, 0);
      }
      b.market = m.conditionId;
      b.tick = m.tick;
      b.snapshotTs = b.updateTs = this.now;
      this.books.set(t, b);
    }
    this.requote(m, false);
  }

  // ---- actions ------------------------------------------------------------

  /** Runs `fn` on the catalog's stream when `catalog`, else on the core stream. */
  private withStream<T>(catalog: boolean | undefined, fn: () => T): T {
    if (!catalog) return fn();
    const saved = this.rng;
    this.rng = this.catalogRng;
    try {
      return fn();
    } finally {
      this.rng = saved;
    }
  }

  private act(sampler = this.sampler): void {
    const fi = sampler.sample(this.rng.next());
    if (fi < 0) return;
    const f = this.world.families[fi]!;
    this.stats.actions++;
    const u = this.rng.next();
    if (u < 0.5) this.move(f);
    else if (u < 0.95) this.trade(f, this.rng.chance(WHALE_SHARE));
    else this.jitter(f);
  }

  /** News: the latent moves, market makers update their estimate and requote. */
  private move(f: Family): void {
    advance(f, this.now, this.rng);
    for (const i of this.world.familyMarkets(f)) {
      const m = this.world.markets[i]!;
      if (m.closed) continue;
      m.estimate += 0.5 * (this.world.truth(m, this.now) - m.estimate);
      this.requote(m, true);
    }
  }

  private trade(f: Family, whale: boolean): void {
    const members = this.world.familyMarkets(f);
    const m = this.world.markets[members[this.rng.int(0, members.length)]!]!;
    if (m.closed) return;
    // Informed flow: takers lean toward the truth the makers have not priced yet.
    const edge = this.world.truth(m, this.now) - m.estimate;
    const pBuyYes = Math.min(0.9, Math.max(0.1, 0.5 + 4 * edge));
    const onYes = this.rng.chance(0.5);
    const side: Side = this.rng.chance(onYes ? pBuyYes : 1 - pBuyYes) ? 'BUY' : 'SELL';
    const token = m.tokenIds[onYes ? 0 : 1];
    const book = this.books.get(token)!;
    const best = side === 'BUY' ? book.bestAsk : book.bestBid;
    if (best === undefined) return;
    const price = best / PRICE_SCALE;
    const shares = whale ? this.rng.uniform(1000, 4000) / price : Math.max(5, Math.round(this.rng.logNormal(40, 1)));
    this.take(m, token, side, shares);
    this.stats.trades++;
    if (whale) this.stats.whales++;
    // Makers refill some of the time right away, otherwise on the next move.
    if (this.rng.chance(0.3)) this.requote(m, true);
  }

  /**
   * The venue's one matching path: a taker order for `shares` of `token` on
   * `side` sweeps the opposite side from the best level (no further than
   * `limit` price units when given). Each fill moves volume, the last trade and
   * the public trade log and emits `last_trade_price`; the touched levels go
   * out as one `price_change`, then the full `book` the venue sends after a
   * trade. Accounts' marketable orders enter here too (`taker` = their
   * maker address, so they never match their own resting orders).
   */
  take(m: SimMarket, token: string, side: Side, shares: number, limit?: number, taker?: string): SimTrade[] {
    const book = this.books.get(token);
    if (!book || m.closed) return [];
    const fills: SimTrade[] = [];
    const userFills: UserFill[] = [];
    const { fills: matched, touched } = book.match(side, shares, limit, taker);
    for (const f of matched) {
      m.volume = Math.round((m.volume + (f.size * f.price) / PRICE_SCALE) * 100) / 100;
      book.lastTradePrice = f.price;
      const fill = this.recordTrade(m, token, side, f.price, f.size);
      if (f.order) {
        const u = f.order;
        if (u.original - u.matched < 0.005) u.status = 'MATCHED';
        fill.maker = u;
        userFills.push({ order: u, size: f.size, trade: fill });
      }
      fills.push(fill);
      this.pushLastTrade(m, token, side, f.price, f.size, fill.txHash);
    }
    if (userFills.length) this.onUserFills?.(userFills);
    if (!touched.length) return fills;
    book.updateTs = this.now;
    this.finishEntries(
      m,
      touched.map((t) => ({ asset_id: token, price: fmtPrice(t.price), size: fmtSize(t.size), side: t.side })),
    );
    // The venue sends a full book whenever a trade affects it (market channel docs).
    this.pushBook(m, token);
    return fills;
  }

  private pushLastTrade(m: SimMarket, token: string, side: Side, price: number, size: number, txHash: string): void {
    this.out.push({
      kind: 'asset',
      asset: token,
      custom: false,
      obj: {
        asset_id: token,
        event_type: 'last_trade_price',
        fee_rate_bps: String(Math.round(m.feeRate * 10_000)),
        market: m.conditionId,
        price: fmtPrice(price),
        side,
        size: fmtSize(size),
        timestamp: String(this.now),
        transaction_hash: txHash,
      },
    });
  }

  /** Shares a taker could get on `side` within `limit` (FOK checks), not counting `taker`'s own orders. */
  fillable(token: string, side: Side, limit: number, taker?: string): number {
    return this.books.get(token)?.fillable(side, limit, taker) ?? 0;
  }

  /** An account's resting orders on one side of a token, best first (time order within a price). */
  resting(token: string, side: Side): UserOrder[] {
    return this.books.get(token)?.ordersOf(side) ?? [];
  }

  /**
   * Rests an account's order (after its marketable part went through `take`)
   * at the back of its price level; the level's new size goes out as a
   * price_change like any other.
   */
  rest(o: UserOrder): void {
    const book = this.books.get(o.token);
    const m = this.marketOf(o.token);
    if (!book || !m || m.closed) return;
    const size = book.add(o);
    this.levelChanged(m, book, o.side, o.price, size);
  }

  /** Takes a resting order off the book; false when it was not resting. */
  unrest(o: UserOrder): boolean {
    const book = this.books.get(o.token);
    const size = book?.remove(o);
    if (!book || size === undefined) return false;
    const m = this.marketOf(o.token);
    if (m && !m.closed) this.levelChanged(m, book, o.side, o.price, size);
    return true;
  }

  private levelChanged(m: SimMarket, book: SimBook<UserOrder>, side: Side, price: number, size: number): void {
    book.updateTs = this.now;
    this.finishEntries(m, [{ asset_id: book.asset, price: fmtPrice(price), size: fmtSize(size), side }]);
  }

  /** A maker resizes one level: noise in the book that is not news. */
  private jitter(f: Family): void {
    const m = this.world.markets[f.markets[this.rng.int(0, f.markets.length)]!]!;
    if (m.closed) return;
    const book = this.books.get(m.tokenIds[0])!;
    const side: Side = this.rng.chance(0.5) ? 'BUY' : 'SELL';
    const px = book.makerPrices(side);
    if (!px.length) return;
    const p = px[this.rng.int(0, px.length)]!;
    const size = Math.max(5, Math.round(book.makersAt(side, p) * this.rng.uniform(0.7, 1.3)));
    const shown = book.setMakers(side, p, size);
    book.updateTs = this.now;
    this.finishEntries(m, [{ asset_id: book.asset, price: fmtPrice(p), size: fmtSize(shown), side }]);
  }

  /** Brings both books of a market to the makers' quotes; emits what changed. */
  requote(m: SimMarket, emit: boolean): void {
    const est = m.estimate;
    const wanted = est < 0.035 || est > 0.965 ? 10 : est > 0.045 && est < 0.955 ? 100 : m.tick;
    const retick = wanted !== m.tick;
    if (retick) {
      this.stats.tickChanges++;
      for (const t of m.tokenIds) {
        this.out.push({
          kind: 'asset',
          asset: t,
          custom: false,
          obj: { event_type: 'tick_size_change', asset_id: t, market: m.conditionId, old_tick_size: fmtPrice(m.tick), new_tick_size: fmtPrice(wanted), timestamp: String(this.now) },
        });
        const b = this.books.get(t)!;
        b.dropMakers();
        b.tick = wanted;
      }
      m.tick = wanted;
    }
    const yes = quoteYes(this.world.quotedFair(m, this.now), m.halfSpread, m.tick);
    const shift = m.bias.kind === 'no-shift' ? Math.round((m.bias.d * PRICE_SCALE) / m.tick) * m.tick : 0;
    const no = mirror(yes, m.tick, shift);
    const entries: PcEntry[] = [];
    this.sync(this.books.get(m.tokenIds[0])!, yes, m, 0, entries);
    this.sync(this.books.get(m.tokenIds[1])!, no, m, 1, entries);
    this.stats.requotes++;
    if (!emit) return;
    if (!retick) {
      this.finishEntries(m, entries);
      return;
    }
    // After a tick change the makers' orders are gone and requoted on the new
    // grid; deltas against a book the client no longer holds would leave stale
    // levels, so each token gets a fresh full book instead (a client drops its
    // book on tick_size_change and waits for the next snapshot).
    for (const t of m.tokenIds) {
      this.books.get(t)!.updateTs = this.now;
      this.pushBook(m, t);
    }
    this.announceBest(m);
  }

  /**
   * Moves the makers' levels of one book to their quote. They never quote
   * through an account's resting order on the other side (their orders are
   * effectively post-only), so the book never crosses.
   */
  private sync(book: SimBook<UserOrder>, q: Quote, m: SimMarket, outcome: number, entries: PcEntry[]): void {
    const seed = m.index * 2 + outcome;
    const before = entries.length;
    // Makers never quote through a resting order on the other side.
    const bidBelow = book.bestResting('SELL') ?? Infinity;
    const askAbove = book.bestResting('BUY') ?? -Infinity;
    for (let k = 0; k < 2; k++) {
      const side: Side = k === 0 ? 'BUY' : 'SELL';
      const quoted = k === 0 ? q.bids : q.asks;
      const have = book.makerPrices(side);
      for (let i = 0; i < have.length; i++) {
        const p = have[i]!;
        if (!quoted.includes(p) || (k === 0 ? p >= bidBelow : p <= askAbove)) {
          const shown = book.setMakers(side, p, 0);
          entries.push({ asset_id: book.asset, price: fmtPrice(p), size: fmtSize(shown), side });
        }
      }
      for (let rank = 0; rank < quoted.length; rank++) {
        const p = quoted[rank]!;
        if (k === 0 ? p >= bidBelow : p <= askAbove) continue;
        const target = levelSize(seed, p, rank, m.depth);
        if (book.makersAt(side, p) < target * 0.5) {
          const shown = book.setMakers(side, p, target);
          entries.push({ asset_id: book.asset, price: fmtPrice(p), size: fmtSize(shown), side });
        }
      }
    }
    if (entries.length > before) book.updateTs = this.now;
  }

  /** Stamps hash and best bid/ask per token and queues one price_change. */
  private finishEntries(m: SimMarket, entries: PcEntry[]): void {
    if (!entries.length) return;
    let lastAsset = '';
    let stamp: { hash: string; bb: string; ba: string } | undefined;
    for (const e of entries) {
      if (e.asset_id !== lastAsset) {
        const b = this.books.get(e.asset_id)!;
        stamp = { hash: this.hashOf(b), bb: fmtPrice(b.bestBid ?? 0), ba: fmtPrice(b.bestAsk ?? PRICE_SCALE) };
        lastAsset = e.asset_id;
      }
      e.hash = stamp!.hash;
      e.best_bid = stamp!.bb;
      e.best_ask = stamp!.ba;
    }
    this.out.push({ kind: 'pc', market: m.conditionId, ts: this.now, entries });
    this.announceBest(m);
  }

  /** Custom-feature best_bid_ask for each token whose top of book moved. */
  private announceBest(m: SimMarket): void {
    for (const t of m.tokenIds) {
      const b = this.books.get(t);
      if (!b) continue;
      const bb = b.bestBid ?? 0;
      const ba = b.bestAsk ?? PRICE_SCALE;
      const key = `${bb}/${ba}`;
      if (this.lastBest.get(t) === key) continue;
      this.lastBest.set(t, key);
      this.out.push({
        kind: 'asset',
        asset: t,
        custom: true,
        obj: { event_type: 'best_bid_ask', market: m.conditionId, asset_id: t, best_bid: fmtPrice(bb), best_ask: fmtPrice(ba), spread: fmtPrice(ba - bb), timestamp: String(this.now) },
      });
    }
  }

  // ---- resolution -------------------------------------------------------

  private hazards(dtMs: number): void {
    for (const fi of this.temporal) {
      const f = this.world.families[fi]!;
      if (f.resolved || f.happened) continue;
      if ((f.extra ? this.catalogRng : this.coreRng).chance(1 - Math.exp((-f.lambda * dtMs) / DAY_MS))) {
        f.happened = true;
        for (const i of this.world.familyMarkets(f)) if (!this.world.markets[i]!.closed) this.resolve(this.world.markets[i]!, 1);
        this.finishFamily(f);
      }
    }
  }

  private resolveDue(): void {
    this.resolveFrom(this.due, this.coreRng);
    this.resolveFrom(this.catalogDue, this.catalogRng);
  }

  private resolveFrom(due: MinHeap, rng: Rng): void {
    while (due.size && due.peekKey() <= this.now) {
      const [at, fi] = due.pop()!;
      const f = this.world.families[fi]!;
      if (f.resolved) continue;
      advance(f, at, rng);
      if (f.kind === 'temporal') {
        for (const i of this.world.familyMarkets(f)) {
          const m = this.world.markets[i]!;
          if (!m.closed && m.endMs <= this.now) this.resolve(m, 0);
        }
        const next = this.nextDue(f);
        if (next === Infinity) this.finishFamily(f);
        else due.push(next, fi);
        continue;
      }
      const outcomes = drawOutcomes(f, rng);
      for (const i of this.world.familyMarkets(f)) {
        const m = this.world.markets[i]!;
        if (!m.closed) this.resolve(m, outcomes[m.member] ?? 0);
      }
      this.finishFamily(f);
    }
  }

  private finishFamily(f: Family): void {
    if (f.resolved) return;
    if (!this.world.familyMarkets(f).every((i) => this.world.markets[i]!.closed)) return;
    f.resolved = true;
    (f.extra ? this.catalogSampler : this.sampler).set(f.index, 0);
    this.temporal.delete(f.index);
    if (f.recurMs > 0) this.respawn(f);
  }

  private resolve(m: SimMarket, yes: 0 | 1): void {
    m.closed = true;
    m.winner = yes;
    m.closedMs = this.now;
    m.estimate = yes;
    this.stats.resolved++;
    this.pushHistory(m, yes ? PRICE_SCALE : 0);
    for (const t of m.tokenIds) {
      const b = this.books.get(t);
      if (b) this.levelLog?.push(t, this.now, 0, 0, 0);
      this.books.delete(t);
      const gone = b ? b.orders() : [];
      for (const o of gone) o.status = 'CANCELED';
      if (gone.length) this.onUserCancels?.(gone);
      this.hashCache.delete(t);
      this.lastBest.delete(t);
    }
    const ev = this.world.events[m.event]!;
    const win = yes ? 0 : 1;
    this.out.push({
      kind: 'market',
      assets: [...m.tokenIds],
      obj: {
        event_type: 'market_resolved',
        id: m.id,
        question: m.question,
        market: m.conditionId,
        slug: m.slug,
        assets_ids: [...m.tokenIds],
        outcomes: [...m.outcomes],
        winning_asset_id: m.tokenIds[win],
        winning_outcome: m.outcomes[win],
        event_message: { id: ev.id, ticker: ev.slug, slug: ev.slug, title: ev.title },
        timestamp: String(this.now),
        tags: ev.tags,
      },
    });
  }

  private respawn(f: Family): void {
    const next = this.world.spawn(f.template.category, f.template.family, this.now);
    if (!next) return;
    this.stats.spawned++;
    // A game brings a family per sub-market: all of them start trading.
    const spawned = this.world.lastSpawn;
    for (const g of spawned) this.register(g);
    for (const i of spawned.flatMap((g) => this.world.familyMarkets(g))) {
      const m = this.world.markets[i]!;
      this.openBooks(m);
      const ev = this.world.events[m.event]!;
      this.out.push({
        kind: 'market',
        assets: [...m.tokenIds],
        obj: {
          event_type: 'new_market',
          id: m.id,
          question: m.question,
          market: m.conditionId,
          slug: m.slug,
          description: m.description,
          assets_ids: [...m.tokenIds],
          outcomes: [...m.outcomes],
          event_message: { id: ev.id, ticker: ev.slug, slug: ev.slug, title: ev.title, description: ev.description },
          timestamp: String(this.now),
          tags: ev.tags,
          condition_id: m.conditionId,
          active: true,
          clob_token_ids: [...m.tokenIds],
          order_price_min_tick_size: fmtPrice(m.tick),
          group_item_title: m.groupItemTitle ?? '',
        },
      });
    }
  }

  // ---- history --------------------------------------------------------------

  private recordHistory(): void {
    for (const m of this.world.markets) {
      if (m.closed) continue;
      const b = this.books.get(m.tokenIds[0]);
      if (!b || b.bestBid === undefined || b.bestAsk === undefined) continue;
      this.pushHistory(m, Math.round((b.bestBid + b.bestAsk) / 2));
    }
    this.nextHistory = this.now + HISTORY_EVERY_MS;
  }

  private pushHistory(m: SimMarket, p: number): void {
    let h = this.history.get(m.tokenIds[0]);
    if (!h) this.history.set(m.tokenIds[0], (h = []));
    h.push(Math.floor(this.now / 1000), p);
  }
}
