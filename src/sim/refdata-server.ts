// Reference-data servers for the simulator, on 127.0.0.1, quoting the hidden
// crypto paths in the real providers' REST shapes and limits:
//  - Binance spot  /api/v3/exchangeInfo, /api/v3/ticker/price?symbols=[…]
//    (one unknown symbol fails the call: 400 {"code":-1121}), /api/v3/klines;
//    request weight per minute with X-MBX-USED-WEIGHT-1M, 429 + Retry-After
//    past the limit, 418 when the client keeps going.
//  - Binance USDⓈ-M /fapi/v1/exchangeInfo, /fapi/v1/premiumIndex (all symbols).
//  - Deribit /api/v2/public/get_volatility_index_data (DVOL, BTC and ETH only).
//  - Coinalyze /v1/future-markets, /v1/funding-rate, /v1/open-interest with
//    an `api_key` header, ≤ 20 symbols per call (400 beyond), 40 calls a
//    minute (429 + Retry-After), and symbols that now and then are missing
//    from an answer.
// Some coins are listed on one venue only (HYPE has no Binance spot pair), so
// clients exercise their aggregated and neutral tiers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlidingWindow } from '../protocol/rate-limits.js';
import type { CryptoPaths } from './crypto-paths.js';
import { systemWall, type WallNow } from '../clock.js';

export interface RefDataServerOptions {
  paths: CryptoPaths;
  /** Venue clock (the simulator's), epoch ms. */
  now: () => number;
  /** The simulator host's clock, for rate-limit windows (default this machine's). */
  wall?: WallNow;
  host?: string;
  port?: number;
  /** Binance request weight per minute (real: 6,000). */
  binanceWeight?: number;
  /** Coinalyze calls per minute per key (real: 40). */
  coinalyzePerMinute?: number;
  /** Share of Coinalyze answers that leave a requested symbol out (default 0.05). */
  missingRate?: number;
  /** Coins without a Binance spot pair. */
  spotDelisted?: readonly string[];
}

const WEIGHT = { exchangeInfo: 20, tickerOne: 2, tickerMany: 4, klines: 2, premiumIndex: 10 };
const COINALYZE_BATCH = 20;
/** Coinalyze venue codes served: Binance, Bybit, OKX. */
const VENUES: Array<[string, string]> = [
  ['A', 'binance'],
  ['6', 'bybit'],
  ['3', 'okx'],
];

export class RefDataServer {
  private server: Server | undefined;
  private binanceLimit: number;
  private binanceStamps: Array<[number, number]> = [];
  private over429 = 0;
  private coinalyzeWindows = new Map<string, SlidingWindow>();
  private counter = 0;
  /** Requests served per route (tests measure calls per refresh with these). */
  readonly hits: Record<string, number> = {};
  url = '';

