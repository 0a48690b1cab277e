// The Gamma API origin (research §2): /markets and /events with offset paging
// (limit silently capped, offset > 10000 → 422) and keyset paging, lookups by
// id and slug, /tags, /public-search, and the documented filters.
import type { Exchange } from './exchange.js';
import type { World } from './world.js';
import type { SimEvent, SimMarket } from './world-types.js';
import { GammaWire, type GammaTag } from './gamma-wire.js';
import { clampLimit, decodeCursor, encodeCursor, fail, listParam, ok, type Reply, type Routes } from './rest-routes.js';

const MAX_LIMIT = 100;
const MAX_OFFSET = 10_000;
const MAX_EVENTS_LIMIT = 500;
const MAX_TAGS_LIMIT = 1000;
/** Sort keys a closed market's record never changes. */
const STABLE_WHEN_CLOSED = new Set(['closedTime', 'endDate', 'startDate', 'createdAt', 'id']);
const PAGING = new Set(['limit', 'offset', 'after_cursor']);

export class GammaRoutes implements Routes {
  readonly wire: GammaWire;

  constructor(
    private readonly world: World,
    private readonly exchange: Exchange,
  ) {
    this.wire = new GammaWire(world, exchange);
  }

  bucket(_method: string, path: string): string | undefined {
    if (path.startsWith('/markets')) return 'gamma /markets';
    if (path.startsWith('/events')) return 'gamma /events';
    if (path.startsWith('/tags')) return 'gamma /tags';
    if (path === '/public-search') return 'gamma /public-search';
    return 'gamma';
  }

  handle(method: string, path: string, q: URLSearchParams, _body: unknown): Reply {
    if (method !== 'GET') return fail(404, 'not found');
    if (path === '/markets') return this.markets(q, false);
    if (path === '/markets/keyset') return this.markets(q, true);
    if (path.startsWith('/markets/slug/')) return this.marketBySlug(decodeURIComponent(path.slice(14)));
    if (path.startsWith('/markets/')) return this.marketById(decodeURIComponent(path.slice(9)));
    if (path === '/events') return this.events(q, false);
    if (path === '/events/keyset') return this.events(q, true);
    if (path.startsWith('/events/slug/')) return this.eventBySlug(decodeURIComponent(path.slice(13)));
    if (path.startsWith('/events/')) return this.eventById(decodeURIComponent(path.slice(8)));
    if (path === '/tags') return this.tagList(q);
    if (path.startsWith('/tags/slug/')) return this.tagOne(this.wire.tags.bySlug.get(decodeURIComponent(path.slice(11))));
    if (path.startsWith('/tags/')) return this.tagOne(this.wire.tags.byId.get(decodeURIComponent(path.slice(6))));
    if (path === '/public-search') return this.search(q);
    return fail(404, 'not found');
  }

  // ---- markets ------------------------------------------------------------

  private allMarkets(withClosed: boolean): SimMarket[] {
    const bf = this.world.backfill;
    return withClosed && bf ? [...this.world.markets, ...bf.markets] : this.world.markets;
  }

