// The alert pipeline: events → router (on/silent/off per kind) → per-key dedupe
// → persisted outbox → channels (Telegram per chat, webhooks), plus remote
// commands from Telegram. emit() only pushes onto an array, so callers on the
// engine's path pay nothing; routing, SQLite and the network run on this
// service's own timer, fully async.
import type { DB } from '../persist/db.js';
import { Deduper, DEFAULT_DEDUPE, digestText, type DedupeConfig } from './dedupe.js';
import { dbWriteEvent, renderText, replyEvent, type AlertEvent, type AlertKind } from './events.js';
import { Outbox, type NewRow, type OutboxRow } from '../persist/alerts-outbox.js';
import { Pacer, splitText, TELEGRAM_LIMITS, type PaceLimits } from './pacing.js';
import { RemoteControl, type AlertActions, type Audit } from './remote.js';
import { DEFAULT_MODES, type Mode } from './router.js';
import { fingerprint, hostOnly, redact, type Secret } from './secret.js';
import { TELEGRAM_MAX, TelegramClient, type SendOutcome } from './telegram.js';
import { postWebhook, WEBHOOK_MAX } from './webhook.js';
import { systemWall, type WallNow } from '../clock.js';

export interface AlertsConfig {
  telegram?: { token: Secret; apiRoot: string; chatIds: string[]; userIds: string[] };
  webhooks: Secret[];
  modes?: Record<AlertKind, Mode>;
  dedupe?: DedupeConfig;
  limits?: PaceLimits;
  /** Dispatcher period, ms. */
  tickMs?: number;
}

export interface ChannelHealth {
  /** "telegram 12345" or "webhook hooks.slack.com #3f2a9c1e" (never the URL). */
  name: string;
  connected: boolean;
  lastSentAt: number;
  queued: number;
  failed: number;
  lastError: string;
}

export interface AlertsHealth {
  channels: ChannelHealth[];
  /** Triggers held back by dedupe. */
  suppressed: number;
  /** Events of kinds switched off. */
  dropped: number;
  queued: number;
  /** Messages from senders not on the allow-list (never answered). */
  strangers: number;
}

interface Target {
  id: string;
  name: string;
  kind: 'telegram' | 'webhook';
  chatId?: string;
  url?: Secret;
  busy: boolean;
  connected: boolean;
  lastSentAt: number;
  failed: number;
  lastError: string;
  /** Until then, one row per message (the server refused a joined one as too long). */
  noBatchUntil: number;
  /** Messages kept in memory while the outbox cannot be written. */
  memory: { text: string; silent: boolean }[];
}

const MAX_INBOX = 10_000;
const MAX_ATTEMPTS = { telegram: 30, webhook: 10 };
const RESENT = '↻ resent after a restart (may repeat): ';

export class AlertService {
  readonly outbox: Outbox;
  readonly deduper: Deduper;
  readonly pacer: Pacer;
  readonly telegram: TelegramClient | undefined;
  readonly remote: RemoteControl | undefined;
  private readonly targets: Target[] = [];
  private readonly modes: Record<AlertKind, Mode>;
  private inbox: { ev: AlertEvent; state?: Record<string, string> }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private queuedCache = new Map<string, number>();
  private actions: AlertActions | undefined;
  private outboxFailing = '';
  private prunedAt = 0;
  dropped = 0;
  lost = 0;
  sentTotal = 0;

  constructor(
    db: DB,
    private readonly cfg: AlertsConfig,
    audit: Audit,
    readonly now: WallNow = systemWall,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.outbox = new Outbox(db, now);
    this.deduper = new Deduper(cfg.dedupe ?? DEFAULT_DEDUPE);
    this.pacer = new Pacer(cfg.limits ?? TELEGRAM_LIMITS);
    this.modes = cfg.modes ?? DEFAULT_MODES;
    const blank = { busy: false, connected: true, lastSentAt: 0, failed: 0, lastError: '', noBatchUntil: 0, memory: [] };
    const tg = cfg.telegram;
    if (tg && tg.token.reveal()) {
      this.telegram = new TelegramClient(tg.token, tg.apiRoot, now, log);
      for (const chatId of tg.chatIds) this.targets.push({ ...blank, memory: [], id: `telegram:${chatId}`, name: `telegram ${chatId}`, kind: 'telegram', chatId, connected: false });
      this.remote = new RemoteControl({ userIds: tg.userIds, chatIds: tg.chatIds, actions: () => this.actions, audit, firstSight: (id) => this.outbox.firstSight(id), now });
    }
    for (const url of cfg.webhooks) {
      const fp = fingerprint(url.reveal());
      this.targets.push({ ...blank, memory: [], id: `webhook:${fp}`, name: `webhook ${hostOnly(url.reveal())} #${fp}`, kind: 'webhook', url });
    }
  }

  get enabled(): boolean {
    return this.targets.length > 0;
  }

  /** Remote commands act through these (the store's actions); until set, commands answer "not ready". */
  setActions(actions: AlertActions): void {
    this.actions = actions;
  }

