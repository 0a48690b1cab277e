// The simulator's trading desk: the venue's authenticated side. API keys are
// created and derived with an L1 (EIP-712 ClobAuth) signature; every other
// call carries L2 headers whose HMAC is checked over the exact body bytes.
// Orders are checked as the venue checks them (signer recovered from the
// EIP-712 signature under the current exchange version's domain, the API
// key's address, tick grid, minimum size, expiration margin, post-only
// crossing, balance), then matched through the exchange's one path (`take`)
// and the rest left resting there. Fills settle MATCHED → MINED → CONFIRMED on
// the wall clock, or FAILED and are reversed (ghost fills, a fault knob).
// A key that starts heartbeats and then misses the deadline has all its
// orders cancelled.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { hashTypedData, recoverAddress, recoverTypedDataAddress, getAddress, type Hex } from 'viem';
import type { Exchange, SimTrade, UserFill, UserOrder } from './exchange.js';
import type { World } from './world.js';
import type { SimMarket } from './world-types.js';
import { fail, ok, type Reply } from './rest-routes.js';
import { PRICE_SCALE } from '../protocol/units.js';
import type { Side, UserEvent, UserOrderEvent, UserTradeEvent } from '../protocol/events.js';
import { CLOB_AUTH_DOMAIN, CLOB_AUTH_TYPES, clobAuthMessage, hmacSignature } from '../exec/auth.js';
import { BYTES32_ZERO, ORDER_FIELDS, ORDER_TYPE, orderDomain } from '../exec/orders.js';
import { CHAIN_ID, type ExchangeVersion } from '../exec/contracts.js';
import { Rng } from './rng.js';
import { systemWall, type WallNow } from '../clock.js';

export interface DeskOptions {
  /** USDC credited to an account the first time its key is created (default 1,000). */
  startingBalance?: number;
  /** Exchange version `/version` reports and orders must be signed for. */
  version?: ExchangeVersion;
  /** Heartbeat deadline, ms (venue: 10 s). */
  heartbeatMs?: number;
  /** Wall ms from match to MINED and to CONFIRMED. */
  mineMs?: number;
  confirmMs?: number;
  /** Share of matched fills that fail on chain and are reversed. */
  ghostRate?: number;
  seed?: string | number;
  faults?: DeskFaults;
  /** Refuse plain EOA makers, as the venue does for accounts created since May 2026. */
  depositWalletOnly?: boolean;
  /** The simulator host's clock (heartbeats, settlement delays, order and trade stamps). */
  wall?: WallNow;
}

/** Venue misbehaviour on the desk's routes (all off by default). */
export interface DeskFaults {
  /** Trading restriction: CANCEL_ONLY refuses new orders with 503, POST_ONLY refuses marketable ones. */
  restriction?: 'CANCEL_ONLY' | 'POST_ONLY';
  /** Share of order posts answered with this status instead (429 JSON, 403 Cloudflare HTML, 425, 503); a list draws once for all. */
  refuse?: Refusal | Refusal[];
  /** Share of accepted order posts whose answer is never sent (the order is booked). */
  lostAckRate?: number;
  /** Delay before an order post is answered (booked at once), ms. */
  lateAckMs?: number;
}

export interface Refusal {
  status: 403 | 425 | 429 | 451 | 503;
  rate: number;
}

/** What the desk wants the HTTP layer to do with its reply. */
export type Delivery = 'send' | 'drop' | { delayMs: number };

export interface Account {
  address: string;
  /** USDC in micros. */
  balance: number;
  /** Shares per token. */
  positions: Map<string, number>;
}

interface ApiKey {
  key: string;
  secret: string;
  passphrase: string;
  address: string;
  nonce: number;
}

export interface DeskTrade {
  id: string;
  takerOrderId: string;
  token: string;
  market: string;
  outcome: string;
  /** Side of the account this record belongs to. */
  side: Side;
  traderSide: 'TAKER' | 'MAKER';
  price: number;
  size: number;
  status: 'MATCHED' | 'MINED' | 'CONFIRMED' | 'FAILED';
  matchTime: number;
  lastUpdate: number;
  owner: string;
  maker: string;
  makerOrders: Array<{ order_id: string; owner: string; maker_address: string; matched_amount: string; price: string; fee_rate_bps: string; asset_id: string; outcome: string; side: Side }>;
  txHash: string;
  dueMined: number;
  dueConfirmed: number;
  failAt: number | undefined;
}

const PAGE = 100;
const END = 'LTE=';
const GTD_MARGIN_S = 60;

/** The texts the venue answers with (as users quote them). */
export const DESK_ERRORS = {
  auth: 'Unauthorized/Invalid api key',
  version: 'order_version_mismatch',
  signature: 'invalid signature',
  signerNotKey: 'the order signer address has to be the address of the API KEY',
  owner: 'the order owner has to be the owner of the API KEY',
  balance: 'not enough balance / allowance',
  postOnlyCross: 'invalid post-only order: order crosses book',
  fok: 'order couldn\'t be fully filled. FOK orders are fully filled or killed.',
  duplicate: 'order already exists',
  expiration: 'invalid expiration value (minimum is now + 1 minute)',
  depositWallet: 'maker address not allowed, please use the deposit wallet flow',
} as const;

