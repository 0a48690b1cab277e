// One market-channel WebSocket connection (DESIGN §4): first frame with
// assets_ids + initial_dump, later operation subscribe/unsubscribe, text PING
// every 10 s after the first subscription, an inbound-silence watchdog, and
// reconnect with jittered exponential backoff that replays every subscription.
import { MAX_FRAME_BYTES } from '../protocol/limits.js';
import { openWebSocket, WS_CONNECTING, WS_OPEN, type WebSocket } from './websocket.js';
import { systemWall, type WallNow } from '../clock.js';

export type ShardState = 'idle' | 'connecting' | 'open' | 'backoff' | 'closed';

export interface ShardOptions {
  pingMs?: number;
  silenceMs?: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
  now?: WallNow;
  /** Largest inbound frame, bytes. */
  maxPayload?: number;
}

export interface ShardHandlers {
  /** Every inbound text frame, in order. */
  frame(raw: string, shard: Shard): void;
  /** The connection was lost; books of these assets can no longer be trusted. */
  disconnected(shard: Shard, reason: string): void;
  /** A (re)connection is open and subscriptions were sent. */
  connected?(shard: Shard): void;
}

export class Shard {
  state: ShardState = 'idle';
  readonly assets = new Set<string>();
  msgs = 0;
  reconnects = 0;
  stalls = 0;
  /** When each stall was detected (for adaptive splitting). */
  readonly stallTimes: number[] = [];
  /** Assets resubscribed because their first event never came. */
  resubscribes = 0;
  lastMsgAt = 0;
  openedAt = 0;
  lastReason = '';
  private ws: WebSocket | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private watchTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private subscribedOnce = false;
  private stopped = false;
  private readonly o: Required<ShardOptions>;

  constructor(
    readonly id: number,
    private readonly url: string,
    private readonly handlers: ShardHandlers,
    options: ShardOptions = {},
  ) {
    this.o = { pingMs: 10_000, silenceMs: 30_000, backoffMinMs: 250, backoffMaxMs: 30_000, random: Math.random, now: systemWall, maxPayload: MAX_FRAME_BYTES, ...options };
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Adds assets: sent now if open, and replayed on every reconnect. */
  subscribe(assets: string[]): void {
    const fresh = assets.filter((a) => !this.assets.has(a));
    for (const a of fresh) this.assets.add(a);
    if (!fresh.length || this.state !== 'open') return;
    if (!this.subscribedOnce) this.sendFirst();
    else this.send(JSON.stringify({ operation: 'subscribe', assets_ids: fresh, initial_dump: true, custom_feature_enabled: true }));
  }

  /** Asks again for assets that never produced a first event (unsubscribe, then subscribe with a dump). */
  resubscribe(assets: string[]): void {
    const mine = assets.filter((a) => this.assets.has(a));
    if (!mine.length || this.state !== 'open' || !this.subscribedOnce) return;
    this.resubscribes += mine.length;
    this.send(JSON.stringify({ operation: 'unsubscribe', assets_ids: mine }));
    this.send(JSON.stringify({ operation: 'subscribe', assets_ids: mine, initial_dump: true, custom_feature_enabled: true }));
  }

  unsubscribe(assets: string[]): void {
    const gone = assets.filter((a) => this.assets.delete(a));
    if (gone.length && this.state === 'open' && this.subscribedOnce) this.send(JSON.stringify({ operation: 'unsubscribe', assets_ids: gone }));
  }

  /** Milliseconds since the last inbound frame (0 before any). */
  silenceMs(now = this.o.now()): number {
    return this.lastMsgAt ? now - this.lastMsgAt : 0;
  }

  private connect(): void {
    if (this.stopped) return;
    this.state = 'connecting';
    this.subscribedOnce = false;
    // maxPayload: a larger frame closes the socket (1009) and the reconnect path takes over.
    const ws = openWebSocket(this.url, { perMessageDeflate: false, handshakeTimeout: 10_000, maxPayload: this.o.maxPayload });
    this.ws = ws;
    ws.on('open', () => {
      if (ws !== this.ws) return;
      this.state = 'open';
      this.openedAt = this.lastMsgAt = this.o.now();
      this.attempt = 0;
      if (this.assets.size) this.sendFirst();
      this.watchTimer = setInterval(() => this.watch(), Math.min(1000, this.o.silenceMs / 4));
      this.handlers.connected?.(this);
    });
    ws.on('message', (data, isBinary) => {
      if (ws !== this.ws) return;
      this.lastMsgAt = this.o.now();
      this.msgs++;
      this.handlers.frame(isBinary ? '' : data.toString(), this);
    });
    ws.on('close', (code) => this.lost(ws, `closed (${code})`));
    ws.on('error', (err) => this.lost(ws, err.message));
  }

  /** The first frame: type market, every asset, snapshot requested explicitly. */
  private sendFirst(): void {
    this.subscribedOnce = true;
    this.send(JSON.stringify({ type: 'market', assets_ids: [...this.assets], initial_dump: true, custom_feature_enabled: true }));
    // Text PING only after the first subscription (the venue ignores idle sockets).
    if (!this.pingTimer) this.pingTimer = setInterval(() => this.send('PING'), this.o.pingMs);
  }

  private watch(): void {
    if (this.state !== 'open') return;
    if (this.silenceMs() > this.o.silenceMs) {
      this.stalls++;
      this.stallTimes.push(this.o.now());
      if (this.stallTimes.length > 10) this.stallTimes.shift();
      this.lastReason = `silent for ${Math.round(this.silenceMs() / 1000)} s`;
      this.ws?.terminate();
      this.lost(this.ws, this.lastReason);
    }
  }

  private lost(ws: WebSocket | undefined, reason: string): void {
    if (!ws || ws !== this.ws) return;
    this.ws = undefined;
    ws.removeAllListeners('message');
    ws.on('error', () => {});
    if (ws.readyState === WS_OPEN || ws.readyState === WS_CONNECTING) ws.terminate();
    this.clearTimers();
    this.lastReason = reason;
    this.handlers.disconnected(this, reason);
    if (this.stopped) {
      this.state = 'closed';
      return;
    }
    this.state = 'backoff';
    const exp = Math.min(this.o.backoffMaxMs, this.o.backoffMinMs * 2 ** this.attempt);
    this.attempt++;
    this.reconnects++;
    this.retryTimer = setTimeout(() => this.connect(), exp * (0.5 + this.o.random() / 2));
  }

  private send(text: string): void {
    if (this.ws && this.ws.readyState === WS_OPEN) this.ws.send(text);
  }

  private clearTimers(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.watchTimer) clearInterval(this.watchTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.pingTimer = this.watchTimer = this.retryTimer = undefined;
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
    }
    this.state = 'closed';
  }
}
