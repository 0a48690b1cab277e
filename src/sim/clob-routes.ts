// The CLOB origin's public reads (docs.polymarket.com CLOB reference; the
// official clients' endpoint tables): health and time, the snake_case market
// list in cursor pages, books, prices, midpoints, spreads, last trades, tick
// size, neg-risk and fee rate, price history (single and batch) and trade
// events. Every answer is read from the exchange, so prices agree with books.
import type { Exchange, SimTrade } from './exchange.js';
import type { World } from './world.js';
import type { SimMarket } from './world-types.js';
import type { GammaWire } from './gamma-wire.js';
import { fmtPrice, restBook } from './wire-out.js';
import { fail, ok, type Reply, type Routes } from './rest-routes.js';
import { PRICE_SCALE } from '../protocol/units.js';
import type { Side } from '../protocol/events.js';

/** The CLOB's market pages hold this many items; the last page's next_cursor is "LTE=" (base64 "-1"). */
export const CLOB_PAGE = 100;
export const END_CURSOR = 'LTE=';
const MAX_BATCH_HISTORY = 20;
const NO_BOOK = 'No orderbook exists for the requested token id';
const EXCHANGE_VERSION = 2;

export class ClobRoutes implements Routes {
  constructor(
    private readonly world: World,
    private readonly exchange: Exchange,
    private readonly gamma: GammaWire,
    private readonly opts: { maxBooks: number; version?: () => number },
  ) {}

  bucket(method: string, path: string): string | undefined {
    if (path === '/book') return 'clob /book';
    if (path === '/books') return 'clob /books';
    if (path === '/prices-history' || path === '/batch-prices-history') return 'clob /prices-history';
    if (path === '/price') return 'clob /price';
    if (path === '/prices') return 'clob /prices';
    if (path === '/midpoint') return 'clob /midpoint';
    if (path === '/midpoints') return 'clob /midpoints';
    if (path.startsWith('/tick-size')) return 'clob /tick-size';
    return method ? 'clob' : undefined;
  }

  handle(method: string, path: string, q: URLSearchParams, body: unknown): Reply {
    if (method === 'GET') {
      if (path === '/' || path === '/ok') return ok('OK');
      if (path === '/time') return ok(Math.floor(this.exchange.now / 1000));
      if (path === '/version') return ok({ version: this.opts.version?.() ?? EXCHANGE_VERSION });
      if (path === '/markets') return this.marketPage(q, 'full', false);
      if (path === '/simplified-markets') return this.marketPage(q, 'simple', false);
      if (path === '/sampling-markets') return this.marketPage(q, 'full', true);
      if (path === '/sampling-simplified-markets') return this.marketPage(q, 'simple', true);
      if (path.startsWith('/markets/')) return this.market(decodeURIComponent(path.slice(9)));
      if (path === '/book') return this.book(q.get('token_id'));
      if (path === '/price') return this.price(q.get('token_id'), q.get('side'));
      if (path === '/prices') return this.prices(zipQuery(q, 'token_ids', 'sides'));
      if (path === '/midpoint') return this.midpoint(q.get('token_id'));
      if (path === '/midpoints') return this.midpoints(listOf(q.get('token_ids')).map((token_id) => ({ token_id })));
      if (path === '/spread') return this.spread(q.get('token_id'));
      if (path === '/spreads') return this.spreads(listOf(q.get('token_ids')).map((token_id) => ({ token_id })));
      if (path === '/last-trade-price') return this.lastTrade(q.get('token_id'));
      if (path === '/last-trades-prices') return this.lastTrades(listOf(q.get('token_ids')).map((token_id) => ({ token_id })));
      if (path === '/tick-size' || path.startsWith('/tick-size/')) return this.tickSize(tokenArg(path, '/tick-size', q));
      if (path === '/neg-risk' || path.startsWith('/neg-risk/')) return this.negRisk(tokenArg(path, '/neg-risk', q));
      if (path === '/fee-rate' || path.startsWith('/fee-rate/')) return this.feeRate(tokenArg(path, '/fee-rate', q));
      if (path === '/prices-history') return this.history(q);
      if (path.startsWith('/live-activity/events/')) return this.tradeEvents(decodeURIComponent(path.slice(22)));
    }
    if (method === 'POST') {
      if (path === '/books') return this.books(body);
      if (path === '/prices') return this.prices(body);
      if (path === '/midpoints') return this.midpoints(body);
      if (path === '/spreads') return this.spreads(body);
      if (path === '/last-trades-prices') return this.lastTrades(body);
      if (path === '/batch-prices-history') return this.batchHistory(body);
    }
    return fail(404, 'not found');
  }

