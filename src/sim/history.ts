// The simulator's resolved past: a deterministic BACKFILL of markets that
// closed in the `days` before the world's epoch, for backtests (src/backtest).
//
// Families are spawned from the same templates as the live world (by a private
// generator World, so the live world's rng, ids and exportTruth() are
// untouched), their hidden truth is walked forward with truth.ts `advance`
// (hourly; every 12 h while the end is more than two weeks away; finer for
// sub-hour windows), and the quoted mid is the makers' quote around the truth
// with no planted bias — so prices are calibrated martingales unless a
// favourite–longshot distortion is asked for. Outcomes are drawn with
// `drawOutcomes` (temporal families: hazard per step). Each market closes a
// few minutes to 1.5 h after its end (the oracle's delay); a temporal market
// whose event happens early is decided then and closes long before its end.
//
// Served by the REST routes once attached (`attachBackfill(world)`, or the
// Simulator option `backfill`, which generates it off the serving thread): Gamma
// /markets?closed=true lists these markets, /prices-history serves their series.
import { DAY_MS, HOUR_MS, MINUTE_MS } from './dates.js';
import { bestAskQuote, bestBidQuote } from './quotes.js';
import { Rng } from './rng.js';
import { advance, drawOutcomes, truthOf } from './truth.js';
import { World } from './world.js';
import type { Family, SimEvent, SimMarket } from './world-types.js';
import { PRICE_SCALE } from '../protocol/units.js';

export interface BackfillOptions {
  /** Days before the epoch that the backfill covers; default 90. */
  days?: number;
  /** Families (events) closing per day over all categories, split by category and template weight; default 40. */
  familiesPerDay?: number;
  /**
   * Favourite–longshot bias b in [0, 0.5]: the quoted fair value is
   * σ((1 − b)·logit(truth)), so longshots are quoted above their truth and
   * favourites below. 0 (default) = calibrated.
   */
  longshotBias?: number;
  /** Safety cap on the number of markets; default 60,000. */
  maxMarkets?: number;
  /**
   * Families per day for named categories, replacing their weight share (a
   * given map replaces the default map). The default lists Bitcoin up/down
   * windows at 24 a day (the venue runs them around the clock; a weight share
   * would give ~2).
   */
  categoryRates?: Record<string, number>;
}

export interface Backfill {
  readonly options: Required<BackfillOptions>;
  readonly startMs: number;
  /** The world's epoch: every backfill market closed before it. */
  readonly endMs: number;
  /** Closed markets (winner and closedMs set), ordered by creation; ids from BACKFILL_MARKET_BASE. */
  readonly markets: SimMarket[];
  readonly events: SimEvent[];
  readonly byId: Map<string, SimMarket>;
  readonly byToken: Map<string, SimMarket>;
  readonly byCondition: Map<string, SimMarket>;
  /** Per YES token: interleaved [unix seconds, price units, …] of the quoted mid; the last pair is the settlement. */
  readonly history: Map<string, Int32Array>;
}

/** Backfill ids live far above the live world's (500,000 + index, 40,000 + index): they never collide. */
export const BACKFILL_MARKET_BASE = 900_000_000;
export const BACKFILL_EVENT_BASE = 800_000_000;

const DEFAULTS: Required<BackfillOptions> = { days: 90, familiesPerDay: 40, longshotBias: 0, maxMarkets: 60_000, categoryRates: { 'Crypto/BTC-UpDown': 24 } };
const PROBES = 6;
const COARSE_STEP_MS = 12 * HOUR_MS;
const FINE_WINDOW_MS = 14 * DAY_MS;

/** What the generator needs from a world: only immutable inputs, so the result is a pure function of them. */
export type BackfillSource = Pick<World, 'seed' | 'epochMs' | 'templates'>;

