// The market WebSocket channel as the venue behaves (DESIGN §4): first frame
// {type:"market", assets_ids, initial_dump, custom_feature_enabled}, later
// {operation: subscribe|unsubscribe} with no acks, text PING → PONG, object and
// array frames, custom events only when enabled, and a per-connection cap past
// which extra assets silently get nothing.
import type { IncomingMessage } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import type { Exchange, Outbound, PcEntry } from './exchange.js';
import type { WirePriceChange } from '../protocol/events.js';
import { STALL_MS, type FaultCounts, type Faults } from './faults.js';
import { wsBook } from './wire-out.js';
import type { Rng } from './rng.js';

interface Conn {
  id: number;
  ws: WebSocket;
  assets: Set<string>;
  custom: boolean;
  started: boolean;
  stalledUntil: number;
  pending: unknown[];
  framesSent: number;
}

export interface WsServerStats {
  connections: number;
  framesSent: number;
  eventsSent: number;
  subscribed: number;
}

export class MarketWsServer {
  readonly wss: WebSocketServer;
  private readonly conns = new Set<Conn>();
  private readonly byAsset = new Map<string, Set<Conn>>();
  private nextId = 1;
  framesSent = 0;
  eventsSent = 0;

  constructor(
    private readonly exchange: Exchange,
    private readonly opts: { cap: number; faults: Faults; counts: FaultCounts; rng: Rng; now: () => number },
  ) {
    this.wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 16 * 1024 * 1024 });
    this.wss.on('connection', (ws) => this.accept(ws));
  }

  handleUpgrade(req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  private accept(ws: WebSocket): void {
    const conn: Conn = { id: this.nextId++, ws, assets: new Set(), custom: false, started: false, stalledUntil: 0, pending: [], framesSent: 0 };
    this.conns.add(conn);
    ws.on('message', (data, isBinary) => this.onMessage(conn, isBinary ? '' : data.toString()));
    ws.on('close', () => this.drop(conn));
    ws.on('error', () => this.drop(conn));
  }

  private drop(conn: Conn): void {
    if (!this.conns.delete(conn)) return;
    for (const a of conn.assets) this.byAsset.get(a)?.delete(conn);
  }

  private onMessage(conn: Conn, text: string): void {
    if (text === 'PING') {
      if (this.opts.now() >= conn.stalledUntil) this.sendRaw(conn, 'PONG');
      return;
    }
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return; // the venue ignores what it cannot parse
    }
    if (typeof msg !== 'object' || msg === null) return;
    const ids = Array.isArray(msg['assets_ids']) ? (msg['assets_ids'] as unknown[]).filter((x): x is string => typeof x === 'string') : [];
    if (msg['type'] === 'market' || msg['type'] === 'MARKET') {
      conn.started = true;
      conn.custom = msg['custom_feature_enabled'] === true;
      this.subscribe(conn, ids, msg['initial_dump'] !== false);
      return;
    }
    if (msg['operation'] === 'subscribe') {
      if (typeof msg['custom_feature_enabled'] === 'boolean') conn.custom = msg['custom_feature_enabled'];
      this.subscribe(conn, ids, msg['initial_dump'] !== false);
    } else if (msg['operation'] === 'unsubscribe') {
      for (const a of ids) {
        if (conn.assets.delete(a)) this.byAsset.get(a)?.delete(conn);
      }
    }
  }

  private subscribe(conn: Conn, ids: string[], dump: boolean): void {
    const added: string[] = [];
    for (const a of ids) {
      if (conn.assets.has(a)) continue;
      // Past the cap the venue accepts the request and silently serves nothing.
      if (conn.assets.size >= this.opts.cap) continue;
      if (!this.exchange.marketOf(a)) continue;
      conn.assets.add(a);
      let set = this.byAsset.get(a);
      if (!set) this.byAsset.set(a, (set = new Set()));
      set.add(conn);
      added.push(a);
    }
    if (!dump || !added.length) return;
    const reorder = this.opts.faults.reorder ?? 0;
    const books: unknown[] = [];
    for (const a of added) {
      const book = this.exchange.book(a);
      const m = this.exchange.marketOf(a);
      if (!book || !m) continue;
      if (reorder > 0 && this.opts.rng.chance(reorder) && book.bestBid !== undefined) {
        // Fault: a change for this asset arrives before its snapshot.
        this.opts.counts.reorders++;
        const early: WirePriceChange = { event_type: 'price_change', market: m.conditionId, timestamp: String(book.updateTs), price_changes: [{ asset_id: a, price: String(book.bestBid / 10_000), size: String(book.bestBidSize), side: 'BUY' }] };
        this.sendRaw(conn, JSON.stringify(early));
      }
      books.push(wsBook(m, book, this.exchange.hashOf(book)));
    }
    for (let i = 0; i < books.length; i += 200) this.sendRaw(conn, JSON.stringify(books.slice(i, i + 200)));
  }

  /** Routes the exchange's queued events to connections, one frame per connection. */
  flush(events: Outbound[]): void {
    if (!events.length || !this.conns.size) return;
    for (const ev of events) {
      if (ev.kind === 'pc') this.routeChange(ev.market, ev.ts, ev.entries);
      else if (ev.kind === 'asset') {
        const set = this.byAsset.get(ev.asset);
        if (!set) continue;
        for (const c of set) if (!ev.custom || c.custom) c.pending.push(ev.obj);
      } else {
        // new_market goes to every custom-feature connection; market_resolved to its subscribers.
        const isNew = ev.obj.event_type === 'new_market';
        for (const c of this.conns) {
          if (!c.custom || !c.started) continue;
          if (isNew || ev.assets.some((a) => c.assets.has(a))) c.pending.push(ev.obj);
        }
      }
    }
    const now = this.opts.now();
    const garbage = this.opts.faults.garbage ?? 0;
    for (const c of this.conns) {
      if (!c.pending.length) continue;
      const batch = c.pending;
      c.pending = [];
      if (now < c.stalledUntil) continue; // stalled: events are lost, as on the venue
      let text = JSON.stringify(batch.length === 1 ? batch[0] : batch);
      if (garbage > 0 && this.opts.rng.chance(garbage)) {
        this.opts.counts.garbage++;
        text = text.slice(0, Math.max(1, Math.floor(text.length * this.opts.rng.uniform(0.2, 0.8)))) + '\u0000}{';
      }
      this.eventsSent += batch.length;
      this.sendRaw(c, text);
    }
  }

  private routeChange(market: string, ts: number, entries: PcEntry[]): void {
    const a0 = entries[0]!.asset_id;
    const s0 = this.byAsset.get(a0);
    let other: Set<Conn> | undefined;
    for (const e of entries) if (e.asset_id !== a0) other = this.byAsset.get(e.asset_id);
    if (!s0 && !other) return;
    const full: WirePriceChange = { event_type: 'price_change', market, price_changes: entries, timestamp: String(ts) };
    const seen = new Set<Conn>();
    for (const set of [s0, other]) {
      if (!set) continue;
      for (const c of set) {
        if (seen.has(c)) continue;
        seen.add(c);
        const mine = entries.every((e) => c.assets.has(e.asset_id)) ? entries : entries.filter((e) => c.assets.has(e.asset_id));
        c.pending.push(mine === entries ? full : { ...full, price_changes: mine });
      }
    }
  }

  private sendRaw(c: Conn, text: string): void {
    if (c.ws.readyState !== WebSocket.OPEN) return;
    c.ws.send(text);
    c.framesSent++;
    this.framesSent++;
  }

  /**
   * Fault: drops one random connection. Frames already sent are flushed first
   * (a close frame follows them), so injected-garbage counts stay exact.
   */
  dropRandom(): boolean {
    const list = [...this.conns];
    if (!list.length) return false;
    const c = list[this.opts.rng.int(0, list.length)]!;
    c.ws.close(4000, 'simulated drop');
    this.drop(c);
    this.opts.counts.drops++;
    return true;
  }

  /** Fault: one random connection goes silent for 40 s. */
  stallRandom(): boolean {
    const now = this.opts.now();
    const list = [...this.conns].filter((c) => c.stalledUntil <= now);
    if (!list.length) return false;
    list[this.opts.rng.int(0, list.length)]!.stalledUntil = now + STALL_MS;
    this.opts.counts.stalls++;
    return true;
  }

  /** Whether any connection is subscribed to `asset` (the exchange builds full books only then). */
  watched(asset: string): boolean {
    const set = this.byAsset.get(asset);
    return set !== undefined && set.size > 0;
  }

  stats(): WsServerStats {
    let subscribed = 0;
    for (const c of this.conns) subscribed += c.assets.size;
    return { connections: this.conns.size, framesSent: this.framesSent, eventsSent: this.eventsSent, subscribed };
  }

  /** Bytes waiting in socket buffers (back-pressure signal). */
  buffered(): number {
    let n = 0;
    for (const c of this.conns) n += c.ws.bufferedAmount;
    return n;
  }

  close(): void {
    for (const c of this.conns) c.ws.terminate();
    this.conns.clear();
    this.wss.close();
  }
}