export class TradingDesk {
  readonly accounts = new Map<string, Account>();
  private readonly keys = new Map<string, ApiKey>();
  readonly orders = new Map<string, UserOrder>();
  readonly trades: DeskTrade[] = [];
  private readonly tradeById = new Map<string, DeskTrade>();
  private readonly beats = new Map<string, { id: string; deadline: number }>();
  private timer: NodeJS.Timeout | undefined;
  private readonly rng: Rng;
  private seq = 0;
  version: ExchangeVersion;
  readonly opts: Required<DeskOptions>;
  /** User-channel events: (API key, condition id, event object). */
  onEvent: ((apiKey: string, market: string, ev: UserEvent) => void) | undefined;
  /** Counters tests read. */
  readonly counts = { posted: 0, rejected: 0, cancelled: 0, heartbeatCancels: 0, failedSettlements: 0, authFailures: 0 };

  constructor(
    private readonly world: World,
    private readonly exchange: Exchange,
    options: DeskOptions = {},
  ) {
    this.opts = { startingBalance: 1000, version: 2, heartbeatMs: 10_000, mineMs: 1_000, confirmMs: 3_000, ghostRate: 0, seed: 'desk', faults: {}, depositWalletOnly: false, wall: systemWall, ...options };
    this.version = this.opts.version;
    this.rng = new Rng(`desk:${this.opts.seed}`);
    exchange.onUserFills = (fills) => this.onMakerFills(fills);
    exchange.onUserCancels = (orders) => {
      for (const o of orders) this.counts.cancelled++;
    };
  }

