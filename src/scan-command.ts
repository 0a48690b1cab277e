// `polyconsole scan --json` and `polyconsole categorize`: one batch through the
// batch signal processor, offline from a saved Gamma dump (--catalog) or from the
// feed (the embedded simulator by default, --live for Polymarket).
import type { CatalogMarket } from './protocol/gamma.js';
import type { OrderBook } from './book/order-book.js';
import type { Config } from './config.js';
import type { Simulator } from './sim/simulator.js';
import type { StrategyValidation } from './scan/index.js';
import { systemVenue, systemWall } from './clock.js';

export interface ScanArgs {
  catalog?: string;
  batchSize: number;
  json: boolean;
  /** --now: ISO time or epoch ms; with --catalog the default is the newest timestamp in the file. */
  now?: string;
}

/** Parses --now: an ISO timestamp or epoch milliseconds; undefined when absent, an Error when unreadable. */
export function parseNow(text: string | undefined): number | undefined | Error {
  if (text === undefined || text === '') return undefined;
  const t = /^\d{10,16}$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(t) ? t : new Error(`--now: not a time: ${JSON.stringify(text.slice(0, 40))} (use ISO, e.g. 2026-02-14T12:00:00Z, or epoch ms)`);
}

/** Why markets of a saved dump did not enter the batch, counted. */
export interface DropReport {
  inFile: number;
  rejected: number;
  closed: number;
  ended: number;
  beyondBatch: number;
  scanned: number;
  /** Kept, but fields that could not be read were dropped from them. */
  fieldsDropped: Record<string, number>;
  noConditionId: number;
  noTokens: number;
}

export function formatDrops(d: DropReport): string {
  const fields = Object.entries(d.fieldsDropped).map(([f, n]) => `${f} ${n}`).join(', ');
  return (
    `${d.inFile} items in file: ${d.scanned} scanned; dropped ${d.rejected} unreadable (no id or question), ${d.closed} closed, ${d.ended} ended by now, ${d.beyondBatch} beyond --batch-size` +
    (fields ? `; unreadable fields dropped (markets kept): ${fields}` : '') +
    (d.noConditionId ? `; ${d.noConditionId} without conditionId` : '') +
    (d.noTokens ? `; ${d.noTokens} without token ids (cannot be traded)` : '')
  );
}

/** Loads the markets to scan: a file, or a catalog sync against the configured source. */
interface Loaded {
  markets: CatalogMarket[];
  books: Map<string, OrderBook>;
  stop: () => Promise<void>;
  fetchBooks: (tokens: string[]) => Promise<void>;
  /** Only for a saved dump. */
  file?: { rejected: number; droppedFields: Record<string, number>; noConditionId: number; newest: number | undefined };
  /** The embedded simulator (SIM mode), whose resolved history validates the strategies. */
  sim?: Simulator;
  /** The venue's REST origins (none for a saved dump). */
  urls?: { gamma: string; clob: string };
}

async function loadMarkets(cfg: Config, catalog: string | undefined, warn: (l: string) => void): Promise<Loaded> {
  const books = new Map<string, OrderBook>();
  if (catalog) {
    const { loadCatalogFile, newestTimestamp } = await import('./scan/catalog-file.js');
    const loaded = loadCatalogFile(catalog);
    if (loaded.rejected) warn(`${loaded.rejected} catalog entries rejected (first: ${loaded.errors[0] ?? '?'})`);
    if (loaded.fieldErrors.length) warn(`unreadable fields dropped, markets kept (first: ${loaded.fieldErrors[0]})`);
    const markets = [...loaded];
    return {
      markets,
      books,
      stop: async () => {},
      fetchBooks: async () => {},
      file: { rejected: loaded.rejected, droppedFields: loaded.droppedFields, noConditionId: loaded.noConditionId, newest: newestTimestamp(markets) },
    };
  }
  const { RestClient } = await import('./feed/rest-client.js');
  const { CatalogSync } = await import('./feed/catalog-sync.js');
  const { bookFromRest } = await import('./book/order-book.js');
  let urls = { gamma: cfg.gammaUrl, clob: cfg.clobUrl };
  let stopSim = async () => {};
  let sim: Simulator | undefined;
  if (!cfg.live) {
    const { Simulator } = await import('./sim/simulator.js');
    const s = new Simulator({ seed: cfg.seed, markets: cfg.markets, speed: cfg.speed, rate: cfg.simRate, clockStart: 'manual', backfill: true });
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
        const b = bookFromRest(item, systemWall());
        if (b) books.set(b.asset, b);
      }
    }
  };
  return { markets: [...sync.markets.values()], books, stop: stopSim, fetchBooks, urls, ...(sim ? { sim } : {}) };
}

/**
 * The same verdicts the console scans with: the venue's resolved history read
 * over HTTP up to now (the simulator's epoch), live with the database's added
 * (read-only); none → every strategy UNPROVEN.
 */
async function verdictsFor(cfg: Config, src: Pick<Loaded, 'sim' | 'urls'>, warn: (s: string) => void): Promise<Record<string, StrategyValidation>> {
  const { strategyVerdicts } = await import('./plugins/validation.js');
  const { existsSync } = await import('node:fs');
  const db = existsSync(cfg.db) ? cfg.db : undefined;
  try {
    const venue = src.urls ? ({ kind: 'venue', gammaUrl: src.urls.gamma, clobUrl: src.urls.clob } as const) : undefined;
    const v = venue
      ? await strategyVerdicts(src.sim ? { ...venue, label: 'sim', untilMs: src.sim.world.epochMs } : { ...venue, label: 'live', untilMs: systemWall(), budgetShare: 0.5, ...(db ? { db } : {}) })
      : db
        ? await strategyVerdicts({ kind: 'db-file', path: db })
        : undefined;
    if (!v) warn('no resolved history: every strategy is UNPROVEN (no edge, no size)');
    return v?.validation ?? {};
  } catch (err) {
    warn(`cannot read resolved history: ${(err as Error).message}; every strategy is UNPROVEN`);
    return {};
  }
}