  private filterMarkets(q: URLSearchParams): SimMarket[] | Reply {
    const ids = listParam(q, 'id');
    const tokens = listParam(q, 'clob_token_ids');
    const conditions = listParam(q, 'condition_ids');
    const questions = listParam(q, 'question_ids');
    const slugs = listParam(q, 'slug');
    const closed = q.get('closed');
    const bf = this.world.backfill;
    let list: SimMarket[];
    const lookup = ids.length > 0 || tokens.length > 0 || conditions.length > 0 || questions.length > 0;
    if (ids.length) list = ids.map((id) => this.world.market(id) ?? bf?.byId.get(id)).filter((m): m is SimMarket => !!m);
    else if (tokens.length) list = tokens.map((t) => this.exchange.marketOf(t) ?? bf?.byToken.get(t)).filter((m): m is SimMarket => !!m);
    else if (conditions.length)
      list = conditions.map((c) => this.world.markets[this.world.byCondition.get(c) ?? -1] ?? bf?.byCondition.get(c)).filter((m): m is SimMarket => !!m);
    else if (questions.length) {
      const want = new Set(questions);
      list = this.allMarkets(true).filter((m) => want.has(m.questionId));
    } else list = this.allMarkets(closed === 'true');
    if (slugs.length) list = list.filter((m) => slugs.includes(m.slug));
    // Since 2026-04-09 `closed` defaults to false; explicit id/token lookups return either.
    if (closed === 'true') list = list.filter((m) => m.closed);
    else if (closed === 'false' || !lookup) list = list.filter((m) => !m.closed);
    // Every market the simulator serves is active and none is archived.
    if (q.get('active') === 'false' || q.get('archived') === 'true') list = [];
    const range = numRange(q, 'liquidity_num');
    if (range instanceof Error) return fail(422, range.message);
    if (range) list = list.filter((m) => inRange(this.wire.liquidity(m), range));
    const vrange = numRange(q, 'volume_num');
    if (vrange instanceof Error) return fail(422, vrange.message);
    if (vrange) list = list.filter((m) => inRange(m.volume, vrange));
    const srange = dateRange(q, 'start_date');
    if (srange instanceof Error) return fail(422, srange.message);
    if (srange) list = list.filter((m) => inRange(m.createdMs, srange));
    const erange = dateRange(q, 'end_date');
    if (erange instanceof Error) return fail(422, erange.message);
    if (erange) list = list.filter((m) => inRange(m.endMs, erange));
    const rewardsMin = q.get('rewards_min_size');
    if (rewardsMin !== null) {
      const n = Number(rewardsMin);
      if (!Number.isFinite(n)) return fail(422, 'invalid rewards_min_size');
      list = list.filter((m) => this.wire.rewards(m).minSize >= n);
    }
    const tagFilter = this.tagFilter(q);
    if (tagFilter instanceof Error) return fail(422, tagFilter.message);
    if (tagFilter) list = list.filter((m) => tagFilter(this.wire.eventOf(m)));
    const order = q.get('order');
    if (order) {
      const key = sortKey(order.split(',')[0]!.trim(), this.wire);
      if (key) {
        const asc = q.get('ascending') === 'true';
        // Decorated once: a keyed sort of the whole backfill runs for every page of a closed listing.
        const dir = asc ? 1 : -1;
        list = list
          .map((m) => ({ m, k: key(m) }))
          .sort((a, b) => dir * (a.k - b.k) || a.m.index - b.m.index)
          .map((x) => x.m);
      }
    }
    return list;
  }

  /** tag_id / tag_slug / exclude_tag_id as a predicate over events; undefined when none is given. */
  private tagFilter(q: URLSearchParams): ((ev: SimEvent) => boolean) | Error | undefined {
    const tagId = q.get('tag_id');
    const tagSlugText = q.get('tag_slug');
    const exclude = listParam(q, 'exclude_tag_id');
    if (tagId === null && tagSlugText === null && !exclude.length) return undefined;
    let want: GammaTag | undefined | null = null;
    if (tagId !== null) {
      if (!/^\d+$/.test(tagId)) return new Error('invalid tag_id');
      want = this.wire.tags.byId.get(tagId);
    } else if (tagSlugText !== null) want = this.wire.tags.bySlug.get(tagSlugText);
    const excluded = new Set(exclude.map((id) => this.wire.tags.byId.get(id)?.label).filter((l): l is string => !!l));
    return (ev) => {
      if (want === undefined) return false;
      if (want !== null && !ev.tags.includes(want.label)) return false;
      return !ev.tags.some((t) => excluded.has(t));
    };
  }

  private markets(q: URLSearchParams, keyset: boolean): Reply {
    const limit = clampLimit(q.get('limit'), 20, MAX_LIMIT);
    if (limit === undefined) return fail(422, 'invalid limit');
    const list = this.closedListing(q) ?? this.filterMarkets(q);
    if (!Array.isArray(list)) return list;
    const withTags = q.get('include_tag') === 'true';
    const json = (m: SimMarket) => this.wire.market(m, withTags);
    if (keyset) return keysetPage(q, limit, list, json, 'markets');
    const offset = Number(q.get('offset') ?? 0);
    if (!Number.isInteger(offset) || offset < 0) return fail(422, 'invalid offset');
    if (offset > MAX_OFFSET) return fail(422, `offset must be at most ${MAX_OFFSET}`);
    return ok(list.slice(offset, offset + limit).map(json));
  }

