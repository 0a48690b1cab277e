// The snapshot collector: builds the price history backtests need (Polymarket
// keeps no history for resolved markets' books), run inside the engine within
// the rate budget:
//
// - every `intervalMs` (default 1 h): one Gamma page per 100 of the top N open
//   markets by volume (default 100); their YES mid (Gamma outcomePrices) goes
//   into price_snapshots(token_id, ts ms, price units) and the market rows are
//   upserted — N markets cost N/100 requests, not N;
// - every resolution: closed markets, newest closedTime first, paged until the
//   watermark of the last sweep (first sweep: `lookbackMs`, default 7 days),
//   upserted with closed/winner, then their /prices-history (hourly, 12-hourly
//   when the venue has nothing finer for a resolved market) queued and fetched
//   a few per tick;
// - nothing when `rest.budgetShareLeft()` is under `minBudgetShare` (0.3), and
//   it stops mid-tick when the budget falls under it; unfinished pages and
//   histories stay queued (in the checkpoint too) and are retried a minute later.
//
// Time is passed in; `tick(now)` does work only when due and never throws.
import { z } from 'zod';
import type { RestClient } from '../feed/rest-client.js';
import type { DB } from '../persist/db.js';
import { MarketsRepo } from '../persist/markets-repo.js';
import { PriceHistoryRepo } from '../persist/history-repo.js';
import { decodePricesHistory } from '../protocol/clob.js';
import { decodeGammaMarket, resolvedOutcomeIndex, type CatalogMarket } from '../protocol/gamma.js';
import { normalizeQuestion } from '../scan/normalize.js';
import { defaultTaxonomy, type Taxonomy } from '../scan/taxonomy.js';

export interface CollectorOptions {
  topN?: number;
  intervalMs?: number;
  /** Retry delay for queued resolution pages and histories. */
  backlogMs?: number;
  minBudgetShare?: number;
  /** First sweep looks this far back for resolutions. */
  lookbackMs?: number;
  /** Closed-market pages per tick (100 markets each). */
  maxResolutionPages?: number;
  /** /prices-history requests per tick. */
  maxHistoriesPerTick?: number;
  /** Most queued histories kept (oldest dropped, counted). */
  maxQueue?: number;
  taxonomy?: Taxonomy;
}

export interface CollectResult {
  ran: boolean;
  skipped?: 'not due' | 'budget' | 'busy';
  snapshots: number;
  /** Market rows upserted (open and resolved). */
  markets: number;
  resolutions: number;
  histories: number;
  historyPoints: number;
  /** Objects that failed to decode. */
  rejects: number;
  requests: number;
  errors: string[];
  nextDueMs: number;
}

const PAGE = 100;

const checkpointSchema = z.object({
  version: z.literal(1),
  nextDueMs: z.number(),
  backlogDueMs: z.number(),
  watermarkMs: z.number().nullable(),
  sweep: z.object({ offset: z.number().int().min(0), highMs: z.number() }).nullable(),
  queue: z.array(z.string()),
  totals: z.object({ snapshots: z.number(), resolutions: z.number(), histories: z.number(), dropped: z.number() }),
});
export type CollectorCheckpoint = z.infer<typeof checkpointSchema>;

export class SnapshotCollector {
  readonly name = 'snapshot-collector';
  /** The state is a schedule and watermarks: it never goes stale. */
  readonly toleranceMs = Number.POSITIVE_INFINITY;
  readonly totals = { snapshots: 0, resolutions: 0, histories: 0, dropped: 0 };
  private readonly o: Required<Omit<CollectorOptions, 'taxonomy'>>;
  private readonly taxonomy: Taxonomy;
  private readonly repo: MarketsRepo;
  private readonly snapshots: PriceHistoryRepo;
  private nextDueMs = 0;
  private backlogDueMs = Number.POSITIVE_INFINITY;
  private watermarkMs: number | null = null;
  /** A resolution sweep in progress: next offset, and the newest closedTime it has seen. */
  private sweep: { offset: number; highMs: number } | null = null;
  /** YES token ids whose /prices-history is still to fetch. */
  private queue: string[] = [];
  private busy = false;

