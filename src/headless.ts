// Without a TTY (or with --headless) the console runs the engine with no UI and
// writes JSON lines: a status line every N seconds and, last, one summary
// object whose keys stay stable as issues add more.
import { sanitize } from './text/sanitize.js';
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
  /** Whether SQLite took every write (failures are counted, never fatal). */
  db: { ok: boolean; error: string; failures: number };
  /** Crypto fair value: markets mapped/priced/neutral, reference-data calls per endpoint, FAIR_VALUE's verdict. */
  refdata?: unknown;
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
        const row: Summary['signals']['top'][number] = { rank: i + 1, kind: q.kind, label: sanitize(q.label, 120), tier: q.tier, marketIds: q.marketIds, side: q.side, gate: q.gate };
        if (q.verdict) row.verdict = q.verdict;
        if (q.entry !== undefined) row.entry = q.entry;
        if (q.edge !== undefined) row.edge = Math.round(q.edge * 1e6) / 1e6;
        return row;
      }),
    },
    arbs: app.arb.reported,
    ofi: app.signals.hub.top(10, engine.now()),
    paper: app.paper.trader.summary(),
    db: { ok: engine.dbHealth.ok, error: engine.dbHealth.error, failures: engine.dbHealth.failures },
  };
  if (app.alerts) out.alerts = app.alerts.health();
  if (app.refdata) out.refdata = { ...app.refdata.stats(), refreshes: app.refdata.refreshes, startLookups: app.refdata.startLookups };
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
  let last = { received: 0, at: engine.now() };
  const status = setInterval(() => {
    const s = engine.stats();
    const now = engine.now();
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
  try {
    await shutdown();
  } catch (err) {
    // The summary is written whatever shutting down met (a full disk, a lost lock).
    summary.db = { ok: false, error: sanitize(`shutdown: ${(err as Error).message}`, 200), failures: engine.dbHealth.failures + 1 };
  }
  // Written after shutdown, so it reports the last flush's outcome too.
  summary.db = summary.db.ok ? { ok: engine.dbHealth.ok, error: engine.dbHealth.error, failures: engine.dbHealth.failures } : summary.db;
  write(JSON.stringify(summary));
}
