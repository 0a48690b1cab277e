// Turns what the engine already records into alert events, once a second on
// its own timer (so a paused engine still reports halts and feed incidents):
// new AUTO-TRADE/ALERT signals and arbitrage above a threshold from the queue,
// fills and settlements by tailing their tables (the watermark is saved in the
// same transaction as the outbox rows, so a crash neither loses nor repeats
// one), breaker transitions, feed incidents, and the daily summary.
import type { App } from '../app.js';
import { PRICE_SCALE } from '../protocol/units.js';
import { arbEvent, dailyEvent, feedEvent, fillEvent, haltEvent, settlementEvent, signalEvent } from './events.js';
import type { AlertService } from './service.js';
import { PaperTail } from '../persist/paper-repo.js';

export interface WatchOptions {
  /** Arbitrage alerts at or above this edge per set, dollars. */
  arbEdge: number;
  everyMs: number;
  /** Lines of the daily summary (the store's /profit text). */
  daily?: () => string[];
}

const SEEN_MS = 6 * 3_600_000;

export class AlertWatcher {
  private timer: NodeJS.Timeout | undefined;
  private readonly seen = new Map<string, number>();
  private breaker: string | undefined;
  private incidents = -1;
  private readonly tailOf: PaperTail;

  constructor(
    private readonly app: App,
    private readonly alerts: AlertService,
    private readonly opts: WatchOptions = { arbEdge: 0.02, everyMs: 1000 },
  ) {
    const db = app.engine.db;
    // A new database (or one from before alerts) starts at the current end of each table.
    this.tailOf = new PaperTail(db);
    for (const table of ['fills', 'settlements'] as const) {
      const name = `watermark:${table}`;
      if (this.alerts.outbox.getState(name) === undefined) {
        const max = this.tailOf.lastId(table);
        this.alerts.outbox.setState(name, String(max));
      }
    }
  }

  start(): void {
    this.timer = setInterval(() => {
      try {
        this.check(this.alerts.now());
      } catch (err) {
        this.alerts.dbWriteFailed('alert watcher', err);
      }
    }, this.opts.everyMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  check(now: number): void {
    this.signals(now);
    this.tail(now);
    this.breakerState(now);
    this.feed(now);
    this.daily(now);
  }

  private signals(now: number): void {
    for (const [k, at] of this.seen) if (now - at > SEEN_MS) this.seen.delete(k);
    for (const q of this.app.queue.ranked(200)) {
      const isSignal = q.kind === 'strategy' && (q.tier === 'AUTO-TRADE' || q.tier === 'ALERT');
      const isArb = q.kind === 'arb' && (q.edge ?? 0) >= this.opts.arbEdge;
      if (!isSignal && !isArb) continue;
      if (this.seen.has(q.key)) continue;
      this.seen.set(q.key, now);
      const ev = isSignal ? signalEvent(q, now) : arbEvent({ key: q.key, label: q.label, question: q.question, edge: q.edge ?? 0, ...(q.size !== undefined ? { size: q.size } : {}), marketIds: q.marketIds }, now);
      // Already sent before a restart: not again.
      if (this.alerts.outbox.hasKeySince(ev.key, now - SEEN_MS)) continue;
      this.alerts.emit(ev);
    }
  }

  private tail(now: number): void {
    const fillsFrom = Number(this.alerts.outbox.getState('watermark:fills') ?? 0);
    const fills = this.tailOf.fillsAfter(fillsFrom, 200);
    for (const f of fills) {
      const info = this.app.paper.trader.marketInfo(f.token_id);
      this.alerts.emit(fillEvent({ id: f.id, tokenId: f.token_id, side: f.side, price: f.price / PRICE_SCALE, size: f.size, feeMicros: f.fee_micros, ...(info ? { question: `${info.question} — ${info.outcome}` } : {}) }, now), { 'watermark:fills': String(f.id) });
    }
    const setFrom = Number(this.alerts.outbox.getState('watermark:settlements') ?? 0);
    const settled = this.tailOf.settlementsAfter(setFrom, 200);
    for (const s of settled) this.alerts.emit(settlementEvent({ id: s.id, marketId: s.market_id, shares: s.shares, payoutMicros: s.payout_micros, realizedMicros: s.realized_micros }, now), { 'watermark:settlements': String(s.id) });
    // The watermarks only move when the outbox commits; until then the same rows are read again.
    if (fills.length || settled.length) this.alerts.flush();
  }

  private breakerState(now: number): void {
    const v = this.app.paper.trader.breakerView();
    const prev = this.breaker;
    this.breaker = v.state;
    if (prev === undefined || prev === v.state) return;
    if (v.state === 'HALTED') this.alerts.emit(haltEvent('HALTED', v.reason || 'halted', now));
    else if (v.state === 'ARMED' && prev !== 'ARMED') this.alerts.emit({ ...haltEvent('ARMED', 'trading resumed', now), severity: 'warn' });
  }

  private feed(now: number): void {
    const inc = this.app.engine.incidents;
    if (this.incidents < 0) {
      this.incidents = inc.total;
      return;
    }
    const fresh = Math.min(inc.total - this.incidents, inc.recent.length);
    this.incidents = inc.total;
    for (const i of inc.recent.slice(inc.recent.length - fresh)) this.alerts.emit(feedEvent(i, now));
  }

  private daily(now: number): void {
    const day = new Date(now).toISOString().slice(0, 10);
    const last = this.alerts.outbox.getState('daily');
    if (last === day) return;
    if (last === undefined) {
      this.alerts.outbox.setState('daily', day);
      return;
    }
    const lines = this.opts.daily?.() ?? [];
    this.alerts.emit(dailyEvent(last, lines, now), { daily: day });
  }
}