  constructor(
    private readonly db: DB,
    private readonly rest: Pick<RestClient, 'getJson' | 'budgetShareLeft'>,
    private readonly urls: { gamma: string; clob: string },
    opts: CollectorOptions = {},
  ) {
    this.o = {
      topN: 100,
      intervalMs: 3_600_000,
      backlogMs: 60_000,
      minBudgetShare: 0.3,
      lookbackMs: 7 * 86_400_000,
      maxResolutionPages: 5,
      maxHistoriesPerTick: 20,
      maxQueue: 10_000,
      ...opts,
    };
    this.taxonomy = opts.taxonomy ?? defaultTaxonomy();
    this.repo = new MarketsRepo(db);
    this.snapshots = new PriceHistoryRepo(db);
  }

  async tick(now: number): Promise<CollectResult> {
    const r: CollectResult = { ran: false, snapshots: 0, markets: 0, resolutions: 0, histories: 0, historyPoints: 0, rejects: 0, requests: 0, errors: [], nextDueMs: this.nextDueMs };
    if (this.busy) return { ...r, skipped: 'busy' };
    const due = now >= this.nextDueMs;
    const backlog = now >= this.backlogDueMs && (this.sweep !== null || this.queue.length > 0);
    if (!due && !backlog) return { ...r, skipped: 'not due' };
    if (this.rest.budgetShareLeft() < this.o.minBudgetShare) return { ...r, skipped: 'budget' };
    this.busy = true;
    r.ran = true;
    try {
      if (due) {
        await this.snapshot(now, r);
        this.nextDueMs = now + this.o.intervalMs;
        if (this.sweep === null) this.sweep = { offset: 0, highMs: this.watermarkMs ?? now - this.o.lookbackMs };
      }
      if (this.sweep) await this.sweepResolutions(now, r);
      await this.fetchHistories(r);
    } catch (err) {
      // SQLite trouble (disk full, locked) must not take the engine down: report it, retry on the backlog schedule.
      r.errors.push(`collector: ${(err as Error).message}`);
      this.nextDueMs = Math.max(this.nextDueMs, now + this.o.backlogMs);
    } finally {
      this.busy = false;
    }
    this.backlogDueMs = this.sweep || this.queue.length ? now + this.o.backlogMs : Number.POSITIVE_INFINITY;
    r.nextDueMs = Math.min(this.nextDueMs, this.backlogDueMs);
    return r;
  }

  private budgetOk(): boolean {
    return this.rest.budgetShareLeft() >= this.o.minBudgetShare;
  }

  private async snapshot(now: number, r: CollectResult): Promise<void> {
    const got: CatalogMarket[] = [];
    for (let offset = 0; offset < this.o.topN && this.budgetOk(); offset += PAGE) {
      const limit = Math.min(PAGE, this.o.topN - offset);
      const page = await this.page(`${this.urls.gamma}/markets?closed=false&order=volumeNum&ascending=false&limit=${limit}&offset=${offset}`, r);
      if (!page) break;
      got.push(...page);
      if (page.length < limit) break;
    }
    this.save(got, now, r);
    const points: { token: string; ts: number; price: number }[] = [];
    for (const m of got) {
      if (m.closed || !m.tokenIds[0] || m.outcomePrices.length < 1) continue;
      points.push({ token: m.tokenIds[0], ts: now, price: m.outcomePrices[0]! });
    }
    this.snapshots.write(points);
    r.snapshots += points.length;
    this.totals.snapshots += r.snapshots;
  }

