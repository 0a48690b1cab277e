// The learned scorer as an engine plugin. Every cycle it builds features for
// the markets in the queue with the backtest's own code (liveView → the same
// FeatureSpec), asks the current model (refused past its expiry), and annotates
// the rows; it snapshots each streamed market's features at the backtest's
// decision time (end − lead) and, when the market resolves, feeds that row and
// its outcome to the retrainer (a worker; every N outcomes or M minutes; the
// model swapped in one assignment).
//
// The scorer touches the queue only while its walk-forward verdict is
// VALIDATED (Brier skill over the market price > 0 with the interval excluding
// zero): then rows show the model's P(YES) beside the mid, and ML_SCORER rows
// enter the queue where the model's probability beats the executable ask after
// fees. Otherwise every row says UNPROVEN, like any unproven strategy.
//
// It also weighs each strategy in the ranking by its recent validated record
// (strategyWeights): rank = priority × (1 + weight), the arithmetic on the row.
import type { WallMs } from '../clock.js';
import type { Engine, EnginePlugin } from '../engine.js';
import { takerFeePerShare } from '../arb/fees.js';
import { classify } from '../backtest/resolved.js';
import { DEFAULT_HALF_SPREAD, DEFAULT_LEAD_MS, DEFAULT_TOLERANCE_MS } from '../backtest/evaluate.js';
import { resolvedOutcomeIndex, type CatalogMarket } from '../protocol/gamma.js';
import { PRICE_SCALE } from '../protocol/units.js';
import { defaultStrategies, type Strategy } from '../scan/strategies.js';
import type { FairValue } from '../refdata/fair.js';
import type { SignalHub } from '../signals/index.js';
import { defaultFeatureSpec, type FeatureSpec } from '../model/features.js';
import { liveView } from '../model/live-view.js';
import { Retrainer, type RetrainerOptions, type RetrainerStatus } from '../model/retrainer.js';
import { strategyMatchesAt } from '../model/samples.js';
import { SCORER_ID } from '../model/validate.js';
import { strategyWeights, type StrategyPerformance, type StrategyWeight } from '../model/weights.js';
import type { ModelRead, QueueItem, SignalQueue } from './queue.js';
import type { ScorerHistory, ScorerHistoryOptions, ScorerVerdict } from './scorer-history.js';
import { historyBehind } from './history-behind.js';
import type { HistorySource } from './validation.js';

export interface ScorerLoopOptions {
  leadMs?: number;
  toleranceMs?: number;
  halfSpread?: number;
  /** Model probability above the all-in cost needed for an ML_SCORER row (default 0.02). */
  minEdge?: number;
  /** Mid sampling for volatility and momentum, venue ms (default 5 min); kept 36 h. */
  sampleEveryMs?: number;
  retrain?: Partial<Omit<RetrainerOptions, 'featureHash' | 'width'>>;
  /** Fair value of a market, when priced (the app wires the reference-data loop). */
  fairOf?: (marketId: string) => FairValue | undefined;
  strategies?: readonly Strategy[];
}

interface Meta {
  id: string;
  yes: string;
  endMs: number;
  eventId: string;
  question: string;
  eventTitle: string | undefined;
  tags: readonly string[];
  fee: CatalogMarket['fee'];
  /** The scan's category and folded question, once needed. */
  cls?: { category: string; folded: string };
}

/** What the console shows about the scorer (header and detail). */
export interface ScorerStatus {
  verdict: ScorerVerdict['verdict'];
  /** 'validating…', the reasons it is not VALIDATED, or ''. */
  note: string;
  brierSkill: number | null;
  brierSkillCi: [number, number] | null;
  events: number;
  model: RetrainerStatus;
  liveOutcomes: number;
  source: string;
}

const HIST_KEEP_MS = 36 * 3_600_000;
const DEPTH_LEVELS = 3;
const PROPOSE_EVERY_MS = 5_000;