  /** Hot-path safe: one array push. `state` is saved with the event's outbox rows (watermarks). */
  emit(ev: AlertEvent, state?: Record<string, string>): void {
    if (!this.enabled && !state) return;
    if (this.inbox.length >= MAX_INBOX) {
      const i = this.inbox.findIndex((x) => x.ev.severity !== 'critical' && !x.state);
      if (i >= 0) this.inbox.splice(i, 1);
      this.lost++;
    }
    this.inbox.push(state ? { ev, state } : { ev });
  }

  /** A database write failed somewhere: alerted from memory (the outbox may be failing too). */
  dbWriteFailed(where: string, err: unknown): void {
    this.emit(dbWriteEvent(where, redact(String((err as Error)?.message ?? err), this.secrets()), this.now()));
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.cfg.tickMs ?? 100);
    this.timer.unref?.();
    this.telegram?.startPolling((m) => this.onMessage(m));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    try {
      this.flush();
    } catch {
      /* already counted */
    }
    // Let requests in flight finish (bounded), or they would be resent, marked, on the next start.
    // A bounded wait is a duration: the monotonic clock, not the injected one (a test's clock may stand still).
    const deadline = performance.now() + 3000;
    while (this.targets.some((t) => t.busy) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await this.telegram?.stop();
  }

  private onMessage(m: { updateId: number; userId: string | undefined; chatId: string; text: string }): void {
    let reply: string | undefined;
    try {
      reply = this.remote?.handle(m);
    } catch (err) {
      this.log(`telegram: command failed: ${redact(String((err as Error).message), this.secrets())}`);
      reply = 'command failed; see the console log';
    }
    if (reply !== undefined) this.emit(replyEvent(m.chatId, reply, this.now()));
  }

  /** One dispatcher step: route and persist new events, due digests, then start idle targets' next sends. */
  tick(): void {
    this.flush();
    const now = this.now();
    if (now - this.prunedAt > 3_600_000) {
      this.prunedAt = now;
      try {
        this.outbox.prune();
      } catch {
        /* retried next hour */
      }
    }
    for (const t of this.targets) if (!t.busy) this.dispatch(t, now);
  }

  /** Router → dedupe → outbox, in one transaction per batch. */
  flush(): void {
    const now = this.now();
    const batch = this.inbox;
    this.inbox = [];
    const rows: NewRow[] = [];
    const state: Record<string, string> = {};
    for (const { ev, state: s } of batch) {
      if (s) Object.assign(state, s);
      const mode = this.modes[ev.kind];
      if (mode === 'off') {
        this.dropped++;
        continue;
      }
      let text = renderText(ev);
      if (ev.kind !== 'reply') {
        const v = this.deduper.offer(ev.key, ev.severity, ev.title, now);
        if (!v.send) continue;
        if (v.suppressed > 0) text += `\n(+${v.suppressed} suppressed since the last report)`;
      }
      this.rowsFor(ev, text, mode === 'silent', rows);
    }
    for (const d of this.deduper.due(now)) {
      const kind = d.key.split(':')[0] as AlertKind;
      if (this.modes[kind] === 'off') continue;
      this.rowsFor({ kind, key: d.key, severity: d.severity, title: digestText(d), at: now }, digestText(d), this.modes[kind] === 'silent', rows);
    }
    if (!rows.length && !Object.keys(state).length) return;
    try {
      this.outbox.enqueue(rows, state);
      if (this.outboxFailing) this.log('alerts: the outbox is writable again');
      this.outboxFailing = '';
    } catch (err) {
      // The database refuses writes: keep the messages in memory, say so once per failure.
      const message = redact(String((err as Error).message), this.secrets());
      if (!this.outboxFailing) {
        this.log(`alerts: cannot write the outbox (${message}); holding messages in memory`);
        const ev = dbWriteEvent('alert outbox', message, now);
        this.rowsFor(ev, renderText(ev), false, rows);
      }
      this.outboxFailing = message;
      for (const r of rows) {
        const t = this.targets.find((x) => x.id === r.target);
        if (t && t.memory.length < 1000) t.memory.push({ text: r.text, silent: r.silent });
        else this.lost++;
      }
    }
  }

  private rowsFor(ev: AlertEvent, text: string, silent: boolean, out: NewRow[]): void {
    for (const t of this.targets) {
      if (ev.chatId !== undefined && t.chatId !== ev.chatId) continue;
      const max = t.kind === 'telegram' ? TELEGRAM_MAX : WEBHOOK_MAX;
      const parts = splitText(text, max - 12);
      const prio = ev.kind === 'reply' ? 2 : ev.severity === 'critical' ? 1 : 0;
      parts.forEach((p, i) => out.push({ target: t.id, kind: ev.kind, key: ev.key, silent, prio, text: parts.length > 1 ? `${p}\n(${i + 1}/${parts.length})` : p }));
    }
  }

