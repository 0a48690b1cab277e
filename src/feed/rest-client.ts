// REST at the edge: every request is paced by the venue's documented limits,
// retried with jittered backoff on 429 / 5xx / timeouts (honouring Retry-After),
// and never throws — failures come back as values with a readable message.
import { RATE_LIMITS, SlidingWindow, type RateBucket } from '../protocol/rate-limits.js';

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
  now?: () => number;
  /** Extra headers (live mode credentials come from the environment, never logged). */
  headers?: Record<string, string>;
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

  constructor(options: RestClientOptions = {}) {
    this.o = {
      timeoutMs: 10_000,
      maxRetries: 5,
      budgetShare: 0.8,
      backoffBaseMs: 250,
      backoffMaxMs: 30_000,
      random: Math.random,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      now: Date.now,
      headers: {},
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
        // Full jitter, but never shorter than what the server asked for.
        await this.o.sleep(Math.max(retryAfter, exp * (0.5 + this.o.random() / 2)));
      }
      await this.pace(bucket);
      last = await this.once(method, url, body);
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

  private async once(method: string, url: string, body: unknown): Promise<RestResult> {
    this.counters.requests++;
    this.retryAfterMs = 0;
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), this.o.timeoutMs);
    try {
      const res = await fetch(url, {
        method,
        signal: ctrl.signal,
        headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...this.o.headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      this.tap?.(method, url, body, res.status, text);
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // keep the text; callers validate shapes
      }
      if (res.ok) return { ok: true, status: res.status, body: parsed };
      const retryable = res.status === 429 || res.status >= 500;
      if (res.status === 429) {
        this.counters.rateLimited++;
        const ra = Number(res.headers.get('retry-after'));
        if (Number.isFinite(ra) && ra > 0) this.retryAfterMs = ra * 1000;
      }
      const msg = typeof parsed === 'object' && parsed !== null && 'error' in parsed ? String((parsed as { error: unknown }).error) : text.slice(0, 120);
      return { ok: false, status: res.status, error: `${method} ${shortUrl(url)} → ${res.status} ${msg}`, retryable };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string; errors?: { code?: string }[] } };
      const cause = e.cause;
      const code = cause?.code ?? cause?.errors?.find((x) => x.code)?.code;
      const why = e.name === 'AbortError' ? `timed out after ${this.o.timeoutMs} ms` : (code ?? cause?.message ?? e.message);
      this.tap?.(method, url, body, 0, why);
      return { ok: false, status: 0, error: `${method} ${shortUrl(url)} unreachable: ${why}`, retryable: true };
    } finally {
      clearTimeout(timer);
    }
  }
}

function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return url.slice(0, 60);
  }
}