export class ScorerLoop implements EnginePlugin {
  readonly name = 'scorer';
  readonly spec: FeatureSpec = defaultFeatureSpec();
  readonly retrainer: Retrainer;
  verdict: ScorerVerdict | undefined;
  state: 'none' | 'pending' | 'done' = 'none';
  note = 'no resolved history yet';
  weights = new Map<string, StrategyWeight>();
  recentDays = 0;
  liveOutcomes = 0;
  private readonly o: Required<Omit<ScorerLoopOptions, 'retrain' | 'fairOf' | 'strategies'>>;
  private readonly strategies: readonly Strategy[];
  private readonly meta = new Map<string, Meta>();
  private readonly byToken = new Map<string, string>();
  private readonly hist = new Map<string, { t: number[]; p: number[] }>();
  /** Features at the decision time, waiting for the market's outcome. */
  private readonly snaps = new Map<string, { x: Float64Array; mid: number; atMs: number }>();
  private readonly snapped = new Set<string>();
  private lastSampleAt = -Infinity;
  private proposedAt = -Infinity;
  private readonly x: Float64Array;

  constructor(
    private readonly engine: Engine,
    private readonly queue: SignalQueue,
    private readonly hub: SignalHub,
    opts: ScorerLoopOptions = {},
  ) {
    this.o = {
      leadMs: opts.leadMs ?? DEFAULT_LEAD_MS,
      toleranceMs: opts.toleranceMs ?? DEFAULT_TOLERANCE_MS,
      halfSpread: opts.halfSpread ?? DEFAULT_HALF_SPREAD,
      minEdge: opts.minEdge ?? 0.02,
      sampleEveryMs: opts.sampleEveryMs ?? 300_000,
    };
    this.fairOf = opts.fairOf;
    this.strategies = opts.strategies ?? defaultStrategies().strategies;
    this.retrainer = new Retrainer({ featureHash: this.spec.hash, width: this.spec.width, now: engine.now, ...opts.retrain });
    this.x = new Float64Array(this.spec.width);
  }

  fairOf: ((marketId: string) => FairValue | undefined) | undefined;

  /**
   * The starting history arrived: its rows train the first model (in the
   * worker), its verdict decides whether the scorer may touch the queue, its
   * recent records weigh the strategies.
   */
  seed(h: ScorerHistory): Promise<unknown> {
    const s = h.samples;
    for (let i = 0; i < s.n; i++) this.retrainer.add(s.x.subarray(i * s.d, (i + 1) * s.d), s.mid[i]!, s.y[i] ? 1 : 0, s.resolvedMs[i]!, s.atMs[i]!, h.eventIds[s.event[i]!] ?? `event:${s.event[i]}`);
    this.verdict = h.verdict;
    this.note = h.verdict.verdict === 'VALIDATED' ? '' : h.verdict.reasons.join('; ');
    this.recentDays = h.recentDays;
    this.setPerformance(h.perf);
    this.state = 'done';
    return this.retrainer.retrain();
  }

  /** Recomputes the strategy weights from recent records. */
  setPerformance(perf: readonly StrategyPerformance[]): void {
    this.weights = new Map(strategyWeights(perf).map((w) => [w.strategy, w]));
  }

  get validated(): boolean {
    return this.verdict?.verdict === 'VALIDATED';
  }

  onCatalog(markets: CatalogMarket[], now: number): void {
    for (const m of markets) {
      if (m.tokenIds.length !== 2) continue;
      if (m.closed) {
        this.resolve(m, now);
        continue;
      }
      const endMs = m.endDate ?? m.closedTime;
      if (endMs === undefined || this.meta.has(m.id)) continue;
      // Categorised on first use: a live catalog is tens of thousands of markets, few of them streamed.
      this.meta.set(m.id, { id: m.id, yes: m.tokenIds[0]!, endMs, eventId: m.eventId ?? `market:${m.id}`, question: m.question, eventTitle: m.eventTitle, tags: m.tags, fee: m.fee });
      this.byToken.set(m.tokenIds[0]!, m.id);
    }
  }

  /** A market closed: its decision-time row (if one was taken) and its outcome go to the retrainer. */
  private resolve(m: CatalogMarket, now: number): void {
    const snap = this.snaps.get(m.id);
    const winner = resolvedOutcomeIndex(m);
    if (snap && (winner === 0 || winner === 1)) {
      const meta = this.meta.get(m.id);
      this.retrainer.add(snap.x, snap.mid, winner === 0 ? 1 : 0, m.closedTime ?? now, snap.atMs, meta?.eventId ?? m.eventId ?? `market:${m.id}`);
      this.liveOutcomes++;
    }
    if (winner === undefined && snap) return; // closed, not settled yet: keep the row until the outcome is known
    this.snaps.delete(m.id);
    this.hist.delete(m.id);
    const meta = this.meta.get(m.id);
    if (meta) this.byToken.delete(meta.yes);
    this.meta.delete(m.id);
  }

