// EngineStore: owns the engine, publishes immutable per-pane snapshots on a
// fixed timer (default 5 Hz) — never per market message — keeps object identity
// for panes that did not change, and carries out (and audits) operator actions.
import { sanitize } from '../src/text/sanitize.js';
import type { Engine } from '../src/engine.js';
import type { App } from '../src/app.js';
import { AuditLog } from '../src/persist/audit-log.js';
import type { AlertsHealth } from '../src/alerts/index.js';
import { PRICE_SCALE } from '../src/protocol/units.js';
import { marketUrl } from '../src/protocol/market-url.js';
import type { CatalogMarket } from '../src/protocol/gamma.js';
import { EMPTY_SNAPSHOT, type AlertsStatus, type ClusterPaneRow, type DepthView, type IncidentRow, type LivePane, type OfiPaneRow, type PortfolioPane, type ScorerPane, type ShardRow, type SignalPaneRow, type Snapshot, type StatusPane, type StoreActions, type StoreLike } from './snapshot.js';
import { systemWall, type WallNow } from '../src/clock.js';

export interface EngineStoreOptions {
  hz?: number;
  now?: WallNow;
  notice?: string;
}

const HISTORY = 30;

export class EngineStore implements StoreLike {
  private snapshot: Snapshot = EMPTY_SNAPSHOT;
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private lastAt = 0;
  private lastMsgs = new Map<number, number>();
  private readonly history = new Map<number, number[]>();
  /** A market's page, per catalog object (a catalog update brings a new object). */
  private readonly urlOf = new WeakMap<CatalogMarket, string>();
  private readonly now: WallNow;
  private readonly audit: AuditLog;
  readonly actions: StoreActions;
  notice: string;
  /** Called when the operator quits (the UI runner sets it). */
  onQuit: (() => void) | undefined;

  readonly engine: Engine;

  constructor(
    readonly app: App,
    private readonly opts: EngineStoreOptions = {},
  ) {
    this.engine = app.engine;
    this.now = opts.now ?? systemWall;
    this.notice = opts.notice ?? '';
    this.audit = new AuditLog(app.engine.db, this.now);
    this.actions = {
      togglePause: () => {
        const was = this.engine.paused;
        if (was) this.engine.resume();
        else this.engine.pause();
        this.audit.record('pause', was ? 'PAUSED' : 'RUNNING', was ? 'RUNNING' : 'PAUSED');
        this.afterAction();
        return was ? 'running: scan, arbitrage and paper decide again' : 'paused: no new decisions (books stay fresh)';
      },
      quit: () => {
        this.audit.record('quit', null, null);
        this.onQuit?.();
      },
      batchSize: (dir) => {
        const before = this.app.scan.planner.state().baseBatchSize;
        const after = this.app.scan.planner.stepBatchSize(dir);
        if (after !== before) this.audit.record('batch_size', before, after);
        this.afterAction();
        return limitMessage('batch', String(after), after === before, dir);
      },
      interval: (dir) => {
        const before = this.app.scan.planner.state().baseIntervalMs;
        const after = this.app.scan.planner.stepInterval(dir);
        if (after !== before) this.audit.record('scan_interval_ms', before, after);
        this.afterAction();
        return limitMessage('interval', `${Math.round(after / 1000)} s`, after === before, dir);
      },
      togglePaper: () => {
        const t = this.app.paper.trader;
        const was = t.enabled;
        t.toggle();
        this.audit.record('paper', was ? 'ON' : 'OFF', t.enabled ? 'ON' : 'OFF');
        // The gate column must say so at once, not a cycle later.
        this.app.queue.regate();
        this.afterAction();
        if (this.app.live) return t.enabled ? 'LIVE trading ON: orders that pass the gates go to the venue' : 'LIVE trading OFF: nothing will be sent';
        return t.enabled ? 'paper trading ON' : 'paper trading OFF: nothing will execute';
      },
      halt: () => {
        const t = this.app.paper.trader;
        const was = t.breakerView().state;
        t.halt('operator (x)', this.engine.now());
        // Live: persisted halt, cancel-all, heartbeat stopped (the session does all three).
        if (this.app.live) void this.app.live.halt('operator (x)');
        this.audit.record('halt', was, t.breakerView().state);
        this.app.queue.regate();
        this.afterAction();
        return 'HALTED: no new orders; resting orders cancelled (R to resume)';
      },
      resume: () => {
        // A live halt is saved and lifted only at start-up by the operator (--clear-halt): never by a key or a remote command.
        const liveHalt = this.app.live?.halted;
        if (liveHalt) return sanitize(`resume refused: live trading is HALTED (${liveHalt}); restart with --trade-live --clear-halt`, 300);
        const t = this.app.paper.trader;
        const was = t.breakerView().state;
        const asked = t.requestResume(this.engine.now());
        const done = asked.ok ? t.confirmResume(this.engine.now()) : asked;
        this.audit.record('resume', was, t.breakerView().state, done.reason);
        this.app.queue.regate();
        this.afterAction();
        return done.ok ? 'resumed: breaker ARMED' : `resume refused: ${done.reason}`;
      },
      execute: (key) => {
        // Paused means no decisions, the operator's included: the gates are not being re-decided.
        if (this.engine.paused) return 'paused: nothing executed (p resumes)';
        const item = this.app.queue.get(key);
        const row = item ? this.app.paper.row(item) : undefined;
        if (!row) return 'that row cannot be traded (it left the queue or is informational)';
        if (!this.engine.dbHealth.ok) return sanitize(`refused: ${this.engine.dbHealth.error} — paper trading halted`, 300);
        const r = this.app.paper.trader.execute(row, this.engine.now());
        const message = sanitize(`${r.status}${r.reason ? `: ${r.reason}` : ''}`, 300);
        this.audit.record('execute', null, key, message);
        this.afterAction();
        return message;
      },
    };
    // The very first frame already tells the truth (source, PAPER state, breaker):
    // never the placeholder snapshot.
    this.publish();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): Snapshot => this.snapshot;