  /**
   * A listing of closed markets sorted by a key that never changes once a
   * market has closed, kept between pages: walking the backfill (thousands of
   * markets, a page of 100 at a time) would otherwise filter and sort all of it
   * for every page. Valid while no further market closes; other listings are
   * computed per request.
   */
  private closedListing(q: URLSearchParams): SimMarket[] | Reply | undefined {
    const order = q.get('order')?.split(',')[0]?.trim();
    if (q.get('closed') !== 'true' || !order || !STABLE_WHEN_CLOSED.has(order)) return undefined;
    const key = [...q].filter(([k]) => !PAGING.has(k)).map(([k, v]) => `${k}=${v}`).sort().join('&');
    let closedNow = 0;
    for (const m of this.world.markets) if (m.closed) closedNow++;
    const c = this.listingCache;
    if (c && c.key === key && c.closed === closedNow && c.backfill === this.world.backfill) return c.list;
    const list = this.filterMarkets(q);
    if (Array.isArray(list)) this.listingCache = { key, closed: closedNow, backfill: this.world.backfill, list };
    return list;
  }

  private listingCache: { key: string; closed: number; backfill: unknown; list: SimMarket[] } | undefined;

  private marketById(id: string): Reply {
    const m = this.world.market(id) ?? this.world.backfill?.byId.get(id);
    return m ? ok(this.wire.market(m, true)) : fail(404, 'market not found');
  }

  private marketBySlug(slug: string): Reply {
    const m = this.allMarkets(true).find((x) => x.slug === slug);
    return m ? ok(this.wire.market(m, true)) : fail(404, 'market not found');
  }

  /** Kept for callers outside the routes (headless summaries, tests). */
  marketJson(m: SimMarket, withTags: boolean): Record<string, unknown> {
    return this.wire.market(m, withTags);
  }

  // ---- events -------------------------------------------------------------

  private isClosed(ev: SimEvent): boolean {
    return ev.markets.every((i) => this.world.markets[i]!.closed);
  }

  private events(q: URLSearchParams, keyset: boolean): Reply {
    const limit = clampLimit(q.get('limit'), 20, MAX_EVENTS_LIMIT);
    if (limit === undefined) return fail(422, 'invalid limit');
    const closed = q.get('closed');
    let list = this.world.events.slice();
    const ids = listParam(q, 'id');
    const slugs = listParam(q, 'slug');
    if (ids.length) list = list.filter((e) => ids.includes(e.id));
    if (slugs.length) list = list.filter((e) => slugs.includes(e.slug));
    if (closed === 'true') list = list.filter((e) => this.isClosed(e));
    else if (closed === 'false' || (!ids.length && !slugs.length)) list = list.filter((e) => !this.isClosed(e));
    if (q.get('active') === 'false' || q.get('archived') === 'true' || q.get('featured') === 'true') list = [];
    const tagFilter = this.tagFilter(q);
    if (tagFilter instanceof Error) return fail(422, tagFilter.message);
    if (tagFilter) list = list.filter(tagFilter);
    const title = q.get('title_search');
    if (title) list = list.filter((e) => e.title.toLowerCase().includes(title.toLowerCase()));
    const srange = dateRange(q, 'start_date');
    if (srange instanceof Error) return fail(422, srange.message);
    if (srange) list = list.filter((e) => inRange(e.createdMs, srange));
    const erange = dateRange(q, 'end_date');
    if (erange instanceof Error) return fail(422, erange.message);
    if (erange) list = list.filter((e) => inRange(e.endMs, erange));
    const json = (e: SimEvent) => this.wire.event(e);
    if (keyset) return keysetPage(q, limit, list, json, 'events');
    const offset = Number(q.get('offset') ?? 0);
    if (!Number.isInteger(offset) || offset < 0) return fail(422, 'invalid offset');
    if (offset > MAX_OFFSET) return fail(422, `offset must be at most ${MAX_OFFSET}`);
    return ok(list.slice(offset, offset + limit).map(json));
  }

  private eventById(id: string): Reply {
    const ev = this.world.events.find((e) => e.id === id) ?? this.world.backfill?.events.find((e) => e.id === id);
    return ev ? ok(this.wire.event(ev)) : fail(404, 'event not found');
  }

  private eventBySlug(slug: string): Reply {
    const ev = this.world.events.find((e) => e.slug === slug) ?? this.world.backfill?.events.find((e) => e.slug === slug);
    return ev ? ok(this.wire.event(ev)) : fail(404, 'event not found');
  }

  // ---- tags and search ----------------------------------------------------

  private tagList(q: URLSearchParams): Reply {
    const limit = clampLimit(q.get('limit'), 100, MAX_TAGS_LIMIT);
    if (limit === undefined) return fail(422, 'invalid limit');
    const offset = Number(q.get('offset') ?? 0);
    if (!Number.isInteger(offset) || offset < 0) return fail(422, 'invalid offset');
    return ok(this.wire.tags.all().slice(offset, offset + limit));
  }

