// REST answered from a recording: each (method, path, body) gets the recorded
// responses in the order they were received. A request the recording does not
// hold fails (status 404, not retryable): the engine sees a clear gap, not a guess.
import { parseUntrustedJson } from '../protocol/limits.js';
import type { BudgetRow, RestLike, RestResult } from '../feed/rest-client.js';
import { pathOf, type RestLine } from './format.js';
import { deepFreeze } from '../frozen.js';
import type { Decoded } from '../protocol/errors.js';
import type { CatalogMarket } from '../protocol/gamma.js';

export class ReplayRest implements RestLike {
  readonly counters = { requests: 0, retries: 0, failures: 0, rateLimited: 0 };
  lastError = '';
  lastAttemptError = '';
  misses = 0;
  /**
   * Asked when a request finds no recorded answer: may add answers recorded
   * later (the next segment of a long recording) and return true to look again.
   */
  onMiss: (() => boolean) | undefined;
  private readonly queues = new Map<string, RestLine[]>();

  /**
   * `parsed`: bodies parsed by earlier replays of the same recording (a sweep
   * worker replays it once per setting), kept by recorded line and frozen, so
   * no reader can change what the next replay is served.
   */
  constructor(
    lines: RestLine[],
    private readonly parsed?: WeakMap<RestLine, unknown>,
    /** Catalog markets decoded by earlier replays, by body item (see RestLike); only with `parsed`, whose items they key. */
    readonly decodedMarkets?: WeakMap<object, Decoded<CatalogMarket>>,
  ) {
    this.add(lines);
  }

  /** More recorded answers, received after those held (the next segment of a long recording). */
  add(lines: readonly RestLine[]): void {
    for (const l of lines) {
      const key = keyOf(l.m, l.u, l.q);
      let q = this.queues.get(key);
      if (!q) this.queues.set(key, (q = []));
      q.push(l);
    }
  }

  budget(): BudgetRow[] {
    return [];
  }

  budgetShareLeft(): number {
    return 1;
  }

  getJson(url: string): Promise<RestResult> {
    return Promise.resolve(this.answer('GET', url, undefined));
  }

  postJson(url: string, body: unknown): Promise<RestResult> {
    return Promise.resolve(this.answer('POST', url, JSON.stringify(body)));
  }

  private answer(method: string, url: string, body: string | undefined): RestResult {
    this.counters.requests++;
    const key = keyOf(method, pathOf(url), body);
    let l = this.queues.get(key)?.shift();
    while (!l && this.onMiss?.()) l = this.queues.get(key)?.shift();
    if (!l) {
      this.misses++;
      this.lastError = this.lastAttemptError = `${method} ${pathOf(url)} is not in the recording`;
      return { ok: false, status: 404, error: this.lastError, retryable: false };
    }
    if (l.s >= 200 && l.s < 300) return { ok: true, status: l.s, body: this.bodyOf(l) };
    this.counters.failures++;
    this.lastError = this.lastAttemptError = `${method} ${pathOf(url)} → ${l.s} ${l.b.slice(0, 80)}`;
    return { ok: false, status: l.s, error: this.lastError, retryable: false };
  }

  private bodyOf(l: RestLine): unknown {
    if (this.parsed?.has(l)) return this.parsed.get(l);
    let body: unknown = l.b;
    try {
      body = parseUntrustedJson(l.b);
    } catch {
      // keep the text
    }
    if (this.parsed) this.parsed.set(l, (body = deepFreeze(body)));
    return body;
  }
}

function keyOf(method: string, path: string, body: string | undefined): string {
  return `${method} ${path} ${body ?? ''}`;
}
