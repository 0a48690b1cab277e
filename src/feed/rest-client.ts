// REST at the edge: every request is paced by the venue's documented limits,
// retried with jittered backoff on 429 / 5xx / timeouts (honouring Retry-After
// up to a cap), and never throws — failures come back as values with a readable
// message. Bodies are bounded (declared size, and bytes after decompression),
// JSON is depth-checked before parsing, and redirects to another host are refused.
import { MAX_BODY_BYTES, MAX_WIRE_BYTES, parseUntrustedJson } from '../protocol/limits.js';
import { sanitize } from '../text/sanitize.js';
import { RATE_LIMITS, SlidingWindow, type RateBucket } from '../protocol/rate-limits.js';
import { systemWall, type WallNow } from '../clock.js';
import type { Decoded } from '../protocol/errors.js';
import type { CatalogMarket } from '../protocol/gamma.js';

export type RestResult = { ok: true; status: number; body: unknown } | { ok: false; status: number; error: string; retryable: boolean };

export interface RestClientOptions {
  timeoutMs?: number;
  maxRetries?: number;
  /** Fraction of each documented limit we allow ourselves (headroom for other clients). */
  budgetShare?: number;
  /** Base and cap of the retry backoff, ms. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: WallNow;
  /** Extra headers (live mode credentials come from the environment, never logged). */
  headers?: Record<string, string>;
  /** Longest Retry-After we honour, ms (a venue asking for a day gets this). */
  maxRetryAfterMs?: number;
  /** Largest body after decompression, and largest declared Content-Length, bytes. */
  maxBodyBytes?: number;
  maxWireBytes?: number;
}

export interface BudgetRow {
  bucket: RateBucket;
  limit: number;
  remaining: number;
}

/** What the engine needs from REST: the live client, or a recording played back. */
export interface RestLike {
  getJson(url: string, bucket?: RateBucket): Promise<RestResult>;
  postJson(url: string, body: unknown, bucket?: RateBucket): Promise<RestResult>;
  budget(): BudgetRow[];
  budgetShareLeft(): number;
  readonly counters: { requests: number; retries: number; failures: number; rateLimited: number };
  lastError: string;
  lastAttemptError: string;
  /** When the next retry is due (ms, 0 = none pending), for "next attempt in N s". */
  nextAttemptAt?: number;
  /**
   * Catalog markets already decoded, by the answer's item object: only a client
   * that serves the same frozen objects every time has it (a replay of a
   * compiled recording, whose next replay decodes nothing again).
   */
  readonly decodedMarkets?: WeakMap<object, Decoded<CatalogMarket>>;
}

/** Sees every response as received (the recorder). */
export type RestTap = (method: string, url: string, body: unknown, status: number, text: string) => void;

export class RestClient implements RestLike {
  /** Set by `record`: every response, as received. */
  tap: RestTap | undefined;
  private readonly windows = new Map<RateBucket, SlidingWindow>();
  private readonly o: Required<Omit<RestClientOptions, 'headers'>> & { headers: Record<string, string> };
  /** Requests sent, retries, and failures — for the status line. */
  readonly counters = { requests: 0, retries: 0, failures: 0, rateLimited: 0 };
  lastError = '';
  /** The most recent failed attempt, even if a retry is still under way. */
  lastAttemptError = '';
  nextAttemptAt = 0;

  constructor(options: RestClientOptions = {}) {
    this.o = {
      timeoutMs: 10_000,
      maxRetries: 5,
      budgetShare: 0.8,
      backoffBaseMs: 250,
      backoffMaxMs: 30_000,
      random: Math.random,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      now: systemWall,
      headers: {},
      maxRetryAfterMs: 60_000,
      maxBodyBytes: MAX_BODY_BYTES,
      maxWireBytes: MAX_WIRE_BYTES,
      ...options,
    };
    for (const [bucket, limit] of Object.entries(RATE_LIMITS)) {
      this.windows.set(bucket as RateBucket, new SlidingWindow(Math.max(1, Math.floor(limit * this.o.budgetShare))));
    }
  }

  /** Remaining request budget per endpoint in the current 10 s window. */
  budget(): BudgetRow[] {
    const now = this.o.now();
    return [...this.windows].map(([bucket, w]) => ({ bucket, limit: w.limit, remaining: w.remaining(now) }));
  }

  /** Lowest remaining share of any budget, 0..1 (the scan loop backs off when it runs low). */
  budgetShareLeft(): number {
    return Math.min(...this.budget().map((b) => b.remaining / b.limit));
  }

  async getJson(url: string, bucket?: RateBucket): Promise<RestResult> {
    return this.request('GET', url, undefined, bucket);
  }

  async postJson(url: string, body: unknown, bucket?: RateBucket): Promise<RestResult> {
    return this.request('POST', url, body, bucket);
  }

  private async pace(bucket: RateBucket | undefined): Promise<void> {
    if (!bucket) return;
    const w = this.windows.get(bucket)!;
    for (;;) {
      const wait = w.waitMs(this.o.now());
      if (wait <= 0) break;
      await this.o.sleep(wait);
    }
    w.record(this.o.now());
  }