  // ---- markets ------------------------------------------------------------

  private marketOf(token: string): SimMarket | undefined {
    return this.exchange.marketOf(token) ?? this.world.backfill?.byToken.get(token);
  }

  /** Every market the CLOB knows, open or resolved, in a stable order. */
  private allMarkets(): SimMarket[] {
    const bf = this.world.backfill;
    return bf ? [...bf.markets, ...this.world.markets] : this.world.markets;
  }

  private marketPage(q: URLSearchParams, form: 'full' | 'simple', sampling: boolean): Reply {
    const cursor = q.get('next_cursor') ?? '';
    let start = 0;
    if (cursor && cursor !== 'MA==') {
      if (cursor === END_CURSOR) return ok({ limit: CLOB_PAGE, count: 0, next_cursor: END_CURSOR, data: [] });
      const n = Number(Buffer.from(cursor, 'base64').toString());
      if (!Number.isInteger(n) || n < 0) return fail(400, 'invalid next_cursor');
      start = n;
    }
    let list = this.allMarkets();
    // Sampling lists hold the markets currently paying liquidity rewards.
    if (sampling) list = list.filter((m) => !m.closed && this.gamma.rewards(m).daily > 0);
    const page = list.slice(start, start + CLOB_PAGE);
    const end = start + CLOB_PAGE;
    const data = page.map((m) => (form === 'full' ? this.clobMarket(m) : this.simpleMarket(m)));
    return ok({ limit: CLOB_PAGE, count: data.length, next_cursor: end < list.length ? Buffer.from(String(end)).toString('base64') : END_CURSOR, data });
  }

  private market(conditionId: string): Reply {
    const i = this.world.byCondition.get(conditionId);
    const m = i !== undefined ? this.world.markets[i] : this.world.backfill?.byCondition.get(conditionId);
    return m ? ok(this.clobMarket(m)) : fail(404, 'market not found');
  }

  private tokens(m: SimMarket): { token_id: string; outcome: string; price: number; winner: boolean }[] {
    const prices = this.gamma.prices(m);
    return m.tokenIds.map((t, i) => ({
      token_id: t,
      outcome: m.outcomes[i]!,
      price: prices[i]! / PRICE_SCALE,
      winner: m.closed && m.winner === (i === 0 ? 1 : 0),
    }));
  }

  private rewardsOf(m: SimMarket): Record<string, unknown> {
    const r = this.gamma.rewards(m);
    return {
      rates: r.daily > 0 && !m.closed ? [{ asset_address: '0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB', rewards_daily_rate: r.daily }] : null,
      min_size: r.minSize,
      max_spread: r.maxSpread,
    };
  }

