// `polyconsole scan --json` and `polyconsole categorize`: one batch through the
// batch signal processor, offline from a saved Gamma dump (--catalog) or from the
// feed (the embedded simulator by default, --live for Polymarket).
import type { CatalogMarket } from './protocol/gamma.js';
import type { OrderBook } from './book/order-book.js';
import type { Config } from './config.js';
import type { Simulator } from './sim/simulator.js';
import type { StrategyValidation } from './scan/index.js';

export interface ScanArgs {
  catalog?: string;
  batchSize: number;
  json: boolean;
}

/** Loads the markets to scan: a file, or a catalog sync against the configured source. */
interface Loaded {
  markets: CatalogMarket[];
  books: Map<string, OrderBook>;
  stop: () => Promise<void>;
  fetchBooks: (tokens: string[]) => Promise<void>;
  /** The embedded simulator (SIM mode), whose resolved history validates the strategies. */
  sim?: Simulator;
}

async function loadMarkets(cfg: Config, catalog: string | undefined, warn: (l: string) => void): Promise<Loaded> {
  const books = new Map<string, OrderBook>();
  if (catalog) {
    const { loadCatalogFile } = await import('./scan/index.js');
    const loaded = loadCatalogFile(catalog);
    if (loaded.rejected) warn(`${loaded.rejected} catalog entries rejected (first: ${loaded.errors[0] ?? '?'})`);
    return { markets: [...loaded], books, stop: async () => {}, fetchBooks: async () => {} };
  }
  const { RestClient } = await import('./feed/rest-client.js');
  const { CatalogSync } = await import('./feed/catalog-sync.js');
  const { bookFromRest } = await import('./book/order-book.js');
  let urls = { gamma: cfg.gammaUrl, clob: cfg.clobUrl };
  let stopSim = async () => {};
  let sim: Simulator | undefined;
  if (!cfg.live) {
    const { Simulator } = await import('./sim/simulator.js');
    const s = new Simulator({ seed: cfg.seed, markets: cfg.markets, speed: cfg.speed, rate: cfg.simRate, clockStart: 'manual' });
    sim = s;
    const u = await s.start();
    urls = { gamma: u.gamma, clob: u.clob };
    stopSim = () => s.stop();
  }
  const rest = new RestClient();
  const sync = new CatalogSync(rest, urls.gamma);
  if (!(await sync.fullSync())) {
    await stopSim();
    throw new Error(`catalog unavailable: ${sync.progress.error}`);
  }
  const fetchBooks = async (tokens: string[]) => {
    for (let i = 0; i < tokens.length; i += 100) {
      const r = await rest.postJson(`${urls.clob}/books`, tokens.slice(i, i + 100).map((token_id) => ({ token_id })), 'clob /books');
      if (!r.ok || !Array.isArray(r.body)) continue;
      for (const item of r.body) {
        const b = bookFromRest(item, Date.now());
        if (b) books.set(b.asset, b);
      }
    }
  };
  return { markets: [...sync.markets.values()], books, stop: stopSim, fetchBooks, ...(sim ? { sim } : {}) };
}

/**
 * The same verdicts the console scans with: the simulator's resolved history in
 * SIM mode, else the database's (read-only; absent → every strategy UNPROVEN).
 */
async function verdictsFor(cfg: Config, sim: Simulator | undefined, warn: (s: string) => void): Promise<Record<string, StrategyValidation>> {
  const { strategyVerdicts } = await import('./live/validation.js');
  if (sim) return strategyVerdicts({ kind: 'sim', seed: sim.world.seed, epochMs: sim.world.epochMs })?.validation ?? {};
  const { existsSync } = await import('node:fs');
  if (!existsSync(cfg.db)) {
    warn('no database with resolved history: every strategy is UNPROVEN (no edge, no size)');
    return {};
  }
  try {
    return strategyVerdicts({ kind: 'db-file', path: cfg.db })?.validation ?? {};
  } catch (err) {
    warn(`cannot read resolved history from ${cfg.db}: ${(err as Error).message}; every strategy is UNPROVEN`);
    return {};
  }
}

export async function scanCommand(cfg: Config, args: ScanArgs, out: (s: string) => void, warn: (s: string) => void): Promise<void> {
  const { scan, toScanOutput, BatchPlanner } = await import('./scan/index.js');
  const src = await loadMarkets(cfg, args.catalog, warn);
  try {
    const validation = await verdictsFor(cfg, src.sim, warn);
    const planner = new BatchPlanner({ batchSize: args.batchSize });
    const batch = src.markets.filter((m) => !m.closed).slice(0, planner.state().batchSize);
    const now = Date.now();
    const plan = { stopReason: 'ok' as const, batchSize: planner.state().batchSize };
    let result = scan(batch, { now, plan, validation, bookOf: (t) => src.books.get(t) });
    // Stage 2 is narrow: only the candidates' books are fetched.
    const wanted = [...new Set(result.signals.map((s) => s.tokenId))];
    if (wanted.length) {
      await src.fetchBooks(wanted);
      result = scan(batch, { now, plan, validation, bookOf: (t) => src.books.get(t) });
    }
    const output = toScanOutput(result);
    if (args.json) out(JSON.stringify(output));
    else {
      out(`scanned ${result.input} markets → ${result.unique} unique, ${result.clusters.length} clusters, ${result.candidates} candidates (${Math.round(result.reduction * 100)}% cut), ${result.review.length} for review`);
      for (const s of result.review) out(`  ${s.tier.padEnd(10)} ${s.verdict.padEnd(9)} ${s.strategy.padEnd(24)} ${s.side} ${s.outcomeLabel.padEnd(4)} @ ${s.entry?.toFixed(2) ?? '—'}  edge ${s.edge === undefined ? '—' : s.edge.toFixed(4)}  ${s.question.slice(0, 70)}`);
    }
  } finally {
    await src.stop();
  }
}

export async function categorizeCommand(cfg: Config, args: { catalog?: string; json: boolean }, out: (s: string) => void, warn: (s: string) => void): Promise<void> {
  const { categorize, formatCategorize } = await import('./scan/index.js');
  const src = await loadMarkets(cfg, args.catalog, warn);
  try {
    const r = categorize(src.markets);
    if (args.json) for (const row of r.rows) out(JSON.stringify(row));
    else out(formatCategorize(r));
  } finally {
    await src.stop();
  }
}