export async function scanCommand(cfg: Config, args: ScanArgs, out: (s: string) => void, warn: (s: string) => void): Promise<void> {
  const { scan, toScanOutput, BatchPlanner } = await import('./scan/index.js');
  const nowArg = parseNow(args.now);
  if (nowArg instanceof Error) throw nowArg;
  const src = await loadMarkets(cfg, args.catalog, warn);
  try {
    const validation = await verdictsFor(cfg, src, warn);
    const planner = new BatchPlanner({ batchSize: args.batchSize });
    // Offline, "now" is the file's own time unless given, so the same file scans the same way tomorrow.
    let now = nowArg ?? src.file?.newest;
    if (now === undefined) {
      // Live: the venue's clock is in step with ours, so end dates compare with this machine's time.
      now = systemVenue();
      if (src.file) warn('no timestamps in the file and no --now: using the wall clock');
    }
    const open = src.markets.filter((m) => !m.closed && (m.endDate === undefined || m.endDate > now));
    const batch = open.slice(0, planner.state().batchSize);
    const drops: DropReport = {
      inFile: src.markets.length + (src.file?.rejected ?? 0),
      rejected: src.file?.rejected ?? 0,
      closed: src.markets.filter((m) => m.closed).length,
      ended: src.markets.filter((m) => !m.closed && m.endDate !== undefined && m.endDate <= now).length,
      beyondBatch: open.length - batch.length,
      scanned: batch.length,
      fieldsDropped: src.file?.droppedFields ?? {},
      noConditionId: src.file?.noConditionId ?? 0,
      noTokens: batch.filter((m) => m.tokenIds.length === 0).length,
    };
    const plan = { stopReason: 'ok' as const, batchSize: planner.state().batchSize };
    const dumpPrices = src.file !== undefined;
    let result = scan(batch, { now, plan, validation, bookOf: (t) => src.books.get(t), dumpPrices });
    // Stage 2 is narrow: only the candidates' books are fetched.
    const wanted = [...new Set(result.signals.map((s) => s.tokenId))];
    if (wanted.length && !src.file) {
      await src.fetchBooks(wanted);
      result = scan(batch, { now, plan, validation, bookOf: (t) => src.books.get(t), dumpPrices });
    }
    const output = toScanOutput(result);
    const priced = result.signals.filter((s) => s.priceSource === 'dump').length;
    const pricesNote = dumpPrices ? `prices: no order books offline; ${priced} signal${priced === 1 ? '' : 's'} priced at the dump's own bestBid/bestAsk/outcomePrices (gated "dump price", never traded)` : '';
    if (args.json) {
      out(JSON.stringify(output));
      if (src.file) {
        warn(`now ${new Date(now).toISOString()}${nowArg === undefined ? ' (newest timestamp in the file)' : ''}; ${formatDrops(drops)}`);
        warn(pricesNote);
      }
    } else {
      if (src.file) {
        out(`now ${new Date(now).toISOString()}${nowArg === undefined ? ' (newest timestamp in the file; --now to change)' : ''}`);
        out(formatDrops(drops));
        out(pricesNote);
      }
      out(`scanned ${result.input} markets → ${result.unique} unique, ${result.clusters.length} clusters, ${result.candidates} candidates (${Math.round(result.reduction * 100)}% cut), ${result.review.length} for review`);
      for (const s of result.review) out(`  ${s.tier.padEnd(10)} ${s.verdict.padEnd(9)} ${s.strategy.padEnd(24)} ${s.side} ${s.outcomeLabel.padEnd(4)} @ ${s.entry?.toFixed(2) ?? '—'}${s.priceSource === 'dump' ? ' (dump)' : ''}  edge ${s.edge === undefined ? '—' : s.edge.toFixed(4)}  ${s.question.slice(0, 70)}`);
    }
  } finally {
    await src.stop();
  }
}

/** `polyconsole clusters`: every cluster of the catalog, events first; --json one line each. */
export async function clustersCommand(cfg: Config, args: { catalog?: string; json: boolean }, out: (s: string) => void, warn: (s: string) => void): Promise<void> {
  const { stage1 } = await import('./scan/scan.js');
  const { CLUSTER_RULES } = await import('./scan/cluster.js');
  const src = await loadMarkets(cfg, args.catalog, warn);
  try {
    const s1 = stage1(src.markets, { now: src.file?.newest ?? systemVenue() });
    if (args.json) {
      for (const c of s1.clusters) out(JSON.stringify({ cluster_id: c.id, rule: c.kind, confidence: c.confidence, summary: c.summary, category: c.category, marketIds: c.marketIds }));
      return;
    }
    const byKind = new Map<string, number>();
    for (const c of s1.clusters) byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
    out(`${src.markets.length} markets → ${s1.clusters.length} clusters`);
    for (const [k, n] of byKind) out(`  ${String(n).padStart(6)} ${k.padEnd(7)} (${CLUSTER_RULES[k as keyof typeof CLUSTER_RULES].rule}, confidence ${CLUSTER_RULES[k as keyof typeof CLUSTER_RULES].confidence})`);
    for (const c of [...s1.clusters].sort((a, b) => b.marketIds.length - a.marketIds.length).slice(0, 30)) out(`  ${c.id} ${c.kind.padEnd(7)} ${String(c.marketIds.length).padStart(4)}  ${c.category.padEnd(24)} ${c.summary.slice(0, 80)}`);
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
