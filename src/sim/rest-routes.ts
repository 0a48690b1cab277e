// Gamma and CLOB REST as the venue serves them (research §2–3): offset paging
// with limit capped at 100 and offset > 10000 → 422, keyset pages with
// next_cursor/after_cursor, CLOB /book, POST /books with a payload limit, and
// /prices-history.
import type { Exchange } from './exchange.js';
import type { World } from './world.js';
import type { SimEvent, SimMarket } from './world-types.js';
import { gammaEvent, gammaMarket, restBook } from './wire-out.js';
import { PRICE_SCALE } from '../protocol/units.js';

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const MAX_LIMIT = 100;
const MAX_OFFSET = 10_000;
const MAX_EVENTS_LIMIT = 500;

const ok = (body: unknown): Reply => ({ status: 200, body });
const fail = (status: number, error: string): Reply => ({ status, body: { error } });

export class RestRoutes {
  constructor(
    private readonly world: World,
    private readonly exchange: Exchange,
    private readonly opts: { maxBooks: number },
  ) {}

  /** The pacing bucket of a path, or undefined for unpaced paths. */
  static bucket(path: string): string | undefined {
    if (path.startsWith('/markets')) return 'gamma /markets';
    if (path.startsWith('/events')) return 'gamma /events';
    if (path === '/book') return 'clob /book';
    if (path === '/books') return 'clob /books';
    if (path === '/prices-history') return 'clob /prices-history';
    return undefined;
  }

  handle(method: string, path: string, q: URLSearchParams, body: unknown): Reply {
    if (method === 'GET') {
      if (path === '/markets') return this.markets(q, false);
      if (path === '/markets/keyset') return this.markets(q, true);
      if (path.startsWith('/markets/')) return this.marketById(decodeURIComponent(path.slice(9)));
      if (path === '/events') return this.events(q, false);
      if (path === '/events/keyset') return this.events(q, true);
      if (path.startsWith('/events/')) return this.eventById(decodeURIComponent(path.slice(8)));
      if (path === '/book') return this.book(q.get('token_id'));
      if (path === '/prices-history') return this.history(q);
      if (path === '/midpoint') return this.midpoint(q.get('token_id'));
    }
    if (method === 'POST' && path === '/books') return this.books(body);
    return fail(404, 'not found');
  }

  // ---- Gamma ------------------------------------------------------------------

  private filterMarkets(q: URLSearchParams): SimMarket[] {
    const ids = q.getAll('id');
    const tokens = q.getAll('clob_token_ids');
    const conditions = q.getAll('condition_ids');
    const slugs = q.getAll('slug');
    const closed = q.get('closed');
    // Backfill (src/sim/history.ts, added for backtests): resolved markets from before the epoch, when attached.
    const bf = this.world.backfill;
    let list: SimMarket[];
    if (ids.length) list = ids.map((id) => this.world.market(id) ?? bf?.byId.get(id)).filter((m): m is SimMarket => !!m);
    else if (tokens.length) list = tokens.map((t) => this.exchange.marketOf(t) ?? bf?.byToken.get(t)).filter((m): m is SimMarket => !!m);
    else if (conditions.length)
      list = conditions.map((c) => this.world.markets[this.world.byCondition.get(c) ?? -1] ?? bf?.byCondition.get(c)).filter((m): m is SimMarket => !!m);
    else list = closed === 'true' && bf ? [...this.world.markets, ...bf.markets] : this.world.markets;
    if (slugs.length) list = list.filter((m) => slugs.includes(m.slug));
    // Since 2026-04-09 `closed` defaults to false; explicit id/token lookups return either.
    if (closed === 'true') list = list.filter((m) => m.closed);
    else if (closed === 'false' || (!ids.length && !tokens.length && !conditions.length)) list = list.filter((m) => !m.closed);
    const order = q.get('order');
    if (order) {
      const key = order.split(',')[0]!;
      const value = sortKey(key);
      if (value) {
        const asc = q.get('ascending') === 'true';
        list = [...list].sort((a, b) => (asc ? 1 : -1) * (value(a) - value(b)) || a.index - b.index);
      }
    }
    return list;
  }

