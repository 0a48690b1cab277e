// Shared helpers for the simulator wire tests: start/stop small simulators on
// ephemeral ports, a polling waitFor (no bare sleeps), and a plain `ws` client
// that records every frame exactly as it arrived.
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import { Simulator, type SimOptions, type SimUrls } from '../../src/sim/simulator.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Json = any;

/** Polls `predicate` every 10 ms until it returns a truthy value; throws after timeoutMs. */
export async function waitFor<T>(predicate: () => T | Promise<T>, timeoutMs = 20_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await predicate();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`waitFor timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Simulators started by a test file; stop them all in afterEach/afterAll. */
export class SimPool {
  private readonly sims: Simulator[] = [];
  private readonly clients: WsClient[] = [];

  async start(opts: Partial<SimOptions> & { seed: SimOptions['seed'] }): Promise<{ sim: Simulator; urls: SimUrls }> {
    const sim = new Simulator({ markets: 300, speed: 60, rate: 50, ...opts });
    this.sims.push(sim);
    const urls = await sim.start();
    return { sim, urls };
  }

  async client(url: string): Promise<WsClient> {
    const c = await WsClient.open(url);
    this.clients.push(c);
    return c;
  }

  async stopAll(): Promise<void> {
    for (const c of this.clients.splice(0)) c.close();
    await Promise.all(this.sims.splice(0).map((s) => s.stop()));
  }
}

/**
 * Options for a simulator whose clock never ticks on its own: the test advances
 * it with `sim.stepOnce()`, each step moving the sim clock by `dtMs` with a
 * Poisson(`actions`) number of market actions, and flushing one WS frame per
 * connection. This makes "no intervening change" checks race-free.
 */
export function manualClock(dtMs: number, actions: number): Pick<SimOptions, 'clockStart' | 'stepMs' | 'speed' | 'rate'> {
  const stepMs = 3_600_000; // the interval timer would only fire after an hour
  return { clockStart: 'first-subscribe', stepMs, speed: dtMs / stepMs, rate: (actions * 1000) / stepMs };
}

export interface Frame {
  text: string;
  /** Parsed events (an object frame becomes one event); undefined for text or garbage. */
  events?: Json[];
  garbage: boolean;
}

/** A plain `ws` market-channel client that records everything it receives. */
export class WsClient {
  readonly frames: Frame[] = [];
  readonly events: Json[] = [];
  pongs = 0;
  garbage = 0;
  closed = false;
  private listeners: ((f: Frame) => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      const frame: Frame = { text, garbage: false };
      if (text === 'PONG') this.pongs++;
      else {
        try {
          const parsed = JSON.parse(text) as Json;
          frame.events = Array.isArray(parsed) ? parsed : [parsed];
          this.events.push(...frame.events);
        } catch {
          frame.garbage = true;
          this.garbage++;
        }
      }
      this.frames.push(frame);
      for (const l of this.listeners) l(frame);
    });
    ws.on('close', () => (this.closed = true));
  }

  static open(url: string): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      const c = new WsClient(ws);
      ws.once('open', () => resolve(c));
      ws.once('error', reject);
    });
  }

  onFrame(l: (f: Frame) => void): void {
    this.listeners.push(l);
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** Sends text PING and resolves once its PONG arrived: every frame the server sent before is in. */
  async barrier(timeoutMs = 20_000): Promise<void> {
    const want = this.pongs + 1;
    this.send('PING');
    await waitFor(() => this.pongs >= want, timeoutMs, 'PONG');
  }

  eventsOf(type: string): Json[] {
    return this.events.filter((e) => e && e.event_type === type);
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }
}

export async function getJson(url: string): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(url);
  const text = await res.text();
  let body: Json;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: res.headers };
}

export async function postJson(url: string, payload: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: await res.json() };
}

/** The book hash both official SDKs compute: SHA-1 of the compact ten-key summary with hash "" (last_trade_price last). */
export function bookHash(b: Json): string {
  const summary = {
    market: b.market,
    asset_id: b.asset_id,
    timestamp: b.timestamp,
    hash: '',
    bids: b.bids,
    asks: b.asks,
    min_order_size: b.min_order_size,
    tick_size: b.tick_size,
    neg_risk: b.neg_risk,
    last_trade_price: b.last_trade_price,
  };
  return createHash('sha1').update(JSON.stringify(summary)).digest('hex');
}

/** Best bid/ask of a wire book (levels in any order), as numbers; undefined when a side is empty. */
export function bestOf(b: { bids: { price: string }[]; asks: { price: string }[] }): { bid?: number; ask?: number } {
  const bids = b.bids.map((l) => Number(l.price));
  const asks = b.asks.map((l) => Number(l.price));
  return { bid: bids.length ? Math.max(...bids) : undefined, ask: asks.length ? Math.min(...asks) : undefined };
}

/** A local book per token built only from the stream: price string → size string, per side. */
export class LocalBooks {
  readonly books = new Map<string, { bids: Map<string, string>; asks: Map<string, string> }>();

  applyBook(ev: Json): void {
    const bids = new Map<string, string>();
    const asks = new Map<string, string>();
    for (const l of ev.bids) bids.set(l.price, l.size);
    for (const l of ev.asks) asks.set(l.price, l.size);
    this.books.set(ev.asset_id, { bids, asks });
  }

  applyChange(e: Json): void {
    const b = this.books.get(e.asset_id);
    if (!b) return;
    const side = e.side === 'BUY' ? b.bids : b.asks;
    if (Number(e.size) === 0) side.delete(e.price);
    else side.set(e.price, e.size);
  }

  /** Best levels as the venue writes them: "0" for no bid and "1" for no ask. */
  best(asset: string): { bid: string; ask: string } | undefined {
    const b = this.books.get(asset);
    if (!b) return undefined;
    const bid = [...b.bids.keys()].reduce((m, p) => (Number(p) > Number(m) ? p : m), '0');
    const ask = [...b.asks.keys()].reduce((m, p) => (Number(p) < Number(m) ? p : m), '1');
    return { bid, ask };
  }
}

/** All open markets, walked with offset paging (limit 100). */
export async function allOpenMarkets(gamma: string): Promise<Json[]> {
  const out: Json[] = [];
  for (let offset = 0; ; offset += 100) {
    const { status, body } = await getJson(`${gamma}/markets?limit=100&offset=${offset}`);
    if (status !== 200) throw new Error(`/markets offset=${offset} → ${status}`);
    out.push(...body);
    if (body.length < 100) return out;
  }
}