  constructor(private opts: RefDataServerOptions) {
    this.binanceLimit = opts.binanceWeight ?? 6000;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    const a = this.server.address() as AddressInfo;
    this.url = `http://${this.opts.host ?? '127.0.0.1'}:${a.port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private spotCoins(): string[] {
    const gone = new Set(this.opts.spotDelisted ?? ['HYPE']);
    return this.opts.paths.assets.filter((a) => !gone.has(a));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const route = url.pathname;
    this.hits[route] = (this.hits[route] ?? 0) + 1;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, { code: -1, msg: 'GET only' });
    if (route.startsWith('/api/v3/') || route.startsWith('/fapi/v1/')) return this.binance(route, url, send);
    if (route.startsWith('/v1/')) return this.coinalyze(route, url, req, send);
    if (route === '/api/v2/public/get_volatility_index_data') return this.deribit(url, send);
    send(404, { code: -1, msg: 'not found' });
  }

  /** Charges request weight; answers 429/418 itself when over the minute's budget. */
  private charge(weight: number, send: (s: number, b: unknown, h?: Record<string, string>) => void): number | undefined {
    const now = (this.opts.wall ?? systemWall)();
    this.binanceStamps = this.binanceStamps.filter(([t]) => t > now - 60_000);
    const used = this.binanceStamps.reduce((a, [, w]) => a + w, 0);
    if (used + weight > this.binanceLimit) {
      const oldest = this.binanceStamps[0]?.[0] ?? now;
      const retry = Math.max(1, Math.ceil((oldest + 60_000 - now) / 1000));
      this.over429++;
      // A client that ignores 429s gets banned (418), as the real API does.
      if (this.over429 > 3) send(418, { code: -1003, msg: 'Way too many requests; IP banned.' }, { 'retry-after': String(retry * 2) });
      else send(429, { code: -1003, msg: 'Too many requests.' }, { 'retry-after': String(retry), 'x-mbx-used-weight-1m': String(used) });
      return undefined;
    }
    this.over429 = 0;
    this.binanceStamps.push([now, weight]);
    return used + weight;
  }

  private binance(route: string, url: URL, send: (s: number, b: unknown, h?: Record<string, string>) => void): void {
    const now = this.opts.now();
    const paths = this.opts.paths;
    const px = (a: string) => paths.price(a, now)!;
    const fmt = (x: number) => x.toPrecision(8);
    const w = (n: number) => ({ 'x-mbx-used-weight-1m': String(n) });
    const spot = new Set(this.spotCoins().map((a) => `${a}USDT`));
    if (route === '/api/v3/exchangeInfo' || route === '/fapi/v1/exchangeInfo') {
      const used = this.charge(WEIGHT.exchangeInfo, send);
      if (used === undefined) return;
      const fut = route.startsWith('/fapi');
      const coins = fut ? paths.assets : this.spotCoins();
      return send(200, { timezone: 'UTC', serverTime: now, rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: this.binanceLimit }], symbols: coins.map((a) => ({ symbol: `${a}USDT`, status: 'TRADING', baseAsset: a, quoteAsset: 'USDT', ...(fut ? { contractType: 'PERPETUAL' } : {}) })) }, w(used));
    }
    if (route === '/api/v3/ticker/price') {
      const many = url.searchParams.get('symbols');
      const one = url.searchParams.get('symbol');
      const used = this.charge(many ? WEIGHT.tickerMany : WEIGHT.tickerOne, send);
      if (used === undefined) return;
      let list: string[];
      try {
        list = many ? (JSON.parse(many) as unknown[]).map(String) : one ? [one] : [...spot];
      } catch {
        return send(400, { code: -1100, msg: "Illegal characters found in parameter 'symbols'." }, w(used));
      }
      if (list.some((s) => !spot.has(s))) return send(400, { code: -1121, msg: 'Invalid symbol.' }, w(used));
      const rows = list.map((s) => ({ symbol: s, price: fmt(px(s.slice(0, -4))) }));
      return send(200, one && !many ? rows[0] : rows, w(used));
    }
    if (route === '/api/v3/klines') {
      const used = this.charge(WEIGHT.klines, send);
      if (used === undefined) return;
      const s = url.searchParams.get('symbol') ?? '';
      if (!spot.has(s)) return send(400, { code: -1121, msg: 'Invalid symbol.' }, w(used));
      if (url.searchParams.get('interval') !== '1m') return send(400, { code: -1120, msg: 'Invalid interval.' }, w(used));
      const limit = Math.min(1000, Math.max(1, Number(url.searchParams.get('limit') ?? 500) || 500));
      const from = Number(url.searchParams.get('startTime'));
      if (url.searchParams.has('startTime') && Number.isFinite(from)) return send(200, this.klinesFrom(s.slice(0, -4), from, limit, now).map((k) => [k.openTime, fmt(k.o), fmt(k.h), fmt(k.l), fmt(k.c), '0', k.openTime + 59_999, '0', 0, '0', '0', '0']), w(used));
      const rows = paths.candles1m(s.slice(0, -4), now, limit).map((k) => [k.openTime, fmt(k.o), fmt(k.h), fmt(k.l), fmt(k.c), '0', k.openTime + 59_999, '0', 0, '0', '0', '0']);
      return send(200, rows, w(used));
    }
    if (route === '/fapi/v1/premiumIndex') {
      const used = this.charge(WEIGHT.premiumIndex, send);
      if (used === undefined) return;
      const rows = paths.assets.map((a) => ({ symbol: `${a}USDT`, markPrice: fmt(px(a)), indexPrice: fmt(px(a)), estimatedSettlePrice: fmt(px(a)), lastFundingRate: this.funding(a, now).toFixed(8), interestRate: '0.00010000', nextFundingTime: Math.ceil(now / 28_800_000) * 28_800_000, time: now }));
      return send(200, rows, w(used));
    }
    send(404, { code: -1, msg: 'not found' });
  }

  /**
   * Candles opening at or after `from` (rounded up to the minute), oldest first,
   * up to now: closed ones in full, the forming one from its open to the price now
   * (as Binance answers; nothing past the venue clock leaks).
   */
  private klinesFrom(asset: string, from: number, limit: number, now: number): Array<{ openTime: number; o: number; h: number; l: number; c: number }> {
    const first = Math.ceil(from / 60_000) * 60_000;
    const current = Math.floor(now / 60_000) * 60_000;
    if (first > current) return [];
    const closedEnd = Math.min(current, first + limit * 60_000);
    const n = Math.max(0, (closedEnd - first) / 60_000);
    const out = n > 0 ? this.opts.paths.candles1m(asset, closedEnd, n) : [];
    if (out.length < limit && closedEnd === current) {
      const o = this.opts.paths.price(asset, current)!;
      const c = this.opts.paths.price(asset, now)!;
      out.push({ openTime: current, o, h: Math.max(o, c), l: Math.min(o, c), c });
    }
    return out;
  }

  private deribit(url: URL, send: (s: number, b: unknown, h?: Record<string, string>) => void): void {
    const c = url.searchParams.get('currency') ?? '';
    const from = Number(url.searchParams.get('start_timestamp'));
    const to = Number(url.searchParams.get('end_timestamp'));
    const rpc = { jsonrpc: '2.0', usIn: 0, usOut: 0, usDiff: 0, testnet: false };
    if (!['BTC', 'ETH'].includes(c) || !this.opts.paths.coins[c] || !Number.isFinite(from) || !Number.isFinite(to) || to < from) {
      return send(400, { ...rpc, error: { message: 'Invalid params', data: { reason: 'wrong format', param: 'currency' }, code: -32602 } });
    }
    send(200, { ...rpc, result: { data: dvolRows(this.opts.paths, c, from, Math.min(to, this.opts.now())), continuation: null } });
  }

  /** Funding follows the last hour's drift: positive when the path rose. */
  private funding(asset: string, now: number): number {
    const p0 = this.opts.paths.price(asset, now - 3_600_000)!;
    const p1 = this.opts.paths.price(asset, now)!;
    return Math.max(-0.0075, Math.min(0.0075, 0.0001 + Math.log(p1 / p0) * 0.05));
  }

  private coinalyze(route: string, url: URL, req: IncomingMessage, send: (s: number, b: unknown, h?: Record<string, string>) => void): void {
    const key = req.headers['api_key'];
    if (typeof key !== 'string' || key === '') return send(401, { message: 'Unauthorized' });
    let win = this.coinalyzeWindows.get(key);
    if (!win) this.coinalyzeWindows.set(key, (win = new SlidingWindow(this.opts.coinalyzePerMinute ?? 40, 60_000)));
    const wall = (this.opts.wall ?? systemWall)();
    const wait = win.waitMs(wall);
    if (wait > 0) return send(429, { message: 'Too many requests' }, { 'retry-after': String(Math.ceil(wait / 1000)) });
    win.record(wall);
    const now = this.opts.now();
    const paths = this.opts.paths;
    const all = paths.assets.flatMap((a) => VENUES.map(([code]) => ({ symbol: `${a}USDT_PERP.${code}`, exchange: code, base_asset: a, quote_asset: 'USDT', is_perpetual: true, margined: 'STABLE', has_buy_sell_data: true, has_long_short_ratio_data: true, has_ohlcv_data: true })));
    if (route === '/v1/future-markets') return send(200, all);
    if (route !== '/v1/funding-rate' && route !== '/v1/open-interest' && route !== '/v1/predicted-funding-rate') return send(404, { message: 'not found' });
    const symbols = (url.searchParams.get('symbols') ?? '').split(',').filter(Boolean);
    if (symbols.length === 0) return send(400, { message: 'symbols is required' });
    if (symbols.length > COINALYZE_BATCH) return send(400, { message: `Max ${COINALYZE_BATCH} symbols` });
    const known = new Map(all.map((m) => [m.symbol, m.base_asset]));
    const rate = this.opts.missingRate ?? 0.05;
    const rows = [];
    for (const s of symbols) {
      const a = known.get(s);
      if (!a) continue;
      this.counter++;
      if (rate > 0 && hashUnit(`${s}:${Math.floor(now / 60_000)}:${this.counter}`) < rate) continue;
      const value = route === '/v1/open-interest' ? Math.round(paths.price(a, now)! * 1e6) / 1e2 : this.funding(a, now) * 100;
      rows.push({ symbol: s, value, update: now });
    }
    send(200, rows);
  }
}

/** Deribit DVOL (percent) for BTC and ETH: the path's σ with a small premium, one candle a minute over the asked span. */
function dvolRows(paths: CryptoPaths, currency: string, from: number, to: number): number[][] {
  const sigma = paths.coins[currency]!.sigma;
  const rows: number[][] = [];
  for (let t = Math.ceil(from / 60_000) * 60_000; t <= to && rows.length < 1000; t += 60_000) {
    const v = 100 * sigma * (1.05 + 0.03 * Math.sin(t / 3_600_000));
    rows.push([t, v, v, v, v]);
  }
  return rows;
}

/** Deterministic uniform in [0, 1) from a string (FNV-1a). */
function hashUnit(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}