  private markets(q: URLSearchParams, keyset: boolean): Reply {
    const limit = clampLimit(q.get('limit'), 20, MAX_LIMIT);
    if (limit === undefined) return fail(422, 'invalid limit');
    const list = this.filterMarkets(q);
    const withTags = q.get('include_tag') === 'true';
    if (keyset) {
      if (q.has('offset')) return fail(422, 'offset is not allowed on keyset endpoints');
      if (limit === 0) return fail(422, 'limit must be at least 1');
      const start = decodeCursor(q.get('after_cursor'));
      if (start === undefined) return fail(422, 'invalid after_cursor');
      const page = list.slice(start, start + limit).map((m) => this.marketJson(m, withTags));
      const body: Record<string, unknown> = { markets: page };
      if (start + limit < list.length) body['next_cursor'] = encodeCursor(start + limit);
      return ok(body);
    }
    const offset = Number(q.get('offset') ?? 0);
    if (!Number.isInteger(offset) || offset < 0) return fail(422, 'invalid offset');
    if (offset > MAX_OFFSET) return fail(422, `offset must be at most ${MAX_OFFSET}`);
    return ok(list.slice(offset, offset + limit).map((m) => this.marketJson(m, withTags)));
  }

  private marketById(id: string): Reply {
    const m = this.world.market(id) ?? this.world.backfill?.byId.get(id);
    return m ? ok(this.marketJson(m, true)) : fail(404, 'market not found');
  }

  marketJson(m: SimMarket, withTags: boolean): Record<string, unknown> {
    const yes = this.exchange.book(m.tokenIds[0]);
    let prices: [number, number];
    if (m.closed) prices = m.winner ? [PRICE_SCALE, 0] : [0, PRICE_SCALE];
    else {
      const mid = yes && yes.bestBid !== undefined && yes.bestAsk !== undefined ? Math.round((yes.bestBid + yes.bestAsk) / 2) : Math.round(m.estimate * PRICE_SCALE);
      prices = [mid, PRICE_SCALE - mid];
    }
    return gammaMarket(m, this.eventOf(m), prices, yes?.bestBid, yes?.bestAsk, withTags);
  }

  /** Added for backtests: a backfill market's event lives in the backfill. */
  private eventOf(m: SimMarket): SimEvent {
    const bf = this.world.backfill;
    return bf && bf.byId.get(m.id) === m ? bf.events[m.event]! : this.world.events[m.event]!;
  }

  private events(q: URLSearchParams, keyset: boolean): Reply {
    const limit = clampLimit(q.get('limit'), 20, MAX_EVENTS_LIMIT);
    if (limit === undefined) return fail(422, 'invalid limit');
    const closed = q.get('closed');
    const isClosed = (i: number) => this.world.events[i]!.markets.every((m) => this.world.markets[m]!.closed);
    let list = this.world.events.map((e) => e.index);
    if (closed === 'true') list = list.filter(isClosed);
    else list = list.filter((i) => !isClosed(i));
    const json = (i: number) => {
      const ev = this.world.events[i]!;
      const markets = ev.markets.map((m) => this.marketJson(this.world.markets[m]!, false));
      return gammaEvent(ev, markets, ev.markets.reduce((s, m) => s + this.world.markets[m]!.volume, 0), isClosed(i));
    };
    if (keyset) {
      if (q.has('offset')) return fail(422, 'offset is not allowed on keyset endpoints');
      if (limit === 0) return fail(422, 'limit must be at least 1');
      const start = decodeCursor(q.get('after_cursor'));
      if (start === undefined) return fail(422, 'invalid after_cursor');
      const body: Record<string, unknown> = { events: list.slice(start, start + limit).map(json) };
      if (start + limit < list.length) body['next_cursor'] = encodeCursor(start + limit);
      return ok(body);
    }
    const offset = Number(q.get('offset') ?? 0);
    if (!Number.isInteger(offset) || offset < 0) return fail(422, 'invalid offset');
    if (offset > MAX_OFFSET) return fail(422, `offset must be at most ${MAX_OFFSET}`);
    return ok(list.slice(offset, offset + limit).map(json));
  }

  private eventById(id: string): Reply {
    const ev = this.world.events.find((e) => e.id === id);
    if (!ev) return fail(404, 'event not found');
    const markets = ev.markets.map((m) => this.marketJson(this.world.markets[m]!, false));
    return ok(gammaEvent(ev, markets, 0, ev.markets.every((m) => this.world.markets[m]!.closed)));
  }

