// The composition root: one engine with its plugins (scan loop, arbitrage; and
// as they land, signals and paper trading) and the queue they share.
import { PaneViews } from './plugins/pane-views.js';
import type { Engine } from './engine.js';
import { ArbLoop } from './plugins/arb-loop.js';
import { SignalQueue, type QueueItem } from './plugins/queue.js';
import { ScanLoop } from './plugins/scan-loop.js';
import { SignalsLoop } from './plugins/signals-loop.js';
import { PaperLoop } from './plugins/paper-loop.js';
import type { PaperConfigInput } from './paper/index.js';
import { SnapshotCollector } from './backtest/index.js';
import { SignalsRepo } from './persist/signals-repo.js';
import { toJsonLine, type ArbOpportunity, type ArbOptions } from './arb/index.js';
import { Alerts } from './alerts/index.js';
import { ScreenLoop, type ScreenLoopOptions } from './screen/screen-loop.js';
import type { AlertsConfig } from './alerts/service.js';
import { RefDataLoop, type RefDataLoopOptions } from './plugins/refdata-loop.js';
import { ScorerLoop, type ScorerLoopOptions } from './plugins/scorer-loop.js';
import type { LiveSession } from './plugins/live-session.js';

export interface AppOptions {
  batchSize?: number;
  intervalMs?: number;
  /** Headless JSON lines (signals, arbitrage); undefined with the UI. */
  emit?: (line: string) => void;
  arb?: Partial<ArbOptions>;
  paper?: PaperConfigInput;
  /** Hourly snapshots of the top markets and every resolution into SQLite (off in replay). */
  collector?: boolean;
  /** Alerts and remote control (Telegram, webhooks), when any channel is configured. */
  alerts?: { config: AlertsConfig; arbEdge?: number };
  /** Crypto fair value from reference data (provider URLs); undefined: off. */
  refdata?: Omit<RefDataLoopOptions, 'onSignal'>;
  /** The whole-market price screen (off in replay: a recording holds no screen answers). */
  screen?: false | Partial<ScreenLoopOptions>;
  /** The learned scorer (retrain cadence, thresholds). */
  scorer?: ScorerLoopOptions;
}

export class App {
  readonly queue = new SignalQueue();
  readonly signalsRepo: SignalsRepo;
  readonly scan: ScanLoop;
  readonly arb: ArbLoop;
  readonly signals: SignalsLoop;
  readonly paper: PaperLoop;
  readonly collector: SnapshotCollector | undefined;
  readonly alerts: Alerts | undefined;
  readonly refdata: RefDataLoop | undefined;
  readonly screen: ScreenLoop | undefined;
  readonly scorer: ScorerLoop;
  /** Live trading, when started with --trade-live and confirmed at the terminal (never otherwise). */
  live: LiveSession | undefined;
  /** Per-pane views computed once per engine cycle; the store reads them. */
  readonly views: PaneViews = new PaneViews(this);

  constructor(
    readonly engine: Engine,
    opts: AppOptions = {},
  ) {
    this.signalsRepo = new SignalsRepo(engine.db);
    this.signals = new SignalsLoop(engine, this.queue);
    engine.use(this.signals);
    const emit = opts.emit;
    this.scan = new ScanLoop(engine, this.queue, this.signalsRepo, {
      ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
      ...(opts.intervalMs ? { intervalMs: opts.intervalMs } : {}),
      ...(emit ? { onSignal: (it: QueueItem) => emit(signalJson(it)) } : {}),
    });
    this.arb = new ArbLoop(engine, this.queue, this.signalsRepo, emit ? (o: ArbOpportunity) => emit(toJsonLine(o)) : undefined, opts.arb);
    engine.use(this.scan);
    engine.use(this.arb);
    // Fair values and their FAIR_VALUE rows land before the paper desk's cycle, like the scan's.
    this.refdata = opts.refdata ? new RefDataLoop(engine, this.queue, { ...opts.refdata, ...(emit ? { onSignal: (it: QueueItem) => emit(signalJson(it)) } : {}) }) : undefined;
    if (this.refdata) engine.use(this.refdata);
    this.screen = opts.screen === false ? undefined : new ScreenLoop(engine, this.arb, this.queue, opts.screen ?? {});
    if (this.screen) {
      engine.use(this.screen);
      const screen = this.screen;
      this.scan.screenPrices = (m) => screen.withScreenPrices(m, engine.now());
    }
    // The scorer annotates and weighs the cycle's rows before the paper desk ranks them.
    this.scorer = new ScorerLoop(engine, this.queue, this.signals.hub, { ...opts.scorer, fairOf: (id) => this.refdata?.fair.get(id)?.fair });
    engine.use(this.scorer);
    // Paper runs after the books, signals, scan and arbitrage of the same cycle.
    this.paper = new PaperLoop(engine, this.queue, this.arb, { ...(opts.paper ? { config: opts.paper } : {}), ...(emit ? { emit, onRegate: (it: QueueItem) => emit(signalJson(it)) } : {}) });
    engine.use(this.paper);
    if (opts.collector !== false) {
      const c = new SnapshotCollector(engine.db, engine.rest, { gamma: engine.source.gammaUrl, clob: engine.source.clobUrl });
      engine.checkpoints.register(c);
      // On the venue's clock (hourly in market time); never awaited: it paces its own requests.
      engine.use({ name: c.name, cycle: () => void c.tick(engine.venueNow()) });
      this.collector = c;
    } else this.collector = undefined;
    // Watches the engine on its own timer; started by the runner (UI or headless).
    this.alerts = opts.alerts && (opts.alerts.config.telegram || opts.alerts.config.webhooks.length) ? new Alerts(this, opts.alerts.config, opts.alerts.arbEdge) : undefined;
  }
}

/**
 * One headless `signal` line: the same tier, edge, size, verdict and gate the
 * console shows. Edge is null and size 0 when there is nothing the engine would
 * act on (an unproven or rejected strategy, or a blocked row).
 */
export function signalJson(it: QueueItem): string {
  return JSON.stringify(signalView(it));
}

export function signalView(it: QueueItem): Record<string, unknown> {
  return {
    type: 'signal',
    key: it.key,
    kind: it.kind,
    label: it.label,
    tier: it.tier,
    verdict: it.kind === 'strategy' ? (it.verdict ?? 'UNPROVEN') : it.kind === 'arb' ? 'ARBITRAGE' : 'INFORMATIONAL',
    marketIds: it.marketIds,
    side: it.side,
    entry: it.entry ?? null,
    edge: it.edge === undefined ? null : Math.round(it.edge * 1e6) / 1e6,
    size: it.exec?.shares ?? 0,
    confidence: it.confidence,
    gate: it.gate,
    reason: it.reasoning,
  };
}