  cycle(): void {
    if (this.engine.phase !== 'streaming') return;
    const t = this.engine.venueNow();
    const wall = this.engine.now();
    if (t - this.lastSampleAt >= this.o.sampleEveryMs) {
      this.lastSampleAt = t;
      this.sample(t);
    }
    this.annotate(t, wall);
    // Proposing reads every streamed market: every few seconds is enough (the scan's interval is minutes).
    if (wall - this.proposedAt >= PROPOSE_EVERY_MS || !this.validated) {
      this.proposedAt = wall;
      if (this.validated) this.proposeRows(t, wall);
      this.dropStaleRows(wall);
    }
    const p = this.retrainer.maybeRetrain();
    if (p) void p.then((m) => this.engine.log(m ? `scorer: model ${m.hash} trained on ${m.rows.toLocaleString('en-US')} rows (${m.events} events)` : `scorer: no model (${this.retrainer.status().lastError ?? 'no data'})`));
  }

  /** Mid history of the streamed markets, and their decision-time rows. */
  private sample(t: number): void {
    // The book cache holds the streamed tokens only: a market with a book is a streamed one.
    for (const [token, id] of this.byToken) {
      const b = this.engine.books.get(token);
      if (!b || b.state !== 'fresh' || b.bestBid === undefined || b.bestAsk === undefined) continue;
      let h = this.hist.get(id);
      if (!h) this.hist.set(id, (h = { t: [], p: [] }));
      const sec = Math.floor(t / 1000);
      if (h.t.length && h.t[h.t.length - 1]! >= sec) continue;
      h.t.push(sec);
      h.p.push(Math.round((b.bestBid + b.bestAsk) / 2));
      while (h.t.length && h.t[0]! < sec - HIST_KEEP_MS / 1000) {
        h.t.shift();
        h.p.shift();
      }
      const meta = this.meta.get(id)!;
      const T = meta.endMs - this.o.leadMs;
      if (t >= T && t - T <= this.o.toleranceMs && !this.snapped.has(id)) {
        const v = this.view(meta, t);
        if (v) {
          this.snapped.add(id);
          this.snaps.set(id, { x: Float64Array.from(this.spec.vector(v, this.x)), mid: v.mid, atMs: t });
        }
      }
    }
  }

  /** The feature view of one market now (the same liveView → FeatureSpec path the backtest's rows take). */
  private view(meta: Meta, t: number) {
    const b = this.engine.books.get(meta.yes);
    const fresh = b && b.state === 'fresh';
    const bid = fresh && b.bestBid !== undefined ? b.bestBid / PRICE_SCALE : undefined;
    const ask = fresh && b.bestAsk !== undefined ? b.bestAsk / PRICE_SCALE : undefined;
    const depth = (side: 'BUY' | 'SELL') => (fresh ? b.top(side, DEPTH_LEVELS).reduce((s, l) => s + l.size, 0) : undefined);
    const h = this.hist.get(meta.id);
    const ofi = this.hub.ofi.value(meta.yes, 30_000, t);
    const micro = this.hub.score(meta.id, t, { feedUp: this.engine.phase === 'streaming', closed: false });
    const cls = (meta.cls ??= classify(meta.question, meta.eventTitle, meta.tags));
    const pre = liveView({ atMs: t, endMs: meta.endMs, category: cls.category, bestBid: bid, bestAsk: ask, history: h });
    if (!pre) return undefined;
    const strategies = this.strategies.filter((s) => strategyMatchesAt(s, { ...cls, endMs: meta.endMs, fee: meta.fee }, t, pre.mid, this.o.halfSpread)).map((s) => s.id);
    return liveView({ atMs: t, endMs: meta.endMs, category: cls.category, strategies, bestBid: bid, bestAsk: ask, bidDepth: depth('BUY'), askDepth: depth('SELL'), ofi, micro, fair: this.fairOf?.(meta.id), history: h });
  }

