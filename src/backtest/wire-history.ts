// Resolved history read from the venue over HTTP, the same calls against
// Polymarket and against the simulator: Gamma's closed markets newest first
// (keyset pages of 100, with their tags), then the YES token's price series in
// batches of 20 (CLOB POST /batch-prices-history over each batch's lifetime,
// 1-minute fidelity; a series the venue has nothing that fine for, or a batch
// it refuses, is asked again at 12 hours, as resolved Polymarket markets often
// need). Every request
// goes through the REST client, so it is paced by the venue's rate-limit
// table; the walk is bounded by a closing-time window and a market cap.
// Refusals are counted reasons, never exceptions.
import type { RestLike } from '../feed/rest-client.js';
import { PRICE_SCALE } from '../protocol/units.js';
import { decodeGammaMarket, type CatalogMarket } from '../protocol/gamma.js';
import type { HistoryPoint } from '../protocol/clob.js';
import { defaultTaxonomy, type Taxonomy } from '../scan/taxonomy.js';
import { count, resolvedFromGamma } from './resolved.js';
import type { LoadResult, RejectCounts, ResolvedMarket } from './types.js';

export interface WireHistoryOptions {
  gammaUrl: string;
  clobUrl: string;
  /** Only markets that closed before this (ms): the history a session starting then could have seen. */
  untilMs: number;
  /** Only markets that closed at or after this (ms); default 90 days before `untilMs`. */
  sinceMs?: number;
  /** Most markets read (the walk stops there); default 20,000. */
  maxMarkets?: number;
  /** History batches in flight at once; default 4. */
  concurrency?: number;
  taxonomy?: Taxonomy;
  progress?: (line: string) => void;
}

export interface WireHistoryResult extends LoadResult {
  requests: number;
  /** Request failures (after the client's retries); the markets they held are counted in rejects. */
  errors: string[];
}

const PAGE = 100;
/** The venue's cap on tokens per batch history request. */
const BATCH = 20;
const FINE_MINUTES = 1;
const COARSE_MINUTES = 720;
const DAY_MS = 86_400_000;
/** Pages walked at most (a venue that never ends its cursor, or repeats pages). */
const MAX_PAGES = 2_000;