  private async sweepResolutions(now: number, r: CollectResult): Promise<void> {
    const s = this.sweep!;
    const floor = this.watermarkMs ?? s.highMs;
    for (let pages = 0; pages < this.o.maxResolutionPages; pages++) {
      if (!this.budgetOk()) return;
      const page = await this.page(`${this.urls.gamma}/markets?closed=true&order=closedTime&ascending=false&limit=${PAGE}&offset=${s.offset}`, r);
      if (!page) return;
      // Only markets that closed after the last sweep's newest are new.
      const fresh = page.filter((m) => (m.closedTime ?? 0) > floor);
      const settled = fresh.filter((m) => resolvedOutcomeIndex(m) !== undefined);
      this.save(settled, now, r);
      for (const m of settled) {
        if (m.tokenIds[0]) this.enqueue(m.tokenIds[0]);
        s.highMs = Math.max(s.highMs, m.closedTime ?? 0);
      }
      r.resolutions += settled.length;
      this.totals.resolutions += settled.length;
      s.offset += page.length;
      if (page.length < PAGE || fresh.length < page.length || s.offset >= 10_000) {
        // Reached what the last sweep saw (or the venue's offset cap): done.
        this.watermarkMs = Math.max(this.watermarkMs ?? s.highMs, s.highMs);
        this.sweep = null;
        return;
      }
    }
  }

  private async fetchHistories(r: CollectResult): Promise<void> {
    for (let i = 0; i < this.o.maxHistoriesPerTick && this.queue.length && this.budgetOk(); i++) {
      const token = this.queue[0]!;
      let points = await this.history(token, 60, r);
      if (points && points.length === 0) points = await this.history(token, 720, r);
      if (points === undefined) return; // a failed request: keep it queued for the next tick
      this.queue.shift();
      this.snapshots.write(points.map((p) => ({ token, ts: p.t * 1000, price: p.p })));
      r.histories++;
      r.historyPoints += points.length;
      this.totals.histories++;
    }
  }

  private async history(token: string, fidelity: number, r: CollectResult) {
    r.requests++;
    const res = await this.rest.getJson(`${this.urls.clob}/prices-history?market=${encodeURIComponent(token)}&interval=max&fidelity=${fidelity}`, 'clob /prices-history');
    if (!res.ok) {
      r.errors.push(res.error);
      return undefined;
    }
    const d = decodePricesHistory(res.body);
    if (!d.ok) {
      r.rejects++;
      r.errors.push(d.error.message);
      return [];
    }
    return d.value;
  }

  private async page(url: string, r: CollectResult): Promise<CatalogMarket[] | undefined> {
    r.requests++;
    const res = await this.rest.getJson(url, 'gamma /markets');
    if (!res.ok) {
      r.errors.push(res.error);
      return undefined;
    }
    if (!Array.isArray(res.body)) {
      r.errors.push('gamma /markets: not an array');
      return undefined;
    }
    const out: CatalogMarket[] = [];
    for (const raw of res.body) {
      const m = decodeGammaMarket(raw);
      if (m.ok) out.push(m.value);
      else r.rejects++;
    }
    return out;
  }

  private save(markets: CatalogMarket[], now: number, r: CollectResult): void {
    this.repo.save(markets, now, (m) => this.taxonomy.categorize(normalizeQuestion(m.question, false).folded, m.eventTitle, m.tags).category);
    r.markets += markets.length;
  }

  private enqueue(token: string): void {
    if (this.queue.includes(token)) return;
    this.queue.push(token);
    while (this.queue.length > this.o.maxQueue) {
      this.queue.shift();
      this.totals.dropped++;
    }
  }

  /** Queued history fetches (for the status line). */
  get backlog(): number {
    return this.queue.length + (this.sweep ? 1 : 0);
  }

  toCheckpoint(): CollectorCheckpoint {
    return {
      version: 1,
      nextDueMs: this.nextDueMs,
      backlogDueMs: Number.isFinite(this.backlogDueMs) ? this.backlogDueMs : -1,
      watermarkMs: this.watermarkMs,
      sweep: this.sweep ? { ...this.sweep } : null,
      queue: [...this.queue],
      totals: { ...this.totals },
    };
  }

  fromCheckpoint(json: unknown): boolean {
    const c = checkpointSchema.safeParse(json);
    if (!c.success) return false;
    const v = c.data;
    this.nextDueMs = v.nextDueMs;
    this.backlogDueMs = v.backlogDueMs < 0 ? Number.POSITIVE_INFINITY : v.backlogDueMs;
    this.watermarkMs = v.watermarkMs;
    this.sweep = v.sweep;
    this.queue = v.queue.slice(-this.o.maxQueue);
    Object.assign(this.totals, v.totals);
    return true;
  }
}
