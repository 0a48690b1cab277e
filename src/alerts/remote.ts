// Remote commands, as safe as the keyboard. Only a sender whose user id AND
// chat id are both allow-listed is obeyed; anyone else gets no answer and one
// audit row. Each update is acted on once (its id is recorded first, so a
// redelivered update after a crash is ignored: at most once). Commands that
// open risk wait for `/confirm <code>` from the same user in the same chat
// within 60 s. Switching between live and paper is not a remote command.
import { randomInt } from 'node:crypto';
import { sanitize } from '../text/sanitize.js';
import { type WallNow } from '../clock.js';
import { deepFreeze } from '../frozen.js';

/** What remote commands may do: implemented over the store's operator actions (the keys' action bus). */
export interface AlertActions {
  status(): string;
  profit(): string;
  positions(): string;
  feed(): string;
  /** Stops new entries (the `p` key). */
  pause(): string;
  /** Resumes after a pause and/or a HALT (opens risk: confirmed first). */
  resume(): string;
  /** The kill switch (the `x` key). */
  halt(): string;
}

export interface Audit {
  record(action: string, oldValue: unknown, newValue: unknown, detail?: string): void;
}

export interface CommandMessage {
  updateId: number;
  userId: string | undefined;
  chatId: string;
  text: string;
}

export const REMOTE_COMMANDS: readonly { command: string; help: string; confirm?: boolean }[] = deepFreeze([
  { command: '/status', help: 'mode, run state, breaker, feed, positions count' },
  { command: '/profit', help: 'cash, equity, realized and unrealized P&L, fees' },
  { command: '/positions', help: 'open positions with marks' },
  { command: '/feed', help: 'shards, books, incidents' },
  { command: '/pause', help: 'pause the engine (no new entries), like p' },
  { command: '/resume', help: 'resume after a pause or HALT (asks for /confirm)', confirm: true },
  { command: '/halt', help: 'kill switch: halt trading and cancel resting orders, like x' },
  { command: '/confirm', help: '/confirm <code>: carry out the pending command (60 s)' },
  { command: '/help', help: 'this list' },
]);

const CONFIRM_MS = 60_000;
const STRANGER_QUIET_MS = 3_600_000;

interface Pending {
  command: string;
  code: string;
  userId: string;
  chatId: string;
  expires: number;
  tries: number;
}

export interface RemoteOptions {
  userIds: readonly string[];
  chatIds: readonly string[];
  actions: () => AlertActions | undefined;
  audit: Audit;
  /** Records an update id; false when seen before. */
  firstSight: (updateId: number) => boolean;
  now: WallNow;
  code?: () => string;
}

export class RemoteControl {
  private readonly users: Set<string>;
  private readonly chats: Set<string>;
  private pending: Pending | undefined;
  private readonly strangers = new Map<string, number>();
  ignoredStrangers = 0;

  constructor(private readonly opts: RemoteOptions) {
    this.users = new Set(opts.userIds);
    this.chats = new Set(opts.chatIds);
  }

  /** Handles one message; returns the reply for its chat, or undefined for no reply at all. */
  handle(m: CommandMessage): string | undefined {
    if (!this.opts.firstSight(m.updateId)) return undefined;
    const text = sanitize(m.text, 200);
    const allowed = m.userId !== undefined && this.users.has(m.userId) && this.chats.has(m.chatId);
    if (!allowed) {
      this.ignoredStrangers++;
      const who = `user ${m.userId ?? '?'} chat ${m.chatId}`;
      const last = this.strangers.get(who);
      const now = this.opts.now();
      if (last === undefined || now - last > STRANGER_QUIET_MS) {
        this.strangers.set(who, now);
        if (this.strangers.size > 1000) this.strangers.delete(this.strangers.keys().next().value!);
        this.opts.audit.record('remote_refused', null, null, `telegram ${who}: ${text.slice(0, 80)}`);
      }
      return undefined;
    }
    const [rawCmd = '', ...args] = text.trim().split(/\s+/);
    const cmd = rawCmd.toLowerCase().replace(/@\w+$/, '');
    if (!cmd.startsWith('/')) return undefined;
    const actions = this.opts.actions();
    const who = `telegram user ${m.userId} chat ${m.chatId}`;
    const audit = (action: string, result: string) => this.opts.audit.record(`remote${action}`, null, null, `${who}: ${result}`.slice(0, 300));
    if (!actions) {
      audit(cmd, 'refused: not ready');
      return 'not ready yet: the console is still starting';
    }
    switch (cmd) {
      case '/status':
      case '/profit':
      case '/positions':
      case '/feed': {
        audit(cmd, 'read');
        return actions[cmd.slice(1) as 'status' | 'profit' | 'positions' | 'feed']();
      }
      case '/pause': {
        const r = actions.pause();
        audit(cmd, r);
        return r;
      }
      case '/halt': {
        this.pending = undefined;
        const r = actions.halt();
        audit(cmd, r);
        return r;
      }
      case '/resume': {
        const code = this.opts.code ? this.opts.code() : String(randomInt(0, 1_000_000)).padStart(6, '0');
        this.pending = { command: cmd, code, userId: m.userId!, chatId: m.chatId, expires: this.opts.now() + CONFIRM_MS, tries: 0 };
        audit(cmd, 'asked for confirmation');
        return `/resume re-opens risk (auto-trading restarts). Send /confirm ${code} within 60 s.`;
      }
      case '/confirm': {
        const p = this.pending;
        const now = this.opts.now();
        if (!p || p.userId !== m.userId || p.chatId !== m.chatId) {
          audit(cmd, 'refused: nothing pending');
          return 'nothing to confirm';
        }
        if (now > p.expires) {
          this.pending = undefined;
          audit(cmd, `refused: ${p.command} expired`);
          return `${p.command} expired (60 s); send it again`;
        }
        if (args[0] !== p.code) {
          p.tries++;
          if (p.tries >= 3) this.pending = undefined;
          audit(cmd, 'refused: wrong code');
          return p.tries >= 3 ? `wrong code; ${p.command} cancelled` : 'wrong code';
        }
        this.pending = undefined;
        const r = actions.resume();
        audit(`${p.command}+confirm`, r);
        return r;
      }
      case '/help':
      case '/start':
        audit(cmd, 'read');
        return REMOTE_COMMANDS.map((c) => `${c.command} — ${c.help}`).join('\n') + '\nLive and paper cannot be switched remotely.';
      default:
        audit(cmd.slice(0, 30), 'unknown command');
        return `unknown command ${cmd.slice(0, 30)}; /help lists them. Live and paper cannot be switched remotely.`;
    }
  }
}