  private async request(method: string, url: string, body: unknown, bucket: RateBucket | undefined): Promise<RestResult> {
    let last: RestResult = { ok: false, status: 0, error: 'not attempted', retryable: true };
    for (let attempt = 0; attempt <= this.o.maxRetries; attempt++) {
      if (attempt > 0) {
        this.counters.retries++;
        const retryAfter = last.ok ? 0 : this.retryAfterMs;
        const exp = Math.min(this.o.backoffMaxMs, this.o.backoffBaseMs * 2 ** (attempt - 1));
        // Full jitter, but never shorter than what the server asked for (capped).
        const wait = Math.max(retryAfter, exp * (0.5 + this.o.random() / 2));
        this.nextAttemptAt = this.o.now() + wait;
        await this.o.sleep(wait);
        this.nextAttemptAt = 0;
      }
      await this.pace(bucket);
      last = await this.follow(method, url, body);
      if (!last.ok) this.lastAttemptError = last.error;
      if (last.ok || !last.retryable) break;
    }
    if (!last.ok) {
      this.counters.failures++;
      this.lastError = last.error;
    }
    return last;
  }

  private retryAfterMs = 0;

  /** One attempt, following same-host redirects (a few hops); another host is refused by name. */
  private async follow(method: string, url: string, body: unknown): Promise<RestResult> {
    let target = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const r = await this.once(method, target, body);
      if (!('redirect' in r)) return r;
      let next: URL;
      try {
        next = new URL(r.redirect, target);
      } catch {
        return { ok: false, status: r.status, error: `${method} ${shortUrl(target)} → ${r.status} redirect to an invalid location`, retryable: false };
      }
      const from = new URL(target);
      if (next.host !== from.host || next.protocol !== from.protocol) {
        return { ok: false, status: r.status, error: `${method} ${shortUrl(target)} → ${r.status} redirect from ${from.host} to ${sanitize(next.host, 100)} refused (another host)`, retryable: false };
      }
      target = next.toString();
    }
    return { ok: false, status: 0, error: `${method} ${shortUrl(url)}: more than ${MAX_REDIRECTS} redirects`, retryable: false };
  }

  private async once(method: string, url: string, body: unknown): Promise<RestResult | { redirect: string; status: number }> {
    this.counters.requests++;
    this.retryAfterMs = 0;
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), this.o.timeoutMs);
    try {
      const res = await fetch(url, {
        method,
        signal: ctrl.signal,
        redirect: 'manual',
        headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...this.o.headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
        await res.body?.cancel().catch(() => {});
        return { redirect: res.headers.get('location')!, status: res.status };
      }
      const declared = Number(res.headers.get('content-length'));
      if (Number.isFinite(declared) && declared > this.o.maxWireBytes) {
        ctrl.abort();
        await res.body?.cancel().catch(() => {});
        const error = `${method} ${shortUrl(url)} → ${res.status} body of ${declared} bytes refused (limit ${this.o.maxWireBytes})`;
        this.tap?.(method, url, body, 0, error);
        return { ok: false, status: res.status, error, retryable: true };
      }
      const text = await readCapped(res, this.o.maxBodyBytes, ctrl);
      if (text === undefined) {
        const error = `${method} ${shortUrl(url)} → ${res.status} body over ${this.o.maxBodyBytes} bytes after decompression; refused`;
        this.tap?.(method, url, body, 0, error);
        return { ok: false, status: res.status, error, retryable: true };
      }
      this.tap?.(method, url, body, res.status, text);
      let parsed: unknown = text;
      try {
        parsed = text ? parseUntrustedJson(text) : null;
      } catch {
        // keep the text; callers validate shapes
      }
      if (res.ok) return { ok: true, status: res.status, body: parsed };
      const retryable = res.status === 429 || res.status >= 500;
      if (res.status === 429) this.counters.rateLimited++;
      let waitNote = '';
      if (res.status === 429 || res.status === 503) {
        const asked = retryAfterMs(res.headers.get('retry-after'), this.o.now());
        if (asked !== undefined) {
          this.retryAfterMs = Math.min(asked, this.o.maxRetryAfterMs);
          waitNote = asked > this.o.maxRetryAfterMs ? ` (asked to wait ${Math.round(asked / 1000)} s; waiting ${Math.round(this.o.maxRetryAfterMs / 1000)} s)` : ` (asked to wait ${Math.round(asked / 1000)} s)`;
        }
      }
      const raw = typeof parsed === 'object' && parsed !== null && 'error' in parsed ? String((parsed as { error: unknown }).error) : text;
      return { ok: false, status: res.status, error: `${method} ${shortUrl(url)} → ${res.status} ${sanitize(raw, 120)}${waitNote}`, retryable };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string; errors?: { code?: string }[] } };
      const cause = e.cause;
      const code = cause?.code ?? cause?.errors?.find((x) => x.code)?.code;
      const why = e.name === 'AbortError' ? `timed out after ${this.o.timeoutMs} ms` : sanitize(String(code ?? cause?.message ?? e.message), 160);
      this.tap?.(method, url, body, 0, why);
      return { ok: false, status: 0, error: `${method} ${shortUrl(url)} unreachable: ${why}`, retryable: true };
    } finally {
      clearTimeout(timer);
    }
  }
}

const MAX_REDIRECTS = 3;

/** Retry-After as seconds or an HTTP date, in ms; undefined if absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const t = header.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const at = Date.parse(t);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/**
 * Reads a body (already decompressed by fetch) chunk by chunk, giving up — and
 * aborting the transfer — once it passes `cap` bytes. A gzip bomb therefore
 * costs at most `cap` of memory, never its inflated size.
 */
async function readCapped(res: Response, cap: number, ctrl: AbortController): Promise<string | undefined> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      ctrl.abort();
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return sanitize(`${u.host}${u.pathname}`, 120);
  } catch {
    return sanitize(url, 60);
  }
}
