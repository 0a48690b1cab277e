// Per-pane views, each computed by the subsystem that acts on it and at most
// once per engine cycle: the store reads them (at 5 Hz) and only sanitises and
// publishes. A view is recomputed when a cycle completes, or when an operator
// action changed state between cycles (`invalidate`), so the gate column says
// "paused" or "HALTED" at once rather than a cycle later.
import type { ClusterPaneRow, IncidentRow, OfiPaneRow, PortfolioPane, SignalPaneRow } from '../../store/snapshot.js';
import type { App } from '../app.js';
import { ofiPaneRows } from '../signals/ofi-pane.js';
import { portfolioView } from '../paper/portfolio-view.js';
import { signalPaneRows } from './queue-view.js';

type ViewName = 'ofi' | 'signals' | 'portfolio' | 'clusters' | 'incidents';

export class PaneViews {
  private epoch = 0;
  private readonly cache = new Map<ViewName, { key: string; value: unknown }>();
  /** How many times each view was computed (the store must not compute them itself). */
  readonly computed: Record<ViewName, number> = { ofi: 0, signals: 0, portfolio: 0, clusters: 0, incidents: 0 };

  constructor(private readonly app: App) {}

  /** State changed between cycles (an operator action): the next read recomputes. */
  invalidate(): void {
    this.epoch++;
  }

  /** Signals hub: the top 40 tokens by flow, each with its market's micro score. */
  ofi(now: number): OfiPaneRow[] {
    const e = this.app.engine;
    return this.view('ofi', () => ofiPaneRows(this.app.signals.hub, e.catalog.markets, e.phase === 'streaming', 40, now));
  }

  /** Signal queue: the top 100 ranked rows with their gates, OFI and fair values. */
  signals(now: number): SignalPaneRow[] {
    return this.view('signals', () => signalPaneRows(this.app, 100, now));
  }

  /** Paper desk: cash, marked positions, breaker, blotter. */
  portfolio(): PortfolioPane {
    return this.view('portfolio', () => portfolioView(this.app.paper.trader));
  }

  /** Scan: the 50 largest clusters, each with the markets its latest batch listed. */
  clusters(): ClusterPaneRow[] {
    const scan = this.app.scan;
    return this.view('clusters', () =>
      scan.clusters.slice(0, 50).map((c) => {
        const row: ClusterPaneRow = { id: c.id, category: c.category, count: c.count, summary: c.summary, confidence: c.confidence, kind: c.kind, unique: c.unique };
        const list = scan.clusterMarkets.get(c.id);
        if (list) {
          row.rule = list.rule;
          row.markets = list.markets.map((m) => ({ id: m.id, question: m.question, outcome: m.outcome, ...(m.price !== undefined ? { price: m.price } : {}), tie: m.tie, confidence: m.confidence, url: m.url }));
          row.more = list.more;
          row.scannedAt = new Date(list.at).toISOString().slice(11, 19);
        }
        return row;
      }),
    );
  }

  /** Engine: the 20 most recent feed incidents. */
  incidents(): IncidentRow[] {
    return this.view('incidents', () =>
      this.app.engine.incidents.recent.slice(-20).map((i) => ({
        shard: i.shard,
        kind: i.kind,
        start: new Date(i.startMs).toISOString().slice(11, 19),
        durationMs: i.endMs !== undefined ? i.endMs - i.startMs : null,
        detail: i.detail ?? '',
      })),
    );
  }

  private view<T>(name: ViewName, compute: () => T): T {
    const key = `${this.app.engine.cyclesDone}:${this.epoch}`;
    const hit = this.cache.get(name);
    if (hit && hit.key === key) return hit.value as T;
    const value = compute();
    this.computed[name]++;
    this.cache.set(name, { key, value });
    return value;
  }
}