/** Reads resolved binary markets and their YES price series from Gamma and the CLOB. Never throws. */
export async function readWireHistory(rest: RestLike, o: WireHistoryOptions): Promise<WireHistoryResult> {
  const taxonomy = o.taxonomy ?? defaultTaxonomy();
  const since = o.sinceMs ?? o.untilMs - 90 * DAY_MS;
  const cap = o.maxMarkets ?? 20_000;
  const rejects: RejectCounts = {};
  const errors: string[] = [];
  const out = new Map<string, ResolvedMarket>();
  const listed = new Set<string>();
  let requests = 0;
  const progress = o.progress ?? (() => {});

  // Histories are fetched while later pages are read: a queue of batches and a few runners.
  const pending: CatalogMarket[] = [];
  const batches: CatalogMarket[][] = [];
  let listing = true;
  const parked: (() => void)[] = [];
  const notify = () => parked.shift()?.();

  const runner = async () => {
    for (;;) {
      const batch = batches.shift();
      if (!batch) {
        if (!listing) return;
        await new Promise<void>((r) => parked.push(r));
        continue;
      }
      // A venue that refuses the finest fidelity over a long range is asked once more, coarser.
      const series = (await histories(batch, FINE_MINUTES)) ?? (await histories(batch, COARSE_MINUTES)) ?? new Map<string, HistoryPoint[] | null>();
      const coarse = batch.filter((m) => series.get(m.tokenIds[0]!)?.length === 0);
      if (coarse.length) {
        const again = await histories(coarse, COARSE_MINUTES);
        if (again) for (const [k, v] of again) series.set(k, v);
      }
      for (const m of batch) {
        const points = series.get(m.tokenIds[0]!);
        if (points === undefined) count(rejects, 'history request failed');
        // null: a malformed series, counted where it was read.
        if (!points) continue;
        const r = resolvedFromGamma(m, points, m.tokenIds[0], taxonomy, 'venue');
        if (typeof r === 'string') count(rejects, r);
        else out.set(r.id, r);
      }
      // Wake a runner parked on an empty queue (the listing may have queued more meanwhile).
      if (batches.length) notify();
    }
  };

  /** One batch request: the series per token (null: malformed), or undefined when the request failed. */
  const histories = async (ms: CatalogMarket[], fidelity: number): Promise<Map<string, HistoryPoint[] | null> | undefined> => {
    const got = new Map<string, HistoryPoint[] | null>();
    let start = Infinity;
    let end = -Infinity;
    for (const m of ms) {
      start = Math.min(start, m.startDate ?? m.closedTime! - 365 * DAY_MS);
      end = Math.max(end, m.closedTime!);
    }
    requests++;
    const tokens = ms.map((m) => m.tokenIds[0]!);
    const r = await rest.postJson(
      `${o.clobUrl}/batch-prices-history`,
      { markets: tokens, start_ts: Math.floor(start / 1000), end_ts: Math.ceil(end / 1000), fidelity },
      'clob /prices-history',
    );
    if (!r.ok) {
      errors.push(r.error);
      return undefined;
    }
    const h = typeof r.body === 'object' && r.body !== null ? (r.body as { history?: unknown }).history : undefined;
    if (typeof h !== 'object' || h === null || Array.isArray(h)) {
      errors.push('batch-prices-history: no history object');
      return undefined;
    }
    for (const t of tokens) {
      const v = (h as Record<string, unknown>)[t];
      // A token the venue left out has no history.
      const pts = v === undefined ? [] : decodePoints(v);
      if (!pts) count(rejects, 'malformed history');
      got.set(t, pts ?? null);
    }
    return got;
  };

  const runners = Array.from({ length: Math.max(1, o.concurrency ?? 4) }, runner);

  const page = (cursor: string | undefined) => {
    requests++;
    const q = `closed=true&include_tag=true&order=closedTime&ascending=false&limit=${PAGE}${cursor ? `&after_cursor=${encodeURIComponent(cursor)}` : ''}`;
    return rest.getJson(`${o.gammaUrl}/markets/keyset?${q}`, 'gamma /markets');
  };
  let next: ReturnType<typeof page> | undefined = page(undefined);
  let read = 0;
  for (let pages = 0; next && read < cap; pages++) {
    const r = await next;
    next = undefined;
    if (!r.ok) {
      errors.push(r.error);
      break;
    }
    const body = r.body as { markets?: unknown; next_cursor?: unknown } | null;
    const list = body && Array.isArray(body.markets) ? body.markets : undefined;
    if (!list) {
      errors.push('gamma /markets/keyset: no markets array');
      break;
    }
    const cursor = typeof body!.next_cursor === 'string' && body!.next_cursor ? body!.next_cursor : undefined;
    // The next page is asked for while this one is decoded (the venue serves as the reader decodes).
    if (cursor && pages + 1 < MAX_PAGES) next = page(cursor);
    let older = false;
    let fresh = 0;
    for (const raw of list) {
      const d = decodeGammaMarket(raw);
      if (!d.ok) {
        count(rejects, 'malformed market');
        continue;
      }
      const m = d.value;
      if (listed.has(m.id)) continue;
      listed.add(m.id);
      fresh++;
      const closed = m.closedTime ?? m.endDate;
      if (closed === undefined) {
        count(rejects, 'no close time');
        continue;
      }
      if (closed < since) {
        older = true;
        continue;
      }
      // Closed after the session began (the venue kept running): not history yet.
      if (closed >= o.untilMs) continue;
      if (!m.closed || m.tokenIds.length !== 2) {
        count(rejects, m.closed ? 'not binary' : 'not closed');
        continue;
      }
      if (m.closedTime === undefined) m.closedTime = closed;
      if (read >= cap) break;
      read++;
      pending.push(m);
      if (pending.length === BATCH) (batches.push(pending.splice(0)), notify());
    }
    if (pages % 10 === 9) progress(`read ${read.toLocaleString('en-US')} closed markets`);
    // A page of nothing new (a venue repeating itself) ends the walk as surely as the last page.
    if (older || fresh === 0) break;
  }
  // A page asked for ahead and not needed: let it finish rather than leave a request behind.
  if (next) await next;
  if (pending.length) batches.push(pending.splice(0));
  listing = false;
  // Every parked runner must see the end of the listing.
  while (parked.length) notify();
  progress(`fetching price history of ${read.toLocaleString('en-US')} closed markets`);
  await Promise.all(runners);
  // In id order (the venue numbers markets in creation order), whatever order the batches finished in.
  const markets = [...out.values()].sort((a, b) => a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { markets, rejects, requests, errors };
}

/** `[{t, p}]` with integer seconds and probabilities in [0, 1], as 0.0001 units; undefined when malformed. */
export function decodePoints(v: unknown): HistoryPoint[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: HistoryPoint[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as { t?: unknown; p?: unknown } | null;
    if (typeof x !== 'object' || x === null) return undefined;
    const t = x.t;
    const p = typeof x.p === 'string' && x.p !== '' ? Number(x.p) : x.p;
    if (typeof t !== 'number' || !Number.isInteger(t) || typeof p !== 'number' || !(p >= 0 && p <= 1)) return undefined;
    out[i] = { t, p: Math.round(p * PRICE_SCALE) };
  }
  return out;
}