  depth = (token: string, levels: number): DepthView | undefined => {
    const book = this.engine.books.get(token);
    if (!book) return undefined;
    const lv = (side: 'BUY' | 'SELL') => book.top(side, levels).map((l) => ({ price: l.price / PRICE_SCALE, size: l.size }));
    return {
      state: book.state,
      bids: lv('BUY'),
      asks: lv('SELL'),
      ...(book.lastTradePrice !== undefined ? { lastTrade: book.lastTradePrice / PRICE_SCALE } : {}),
      ageMs: Math.max(0, this.now() - book.receivedAt),
    };
  };

  /** The live session's own view, copied with every venue string sanitised (the session computes it; the store only copies). */
  private liveView(tradingOn: boolean): LivePane | undefined {
    const l = this.app.live;
    if (!l) return undefined;
    const v = l.view(30);
    return {
      ...v,
      tradingOn,
      venue: sanitize(v.venue, 120),
      halted: v.halted === null ? null : sanitize(v.halted, 300),
      orders: v.orders.map((o) => ({ ...o, hash: sanitize(o.hash, 80), state: sanitize(o.state, 40), refusal: sanitize(o.refusal, 200), tokenId: sanitize(o.tokenId, 100) })),
      fills: v.fills.map((f) => ({ ...f, tradeId: sanitize(f.tradeId, 80), settlement: sanitize(f.settlement, 20), tokenId: sanitize(f.tokenId, 100) })),
      refusals: v.refusals.map((r) => ({ ts: r.ts, text: sanitize(r.text, 200) })),
      account: {
        ...v.account,
        unknown: v.account.unknown === null ? null : sanitize(v.account.unknown, 200),
        positions: v.account.positions.map((x) => {
          const info = this.app.paper.trader.marketInfo(x.tokenId);
          return { ...x, tokenId: sanitize(x.tokenId, 100), question: sanitize(info?.question ?? x.tokenId, 200), outcome: sanitize(info?.outcome ?? '?', 24) };
        }),
      },
    };
  }

