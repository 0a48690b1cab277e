// A loopback Bot API that speaks the real protocol closely enough for grammY:
// POST /bot<token>/<method> with a JSON body, {"ok":true,"result":…} replies,
// getUpdates long polling with offset confirmation, sendMessage with the real
// refusals (429 + parameters.retry_after, 400 "message is too long"), and a
// 401 for a wrong token. It records every attempt with its arrival time so
// tests can check pacing from the server's side.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Attempt {
  at: number;
  chatId: string;
  text: string;
  silent: boolean;
  /** What the fake answered. */
  status: number;
}

interface Update {
  update_id: number;
  message: { message_id: number; date: number; chat: { id: number; type: string }; from: { id: number; is_bot: false; first_name: string }; text: string };
}

export class FakeBotApi {
  readonly attempts: Attempt[] = [];
  readonly calls: string[] = [];
  /** Accepted messages. */
  get sent(): Attempt[] {
    return this.attempts.filter((a) => a.status === 200);
  }
  private server: Server | undefined;
  private updates: Update[] = [];
  private nextUpdate = 1;
  private waiters: (() => void)[] = [];
  private readonly script = new Map<string, { status: number; retryAfter?: number }[]>();
  /** retry_after deadlines handed out per chat: an attempt before one is a violation. */
  private readonly blockedUntil = new Map<string, number>();
  readonly violations: string[] = [];
  url = '';
  /** The server's message limit (a lower one stands for a server that counts characters differently from us). */
  maxLength = 4096;

  constructor(readonly token: string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const w of this.waiters.splice(0)) w();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** The next send to `chatId` gets this answer instead of success. */
  failNext(chatId: string, status: 429 | 500, retryAfter?: number): void {
    const list = this.script.get(chatId) ?? [];
    list.push({ status, ...(retryAfter !== undefined ? { retryAfter } : {}) });
    this.script.set(chatId, list);
  }

  /** A message from a user in a chat, as Telegram would deliver it. */
  say(fromUser: number, chatId: number, text: string): number {
    const id = this.nextUpdate++;
    this.updates.push({ update_id: id, message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: chatId < 0 ? 'group' : 'private' }, from: { id: fromUser, is_bot: false, first_name: 'u' }, text } });
    for (const w of this.waiters.splice(0)) w();
    return id;
  }

  /** Updates not yet confirmed by an offset (what a restarted bot would receive again). */
  get unconfirmed(): number {
    return this.updates.length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    const reply = (status: number, body: unknown) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!m) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
    if (m[1] !== this.token) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = m[2]!;
    this.calls.push(method);
    let p: Record<string, unknown> = {};
    try {
      p = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      return reply(400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
    }
    switch (method) {
      case 'getMe':
        return reply(200, { ok: true, result: { id: 999, is_bot: true, first_name: 'Fake', username: 'fake_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false } });
      case 'deleteWebhook':
        return reply(200, { ok: true, result: true });
      case 'getUpdates': {
        const offset = Number(p['offset'] ?? 0);
        if (offset > 0) this.updates = this.updates.filter((u) => u.update_id >= offset);
        const timeout = Math.min(5, Number(p['timeout'] ?? 0));
        if (!this.updates.length && timeout > 0) {
          await new Promise<void>((r) => {
            const t = setTimeout(r, timeout * 1000);
            this.waiters.push(() => {
              clearTimeout(t);
              r();
            });
            req.on('close', () => r());
          });
        }
        return reply(200, { ok: true, result: this.updates.slice(0, Number(p['limit'] ?? 100)) });
      }
      case 'sendMessage': {
        const chatId = String(p['chat_id']);
        const text = String(p['text'] ?? '');
        const at = Date.now();
        const record = (status: number) => this.attempts.push({ at, chatId, text, silent: p['disable_notification'] === true, status });
        const until = this.blockedUntil.get(chatId);
        if (until !== undefined && at < until) this.violations.push(`chat ${chatId}: sent ${until - at} ms before retry_after ended`);
        const scripted = this.script.get(chatId)?.shift();
        if (scripted?.status === 429) {
          record(429);
          const ra = scripted.retryAfter ?? 1;
          this.blockedUntil.set(chatId, at + ra * 1000);
          return reply(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${ra}`, parameters: { retry_after: ra } });
        }
        if (scripted?.status === 500) {
          record(500);
          return reply(500, { ok: false, error_code: 500, description: 'Internal Server Error' });
        }
        if (text.length > this.maxLength) {
          record(400);
          return reply(400, { ok: false, error_code: 400, description: 'Bad Request: message is too long' });
        }
        record(200);
        return reply(200, { ok: true, result: { message_id: this.attempts.length, date: Math.floor(at / 1000), chat: { id: Number(chatId), type: chatId.startsWith('-') ? 'group' : 'private' }, text } });
      }
      default:
        return reply(404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    }
  }
}

/** Gaps between accepted-or-refused attempts to one chat, ms. */
export function gaps(attempts: readonly Attempt[], chatId: string): number[] {
  const at = attempts.filter((a) => a.chatId === chatId).map((a) => a.at);
  return at.slice(1).map((t, i) => t - at[i]!);
}