  // ---- CLOB -------------------------------------------------------------------

  private book(token: string | null): Reply {
    if (!token || !/^\d+$/.test(token)) return fail(400, 'Invalid token id');
    const b = this.exchange.book(token);
    const m = this.exchange.marketOf(token);
    if (!b || !m) return fail(404, 'No orderbook exists for the requested token id');
    return ok(restBook(m, b, this.exchange.hashMode));
  }

  private books(body: unknown): Reply {
    if (!Array.isArray(body)) return fail(400, 'Invalid payload');
    if (body.length > this.opts.maxBooks) return fail(400, 'Payload exceeds the limit');
    const out: unknown[] = [];
    for (const item of body) {
      const token = typeof item === 'object' && item !== null ? (item as Record<string, unknown>)['token_id'] : undefined;
      if (typeof token !== 'string') return fail(400, 'Invalid token id');
      const b = this.exchange.book(token);
      const m = this.exchange.marketOf(token);
      if (b && m) out.push(restBook(m, b, this.exchange.hashMode));
    }
    return ok(out);
  }

  private midpoint(token: string | null): Reply {
    const b = token ? this.exchange.book(token) : undefined;
    if (!b || b.bestBid === undefined || b.bestAsk === undefined) return fail(404, 'No orderbook exists for the requested token id');
    return ok({ mid: String((b.bestBid + b.bestAsk) / 2 / PRICE_SCALE) });
  }

  private history(q: URLSearchParams): Reply {
    const token = q.get('market');
    if (!token) return fail(400, 'market is required');
    // Backfill series (added for backtests) are served like the live ones.
    const bf = this.world.backfill;
    const m = this.exchange.marketOf(token) ?? bf?.byToken.get(token);
    if (!m) return ok({ history: [] });
    const yes = m.tokenIds[0] === token;
    const raw: ArrayLike<number> = this.exchange.history.get(m.tokenIds[0]) ?? bf?.history.get(m.tokenIds[0]) ?? [];
    const end = Number(q.get('endTs') ?? Infinity);
    const interval = q.get('interval');
    const nowSec = Math.floor(this.exchange.now / 1000);
    const span: Record<string, number> = { '1h': 3600, '6h': 21600, '1d': 86400, '1w': 604800, '1m': 2592000 };
    const start = q.has('startTs') ? Number(q.get('startTs')) : interval && span[interval] ? nowSec - span[interval]! : -Infinity;
    const fidelity = Math.max(1, Number(q.get('fidelity') ?? 1)) * 60;
    const history: { t: number; p: number }[] = [];
    let lastT = -Infinity;
    for (let i = 0; i < raw.length; i += 2) {
      const t = raw[i]!;
      if (t < start || t > end) continue;
      if (t - lastT < fidelity && i < raw.length - 2) continue;
      lastT = t;
      const p = raw[i + 1]! / PRICE_SCALE;
      history.push({ t, p: Math.round((yes ? p : 1 - p) * 10_000) / 10_000 });
    }
    return ok({ history });
  }
}

function clampLimit(text: string | null, dflt: number, max: number): number | undefined {
  if (text === null) return dflt;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) return undefined;
  // The venue silently caps the limit.
  return Math.min(n, max);
}

function encodeCursor(n: number): string {
  return Buffer.from(`c:${n}`).toString('base64url');
}

function decodeCursor(text: string | null): number | undefined {
  if (!text) return 0;
  const m = /^c:(\d+)$/.exec(Buffer.from(text, 'base64url').toString());
  return m ? Number(m[1]) : undefined;
}

function sortKey(key: string): ((m: SimMarket) => number) | undefined {
  switch (key) {
    case 'volumeNum':
    case 'volume':
    case 'volume24hr':
      return (m) => m.volume;
    case 'liquidityNum':
    case 'liquidity':
      return (m) => m.depth;
    case 'endDate':
      return (m) => m.endMs;
    case 'startDate':
    case 'createdAt':
      return (m) => m.createdMs;
    case 'updatedAt':
      return (m) => m.closedMs ?? m.createdMs;
    // Added for the snapshot collector's resolution sweep (src/backtest/collector.ts).
    case 'closedTime':
      return (m) => m.closedMs ?? 0;
    case 'id':
      return (m) => m.index;
    default:
      return undefined;
  }
}
