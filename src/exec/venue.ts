// Authenticated requests to the CLOB: L2 headers over the exact body bytes,
// a deadline on every call, per-endpoint budgets from the venue's documented
// limits (over budget fails at once rather than queueing: a late order is a
// different order), and every refusal classified into a plain sentence.
import { Agent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SlidingWindow } from '../protocol/rate-limits.js';
import { l2Headers } from './auth.js';
import type { ApiCreds } from './wallet.js';
import { systemWall, venueFromWall, type WallNow } from '../clock.js';
import { deepFreeze } from '../frozen.js';

/** Per endpoint: [limit per 10 s, limit per 10 min] (docs rate-limits page). */
export const EXEC_BUDGETS: Record<string, [number, number]> = deepFreeze({
  'POST /order': [3500, 36000],
  'POST /orders': [1000, 15000],
  'DELETE /order': [3000, 30000],
  'DELETE /orders': [1000, 15000],
  'DELETE /cancel-all': [250, 6000],
  'DELETE /cancel-market-orders': [1000, 15000],
  'GET /data/orders': [500, 30000],
  'GET /data/trades': [500, 30000],
  'GET /data/order': [500, 30000],
  'POST /v1/heartbeats': [100, 6000],
  'GET /balance-allowance': [200, 12000],
});

export type RefusalKind =
  | 'geo-blocked'
  | 'rate-limited'
  | 'restarting'
  | 'cancel-only'
  | 'post-only-mode'
  | 'version-mismatch'
  | 'signer-not-key'
  | 'deposit-wallet-required'
  | 'balance'
  | 'auth'
  | 'budget'
  | 'timeout'
  | 'network'
  | 'rejected';

export class VenueError extends Error {
  constructor(
    readonly kind: RefusalKind,
    /** What the venue said, sanitised and bounded. */
    readonly venueText: string,
    readonly status: number,
  ) {
    super(`${kind}: ${venueText}`);
  }
}

/** Bounded, printable text from an untrusted reply. */
export function sanitize(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u001b]/g, ' ').slice(0, max);
}

/** Maps a refusal (status, body text) to what it means. */
export function classify(status: number, text: string): RefusalKind {
  const t = text.toLowerCase();
  if (status === 451 || (status === 403 && (t.includes('<html') || t.includes('cloudflare') || t.includes('restricted')))) return 'geo-blocked';
  if (status === 429) return 'rate-limited';
  if (status === 425) return 'restarting';
  if (status === 503 && t.includes('cancel_only')) return 'cancel-only';
  if (status === 503 && t.includes('post_only')) return 'post-only-mode';
  if (t.includes('order_version_mismatch') || t.includes('invalid order version')) return 'version-mismatch';
  if (t.includes('signer address has to be the address of the api key')) return 'signer-not-key';
  if (t.includes('deposit wallet flow') || t.includes('maker address not allowed')) return 'deposit-wallet-required';
  if (t.includes('not enough balance') || t.includes('allowance')) return 'balance';
  if (status === 401) return 'auth';
  return 'rejected';
}

export interface VenueOptions {
  clob: string;
  address: `0x${string}`;
  creds: ApiCreds;
  deadlineMs?: number;
  /** Clock offset to the venue (server − local, ms) for header timestamps. */
  clockOffsetMs?: number;
  /** This machine's clock (budget pacing; header timestamps add the offset to it). */
  wall?: WallNow;
}

export class Venue {
  private readonly windows = new Map<string, [SlidingWindow, SlidingWindow]>();
  /** Requests sent per budget key (tests, status bar). */
  readonly sent: Record<string, number> = {};
  clockOffsetMs: number;

  constructor(private readonly opts: VenueOptions) {
    this.clockOffsetMs = opts.clockOffsetMs ?? 0;
    for (const [k, [a, b]] of Object.entries(EXEC_BUDGETS)) this.windows.set(k, [new SlidingWindow(a, 10_000), new SlidingWindow(b, 600_000)]);
  }