  /** A CLOB market object (snake_case; prices as numbers; tokens with winner). */
  clobMarket(m: SimMarket): Record<string, unknown> {
    const ev = this.gamma.eventOf(m);
    const image = `https://polymarket-upload.s3.us-east-2.amazonaws.com/${ev.slug}.png`;
    const bps = Math.round(m.feeRate * 10_000);
    return {
      enable_order_book: true,
      active: true,
      closed: m.closed,
      archived: false,
      accepting_orders: !m.closed,
      accepting_order_timestamp: new Date(m.createdMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      minimum_order_size: m.minOrderSize,
      minimum_tick_size: m.tick / PRICE_SCALE,
      condition_id: m.conditionId,
      question_id: m.questionId,
      question: m.question,
      description: m.description,
      market_slug: m.slug,
      end_date_iso: new Date(m.endMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      game_start_time: null,
      seconds_delay: 0,
      fpmm: '',
      maker_base_fee: 0,
      taker_base_fee: bps,
      notifications_enabled: true,
      neg_risk: m.negRisk,
      neg_risk_market_id: m.negRisk ? (ev.negRiskMarketId ?? '') : '',
      neg_risk_request_id: '',
      icon: image,
      image,
      rewards: this.rewardsOf(m),
      is_50_50_outcome: false,
      tokens: this.tokens(m),
      tags: [...ev.tags],
    };
  }

  private simpleMarket(m: SimMarket): Record<string, unknown> {
    return {
      condition_id: m.conditionId,
      rewards: this.rewardsOf(m),
      tokens: this.tokens(m),
      active: true,
      closed: m.closed,
      archived: false,
      accepting_orders: !m.closed,
    };
  }

  // ---- books and prices ---------------------------------------------------

  private book(token: string | null): Reply {
    if (!token || !/^\d+$/.test(token)) return fail(400, 'Invalid token id');
    const b = this.exchange.book(token);
    const m = this.exchange.marketOf(token);
    if (!b || !m) return fail(404, NO_BOOK);
    return ok(restBook(m, b, this.exchange.hashMode));
  }

  private books(body: unknown): Reply {
    const items = tokenItems(body);
    if (items instanceof Error) return fail(400, items.message);
    if (items.length > this.opts.maxBooks) return fail(400, 'Payload exceeds the limit');
    const out: unknown[] = [];
    for (const { token_id } of items) {
      const b = this.exchange.book(token_id);
      const m = this.exchange.marketOf(token_id);
      if (b && m) out.push(restBook(m, b, this.exchange.hashMode));
    }
    return ok(out);
  }

  private price(token: string | null, side: string | null): Reply {
    if (!token || !/^\d+$/.test(token)) return fail(400, 'Invalid token id');
    if (side !== 'BUY' && side !== 'SELL') return fail(400, 'Invalid side');
    const p = this.exchange.bestPrice(token, side);
    if (p === undefined) return fail(404, NO_BOOK);
    return ok({ price: fmtPrice(p) });
  }

  /** `{token: {BUY: best bid, SELL: best ask}}` for the sides asked (the docs' BUY = bid convention). */
  private prices(body: unknown): Reply {
    const items = tokenItems(body, true);
    if (items instanceof Error) return fail(400, items.message);
    if (items.length > this.opts.maxBooks) return fail(400, 'Payload exceeds the limit');
    const out: Record<string, Record<string, string>> = {};
    for (const { token_id, side } of items) {
      const p = this.exchange.bestPrice(token_id, side as Side);
      if (p === undefined) continue;
      (out[token_id] ??= {})[side!] = fmtPrice(p);
    }
    return ok(out);
  }

  private mid(token: string): string | undefined {
    const b = this.exchange.book(token);
    if (!b || b.bestBid === undefined || b.bestAsk === undefined) return undefined;
    return String((b.bestBid + b.bestAsk) / 2 / PRICE_SCALE);
  }

  private midpoint(token: string | null): Reply {
    if (!token || !/^\d+$/.test(token)) return fail(400, 'Invalid token id');
    const mid = this.mid(token);
    return mid === undefined ? fail(404, NO_BOOK) : ok({ mid });
  }

  private midpoints(body: unknown): Reply {
    const items = tokenItems(body);
    if (items instanceof Error) return fail(400, items.message);
    if (items.length > this.opts.maxBooks) return fail(400, 'Payload exceeds the limit');
    const out: Record<string, string> = {};
    for (const { token_id } of items) {
      const mid = this.mid(token_id);
      if (mid !== undefined) out[token_id] = mid;
    }
    return ok(out);
  }

  private spreadOf(token: string): string | undefined {
    const b = this.exchange.book(token);
    if (!b || b.bestBid === undefined || b.bestAsk === undefined) return undefined;
    return fmtPrice(b.bestAsk - b.bestBid);
  }

  private spread(token: string | null): Reply {
    if (!token || !/^\d+$/.test(token)) return fail(400, 'Invalid token id');
    const s = this.spreadOf(token);
    return s === undefined ? fail(404, NO_BOOK) : ok({ spread: s });
  }

  private spreads(body: unknown): Reply {
    const items = tokenItems(body);
    if (items instanceof Error) return fail(400, items.message);
    if (items.length > this.opts.maxBooks) return fail(400, 'Payload exceeds the limit');
    const out: Record<string, string> = {};
    for (const { token_id } of items) {
      const s = this.spreadOf(token_id);
      if (s !== undefined) out[token_id] = s;
    }
    return ok(out);
  }

  /** The last fill's price and taker side; a token that never traded answers 0.5 with no side. */
  private lastOf(token: string): { price: string; side: string } {
    const t = this.exchange.lastTrade.get(token);
    return t ? { price: fmtPrice(t.price), side: t.side } : { price: '0.5', side: '' };
  }

  private lastTrade(token: string | null): Reply {
    if (!token || !/^\d+$/.test(token)) return fail(400, 'Invalid token id');
    if (!this.marketOf(token)) return fail(404, NO_BOOK);
    return ok(this.lastOf(token));
  }

  private lastTrades(body: unknown): Reply {
    const items = tokenItems(body);
    if (items instanceof Error) return fail(400, items.message);
    if (items.length > this.opts.maxBooks) return fail(400, 'Payload exceeds the limit');
    return ok(items.filter((i) => this.marketOf(i.token_id)).map(({ token_id }) => ({ token_id, ...this.lastOf(token_id) })));
  }

  private tickSize(token: string | null): Reply {
    if (!token || !/^\d+$/.test(token)) return fail(400, 'Invalid token id');
    const m = this.marketOf(token);
    return m ? ok({ minimum_tick_size: m.tick / PRICE_SCALE }) : fail(404, 'market not found');
  }

  private negRisk(token: string | null): Reply {
    if (!token || !/^\d+$/.test(token)) return fail(400, 'Invalid token id');
    const m = this.marketOf(token);
    return m ? ok({ neg_risk: m.negRisk }) : fail(404, 'market not found');
  }

  /** The taker rate of the market's feeSchedule in basis points (0 where fees are off). */
  private feeRate(token: string | null): Reply {
    if (!token || !/^\d+$/.test(token)) return fail(400, 'Invalid token id');
    const m = this.marketOf(token);
    return m ? ok({ base_fee: Math.round(m.feeRate * 10_000) }) : fail(404, 'market not found');
  }

  // ---- history and trades -------------------------------------------------

  private series(token: string, q: { start?: number; end?: number; interval?: string | null; fidelity?: number }): { t: number; p: number }[] {
    const bf = this.world.backfill;
    const m = this.marketOf(token);
    if (!m) return [];
    const yes = m.tokenIds[0] === token;
    const raw: ArrayLike<number> = this.exchange.history.get(m.tokenIds[0]) ?? bf?.history.get(m.tokenIds[0]) ?? [];
    const end = q.end ?? Infinity;
    const nowSec = Math.floor(this.exchange.now / 1000);
    const span: Record<string, number> = { '1h': 3600, '6h': 21600, '1d': 86400, '1w': 604800, '1m': 2592000 };
    const start = q.start ?? (q.interval && span[q.interval] ? nowSec - span[q.interval]! : -Infinity);
    // Fidelity is the spacing in minutes; at 1, the finest the venue offers,
    // every recorded point is served (a backtest reading the history back over
    // the wire gets exactly the series the simulator recorded).
    const fidelity = Math.max(1, q.fidelity ?? 1) * 60;
    const thin = fidelity > 60;
    const out: { t: number; p: number }[] = [];
    let lastT = -Infinity;
    for (let i = 0; i < raw.length; i += 2) {
      const t = raw[i]!;
      if (t < start || t > end) continue;
      if (thin && t - lastT < fidelity && i < raw.length - 2) continue;
      lastT = t;
      const p = raw[i + 1]! / PRICE_SCALE;
      out.push({ t, p: Math.round((yes ? p : 1 - p) * 10_000) / 10_000 });
    }
    return out;
  }

  private history(q: URLSearchParams): Reply {
    const token = q.get('market');
    if (!token) return fail(400, 'market is required');
    const num = (k: string) => (q.has(k) ? Number(q.get(k)) : undefined);
    for (const k of ['startTs', 'endTs', 'fidelity']) if (q.has(k) && !Number.isFinite(num(k))) return fail(400, `invalid ${k}`);
    const interval = q.get('interval');
    if (interval !== null && !['max', 'all', '1m', '1w', '1d', '6h', '1h'].includes(interval)) return fail(400, 'invalid interval');
    return ok({ history: this.series(token, { start: num('startTs'), end: num('endTs'), interval, fidelity: num('fidelity') }) });
  }

  /** `{markets[≤20], start_ts, end_ts, interval, fidelity}` → `{history: {token: [{t, p}]}}`. */
  private batchHistory(body: unknown): Reply {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail(400, 'Invalid payload');
    const b = body as Record<string, unknown>;
    const markets = b['markets'];
    if (!Array.isArray(markets) || !markets.length || !markets.every((x) => typeof x === 'string')) return fail(400, 'markets is required');
    if (markets.length > MAX_BATCH_HISTORY) return fail(400, `markets must hold at most ${MAX_BATCH_HISTORY} token ids`);
    const num = (k: string) => (typeof b[k] === 'number' ? (b[k] as number) : undefined);
    const interval = typeof b['interval'] === 'string' ? (b['interval'] as string) : null;
    const history: Record<string, unknown> = {};
    for (const t of markets as string[]) history[t] = this.series(t, { start: num('start_ts'), end: num('end_ts'), interval, fidelity: num('fidelity') });
    return ok({ history });
  }

  /** Recent public fills of a market, newest first (clob-client `getMarketTradesEvents`). */
  private tradeEvents(conditionId: string): Reply {
    const i = this.world.byCondition.get(conditionId);
    const m = i !== undefined ? this.world.markets[i] : undefined;
    if (!m) return ok([]);
    const list = this.exchange.trades.get(m.index) ?? [];
    const ev = this.gamma.eventOf(m);
    return ok(list.slice().reverse().map((t) => tradeEvent(m, ev.slug, t)));
  }
}

function tradeEvent(m: SimMarket, eventSlug: string, t: SimTrade): Record<string, unknown> {
  const addr = '0x' + t.txHash.slice(26, 66);
  return {
    event_type: 'trade',
    market: { condition_id: m.conditionId, asset_id: t.token, question: m.question, icon: `https://polymarket-upload.s3.us-east-2.amazonaws.com/${eventSlug}.png`, slug: m.slug },
    user: { address: addr, username: '', profile_picture: '', optimized_profile_picture: '', pseudonym: '' },
    side: t.side,
    size: String(t.size),
    fee_rate_bps: String(Math.round(m.feeRate * 10_000)),
    price: fmtPrice(t.price),
    outcome: m.outcomes[t.outcome],
    outcome_index: t.outcome,
    transaction_hash: t.txHash,
    timestamp: String(Math.floor(t.ts / 1000)),
  };
}

/** `[{token_id, side?}]` bodies; with `needSide`, side must be BUY or SELL. */
function tokenItems(body: unknown, needSide = false): { token_id: string; side?: string }[] | Error {
  if (!Array.isArray(body)) return new Error('Invalid payload');
  const out: { token_id: string; side?: string }[] = [];
  for (const item of body) {
    const rec = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    const token = rec['token_id'];
    if (typeof token !== 'string' || !/^\d+$/.test(token)) return new Error('Invalid token id');
    const side = rec['side'];
    if (needSide && side !== 'BUY' && side !== 'SELL') return new Error('Invalid side');
    out.push(typeof side === 'string' ? { token_id: token, side } : { token_id: token });
  }
  return out;
}

function listOf(text: string | null): string[] {
  return text ? text.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

/** GET /prices?token_ids=a,b&sides=BUY,SELL as the POST body shape. */
function zipQuery(q: URLSearchParams, tokensKey: string, sidesKey: string): unknown {
  const tokens = listOf(q.get(tokensKey));
  const sides = listOf(q.get(sidesKey));
  return tokens.map((token_id, i) => ({ token_id, side: sides[i] ?? sides[0] }));
}

/** `/x?token_id=T` or `/x/T`. */
function tokenArg(path: string, base: string, q: URLSearchParams): string | null {
  return path.length > base.length + 1 ? decodeURIComponent(path.slice(base.length + 1)) : q.get('token_id');
}
