// The user channel (/ws/user): the first frame authenticates with an API key,
// secret and passphrase and names the markets (condition ids; empty = all);
// later frames {"operation":"subscribe"|"unsubscribe","markets":[…]} change
// the set. Order and trade events of that key for those markets go out as they
// happen; nothing is replayed after a reconnect (as on the venue). Text PING
// gets PONG. A bad first frame closes the socket.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { TradingDesk } from './trading.js';
import type { UserEvent } from '../protocol/events.js';

interface Sub {
  key: string;
  markets: Set<string>;
}

export class UserWsServer {
  readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1024 * 1024 });
  private readonly subs = new Map<WebSocket, Sub>();
  /** Events sent and connections refused (tests). */
  readonly counts = { sent: 0, refused: 0 };

  constructor(desk: TradingDesk) {
    desk.onEvent = (key, market, ev) => this.route(key, market, ev);
    this.wss.on('connection', (ws) => {
      ws.on('message', (data, isBinary) => this.onMessage(ws, isBinary ? '' : data.toString()));
      ws.on('close', () => this.subs.delete(ws));
      ws.on('error', () => ws.terminate());
    });
    this.desk = desk;
  }

  private readonly desk: TradingDesk;

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  private onMessage(ws: WebSocket, text: string): void {
    if (text === 'PING') return void ws.send('PONG');
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return this.refuse(ws, 'INVALID MESSAGE');
    }
    const markets = Array.isArray(msg.markets) ? msg.markets.filter((m): m is string => typeof m === 'string') : [];
    const sub = this.subs.get(ws);
    if (!sub) {
      const auth = (msg.auth ?? {}) as Record<string, unknown>;
      const key = msg.type === 'user' || msg.type === 'USER' ? this.desk.authenticate(auth.apiKey, auth.secret, auth.passphrase) : undefined;
      if (!key) return this.refuse(ws, 'UNAUTHORIZED');
      this.subs.set(ws, { key, markets: new Set(markets) });
      return;
    }
    if (msg.operation === 'subscribe') for (const m of markets) sub.markets.add(m);
    else if (msg.operation === 'unsubscribe') for (const m of markets) sub.markets.delete(m);
  }

  private refuse(ws: WebSocket, why: string): void {
    this.counts.refused++;
    ws.close(1008, why);
  }

  private route(key: string, market: string, ev: UserEvent): void {
    const text = JSON.stringify([ev]);
    for (const [ws, sub] of this.subs) {
      if (sub.key !== key || (sub.markets.size > 0 && !sub.markets.has(market)) || ws.readyState !== WebSocket.OPEN) continue;
      ws.send(text);
      this.counts.sent++;
    }
  }

  /** Drops every user connection (fault: user-socket drop; nothing is replayed). */
  dropAll(): number {
    const n = this.subs.size;
    for (const ws of this.subs.keys()) ws.terminate();
    this.subs.clear();
    return n;
  }

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}