export function generateBackfill(world: BackfillSource, options: BackfillOptions = {}): Backfill {
  const o: Required<BackfillOptions> = { ...DEFAULTS, ...options };
  if (!(o.days > 0) || !(o.familiesPerDay > 0)) throw new Error('backfill: days and familiesPerDay must be positive');
  if (!(o.longshotBias >= 0 && o.longshotBias <= 0.5)) throw new Error('backfill: longshotBias must be in [0, 0.5]');
  const endMs = world.epochMs;
  const startMs = endMs - o.days * DAY_MS;
  const gen = new World({ seed: `${world.seed}|backfill`, markets: 1, epochMs: startMs, templates: world.templates });
  const pick = new Rng(`backfill-times:${world.seed}`);
  const out = new Builder(gen, o, startMs, endMs, world.seed);
  const cats = Object.entries(world.templates.categories);
  const catWeight = cats.reduce((s, [, c]) => s + c.weight, 0);
  for (const [name, cat] of cats) {
    const tplWeight = cat.families.reduce((s, t) => s + t.weight, 0);
    cat.families.forEach((tpl, ti) => {
      const perDay = o.categoryRates[name] ?? o.familiesPerDay * (cat.weight / catWeight);
      const want = Math.round(perDay * o.days * (tpl.weight / tplWeight));
      if (want <= 0) return;
      // Probe the template's horizon (creation → first close) to aim creation times.
      const hs: number[] = [];
      for (let i = 0; i < PROBES; i++) {
        const f = gen.spawn(name, ti, startMs);
        if (f) hs.push(firstEnd(gen, f) - startMs);
      }
      if (!hs.length) return;
      const lo = startMs - Math.max(...hs) - DAY_MS;
      const hi = endMs - Math.max(0, Math.min(...hs) - DAY_MS);
      let got = 0;
      let failures = 0;
      // Templates with few distinct questions (races, pairs) run out: stop after 30 collisions in a row.
      for (let tries = 0; got < want && tries < want * 20 && failures < 30 && out.count < o.maxMarkets; tries++) {
        const created = Math.floor(pick.uniform(lo, hi) / MINUTE_MS) * MINUTE_MS;
        const f = gen.spawn(name, ti, created);
        if (!f) {
          failures++;
          continue;
        }
        failures = 0;
        const first = firstEnd(gen, f);
        if (first < startMs || first >= endMs || (f.kind !== 'temporal' && f.endMs >= endMs)) continue;
        out.simulate(f, created);
        got++;
      }
    });
  }
  return out.finish();
}

/** Generates (once per world and options) and attaches the backfill so the simulator's REST routes serve it. */
export function attachBackfill(world: World, options: BackfillOptions = {}): Backfill {
  const bf = backfillOf(world, options);
  world.backfill = bf;
  return bf;
}

const cache = new WeakMap<object, Map<string, Backfill>>();

/** The world's attached backfill when the options match, else a cached generation. */
export function backfillOf(world: World, options: BackfillOptions = {}): Backfill {
  const key = JSON.stringify({ ...DEFAULTS, ...options });
  if (world.backfill && JSON.stringify(world.backfill.options) === key) return world.backfill;
  let m = cache.get(world);
  if (!m) cache.set(world, (m = new Map()));
  let bf = m.get(key);
  if (!bf) m.set(key, (bf = generateBackfill(world, options)));
  return bf;
}

function firstEnd(gen: World, f: Family): number {
  let t = Infinity;
  for (const i of f.markets) t = Math.min(t, gen.markets[i]!.endMs);
  return t;
}

/** σ((1 − b)·logit(p)): b > 0 pulls quotes toward 0.5 (longshots rich, favourites cheap). */
export function longshotQuote(p: number, b: number): number {
  if (b === 0) return p;
  const l = Math.log(p / (1 - p)) * (1 - b);
  return 1 / (1 + Math.exp(-l));
}

/**
 * Mid of the makers' best bid and ask around `fair` (probability), in price
 * units: quoteYes's best levels without building the ladders (this runs
 * millions of times per backfill; a test checks it against quoteYes).
 */
export function quotedMid(fair: number, halfSpread: number, tick: number): number {
  const bid = bestBidQuote(fair, halfSpread, tick);
  return Math.round((bid + bestAskQuote(fair, halfSpread, tick, bid)) / 2);
}

interface Pending {
  m: SimMarket;
  points: number[];
}

class Builder {
  readonly markets: SimMarket[] = [];
  readonly events: SimEvent[] = [];
  private readonly eventIndex = new Map<number, number>();
  private readonly history = new Map<string, Int32Array>();
  private families = 0;
  count = 0;

  constructor(
    private readonly gen: World,
    private readonly o: Required<BackfillOptions>,
    private readonly startMs: number,
    private readonly endMs: number,
    private readonly seed: string,
  ) {}

  /** Walks one family from creation to its end (or the epoch) and keeps the members that closed before the epoch. */
  simulate(f: Family, created: number): void {
    const rng = new Rng(`backfill:${this.seed}:${this.families++}`);
    const members: Pending[] = f.markets.map((i) => ({ m: { ...this.gen.markets[i]! }, points: [] }));
    const stop = Math.min(f.endMs, this.endMs - 1);
    const fine = Math.min(HOUR_MS, Math.max(MINUTE_MS, Math.floor((f.endMs - created) / 24)));
    let t = created;
    this.quote(f, members, t);
    while (t < stop) {
      let next = Math.min(stop, t + (f.endMs - t > FINE_WINDOW_MS ? COARSE_STEP_MS : fine));
      if (f.kind === 'temporal') for (const p of members) if (!p.m.closed && p.m.endMs > t && p.m.endMs < next) next = p.m.endMs;
      advance(f, next, rng);
      if (f.kind === 'temporal') {
        if (!f.happened && rng.chance(1 - Math.exp((-f.lambda * (next - t)) / DAY_MS))) {
          // Decided early: the event happens inside the step, the oracle settles YES a little later.
          f.happened = true;
          const at = Math.round(t + rng.next() * (next - t));
          for (const p of members) if (!p.m.closed) this.close(p, 1, at, at + this.delay(rng));
        }
        for (const p of members) if (!p.m.closed && p.m.endMs <= next) this.close(p, 0, p.m.endMs, p.m.endMs + this.delay(rng));
      }
      t = next;
      this.quote(f, members, t);
    }
    if (f.kind !== 'temporal' && f.endMs < this.endMs) {
      const outcomes = drawOutcomes(f, rng);
      for (const p of members) this.close(p, outcomes[p.m.member] ?? 0, f.endMs, f.endMs + this.delay(rng));
    }
    for (const p of members) if (p.m.closed && p.m.closedMs! < this.endMs) this.keep(p);
  }

