// Without a TTY (or with --headless) the console runs the engine with no UI and
// writes JSON lines: a status line every N seconds and, last, one summary
// object whose keys stay stable as issues add more.
import type { App } from './app.js';
import type { Simulator } from './sim/simulator.js';

export interface Summary {
  type: 'summary';
  source: string;
  phase: string;
  status: string;
  shards: { id: number; state: string; assets: number; msgs: number; reconnects: number; gaps: number; staleBooks: number; resubscribes: number }[];
  pool: { targetSize: number; splits: number; awaitingFirstEvent: number };
  books: { total: number; fresh: number; stale: number; outOfSync: number };
  messages: { received: number; rejected: number; rejectedFrames: number; shedFrames: number; overloads: number };
  catalog: { markets: number; rejected: number };
  incidents: number;
  clusters: number;
  signals: { count: number; top: { rank: number; kind: string; label: string; tier: string; verdict?: string; marketIds: string[]; side: string; entry?: number; edge?: number; gate: string }[] };
  arbs: number;
  ofi: unknown[];
  paper: unknown;
  /** Alert channels' health (absent when no channel is configured). */
  alerts?: unknown;
  sim?: Record<string, unknown>;
}

export function summarize(app: App, sim: Simulator | undefined): Summary {
  const engine = app.engine;
  const s = engine.stats();
  const out: Summary = {
    type: 'summary',
    source: s.source,
    phase: s.phase,
    status: s.statusLine,
    shards: s.shards.map((sh) => ({ id: sh.id, state: sh.state, assets: sh.assets, msgs: sh.msgs, reconnects: sh.reconnects, gaps: sh.gaps, staleBooks: sh.staleBooks, resubscribes: sh.resubscribes })),
    pool: s.pool,
    books: { total: s.books.total, fresh: s.books.fresh, stale: s.books.stale, outOfSync: s.books.outOfSync },
    messages: { received: s.messages.received, rejected: s.messages.rejected, rejectedFrames: s.messages.rejectedFrames, shedFrames: s.messages.shedFrames, overloads: s.messages.overloads },
    catalog: { markets: s.catalog.markets, rejected: s.catalog.rejected },
    incidents: engine.incidents.total,
    clusters: app.scan.clusterIndex.size,
    signals: {
      count: app.queue.size,
      top: app.queue.ranked(10).map((q, i) => {
        const row: Summary['signals']['top'][number] = { rank: i + 1, kind: q.kind, label: q.label, tier: q.tier, marketIds: q.marketIds, side: q.side, gate: q.gate };
        if (q.verdict) row.verdict = q.verdict;
        if (q.entry !== undefined) row.entry = q.entry;
        if (q.edge !== undefined) row.edge = Math.round(q.edge * 1e6) / 1e6;
        return row;
      }),
    },
    arbs: app.arb.reported,
    ofi: app.signals.hub.top(10, engine.now()),
    paper: app.paper.trader.summary(),
  };
  if (app.alerts) out.alerts = app.alerts.health();
  if (sim) out.sim = sim.stats();
  return out;
}

export interface HeadlessOptions {
  durationSec?: number;
  statusEverySec: number;
  write?: (line: string) => void;
}

/** Runs until the duration ends or a signal arrives; resolves after the summary line is written. */
export async function runHeadless(app: App, sim: Simulator | undefined, opts: HeadlessOptions, shutdown: () => Promise<void>): Promise<void> {
  const engine = app.engine;
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  let last = { received: 0, at: Date.now() };
  const status = setInterval(() => {
    const s = engine.stats();
    const now = Date.now();
    const rate = Math.round(((s.messages.received - last.received) * 1000) / Math.max(1, now - last.at));
    last = { received: s.messages.received, at: now };
    write(JSON.stringify({ type: 'status', t: new Date(now).toISOString(), phase: s.phase, msgsPerSec: rate, books: s.books, shards: s.shards.length, rejected: s.messages.rejected, status: s.statusLine }));
  }, opts.statusEverySec * 1000);
  void engine.start();
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    if (opts.durationSec) setTimeout(done, opts.durationSec * 1000);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    // An SSH drop under a headless run: the same clean shutdown (checkpoint, summary).
    process.once('SIGHUP', done);
  });
  clearInterval(status);
  const summary = summarize(app, sim);
  await shutdown();
  write(JSON.stringify(summary));
}