  private dispatch(t: Target, now: number): void {
    const chatGate = t.chatId !== undefined ? this.pacer.nextAt(t.chatId) : -Infinity;
    if (chatGate > now) return;
    const mem = t.memory[0];
    if (mem) {
      t.busy = true;
      void this.send(t, mem.text, mem.silent, `mem-${now}`).then((out) => {
        if (out.ok || 'permanent' in out) t.memory.shift();
        this.afterSend(t, out, undefined);
      }).finally(() => (t.busy = false));
      return;
    }
    let row: OutboxRow | undefined;
    try {
      row = this.outbox.next(t.id);
    } catch {
      return;
    }
    if (!row || row.next_at > now) return;
    const resent = this.outbox.interrupted.has(row.id);
    // A Telegram backlog goes out as fewer, fuller messages (same order, same
    // pacing): at 1 message/s a burst of alerts would otherwise trail for minutes.
    const rows = [row];
    let text = resent ? RESENT + row.text : row.text;
    if (t.kind === 'telegram' && !resent && row.prio === 0 && now >= t.noBatchUntil) {
      for (const more of this.outbox.following(row, 30)) {
        if (more.prio !== 0 || more.next_at > now || this.outbox.interrupted.has(more.id) || more.silent !== row.silent) break;
        if (text.length + 2 + more.text.length > TELEGRAM_MAX - 100) break;
        text += `\n\n${more.text}`;
        rows.push(more);
      }
    }
    t.busy = true;
    try {
      this.outbox.markInflight(rows.map((r) => r.id));
    } catch {
      t.busy = false;
      return;
    }
    void this.send(t, text, row.silent === 1, `${this.outbox.instance}-${row.id}`)
      .then((out) => this.afterSend(t, out, rows))
      .catch((err) => this.log(`alerts: ${redact(String((err as Error).message), this.secrets())}`))
      .finally(() => (t.busy = false));
  }

  private async send(t: Target, text: string, silent: boolean, key: string): Promise<SendOutcome> {
    if (t.kind === 'telegram') {
      this.pacer.sent(t.chatId!, this.now());
      return this.telegram!.send(t.chatId!, text, silent);
    }
    return postWebhook(t.url!, text, key);
  }

  private afterSend(t: Target, out: SendOutcome, rows: readonly OutboxRow[] | undefined): void {
    const now = this.now();
    if (t.kind === 'telegram') this.pacer.answered(t.chatId!, now);
    const ids = rows?.map((r) => r.id) ?? [];
    const first = rows?.[0];
    if (out.ok) {
      t.lastSentAt = now;
      t.connected = true;
      this.sentTotal++;
      for (const id of ids) this.outbox.markSent(id);
      return;
    }
    t.lastError = out.error;
    if ('retryAfterSec' in out) {
      if (t.chatId !== undefined) this.pacer.block(t.chatId, now, out.retryAfterSec);
      for (const id of ids) this.outbox.retryAt(id, now + Math.max(1, out.retryAfterSec) * 1000, out.error);
      return;
    }
    if ('tooLong' in out) {
      if (!first) return;
      if (rows!.length > 1) {
        // The server counts differently from us: send these one by one for a while.
        t.noBatchUntil = now + 600_000;
        for (const id of ids) this.outbox.retryAt(id, now, out.error);
      } else this.outbox.split(first.id, splitText(first.text, Math.max(64, Math.floor(first.text.length / 2))));
      return;
    }
    if ('transient' in out) {
      t.connected = false;
      if (!first) return;
      const attempts = first.attempts + 1; // the row was read before this attempt was counted
      if (attempts >= MAX_ATTEMPTS[t.kind]) {
        t.failed += ids.length;
        for (const id of ids) this.outbox.markDead(id, out.error);
        this.log(`alerts: ${t.name}: gave up on a message after ${attempts} attempts (${out.error})`);
      } else {
        const backoff = Math.min(300_000, 1000 * 2 ** Math.min(12, attempts - 1)) * (0.8 + Math.random() * 0.4);
        for (const id of ids) this.outbox.retryAt(id, now + backoff, out.error);
      }
      return;
    }
    t.failed += Math.max(1, ids.length);
    for (const id of ids) this.outbox.markDead(id, out.error);
    this.log(`alerts: ${t.name}: message refused (${out.error})`);
  }

  private refreshQueued(): void {
    try {
      this.queuedCache = this.outbox.queued();
    } catch {
      /* the health view keeps the last counts */
    }
  }

  private secrets(): Secret[] {
    return [...(this.cfg.telegram ? [this.cfg.telegram.token] : []), ...this.cfg.webhooks];
  }

  health(): AlertsHealth {
    this.refreshQueued();
    const tg = this.telegram?.health;
    const channels = this.targets.map((t) => ({
      name: t.name,
      connected: t.kind === 'telegram' ? !!tg?.connected : t.connected,
      lastSentAt: t.lastSentAt,
      queued: (this.queuedCache.get(t.id) ?? 0) + t.memory.length,
      failed: t.failed,
      lastError: t.kind === 'telegram' ? t.lastError || tg?.lastError || '' : t.lastError,
    }));
    return {
      channels,
      suppressed: this.deduper.suppressedTotal,
      dropped: this.dropped,
      queued: channels.reduce((s, c) => s + c.queued, 0) + this.inbox.length,
      strangers: this.remote?.ignoredStrangers ?? 0,
    };
  }
}
