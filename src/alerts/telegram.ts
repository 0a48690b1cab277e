// Telegram through grammY: sendMessage for alerts and replies, long polling
// (getUpdates with offsets, grammY's own back-off) for remote commands. The
// API root is configurable so tests point the real library at a loopback fake.
// Nothing here paces: the dispatcher does, and turns each reply into an outcome.
import { createRequire } from 'node:module';
import type { Bot } from 'grammy';
import { redact, type Secret } from './secret.js';
import { systemWall, type WallNow } from '../clock.js';

export const TELEGRAM_MAX = 4096;

/**
 * grammY, loaded when a Telegram client is first made: a process that never
 * talks to Telegram (the console without alerts, a replay, every sweep worker)
 * does not pay its load (~70 ms here). Its Node entry is CommonJS, so the load
 * is synchronous and cached after the first.
 */
function grammy(): typeof import('grammy') {
  return createRequire(import.meta.url)('grammy') as typeof import('grammy');
}

export type SendOutcome =
  | { ok: true }
  /** 429: wait this many seconds before the next message to this chat. */
  | { ok: false; retryAfterSec: number; error: string }
  /** 400 "message is too long": split and send again. */
  | { ok: false; tooLong: true; error: string }
  /** Network trouble or a 5xx: try again later. */
  | { ok: false; transient: true; error: string }
  /** Any other refusal (chat not found, bot blocked): retrying will not help. */
  | { ok: false; permanent: true; error: string };

export interface IncomingMessage {
  updateId: number;
  userId: string | undefined;
  chatId: string;
  text: string;
}

export interface TelegramHealth {
  connected: boolean;
  lastOkAt: number;
  lastError: string;
}

export class TelegramClient {
  readonly bot: Bot;
  readonly health: TelegramHealth = { connected: false, lastOkAt: 0, lastError: '' };
  private polling = false;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly token: Secret,
    apiRoot: string,
    private readonly now: WallNow = systemWall,
    private readonly log: (line: string) => void = () => {},
  ) {
    const { Bot } = grammy();
    this.bot = new Bot(token.reveal(), { client: { apiRoot: apiRoot.replace(/\/+$/, ''), timeoutSeconds: 60 } });
    // Every call, polling included, tells us whether the Bot API answers.
    this.bot.api.config.use(async (prev, method, payload, signal) => {
      try {
        const res = await prev(method, payload, signal);
        if (res.ok || (res.error_code !== undefined && res.error_code < 500)) this.up();
        else this.down(`${method}: ${res.error_code} ${res.description}`);
        return res;
      } catch (err) {
        this.down(`${method}: ${this.clean((err as Error).message)}`);
        throw err;
      }
    });
    this.bot.catch((err) => this.log(`telegram: a command failed: ${this.clean(err.message)}`));
  }

  private up(): void {
    this.health.connected = true;
    this.health.lastOkAt = this.now();
  }

  private down(error: string): void {
    this.health.connected = false;
    this.health.lastError = this.clean(error).slice(0, 200);
  }

  clean(text: string): string {
    return redact(text, [this.token]);
  }

  async send(chatId: string, text: string, silent: boolean): Promise<SendOutcome> {
    try {
      await this.bot.api.sendMessage(chatId, text, { ...(silent ? { disable_notification: true } : {}), link_preview_options: { is_disabled: true } });
      return { ok: true };
    } catch (err) {
      const { GrammyError, HttpError } = grammy();
      if (err instanceof GrammyError) {
        const error = this.clean(`${err.error_code} ${err.description}`);
        if (err.error_code === 429) return { ok: false, retryAfterSec: Number(err.parameters.retry_after ?? 5), error };
        if (err.error_code === 400 && /too long/i.test(err.description)) return { ok: false, tooLong: true, error };
        if (err.error_code >= 500) return { ok: false, transient: true, error };
        return { ok: false, permanent: true, error };
      }
      const error = this.clean(err instanceof HttpError ? `network: ${String((err.error as Error)?.message ?? err.message)}` : String((err as Error).message));
      return { ok: false, transient: true, error };
    }
  }

  /** Long polling for messages; restarts after fatal errors (401, 409) every 30 s until stopped. */
  startPolling(onMessage: (m: IncomingMessage) => void): void {
    this.bot.on('message', (ctx) => {
      const m = ctx.message;
      onMessage({ updateId: ctx.update.update_id, userId: m.from ? String(m.from.id) : undefined, chatId: String(m.chat.id), text: typeof m.text === 'string' ? m.text : '' });
    });
    this.polling = true;
    const run = () => {
      if (!this.polling) return;
      this.bot.start({ allowed_updates: ['message'], timeout: 25 }).catch((err: Error) => {
        if (!this.polling) return; // stopped by us
        this.down(`polling stopped: ${err.message}`);
        this.log(`telegram: polling stopped (${this.clean(err.message).slice(0, 160)}); retrying in 30 s`);
        if (this.polling) this.restartTimer = setTimeout(run, 30_000);
      });
    };
    run();
  }

  async stop(): Promise<void> {
    this.polling = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    // stop() confirms the last update offset with one more getUpdates; a dead server must not hold up the exit.
    if (this.bot.isRunning()) await Promise.race([this.bot.stop().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}