  /** Oracle delay between the decision and closedTime: 5–90 minutes. */
  private delay(rng: Rng): number {
    return Math.round(rng.uniform(5, 90)) * MINUTE_MS;
  }

  private quote(f: Family, members: Pending[], t: number): void {
    const sec = Math.floor(t / 1000);
    for (const p of members) {
      if (p.m.closed) continue;
      const truth = f.kind === 'temporal' && f.happened ? 0.998 : truthOf(f, p.m.member, t);
      const fair = longshotQuote(truth, this.o.longshotBias);
      const tick = fair < 0.04 || fair > 0.96 ? 10 : 100;
      const mid = quotedMid(fair, p.m.halfSpread, tick);
      const n = p.points.length;
      if (n >= 2 && p.points[n - 2] === sec) p.points[n - 1] = mid;
      else p.points.push(sec, mid);
    }
  }

  private close(p: Pending, yes: 0 | 1, decidedMs: number, closedAtMs: number): void {
    // Gamma prints closedTime to the second.
    const closedMs = Math.floor(closedAtMs / 1000) * 1000;
    // The last quote before the decision stays; after it the book trades at the answer until the oracle settles.
    const sec = Math.floor(decidedMs / 1000);
    while (p.points.length >= 2 && p.points[p.points.length - 2]! > sec) p.points.length -= 2;
    if (decidedMs < p.m.endMs) p.points.push(sec, yes ? 9_980 : 20);
    p.points.push(Math.floor(closedMs / 1000), yes ? PRICE_SCALE : 0);
    p.m.closed = true;
    p.m.winner = yes;
    p.m.closedMs = closedMs;
    p.m.estimate = yes;
  }

  private keep(p: Pending): void {
    if (this.count >= this.o.maxMarkets) return;
    const src = this.gen.events[p.m.event]!;
    let ei = this.eventIndex.get(src.index);
    if (ei === undefined) {
      ei = this.events.length;
      this.eventIndex.set(src.index, ei);
      this.events.push({ ...src, index: ei, id: '', markets: [], tags: [...src.tags] });
    }
    p.m.event = ei;
    p.m.family = -1;
    // Gamma prints dates to the second: keep them exact on the wire.
    p.m.endMs = Math.floor(p.m.endMs / 1000) * 1000;
    p.m.createdMs = Math.floor(p.m.createdMs / 1000) * 1000;
    p.m.bias = { kind: 'none' };
    this.markets.push(p.m);
    this.history.set(p.m.tokenIds[0], Int32Array.from(p.points));
    this.count++;
  }

  finish(): Backfill {
    // Ids in creation order, like the venue's.
    const order = this.markets.map((m, i) => i).sort((a, b) => this.markets[a]!.createdMs - this.markets[b]!.createdMs || a - b);
    const markets = order.map((i) => this.markets[i]!);
    const byId = new Map<string, SimMarket>();
    const byToken = new Map<string, SimMarket>();
    const byCondition = new Map<string, SimMarket>();
    const evOrder: number[] = [];
    const evSeen = new Set<number>();
    markets.forEach((m, i) => {
      m.index = i;
      m.id = String(BACKFILL_MARKET_BASE + i);
      byId.set(m.id, m);
      byToken.set(m.tokenIds[0], m);
      byToken.set(m.tokenIds[1], m);
      byCondition.set(m.conditionId, m);
      if (!evSeen.has(m.event)) (evSeen.add(m.event), evOrder.push(m.event));
    });
    const remap = new Map<number, number>();
    const events = evOrder.map((old, i) => {
      remap.set(old, i);
      const ev = this.events[old]!;
      return { ...ev, index: i, id: String(BACKFILL_EVENT_BASE + i), markets: [] as number[] };
    });
    for (const m of markets) {
      m.event = remap.get(m.event)!;
      events[m.event]!.markets.push(m.index);
    }
    for (const ev of events) ev.endMs = Math.max(...ev.markets.map((i) => markets[i]!.endMs));
    return { options: this.o, startMs: this.startMs, endMs: this.endMs, markets, events, byId, byToken, byCondition, history: this.history };
  }
}