  start(): void {
    if (!this.timer) this.timer = setInterval(() => this.tick(this.opts.wall()), 100);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Heartbeat deadlines, GTD expiry and settlement, on the wall clock. */
  tick(now: number): void {
    for (const [key, b] of this.beats) {
      if (now > b.deadline) {
        this.beats.delete(key);
        const n = this.cancelWhere((o) => o.owner === key).length;
        if (n) this.counts.heartbeatCancels += n;
      }
    }
    const s = Math.floor(now / 1000);
    this.cancelWhere((o) => o.expiration > 0 && o.expiration <= s);
    for (const t of this.trades) {
      if (t.status === 'CONFIRMED' || t.status === 'FAILED') continue;
      if (t.failAt !== undefined && now >= t.failAt) this.failTrade(t, now);
      else if (t.status === 'MATCHED' && now >= t.dueMined) {
        t.status = 'MINED';
        t.lastUpdate = s;
        this.emitTrade(t);
      } else if (t.status === 'MINED' && now >= t.dueConfirmed && t.failAt === undefined) {
        t.status = 'CONFIRMED';
        t.lastUpdate = s;
        this.emitTrade(t);
      }
    }
  }

  account(address: string): Account {
    const a = address.toLowerCase();
    let acc = this.accounts.get(a);
    if (!acc) this.accounts.set(a, (acc = { address: a, balance: Math.round(this.opts.startingBalance * 1e6), positions: new Map() }));
    return acc;
  }

  /** Adds USDC to an account (the sim's faucet). */
  fund(address: string, usdc: number): Account {
    const acc = this.account(address);
    acc.balance += Math.round(usdc * 1e6);
    return acc;
  }

  // ---- routing ------------------------------------------------------------

  /** Whether a path is one of the desk's (authenticated) routes. */
  owns(path: string): boolean {
    return path.startsWith('/auth/') || path === '/order' || path === '/orders' || path === '/cancel-all' || path === '/cancel-market-orders' || path.startsWith('/data/') || path === '/balance-allowance' || path === '/v1/heartbeats';
  }

  /** How the answer to an order post is delivered under the configured faults. */
  delivery(method: string, path: string, reply: Reply): Delivery {
    const f = this.opts.faults;
    if (method !== 'POST' || (path !== '/order' && path !== '/orders') || reply.status !== 200) return 'send';
    if (f.lostAckRate && this.rng.next() < f.lostAckRate) return 'drop';
    return f.lateAckMs ? { delayMs: f.lateAckMs } : 'send';
  }

  async handle(method: string, path: string, q: URLSearchParams, raw: string, headers: Record<string, string | string[] | undefined>): Promise<Reply> {
    const f = this.opts.faults;
    if (method === 'POST' && (path === '/order' || path === '/orders')) {
      if (f.refuse) {
        const u = this.rng.next();
        let acc = 0;
        for (const r of [f.refuse].flat()) if (u < (acc += r.rate)) return refusal(r.status);
      }
      if (f.restriction === 'CANCEL_ONLY') return { status: 503, body: { error: 'Trading is currently cancel-only', type: 'CANCEL_ONLY' } };
    }
    const h = (name: string) => {
      const v = headers[name.toLowerCase()];
      return typeof v === 'string' ? v : undefined;
    };
    if (path === '/auth/api-key' && method === 'POST') return this.l1(h, 'create');
    if (path === '/auth/derive-api-key' && method === 'GET') return this.l1(h, 'derive');
    const key = this.l2(h, method, path, raw);
    if (!key) {
      this.counts.authFailures++;
      return fail(401, DESK_ERRORS.auth);
    }
    let body: unknown;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return fail(400, 'Invalid payload');
      }
    }
    if (path === '/auth/api-keys' && method === 'GET') return ok({ apiKeys: [key.key] });
    if (path === '/order' && method === 'POST') return this.post(key, body);
    if (path === '/orders' && method === 'POST') {
      if (!Array.isArray(body) || body.length > 15) return fail(400, 'Invalid payload: at most 15 orders');
      return ok(await Promise.all(body.map(async (b) => (await this.post(key, b)).body)));
    }
    if (path === '/order' && method === 'DELETE') return this.cancel(key, [String((body as { orderID?: unknown })?.orderID ?? '')]);
    if (path === '/orders' && method === 'DELETE') return Array.isArray(body) ? this.cancel(key, body.map(String)) : fail(400, 'Invalid payload');
    if (path === '/cancel-all' && method === 'DELETE') return this.cancelled(this.cancelWhere((o) => o.owner === key.key), []);
    if (path === '/cancel-market-orders' && method === 'DELETE') {
      const b = (body ?? {}) as { market?: string; asset_id?: string };
      return this.cancelled(this.cancelWhere((o) => o.owner === key.key && (!b.asset_id || o.token === b.asset_id) && (!b.market || this.marketOf(o.token)?.conditionId === b.market)), []);
    }
    if (path === '/data/orders' && method === 'GET') return this.openOrders(key, q);
    if (path.startsWith('/data/order/') && method === 'GET') {
      const o = this.orders.get(decodeURIComponent(path.slice(12)));
      return o && o.owner === key.key ? ok(this.orderWire(o)) : ok(null);
    }
    if (path === '/data/trades' && method === 'GET') return this.tradeList(key, q);
    if (path === '/balance-allowance' && method === 'GET') return this.balance(key, q);
    if (path === '/v1/heartbeats' && method === 'POST') return this.heartbeat(key, body);
    return fail(404, 'not found');
  }

  // ---- auth -----------------------------------------------------------------

  private async l1(h: (n: string) => string | undefined, mode: 'create' | 'derive'): Promise<Reply> {
    const address = h('POLY_ADDRESS');
    const sig = h('POLY_SIGNATURE');
    const ts = Number(h('POLY_TIMESTAMP'));
    const nonce = Number(h('POLY_NONCE') ?? '0');
    if (!address || !sig || !Number.isInteger(ts) || !Number.isInteger(nonce) || nonce < 0 || !/^0x[0-9a-fA-F]{40}$/.test(address)) return fail(401, 'Invalid L1 Request headers');
    let who: string;
    try {
      who = await recoverTypedDataAddress({ domain: CLOB_AUTH_DOMAIN, types: CLOB_AUTH_TYPES, primaryType: 'ClobAuth', message: clobAuthMessage(getAddress(address), ts, nonce), signature: sig as Hex });
    } catch {
      return fail(401, 'Invalid L1 Request headers');
    }
    // A deposit wallet's key is created by its owner signing for the wallet's address.
    if (who.toLowerCase() !== address.toLowerCase() && this.depositOwners.get(address.toLowerCase()) !== who.toLowerCase()) return fail(401, 'Invalid L1 Request headers');
    const id = `${address.toLowerCase()}:${nonce}`;
    const existing = this.keys.get(this.keyIdOf(id));
    if (mode === 'derive') return existing ? ok(this.keyWire(existing)) : fail(400, 'Could not derive api key!');
    if (existing) return fail(400, 'Could not create api key');
    const k = this.makeKey(address.toLowerCase(), nonce);
    this.account(k.address);
    return ok(this.keyWire(k));
  }

  private keyIdOf(id: string): string {
    return this.derive(`key:${id}`, 16).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/, '$1-$2-$3-$4-$5');
  }

  private derive(label: string, bytes: number): string {
    return createHmac('sha256', `sim-desk:${this.opts.seed}`).update(label).digest('hex').slice(0, bytes * 2);
  }

  private makeKey(address: string, nonce: number): ApiKey {
    const id = `${address}:${nonce}`;
    const k: ApiKey = {
      key: this.keyIdOf(id),
      secret: Buffer.from(this.derive(`secret:${id}`, 32), 'hex').toString('base64url') + '=',
      passphrase: this.derive(`pass:${id}`, 32),
      address,
      nonce,
    };
    this.keys.set(k.key, k);
    return k;
  }

  private keyWire(k: ApiKey) {
    return { apiKey: k.key, secret: k.secret, passphrase: k.passphrase };
  }

  private l2(h: (n: string) => string | undefined, method: string, path: string, raw: string): ApiKey | undefined {
    const k = this.keys.get(h('POLY_API_KEY') ?? '');
    const sig = h('POLY_SIGNATURE');
    const ts = Number(h('POLY_TIMESTAMP'));
    if (!k || !sig || !Number.isInteger(ts)) return undefined;
    if (h('POLY_PASSPHRASE') !== k.passphrase) return undefined;
    if ((h('POLY_ADDRESS') ?? '').toLowerCase() !== k.address) return undefined;
    const want = Buffer.from(hmacSignature(k.secret, ts, method, path, raw || undefined));
    const got = Buffer.from(sig);
    return want.length === got.length && timingSafeEqual(want, got) ? k : undefined;
  }

  // ---- orders ---------------------------------------------------------------

  private marketOf(token: string): SimMarket | undefined {
    return this.exchange.marketOf(token);
  }

  private reject(text: string, status = 400): Reply {
    this.counts.rejected++;
    return fail(status, text);
  }

  /** The signer recovered from an order under a given domain (undefined when it does not verify). */
  private async recover(o: WireOrder, version: ExchangeVersion, negRisk: boolean): Promise<string | undefined> {
    const message = messageOf(o);
    const domain = orderDomain(version, negRisk);
    try {
      if (o.signatureType !== 3) return (await recoverTypedDataAddress({ domain, types: { Order: ORDER_FIELDS }, primaryType: 'Order', message, signature: o.signature })).toLowerCase();
      // ERC-7739 envelope: the key signed TypedDataSign(contents=Order, the wallet's domain).
      const sig = o.signature.slice(2);
      const typeHex = Buffer.from(ORDER_TYPE).toString('hex');
      if (sig.length !== 130 + 64 + 64 + typeHex.length + 4 || sig.slice(258, 258 + typeHex.length) !== typeHex) return undefined;
      const digest = hashTypedData({
        domain,
        types: { TypedDataSign: TYPED_DATA_SIGN, Order: ORDER_FIELDS },
        primaryType: 'TypedDataSign',
        message: { contents: message, name: 'DepositWallet', version: '1', chainId: BigInt(CHAIN_ID), verifyingContract: o.signer, salt: BYTES32_ZERO },
      });
      const owner = (await recoverAddress({ hash: digest, signature: `0x${sig.slice(0, 130)}` })).toLowerCase();
      // The deposit wallet answers for its owner: the sim's wallets are owned by the key that registered them.
      return this.depositOwners.get(o.signer.toLowerCase()) === owner ? o.signer.toLowerCase() : undefined;
    } catch {
      return undefined;
    }
  }

  /** Deposit wallet → owner key address (lower case). */
  readonly depositOwners = new Map<string, string>();

  /** Deploys (registers) a deposit wallet for an owner key: a deterministic address, funded like any new account. */
  depositWallet(owner: string): string {
    const wallet = getAddress(`0x${this.derive(`deposit-wallet:${owner.toLowerCase()}`, 20)}`);
    this.depositOwners.set(wallet.toLowerCase(), owner.toLowerCase());
    this.account(wallet);
    return wallet;
  }

  private async post(key: ApiKey, body: unknown): Promise<Reply> {
    const p = parsePayload(body);
    if (typeof p === 'string') return this.reject(p);
    const { order: o, orderType, postOnly } = p;
    if (p.owner !== key.key) return this.reject(DESK_ERRORS.owner);
    const m = this.marketOf(o.tokenId);
    if (!m || m.closed) return this.reject('market not found or closed');
    const signer = await this.recover(o, this.version, m.negRisk);
    if (signer !== o.signer.toLowerCase()) {
      for (const v of [2, 3] as const) {
        if (v !== this.version && (await this.recover(o, v, m.negRisk)) === o.signer.toLowerCase()) return this.reject(DESK_ERRORS.version);
      }
      return this.reject(DESK_ERRORS.signature);
    }
    if (signer !== key.address) return this.reject(DESK_ERRORS.signerNotKey);
    if (o.signatureType === 0 && o.maker.toLowerCase() !== signer) return this.reject(DESK_ERRORS.signature);
    if (o.signatureType === 3 && o.maker.toLowerCase() !== signer) return this.reject(DESK_ERRORS.signature);
    if (this.opts.depositWalletOnly && o.signatureType !== 3) return this.reject(DESK_ERRORS.depositWallet);
    const id = hashTypedData({ domain: orderDomain(this.version, m.negRisk), types: { Order: ORDER_FIELDS }, primaryType: 'Order', message: messageOf(o) });
    if (this.orders.has(id)) return this.reject(DESK_ERRORS.duplicate);
    // Price and size from the amounts: BUY gives USDC for shares, SELL the reverse.
    const usdc = BigInt(o.side === 'BUY' ? o.makerAmount : o.takerAmount);
    const shares = BigInt(o.side === 'BUY' ? o.takerAmount : o.makerAmount);
    if (shares <= 0n) return this.reject('invalid order size');
    const num = usdc * BigInt(PRICE_SCALE);
    if (num % shares !== 0n) return this.reject(`order is invalid. Price breaks minimum tick size rule: ${m.tick / PRICE_SCALE}`);
    const price = Number(num / shares);
    if (price % m.tick !== 0 || price < m.tick || price > PRICE_SCALE - m.tick) return this.reject(`order is invalid. Price (${price / PRICE_SCALE}) breaks minimum tick size rule: ${m.tick / PRICE_SCALE}`);
    if (shares % 10_000n !== 0n) return this.reject('order is invalid. Size has more than 2 decimals');
    const size = Number(shares) / 1e6;
    if (size < m.minOrderSize) return this.reject(`Size (${size}) lower than the minimum: ${m.minOrderSize}`);
    const nowS = Math.floor(this.opts.wall() / 1000);
    const exp = Number(o.expiration);
    if (orderType === 'GTD' ? exp < nowS + GTD_MARGIN_S : exp !== 0) return this.reject(DESK_ERRORS.expiration);
    const acc = this.account(o.maker);
    const side = o.side as Side;
    const crossing = this.exchange.fillable(o.tokenId, side, price, acc.address);
    if (postOnly && crossing > 0) return this.reject(DESK_ERRORS.postOnlyCross);
    if (this.opts.faults.restriction === 'POST_ONLY' && crossing > 0) return { status: 503, body: { error: 'Trading is currently post-only', type: 'POST_ONLY' } };
    if (side === 'BUY' && Number(usdc) > acc.balance - this.reserved(acc, 'BUY')) return this.reject(DESK_ERRORS.balance);
    if (side === 'SELL' && size > (acc.positions.get(o.tokenId) ?? 0) - this.reserved(acc, 'SELL', o.tokenId) + 1e-9) return this.reject(DESK_ERRORS.balance);
    if (orderType === 'FOK' && crossing + 1e-9 < size) return this.reject(DESK_ERRORS.fok);
    this.counts.posted++;
    const order: UserOrder = { id, owner: key.key, maker: acc.address, token: o.tokenId, side, price, original: size, matched: 0, createdAt: nowS, expiration: exp, orderType, status: 'LIVE' };
    this.orders.set(id, order);
    this.emitOrder(order, 'PLACEMENT');
    const fills = this.exchange.take(m, o.tokenId, side, size, price, acc.address);
    const tradeIds: string[] = [];
    let making = 0;
    let taking = 0;
    for (const f of fills) {
      order.matched = Math.round((order.matched + f.size) * 100) / 100;
      const t = this.book(acc, key.key, order, f, 'TAKER');
      tradeIds.push(t.id);
      const cash = (f.size * f.price) / PRICE_SCALE;
      if (side === 'BUY') (making += cash), (taking += f.size);
      else (making += f.size), (taking += cash);
    }
    let status: string;
    if (order.original - order.matched < 0.005) {
      order.status = 'MATCHED';
      status = 'matched';
    } else if (orderType === 'FOK' || orderType === 'FAK') {
      order.status = order.matched > 0 ? 'MATCHED' : 'CANCELED';
      status = order.matched > 0 ? 'matched' : 'unmatched';
    } else {
      this.exchange.rest(order);
      status = 'live';
    }
    if (order.matched > 0) this.emitOrder(order, 'UPDATE');
    if (order.status === 'CANCELED') this.emitOrder(order, 'CANCELLATION');
    return ok({ success: true, errorMsg: '', orderID: id, status, takingAmount: taking ? fmt(taking) : '', makingAmount: making ? fmt(making) : '', transactionsHashes: [], tradeIDs: tradeIds });
  }

  /** USDC micros (BUY) or shares of a token (SELL) held by resting orders. */
  private reserved(acc: Account, side: Side, token?: string): number {
    let n = 0;
    for (const o of this.orders.values()) {
      if (o.maker !== acc.address || o.status !== 'LIVE' || o.side !== side || (token && o.token !== token)) continue;
      const left = o.original - o.matched;
      n += side === 'BUY' ? Math.round((left * o.price * 1e6) / PRICE_SCALE) : left;
    }
    return n;
  }

  /** Books one fill for one account: cash and shares move now, settlement follows. */
  private book(acc: Account, owner: string, order: UserOrder, f: SimTrade, traderSide: 'TAKER' | 'MAKER', size = f.size): DeskTrade {
    const m = this.marketOf(order.token)!;
    const cash = Math.round((size * f.price * 1e6) / PRICE_SCALE);
    const sign = order.side === 'BUY' ? 1 : -1;
    acc.balance -= sign * cash;
    acc.positions.set(order.token, Math.round(((acc.positions.get(order.token) ?? 0) + sign * size) * 100) / 100);
    const now = this.opts.wall();
    const ghost = this.opts.ghostRate > 0 && this.rng.next() < this.opts.ghostRate;
    const t: DeskTrade = {
      id: this.uuid(),
      takerOrderId: traderSide === 'TAKER' ? order.id : `0x${this.derive(`taker:${f.txHash}`, 32)}`,
      token: order.token,
      market: m.conditionId,
      outcome: m.outcomes[m.tokenIds[0] === order.token ? 0 : 1]!,
      side: order.side,
      traderSide,
      price: f.price,
      size,
      status: 'MATCHED',
      matchTime: Math.floor(now / 1000),
      lastUpdate: Math.floor(now / 1000),
      owner,
      maker: acc.address,
      makerOrders:
        traderSide === 'MAKER'
          ? [{ order_id: order.id, owner, maker_address: acc.address, matched_amount: fmt(size), price: fmtP(f.price), fee_rate_bps: '0', asset_id: order.token, outcome: '', side: order.side }]
          : f.maker
            ? [{ order_id: f.maker.id, owner: f.maker.owner, maker_address: f.maker.maker, matched_amount: fmt(size), price: fmtP(f.price), fee_rate_bps: '0', asset_id: order.token, outcome: '', side: f.maker.side }]
            : [],
      txHash: f.txHash,
      dueMined: now + this.opts.mineMs,
      dueConfirmed: now + this.opts.confirmMs,
      failAt: ghost ? now + this.opts.mineMs + (this.opts.confirmMs - this.opts.mineMs) / 2 : undefined,
    };
    this.trades.push(t);
    this.tradeById.set(t.id, t);
    this.emitTrade(t);
    return t;
  }

  /** A resting account order was hit (by the makers' flow or another account). */
  private onMakerFills(fills: UserFill[]): void {
    for (const uf of fills) {
      const acc = this.account(uf.order.maker);
      this.book(acc, uf.order.owner, uf.order, uf.trade, 'MAKER', uf.size);
      this.emitOrder(uf.order, 'UPDATE');
    }
  }

  /** Settlement failed on chain: the fill is reversed in cash and shares. */
  private failTrade(t: DeskTrade, now: number): void {
    t.status = 'FAILED';
    t.lastUpdate = Math.floor(now / 1000);
    this.counts.failedSettlements++;
    this.emitTrade(t);
    const acc = this.account(t.maker);
    const cash = Math.round((t.size * t.price * 1e6) / PRICE_SCALE);
    const sign = t.side === 'BUY' ? 1 : -1;
    acc.balance += sign * cash;
    acc.positions.set(t.token, Math.round(((acc.positions.get(t.token) ?? 0) - sign * t.size) * 100) / 100);
  }

  private uuid(): string {
    this.seq++;
    return this.derive(`trade:${this.seq}`, 16).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/, '$1-$2-$3-$4-$5');
  }

  private cancelWhere(pred: (o: UserOrder) => boolean): string[] {
    const ids: string[] = [];
    for (const o of this.orders.values()) {
      if (o.status === 'LIVE' && pred(o)) {
        this.exchange.unrest(o);
        o.status = 'CANCELED';
        ids.push(o.id);
        this.emitOrder(o, 'CANCELLATION');
      }
    }
    this.counts.cancelled += ids.length;
    return ids;
  }

  private cancel(key: ApiKey, ids: string[]): Reply {
    const done: string[] = [];
    const not: Record<string, string> = {};
    for (const id of ids) {
      const o = this.orders.get(id);
      if (!o || o.owner !== key.key) not[id] = 'order not found';
      else if (o.status !== 'LIVE') not[id] = o.status === 'CANCELED' ? 'order already canceled' : 'order already matched';
      else done.push(...this.cancelWhere((x) => x === o));
    }
    return ok({ canceled: done, not_canceled: not });
  }

  private cancelled(ids: string[], _x: string[]): Reply {
    return ok({ canceled: ids, not_canceled: {} });
  }

  private emitOrder(o: UserOrder, type: 'PLACEMENT' | 'UPDATE' | 'CANCELLATION'): void {
    if (!this.onEvent) return;
    const w = this.orderWire(o);
    const ev: UserOrderEvent = {
      asset_id: o.token,
      associate_trades: w.associate_trades,
      event_type: 'order',
      id: o.id,
      market: w.market,
      order_owner: o.owner,
      original_size: w.original_size,
      outcome: w.outcome,
      owner: o.owner,
      price: w.price,
      side: o.side,
      size_matched: w.size_matched,
      timestamp: String(this.opts.wall()),
      type,
    };
    this.onEvent(o.owner, w.market, ev);
  }

  private emitTrade(t: DeskTrade): void {
    if (!this.onEvent) return;
    const w = tradeWire(t);
    const ev: UserTradeEvent = { ...w, event_type: 'trade', matchtime: w.match_time, timestamp: String(this.opts.wall()), trade_owner: t.owner, type: 'TRADE' };
    this.onEvent(t.owner, t.market, ev);
  }

  private orderWire(o: UserOrder) {
    const m = this.marketOf(o.token);
    return {
      id: o.id,
      status: o.status,
      owner: o.owner,
      maker_address: o.maker,
      market: m?.conditionId ?? '',
      asset_id: o.token,
      side: o.side,
      original_size: fmt(o.original),
      size_matched: fmt(o.matched),
      price: fmtP(o.price),
      associate_trades: this.trades.filter((t) => t.takerOrderId === o.id || t.makerOrders.some((x) => x.order_id === o.id)).map((t) => t.id),
      outcome: m ? m.outcomes[m.tokenIds[0] === o.token ? 0 : 1] : '',
      created_at: o.createdAt,
      expiration: String(o.expiration),
      order_type: o.orderType,
    };
  }

  private openOrders(key: ApiKey, q: URLSearchParams): Reply {
    const id = q.get('id');
    const market = q.get('market');
    const asset = q.get('asset_id');
    const list = [...this.orders.values()].filter((o) => o.owner === key.key && o.status === 'LIVE' && (!id || o.id === id) && (!asset || o.token === asset) && (!market || this.marketOf(o.token)?.conditionId === market));
    return this.page(list.map((o) => this.orderWire(o)), q.get('next_cursor'));
  }

  private tradeList(key: ApiKey, q: URLSearchParams): Reply {
    const id = q.get('id');
    const market = q.get('market');
    const asset = q.get('asset_id');
    const after = Number(q.get('after') ?? 0);
    const before = Number(q.get('before') ?? Infinity);
    const list = this.trades.filter((t) => t.owner === key.key && (!id || t.id === id) && (!market || t.market === market) && (!asset || t.token === asset) && t.matchTime >= after && t.matchTime <= before);
    return this.page(list.map((t) => tradeWire(t)), q.get('next_cursor'));
  }

  private page(rows: unknown[], cursor: string | null): Reply {
    let start = 0;
    if (cursor && cursor !== 'MA==') {
      if (cursor === END) return ok({ limit: PAGE, count: 0, next_cursor: END, data: [] });
      start = Number(Buffer.from(cursor, 'base64').toString());
      if (!Number.isInteger(start) || start < 0) return fail(400, 'invalid next_cursor');
    }
    const data = rows.slice(start, start + PAGE);
    const end = start + PAGE;
    return ok({ limit: PAGE, count: data.length, next_cursor: end < rows.length ? Buffer.from(String(end)).toString('base64') : END, data });
  }

  private balance(key: ApiKey, q: URLSearchParams): Reply {
    const acc = this.account(key.address);
    const asset = q.get('asset_type');
    const token = q.get('token_id');
    const amount = asset === 'CONDITIONAL' && token ? Math.round((acc.positions.get(token) ?? 0) * 1e6) : acc.balance;
    return ok({ balance: String(amount), allowances: { [COLLATERAL_SPENDERS[0]]: MAX_ALLOWANCE, [COLLATERAL_SPENDERS[1]]: MAX_ALLOWANCE } });
  }

  private heartbeat(key: ApiKey, body: unknown): Reply {
    const sent = (body as { heartbeat_id?: unknown } | undefined)?.heartbeat_id;
    const cur = this.beats.get(key.key);
    if (cur && sent !== cur.id) return fail(400, `Invalid Heartbeat ID, expected ${cur.id}`);
    if (!cur && sent !== undefined && sent !== null && sent !== '') return fail(400, 'Invalid Heartbeat ID');
    const id = this.uuid();
    this.beats.set(key.key, { id, deadline: this.opts.wall() + this.opts.heartbeatMs });
    return ok({ heartbeat_id: id });
  }

  /** The key an auth frame names, when its secret and passphrase match (user channel). */
  authenticate(apiKey: unknown, secret: unknown, passphrase: unknown): string | undefined {
    const k = typeof apiKey === 'string' ? this.keys.get(apiKey) : undefined;
    return k && k.secret === secret && k.passphrase === passphrase ? k.key : undefined;
  }

  /** Whether a key's heartbeat chain is running (tests). */
  heartbeatRunning(apiKey: string): boolean {
    return this.beats.has(apiKey);
  }
}