  /** Market id → polymarket.com page, for the markets on screen (no entry without a usable slug). */
  private links(ids: readonly string[]): Record<string, string> {
    const out: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const id of ids) {
      if (Object.hasOwn(out, id)) continue;
      const m = this.engine.catalog.markets.get(id);
      if (!m) continue;
      let url = this.urlOf.get(m);
      if (url === undefined) this.urlOf.set(m, (url = marketUrl(m)));
      if (url) out[id] = url;
    }
    return out;
  }

  /** The terminal hung up (SSH drop): audited like a quit, then the same clean shutdown. */
  hangup(): void {
    this.audit.record('hangup', null, null, 'SIGHUP: the terminal went away');
    this.onQuit?.();
  }

  start(): void {
    const hz = Math.min(20, Math.max(1, this.opts.hz ?? 5));
    this.lastAt = this.now();
    this.publish();
    this.timer = setInterval(() => this.publish(), 1000 / hz);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** An operator action changed state between cycles: the views recompute now, not a cycle later. */
  private afterAction(): void {
    this.app.views.invalidate();
    this.publish();
  }

  /** Builds the next snapshot from the engine's plain state and notifies once. */
  publish(): void {
    const now = this.now();
    const dt = Math.max(0.001, (now - this.lastAt) / 1000);
    this.lastAt = now;
    const s = this.engine.stats();
    const shards: ShardRow[] = s.shards.map((sh) => {
      const rate = Math.max(0, (sh.msgs - (this.lastMsgs.get(sh.id) ?? sh.msgs)) / dt);
      this.lastMsgs.set(sh.id, sh.msgs);
      let h = this.history.get(sh.id);
      if (!h) this.history.set(sh.id, (h = []));
      h.push(Math.round(rate));
      if (h.length > HISTORY) h.shift();
      return { id: sh.id, state: sh.state, assets: sh.assets, msgsPerSec: Math.round(rate), history: [...h], lastMsgAgeMs: sh.lastMsgAgeMs, reconnects: sh.reconnects, gaps: sh.gaps, staleBooks: sh.staleBooks, reason: sanitize(sh.reason, 200) };
    });
    // The header's msg/s is the Shards pane's column summed: one unit (WebSocket
    // messages), one window. Counting decoded events instead (a book snapshot
    // frame carries hundreds) made the header read 100× the column.
    const msgsPerSec = shards.reduce((n, r) => n + r.msgsPerSec, 0);
    const status: StatusPane = {
      source: s.source,
      run: s.paused ? 'PAUSED' : 'RUNNING',
      phase: s.phase,
      line: sanitize(s.statusLine, 400),
      msgsPerSec,
      books: s.books,
      rejected: s.messages.rejected,
      budgetLeft: Math.round(s.rest.budgetLeft * 100) / 100,
      catalog: { markets: s.catalog.markets, pages: s.catalog.pages, phase: s.catalog.phase },
      overload: s.overload,
      pool: s.pool,
      clock: new Date(now).toISOString().slice(11, 19),
      notice: sanitize(this.notice, 400),
      scan: (() => {
        const p = this.app.scan.planner.state();
        return { batchSize: p.batchSize, intervalMs: p.intervalMs, stopReason: sanitize(p.stopReason, 200), line: sanitize(p.line, 200), batches: this.app.scan.batches };
      })(),
      arbs: this.app.arb.stats().open,
      screen: (() => {
        const f = this.app.screen?.figures(now);
        return f ? { streamed: f.streamed, screened: f.screened, universe: f.universe, candidates: f.candidates, promoted: f.promoted, ageMs: f.ageMs, budgetPer10s: f.budgetPer10s } : null;
      })(),
      validation: this.app.scan.validationProgress,
    };
    if (this.app.alerts) status.alerts = alertsStatus(this.app.alerts.health(), now);
    status.scorer = scorerPane(this.app);
    // Each pane's rows were computed once this cycle by the subsystem that acts
    // on them (app.views); the store only sanitises network text and publishes.
    const v = this.app.views;
    const clusters: ClusterPaneRow[] = v.clusters().map((c) => ({ ...c, summary: sanitize(c.summary, 200) }));
    const signals: SignalPaneRow[] = v.signals(now).map(sanitizeSignalRow);
    const pp = v.portfolio();
    const portfolio: PortfolioPane = {
      ...pp,
      positions: pp.positions.map((p) => ({ ...p, question: sanitize(p.question, 300), outcome: sanitize(p.outcome, 60) })),
      breaker: { ...pp.breaker, reason: sanitize(pp.breaker.reason, 200) },
      lastFill: sanitize(pp.lastFill, 300),
      blotter: pp.blotter.map((b) => ({ ...b, outcome: sanitize(b.outcome, 60), why: sanitize(b.why, 300) })),
    };
    const ofi: OfiPaneRow[] = v.ofi(now).map((r) => ({ ...r, question: sanitize(r.question, 300) }));
    const incidents: IncidentRow[] = v.incidents().map((i) => ({ ...i, detail: sanitize(i.detail, 300) }));
    const live = this.liveView(pp.enabled);
    const links = this.links([...signals.flatMap((r) => r.marketIds), ...ofi.map((r) => r.marketId), ...portfolio.positions.map((p) => p.marketId)]);
    const prev = this.snapshot;
    const next: Snapshot = {
      seq: prev.seq + 1,
      status: same(prev.status, status) ? prev.status : status,
      shards: same(prev.shards, shards) ? prev.shards : shards,
      incidents: same(prev.incidents, incidents) ? prev.incidents : incidents,
      clusters: same(prev.clusters, clusters) ? prev.clusters : clusters,
      signals: same(prev.signals, signals) ? prev.signals : signals,
      ofi: same(prev.ofi, ofi) ? prev.ofi : ofi,
      portfolio: same(prev.portfolio, portfolio) ? prev.portfolio : portfolio,
      links: same(prev.links, links) ? prev.links : links,
    };
    if (live) next.live = prev.live && same(prev.live, live) ? prev.live : live;
    this.snapshot = next;
    for (const l of this.listeners) l();
  }
}

