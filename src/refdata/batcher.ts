// Batched, cached, coalesced reads of one provider. Per refresh the wanted
// symbols of an endpoint are split into chunks of at most the provider's batch
// limit — one HTTP call each — so calls ≤ ⌈symbols / limit⌉ per endpoint, and
// fewer when values are cached (15 min by default; a few seconds for spot) or
// already being fetched by another caller (in-flight coalescing: a symbol is
// never requested twice at once). Errors and symbols the provider leaves out
// are cached as missing for a short while (negative cache), so a dead symbol
// costs one call per interval, not one per refresh. A 429/418 blocks the
// provider until its Retry-After has passed; calls beyond the per-minute
// budget are not made (the symbols read as missing, i.e. neutral).
//
// Lifetimes, the budget and Retry-After are the provider's terms, so they run
// on wall time: on a simulated venue at ×600 venue time passes six hundred
// times faster than the provider's minute, and a venue-timed cache would call
// six hundred times as often. How old a value is for pricing is a venue-time
// question (its provider stamp against venue now), answered by the caller; an
// endpoint may also name a venue age past which a cached value is read again
// early, because the caller would refuse it as stale anyway.
import { SlidingWindow } from '../protocol/rate-limits.js';
import type { RefProvider } from './provider.js';
import { systemClock, type Clock, type WallMs } from '../clock.js';

/** `asOf` is the provider's stamp (venue time); `fetchedAt` and `at` are when we read it (wall time). */
export type Read = { status: 'ok'; value: number; asOf: number; fetchedAt: WallMs } | { status: 'missing'; reason: string; at: WallMs };

export interface BatcherOptions {
  /** Wall time for lifetimes, budget and Retry-After; venue time for `staleMs` (default: this machine's clock for both). */
  clock?: Clock;
  /** Response cache lifetime per endpoint, wall ms (default 15 min). */
  ttlMs?: Record<string, number>;
  defaultTtlMs?: number;
  /** Lifetime of a cached miss or error, wall ms (default 30 s). */
  negativeTtlMs?: number;
  /**
   * Per endpoint: a cached value whose provider stamp becomes this many venue
   * ms old is read again, even inside its lifetime. One that was already that
   * old when it arrived waits for its lifetime (reading it again would only
   * spend the budget on the same old value).
   */
  staleMs?: Record<string, number>;
}

export interface BatcherStats {
  /** HTTP calls issued, per endpoint. */
  calls: Record<string, number>;
  cacheHits: number;
  negativeHits: number;
  coalesced: number;
  rateLimited: number;
  budgetRefused: number;
}

export const RESPONSE_TTL_MS = 15 * 60_000;
export const NEGATIVE_TTL_MS = 30_000;

export class RefBatcher {
  private cache = new Map<string, Read>();
  /** Venue instant after which a cached value is read again early (endpoints with `staleMs`). */
  private freshUntil = new Map<string, number>();
  private inflight = new Map<string, Promise<Read>>();
  private window: SlidingWindow;
  private blockedUntil = 0;
  readonly stats: BatcherStats = { calls: {}, cacheHits: 0, negativeHits: 0, coalesced: 0, rateLimited: 0, budgetRefused: 0 };
  private readonly clock: Clock;

  constructor(
    readonly provider: RefProvider,
    private opts: BatcherOptions = {},
  ) {
    this.clock = opts.clock ?? systemClock();
    this.window = new SlidingWindow(provider.callsPerMinute, 60_000);
  }

  private key(endpoint: string, symbol: string): string {
    return `${endpoint}\u0000${symbol}`;
  }

  private ttl(endpoint: string): number {
    return this.opts.ttlMs?.[endpoint] ?? this.opts.defaultTtlMs ?? RESPONSE_TTL_MS;
  }

  /** Values for `symbols` of `endpoint`: cached, coalesced with a call in flight, or fetched in batches. */
  async get(endpoint: string, symbols: readonly string[]): Promise<Map<string, Read>> {
    const out = new Map<string, Read>();
    const waits: Array<Promise<void>> = [];
    const need: string[] = [];
    const now = this.clock.wall();
    const stale = this.opts.staleMs?.[endpoint];
    const venue = stale === undefined ? 0 : this.clock.venue();
    for (const s of new Set(symbols)) {
      const k = this.key(endpoint, s);
      const c = this.cache.get(k);
      if (c && c.status === 'ok' && now - c.fetchedAt < this.ttl(endpoint) && !(venue >= (this.freshUntil.get(k) ?? Infinity))) {
        this.stats.cacheHits++;
        out.set(s, c);
        continue;
      }
      if (c && c.status === 'missing' && now - c.at < (this.opts.negativeTtlMs ?? NEGATIVE_TTL_MS)) {
        this.stats.negativeHits++;
        out.set(s, c);
        continue;
      }
      const f = this.inflight.get(k);
      if (f) {
        this.stats.coalesced++;
        waits.push(f.then((r) => void out.set(s, r)));
        continue;
      }
      need.push(s);
    }
    const limit = Math.max(1, this.provider.batchLimitFor?.(endpoint) ?? this.provider.batchLimit);
    for (let i = 0; i < need.length; i += limit) {
      const chunk = need.slice(i, i + limit);
      const call = this.fetchChunk(endpoint, chunk);
      chunk.forEach((s) => {
        const p = call.then((m) => m.get(s)!);
        const k = this.key(endpoint, s);
        this.inflight.set(k, p);
        waits.push(
          p.then((r) => {
            out.set(s, r);
            if (this.inflight.get(k) === p) this.inflight.delete(k);
          }),
        );
      });
    }
    await Promise.all(waits);
    return out;
  }

  private async fetchChunk(endpoint: string, chunk: string[]): Promise<Map<string, Read>> {
    const res = new Map<string, Read>();
    const start = this.clock.wall();
    const miss = (reason: string, cache: boolean) => {
      for (const s of chunk) {
        const r: Read = { status: 'missing', reason, at: start };
        res.set(s, r);
        if (cache) this.cache.set(this.key(endpoint, s), r);
      }
      return res;
    };
    if (start < this.blockedUntil) {
      this.stats.rateLimited++;
      return miss(`rate limited for ${Math.ceil((this.blockedUntil - start) / 1000)} s`, false);
    }
    if (this.window.waitMs(start) > 0) {
      this.stats.budgetRefused++;
      return miss('rate budget spent', false);
    }
    this.window.record(start);
    this.stats.calls[endpoint] = (this.stats.calls[endpoint] ?? 0) + 1;
    let r;
    try {
      r = await this.provider.fetchBatch(endpoint, chunk);
    } catch (e) {
      r = { ok: false as const, kind: 'error' as const, error: (e as Error).message };
    }
    const at = this.clock.wall();
    if (!r.ok) {
      if (r.kind === 'rate-limited') {
        this.blockedUntil = at + r.retryAfterMs;
        this.stats.rateLimited++;
      }
      return miss(r.error, true);
    }
    const stale = this.opts.staleMs?.[endpoint];
    const venue = stale === undefined ? 0 : this.clock.venue();
    for (const s of chunk) {
      const v = r.values.get(s);
      const read: Read = v ? { status: 'ok', value: v.value, asOf: v.asOf, fetchedAt: at } : { status: 'missing', reason: 'not in the response', at };
      res.set(s, read);
      const k = this.key(endpoint, s);
      this.cache.set(k, read);
      if (v && stale !== undefined && v.asOf + stale > venue) this.freshUntil.set(k, v.asOf + stale);
      else this.freshUntil.delete(k);
    }
    return res;
  }
}