  private tagOne(tag: GammaTag | undefined): Reply {
    return tag ? ok(tag) : fail(404, 'tag not found');
  }

  /** `q` over event titles and market questions; open events unless `events_status=closed`. */
  private search(q: URLSearchParams): Reply {
    const text = (q.get('q') ?? '').trim().toLowerCase();
    if (!text) return fail(422, 'q is required');
    const perType = clampLimit(q.get('limit_per_type'), 10, 100);
    if (perType === undefined) return fail(422, 'invalid limit_per_type');
    const page = Math.max(1, Number(q.get('page') ?? 1) || 1);
    const wantClosed = q.get('events_status') === 'closed';
    const hits = this.world.events.filter(
      (e) => this.isClosed(e) === wantClosed && (e.title.toLowerCase().includes(text) || e.markets.some((i) => this.world.markets[i]!.question.toLowerCase().includes(text))),
    );
    const start = (page - 1) * perType;
    const body: Record<string, unknown> = {
      events: hits.slice(start, start + perType).map((e) => this.wire.event(e)),
      pagination: { hasMore: start + perType < hits.length, totalResults: hits.length },
    };
    if (q.get('search_tags') === 'true') body['tags'] = this.wire.tags.all().filter((t) => t.label.toLowerCase().includes(text)).slice(0, perType);
    if (q.get('search_profiles') === 'true') body['profiles'] = [];
    return ok(body);
  }
}

function keysetPage<T>(q: URLSearchParams, limit: number, list: T[], json: (x: T) => unknown, key: 'markets' | 'events'): Reply {
  if (q.has('offset')) return fail(422, 'offset is not allowed on keyset endpoints');
  if (limit === 0) return fail(422, 'limit must be at least 1');
  const start = decodeCursor(q.get('after_cursor'));
  if (start === undefined) return fail(422, 'invalid after_cursor');
  const body: Record<string, unknown> = { [key]: list.slice(start, start + limit).map(json) };
  if (start + limit < list.length) body['next_cursor'] = encodeCursor(start + limit);
  return ok(body);
}

interface Range {
  min: number;
  max: number;
}

const inRange = (v: number, r: Range) => v >= r.min && v <= r.max;

function numRange(q: URLSearchParams, name: string): Range | Error | undefined {
  const lo = q.get(`${name}_min`);
  const hi = q.get(`${name}_max`);
  if (lo === null && hi === null) return undefined;
  const min = lo === null ? -Infinity : Number(lo);
  const max = hi === null ? Infinity : Number(hi);
  if (Number.isNaN(min)) return new Error(`invalid ${name}_min`);
  if (Number.isNaN(max)) return new Error(`invalid ${name}_max`);
  return { min, max };
}

function dateRange(q: URLSearchParams, name: string): Range | Error | undefined {
  const lo = q.get(`${name}_min`);
  const hi = q.get(`${name}_max`);
  if (lo === null && hi === null) return undefined;
  const min = lo === null ? -Infinity : Date.parse(lo);
  const max = hi === null ? Infinity : Date.parse(hi);
  if (Number.isNaN(min)) return new Error(`invalid ${name}_min`);
  if (Number.isNaN(max)) return new Error(`invalid ${name}_max`);
  return { min, max };
}

/** Sort keys Gamma accepts (camelCase field names; unknown keys leave the order alone). */
function sortKey(key: string, wire: GammaWire): ((m: SimMarket) => number) | undefined {
  switch (key) {
    case 'volumeNum':
    case 'volume':
    case 'volumeClob':
      return (m) => m.volume;
    case 'volume24hr':
    case 'volume24hrClob':
      return (m) => wire.volumes(m).d1;
    case 'volume1wk':
    case 'volume1wkClob':
      return (m) => wire.volumes(m).w1;
    case 'volume1mo':
    case 'volume1moClob':
      return (m) => wire.volumes(m).m1;
    case 'volume1yr':
    case 'volume1yrClob':
      return (m) => wire.volumes(m).y1;
    case 'liquidityNum':
    case 'liquidity':
    case 'liquidityClob':
      return (m) => wire.liquidity(m);
    case 'endDate':
      return (m) => m.endMs;
    case 'startDate':
    case 'createdAt':
      return (m) => m.createdMs;
    case 'updatedAt':
      return (m) => m.closedMs ?? m.createdMs;
    // The snapshot collector's resolution sweep orders by it.
    case 'closedTime':
      return (m) => m.closedMs ?? 0;
    case 'id':
      return (m) => Number(m.id);
    default:
      return undefined;
  }
}
