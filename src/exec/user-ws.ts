// Client for the venue's user channel: order and trade updates of one API
// key. The auth frame carries the API secret, so it is built at send time from
// the Secret values and never passes through any logger or recorder; what
// callers get back is parsed events. Text PING every 10 s; silence longer than
// `silenceMs` is reported (the caller halts and reconciles: the channel does
// not replay what was missed).
import { openWebSocket, WS_OPEN, type WebSocket } from '../feed/websocket.js';
import type { ApiCreds } from './wallet.js';
import { sanitize } from './venue.js';
import { USER_EVENT_TYPES, type ReceivedUserEvent } from '../protocol/events.js';
import { systemWall, type WallNow } from '../clock.js';

export interface UserChannelOptions {
  url: string;
  creds: ApiCreds;
  /** Condition ids; empty = every market of the key. */
  markets: string[];
  onEvent: (ev: ReceivedUserEvent) => void;
  /** Connection lost or silent: the caller must reconcile before trusting local state again. */
  onGap: (why: string) => void;
  pingMs?: number;
  silenceMs?: number;
  /** This machine's clock, for the silence check. */
  wall?: WallNow;
}

/** The subscribe frame (the only place the secret is written out). */
export function userAuthFrame(creds: ApiCreds, markets: string[]): string {
  return JSON.stringify({ auth: { apiKey: creds.key, secret: creds.secret.reveal(), passphrase: creds.passphrase.reveal() }, markets, type: 'user' });
}

/** What a recording may keep of the subscribe frame. */
export function redactedAuthFrame(creds: ApiCreds, markets: string[]): string {
  return JSON.stringify({ auth: { apiKey: creds.key, secret: '[redacted]', passphrase: '[redacted]' }, markets, type: 'user' });
}

export class UserChannel {
  private ws: WebSocket | undefined;
  private ping: NodeJS.Timeout | undefined;
  private lastFrame = 0;
  private closed = false;
  events = 0;

  constructor(private readonly o: UserChannelOptions) {}

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = openWebSocket(this.o.url, { perMessageDeflate: false, maxPayload: 4 * 1024 * 1024 });
      this.ws = ws;
      ws.once('open', () => {
        ws.send(userAuthFrame(this.o.creds, this.o.markets));
        this.lastFrame = (this.o.wall ?? systemWall)();
        this.ping = setInterval(() => this.tick(), Math.min(this.o.pingMs ?? 10_000, this.o.silenceMs ?? 60_000));
        resolve();
      });
      ws.once('error', (err) => reject(new Error(`user channel: ${sanitize(err.message)}`)));
      ws.on('message', (data, isBinary) => this.onMessage(isBinary ? '' : data.toString()));
      ws.on('close', (code, reason) => {
        this.stopTimer();
        if (!this.closed) this.o.onGap(`user channel closed (${code}${reason.length ? ` ${sanitize(reason.toString(), 60)}` : ''})`);
      });
    });
  }

  private tick(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WS_OPEN) return;
    if ((this.o.wall ?? systemWall)() - this.lastFrame > (this.o.silenceMs ?? 60_000)) {
      this.o.onGap('user channel silent');
      ws.terminate();
      return;
    }
    ws.send('PING');
  }

  private onMessage(text: string): void {
    this.lastFrame = (this.o.wall ?? systemWall)();
    if (text === 'PONG' || text === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    for (const ev of Array.isArray(parsed) ? parsed : [parsed]) {
      if (ev && typeof ev === 'object' && USER_EVENT_TYPES.includes((ev as ReceivedUserEvent).event_type)) {
        this.events++;
        this.o.onEvent(ev as ReceivedUserEvent);
      }
    }
  }

  private stopTimer(): void {
    if (this.ping) clearInterval(this.ping);
    this.ping = undefined;
  }

  close(): void {
    this.closed = true;
    this.stopTimer();
    this.ws?.terminate();
  }
}