/** The shapes refusals take in front of the venue (Cloudflare pages are HTML). */
function refusal(status: number): Reply {
  if (status === 403) return { status, body: '<html><head><title>Attention Required! | Cloudflare</title></head><body>Sorry, you have been blocked</body></html>', headers: { 'content-type': 'text/html' } };
  if (status === 451) return { status, body: { error: 'Unavailable For Legal Reasons' } };
  if (status === 429) return { status, body: { error: 'Too Many Requests' }, headers: { 'retry-after': '1' } };
  if (status === 425) return { status, body: { error: 'Too Early: the matching engine is restarting' } };
  return { status, body: { error: 'Service Unavailable' } };
}

const TYPED_DATA_SIGN = [
  { name: 'contents', type: 'Order' },
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' },
  { name: 'salt', type: 'bytes32' },
] as const;
const COLLATERAL_SPENDERS = ['0xE111180000d2663C0091e4f400237545B87B996B', '0xe2222d279d744050d28e00520010520000310F59'] as const;
const MAX_ALLOWANCE = '115792089237316195423570985008687907853269984665640564039457584007913129639935';

interface WireOrder {
  salt: string;
  maker: Hex;
  signer: Hex;
  tokenId: string;
  makerAmount: string;
  takerAmount: string;
  side: 'BUY' | 'SELL';
  signatureType: 0 | 1 | 2 | 3;
  timestamp: string;
  expiration: string;
  metadata: Hex;
  builder: Hex;
  signature: Hex;
}

