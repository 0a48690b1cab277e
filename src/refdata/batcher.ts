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
import { SlidingWindow } from '../protocol/rate-limits.js';
import type { RefProvider } from './provider.js';
import { systemVenue, type VenueNow } from '../clock.js';

export type Read = { status: 'ok'; value: number; asOf: number; fetchedAt: number } | { status: 'missing'; reason: string; at: number };

export interface BatcherOptions {
  now?: VenueNow;
  /** Response cache lifetime per endpoint (default 15 min). */
  ttlMs?: Record<string, number>;
  defaultTtlMs?: number;
  /** Lifetime of a cached miss or error (default 30 s). */
  negativeTtlMs?: number;
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
  private inflight = new Map<string, Promise<Read>>();
  private window: SlidingWindow;
  private blockedUntil = 0;
  readonly stats: BatcherStats = { calls: {}, cacheHits: 0, negativeHits: 0, coalesced: 0, rateLimited: 0, budgetRefused: 0 };
  private now: VenueNow;

  constructor(
    readonly provider: RefProvider,
    private opts: BatcherOptions = {},
  ) {
    this.now = opts.now ?? systemVenue;
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
    const now = this.now();
    for (const s of new Set(symbols)) {
      const k = this.key(endpoint, s);
      const c = this.cache.get(k);
      if (c && c.status === 'ok' && now - c.fetchedAt < this.ttl(endpoint)) {
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
    const start = this.now();
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
    const at = this.now();
    if (!r.ok) {
      if (r.kind === 'rate-limited') {
        this.blockedUntil = at + r.retryAfterMs;
        this.stats.rateLimited++;
      }
      return miss(r.error, true);
    }
    for (const s of chunk) {
      const v = r.values.get(s);
      const read: Read = v ? { status: 'ok', value: v.value, asOf: v.asOf, fetchedAt: at } : { status: 'missing', reason: 'not in the response', at };
      res.set(s, read);
      this.cache.set(this.key(endpoint, s), read);
    }
    return res;
  }
}