  /** The model's read of one market, or why there is none. */
  read(marketId: string, t: number, wall: WallMs): ModelRead {
    const verdict = this.verdict?.verdict ?? 'UNPROVEN';
    if (verdict !== 'VALIDATED') return { verdict, note: this.state === 'pending' ? 'scorer validating' : `scorer ${verdict}${this.note ? `: ${this.note}` : ''}` };
    const meta = this.meta.get(marketId);
    const v = meta && this.view(meta, t);
    if (!v) return { verdict, note: 'no price for the features' };
    const p = this.retrainer.score(this.spec.vector(v, this.x), v.mid, wall);
    if (p === undefined) {
      const st = this.retrainer.status(wall);
      return { verdict, note: st.hash ? `model expired (trained ${Math.round((st.ageMs ?? 0) / 60_000)} min ago): market price used` : 'no model yet' };
    }
    return { verdict, p, mid: v.mid, note: '' };
  }

  /** Model read and strategy weight on every strategy row. */
  private annotate(t: number, wall: WallMs): void {
    let changed = false;
    for (const it of this.queue.values()) {
      if (it.kind !== 'strategy') continue;
      if (it.marketIds.length === 1 && it.label !== SCORER_ID) {
        const r = this.read(it.marketIds[0]!, t, wall);
        if (!sameRead(it.model, r)) changed = true;
        it.model = r;
      }
      const w = this.weights.get(it.label);
      const weight = w?.weight ?? 0;
      const rank = it.priority * (1 + weight);
      const arithmetic = `rank = priority ${it.priority.toFixed(3)} × (1 + weight ${weight.toFixed(3)}) = ${rank.toFixed(3)}; ${w ? w.arithmetic : `no record over the recent ${this.recentDays || '—'} days → weight 0`}`;
      if (it.weight?.rank !== rank) changed = true;
      it.weight = { weight, rank, arithmetic };
    }
    if (changed) this.queue.version++;
  }

  /** ML_SCORER rows: streamed markets where the model's probability of a side beats its executable ask after fees. */
  private proposeRows(t: number, wall: WallMs): void {
    for (const [token, id] of this.byToken) {
      const meta = this.meta.get(id);
      if (!meta || this.engine.books.get(token)?.state !== 'fresh') continue;
      const r = this.read(meta.id, t, wall);
      if (r.p === undefined || r.mid === undefined) continue;
      const yes = this.engine.books.get(meta.yes);
      const m = this.engine.catalog.markets.get(meta.id);
      const no = m?.tokenIds[1] ? this.engine.books.get(m.tokenIds[1]) : undefined;
      const best = [
        { side: 0 as const, book: yes, q: r.p },
        { side: 1 as const, book: no, q: 1 - r.p },
      ]
        .map((s) => {
          const ask = s.book?.state === 'fresh' && s.book.bestAsk !== undefined ? s.book.bestAsk / PRICE_SCALE : undefined;
          if (ask === undefined || ask >= 1) return undefined;
          const cost = ask + takerFeePerShare(ask, meta.fee);
          return { ...s, ask, cost, edge: s.q - cost, size: s.book!.bestAskSize };
        })
        .filter((s) => s !== undefined)
        .sort((a, b) => b.edge - a.edge)[0];
      if (!best || best.edge < this.o.minEdge || !m) continue;
      const w = this.weights.get(SCORER_ID);
      const priority = Math.min(0.89, best.q);
      const item: QueueItem = {
        key: `strategy:${SCORER_ID}:${meta.id}`,
        kind: 'strategy',
        label: SCORER_ID,
        // A learned read alerts; the operator decides (never auto-traded).
        tier: 'ALERT',
        priority,
        marketIds: [meta.id],
        tokenId: m.tokenIds[best.side]!,
        question: m.question,
        side: `BUY ${m.outcomes[best.side] ?? (best.side ? 'No' : 'Yes')}`,
        entry: best.ask,
        edge: best.edge,
        size: best.size,
        confidence: Math.max(0, this.verdict!.brierSkillCi[0]),
        gate: 'ready',
        verdict: 'VALIDATED',
        p: best.q,
        reasoning: `model P(${best.side ? 'NO' : 'YES'}) ${best.q.toFixed(3)} vs executable ask ${best.ask.toFixed(3)} + fee = ${best.cost.toFixed(4)} → edge ${best.edge.toFixed(4)} (≥ ${this.o.minEdge}); scorer Brier skill ${this.verdict!.brierSkill.toFixed(4)} (95% CI ${this.verdict!.brierSkillCi[0].toFixed(4)}..${this.verdict!.brierSkillCi[1].toFixed(4)}) over ${this.verdict!.events} out-of-sample events`,
        validated: `Brier skill ${this.verdict!.brierSkill.toFixed(4)} (95% CI ${this.verdict!.brierSkillCi[0].toFixed(4)}..${this.verdict!.brierSkillCi[1].toFixed(4)}, ${this.verdict!.events} events) VALIDATED`,
        autoTradable: false,
        seenAt: wall,
        firstSeen: wall,
        model: r,
      };
      const weight = w?.weight ?? 0;
      item.weight = { weight, rank: priority * (1 + weight), arithmetic: `rank = priority ${priority.toFixed(3)} × (1 + weight ${weight.toFixed(3)}) = ${(priority * (1 + weight)).toFixed(3)}; ${w?.arithmetic ?? 'no record → weight 0'}` };
      this.queue.upsert(item);
    }
  }