function messageOf(o: WireOrder) {
  return {
    salt: BigInt(o.salt),
    maker: o.maker,
    signer: o.signer,
    tokenId: BigInt(o.tokenId),
    makerAmount: BigInt(o.makerAmount),
    takerAmount: BigInt(o.takerAmount),
    side: o.side === 'BUY' ? 0 : 1,
    signatureType: o.signatureType,
    timestamp: BigInt(o.timestamp),
    metadata: o.metadata,
    builder: o.builder,
  };
}

const ADDR = /^0x[0-9a-fA-F]{40}$/;
const B32 = /^0x[0-9a-fA-F]{64}$/;
const UINT = /^\d{1,78}$/;

/** Validates a POST /order body; a string is the error to answer with. */
function parsePayload(body: unknown): { order: WireOrder; owner: string; orderType: string; postOnly: boolean } | string {
  if (!body || typeof body !== 'object') return 'Invalid payload';
  const b = body as Record<string, unknown>;
  const o = b.order as Record<string, unknown> | undefined;
  if (!o || typeof o !== 'object') return 'Invalid payload: order missing';
  const salt = typeof o.salt === 'number' && Number.isSafeInteger(o.salt) && o.salt >= 0 ? String(o.salt) : typeof o.salt === 'string' && UINT.test(o.salt) ? o.salt : undefined;
  if (salt === undefined) return 'Invalid order: salt';
  for (const f of ['maker', 'signer'] as const) if (typeof o[f] !== 'string' || !ADDR.test(o[f] as string)) return `Invalid order: ${f}`;
  for (const f of ['tokenId', 'makerAmount', 'takerAmount', 'timestamp'] as const) if (typeof o[f] !== 'string' || !UINT.test(o[f] as string)) return `Invalid order: ${f}`;
  if (o.expiration !== undefined && (typeof o.expiration !== 'string' || !UINT.test(o.expiration))) return 'Invalid order: expiration';
  for (const f of ['metadata', 'builder'] as const) if (typeof o[f] !== 'string' || !B32.test(o[f] as string)) return `Invalid order: ${f}`;
  if (o.side !== 'BUY' && o.side !== 'SELL') return 'Invalid order: side';
  if (![0, 1, 2, 3].includes(o.signatureType as number)) return 'Invalid order: signatureType';
  if (typeof o.signature !== 'string' || !/^0x[0-9a-fA-F]+$/.test(o.signature)) return 'Invalid order: signature';
  const orderType = b.orderType ?? 'GTC';
  if (!['GTC', 'GTD', 'FOK', 'FAK'].includes(orderType as string)) return 'Invalid order type';
  const postOnly = b.postOnly === true;
  if (postOnly && (orderType === 'FOK' || orderType === 'FAK')) return 'invalid post-only order: only GTC and GTD orders can be post-only';
  if (typeof b.owner !== 'string') return 'Invalid payload: owner';
  return {
    order: { ...(o as unknown as WireOrder), salt, expiration: (o.expiration as string | undefined) ?? '0' },
    owner: b.owner,
    orderType: orderType as string,
    postOnly,
  };
}

function fmt(x: number): string {
  return String(Math.round(x * 1e6) / 1e6);
}

function fmtP(units: number): string {
  return String(units / PRICE_SCALE);
}

function tradeWire(t: DeskTrade) {
  return {
    id: t.id,
    taker_order_id: t.takerOrderId,
    market: t.market,
    asset_id: t.token,
    side: t.side,
    size: fmt(t.size),
    fee_rate_bps: '0',
    price: fmtP(t.price),
    status: t.status,
    match_time: String(t.matchTime),
    last_update: String(t.lastUpdate),
    outcome: t.outcome,
    bucket_index: 0,
    owner: t.owner,
    maker_address: t.maker,
    maker_orders: t.makerOrders,
    // The venue only knows the transaction once it is mined.
    transaction_hash: t.status === 'MINED' || t.status === 'CONFIRMED' ? t.txHash : '',
    trader_side: t.traderSide,
  };
}