  /** Budget share used in the last 10 s per endpoint (0..1). */
  budgetUse(now = (this.opts.wall ?? systemWall)()): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, [w]] of this.windows) out[k] = 1 - w.remaining(now) / w.limit;
    return out;
  }

  private charge(key: string): void {
    const w = this.windows.get(key);
    if (!w) return;
    const now = (this.opts.wall ?? systemWall)();
    if (w[0].waitMs(now) > 0 || w[1].waitMs(now) > 0) throw new VenueError('budget', `own budget for ${key} is spent`, 0);
    w[0].record(now);
    w[1].record(now);
  }

  /** One authenticated call; resolves with the parsed JSON of a 2xx, throws a classified VenueError otherwise. */
  async call<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, query?: Record<string, string>, deadlineMs = this.opts.deadlineMs ?? 5000): Promise<T> {
    const key = `${method} ${path.startsWith('/data/order/') ? '/data/order' : path}`;
    this.charge(key);
    this.sent[key] = (this.sent[key] ?? 0) + 1;
    const raw = body === undefined ? undefined : JSON.stringify(body);
    const ts = Math.floor(venueFromWall((this.opts.wall ?? systemWall)(), this.clockOffsetMs) / 1000);
    const headers: Record<string, string> = { ...l2Headers(this.opts.address, this.opts.creds, ts, method, path, raw) };
    if (raw !== undefined) headers['content-type'] = 'application/json';
    const qs = query && Object.keys(query).length ? `?${new URLSearchParams(query).toString()}` : '';
    let res: Response;
    try {
      res = await fetch(`${this.opts.clob}${path}${qs}`, { method, headers, ...(raw !== undefined ? { body: raw } : {}), signal: AbortSignal.timeout(deadlineMs) });
    } catch (err) {
      const e = err as Error;
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new VenueError('timeout', `no answer within ${deadlineMs} ms`, 0);
      throw new VenueError('network', sanitize(e.message), 0);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = undefined;
    }
    if (res.ok && json !== undefined && !(json && typeof json === 'object' && 'error' in json && (json as { error: unknown }).error)) return json as T;
    const said = json && typeof json === 'object' && 'error' in json ? String((json as { error: unknown }).error) : text;
    throw new VenueError(classify(res.status, `${said} ${text.slice(0, 400)}`), sanitize(said), res.status);
  }

  private agent: Agent | HttpsAgent | undefined;

  /**
   * The hot path for a ready body (a template): one keep-alive connection,
   * no JSON round trip. Resolves `flushed` when the request's bytes are handed
   * to the socket, `reply` with the parsed answer (same classification).
   */
  postRaw(path: string, raw: string, deadlineMs = this.opts.deadlineMs ?? 5000): { flushed: Promise<number>; reply: Promise<unknown> } {
    const key = `POST ${path}`;
    this.charge(key);
    this.sent[key] = (this.sent[key] ?? 0) + 1;
    const url = new URL(path, this.opts.clob);
    const tls = url.protocol === 'https:';
    this.agent ??= tls ? new HttpsAgent({ keepAlive: true, maxSockets: 4 }) : new Agent({ keepAlive: true, maxSockets: 4 });
    const ts = Math.floor(venueFromWall((this.opts.wall ?? systemWall)(), this.clockOffsetMs) / 1000);
    const headers = { ...l2Headers(this.opts.address, this.opts.creds, ts, 'POST', path, raw), 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(raw)) };
    let onFlush!: (t: number) => void;
    const flushed = new Promise<number>((r) => (onFlush = r));
    const reply = new Promise<unknown>((resolve, reject) => {
      const req = (tls ? httpsRequest : httpRequest)(url, { method: 'POST', headers, agent: this.agent, timeout: deadlineMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300 && json !== undefined && !(json && typeof json === 'object' && 'error' in json)) resolve(json);
          else {
            const said = json && typeof json === 'object' && 'error' in json ? String((json as { error: unknown }).error) : text;
            reject(new VenueError(classify(status, `${said} ${text.slice(0, 400)}`), sanitize(said), status));
          }
        });
      });
      // The request is written to its socket right after 'socket' fires, in the
      // same tick; once the socket's user-space buffer is empty the bytes are
      // with the kernel. 'finish' comes a loop turn later (after whatever else
      // the process does meanwhile), so it only stands in when the write had to queue.
      req.once('socket', (s) => process.nextTick(() => s.writableLength === 0 && onFlush(performance.now())));
      req.on('finish', () => onFlush(performance.now()));
      req.on('timeout', () => req.destroy(new VenueError('timeout', `no answer within ${deadlineMs} ms`, 0)));
      req.on('error', (e) => reject(e instanceof VenueError ? e : new VenueError('network', sanitize(e.message), 0)));
      req.end(raw);
    });
    return { flushed, reply };
  }

  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }
}