  /** ML_SCORER rows leave when not refreshed this cycle (edge gone, model expired, verdict lost, market closed). */
  private dropStaleRows(wall: number): void {
    // Deleting the row being visited is safe while iterating a Map.
    for (const it of this.queue.values()) if (it.label === SCORER_ID && it.kind === 'strategy' && it.seenAt < wall) this.queue.remove(it.key);
  }

  status(): ScorerStatus {
    const v = this.verdict;
    return {
      verdict: v?.verdict ?? 'UNPROVEN',
      note: this.state === 'pending' ? 'validating…' : this.note,
      brierSkill: v && Number.isFinite(v.brierSkill) ? v.brierSkill : null,
      brierSkillCi: v && Number.isFinite(v.brierSkillCi[0]) ? v.brierSkillCi : null,
      events: v?.events ?? 0,
      model: this.retrainer.status(this.engine.now()),
      liveOutcomes: this.liveOutcomes,
      source: v?.source ?? '',
    };
  }

  stop(): void {
    void this.retrainer.close();
  }
}

function sameRead(a: ModelRead | undefined, b: ModelRead): boolean {
  return !!a && a.verdict === b.verdict && a.note === b.note && Math.abs((a.p ?? -1) - (b.p ?? -1)) < 1e-4;
}

/**
 * Starts the scorer from the resolved history the strategy verdicts use; runs
 * behind the UI and never throws. Until it ends (or with no history) the
 * scorer is UNPROVEN and touches nothing.
 */
export async function startScorer(app: { scorer: ScorerLoop; engine: Engine }, from: HistorySource | Promise<ScorerHistory | undefined>, o: ScorerHistoryOptions = {}): Promise<void> {
  const scorer = app.scorer;
  scorer.state = 'pending';
  const started = performance.now(); // a duration: monotonic
  try {
    // A promise: the history was read once for the strategy verdicts and the scorer (history-behind.ts).
    const h = await (from instanceof Promise ? from : historyBehind(from, o).scorer);
    if (!h) {
      scorer.note = 'no resolved history to validate on';
      app.engine.log(`strategies: ${SCORER_ID} UNPROVEN (no resolved history): it shows no model price and proposes nothing`);
      return;
    }
    const v = h.verdict;
    app.engine.log(
      `strategies: ${SCORER_ID} ${v.verdict} on ${v.source} in ${((performance.now() - started) / 1000).toFixed(1)} s: Brier skill vs market ${v.brierSkill.toFixed(4)} (95% CI ${v.brierSkillCi[0].toFixed(4)}..${v.brierSkillCi[1].toFixed(4)}) over ${v.events} out-of-sample events${v.reasons.length ? `; ${v.reasons.join('; ')}` : ''}`,
    );
    await scorer.seed(h);
    const st = scorer.retrainer.status();
    app.engine.log(st.hash ? `scorer: model ${st.hash} trained on ${st.trainedRows.toLocaleString('en-US')} rows (${st.events} events); ${v.verdict === 'VALIDATED' ? 'it reads the queue' : 'it stays out of the queue until VALIDATED'}` : `scorer: no model (${st.lastError ?? 'no data'})`);
  } catch (err) {
    scorer.note = `validation failed: ${(err as Error).message}`;
    app.engine.log(`warning: ${SCORER_ID} validation failed: ${(err as Error).message}; it stays UNPROVEN`);
  } finally {
    scorer.state = 'done';
  }
}