function scorerPane(app: App): ScorerPane {
  const st = app.scorer.status();
  const m = st.model;
  return {
    verdict: st.verdict,
    note: sanitize(st.note, 300),
    brierSkill: st.brierSkill === null ? null : round4(st.brierSkill),
    brierSkillCi: st.brierSkillCi && [round4(st.brierSkillCi[0]), round4(st.brierSkillCi[1])],
    events: st.events,
    hash: m.hash ?? null,
    // Whole seconds: the header must not change at 5 Hz for a clock's sake.
    ageMs: m.ageMs === undefined ? null : Math.floor(m.ageMs / 1000) * 1000,
    expired: m.expired,
    trainedRows: m.trainedRows,
    rows: m.rows,
    training: m.training,
    retrains: m.retrains,
    liveOutcomes: st.liveOutcomes,
  };
}

function sanitizeSignalRow(r: SignalPaneRow): SignalPaneRow {
  const row: SignalPaneRow = { ...r, label: sanitize(r.label, 120), question: sanitize(r.question, 300), gate: sanitize(r.gate, 300), reasoning: sanitize(r.reasoning, 1000) };
  if (r.legs) row.legs = r.legs.map((l) => ({ ...l, outcome: sanitize(l.outcome, 60) }));
  if (r.kelly !== undefined) row.kelly = sanitize(r.kelly, 600);
  if (r.category !== undefined) row.category = sanitize(r.category, 60);
  if (r.fair) row.fair = { ...r.fair, line: sanitize(r.fair.line, 200), explain: sanitize(r.fair.explain, 600), source: sanitize(r.fair.source, 300) };
  if (r.model) row.model = { ...r.model, note: sanitize(r.model.note, 300) };
  if (r.weight) row.weight = { ...r.weight, arithmetic: sanitize(r.weight.arithmetic, 600) };
  return row;
}

function alertsStatus(h: AlertsHealth, now: number): AlertsStatus {
  const last = Math.max(0, ...h.channels.map((c) => c.lastSentAt));
  return {
    channels: h.channels.length,
    connected: h.channels.filter((c) => c.connected).length,
    lastSentAgoSec: last ? Math.max(0, Math.round((now - last) / 1000)) : -1,
    queued: h.queued,
    suppressed: h.suppressed,
    failed: h.channels.reduce((s, c) => s + c.failed, 0),
    lastError: h.channels.find((c) => c.lastError)?.lastError ?? '',
  };
}

/** "batch 300 (max)": a key at its limit says so instead of doing nothing silently. */
function limitMessage(what: string, value: string, unchanged: boolean, dir: 1 | -1): string {
  return unchanged ? `${what} ${value} (${dir > 0 ? 'max' : 'min'})` : `${what} ${value}`;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** Structural equality for small plain panes (cheap at 5 Hz). */
function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
