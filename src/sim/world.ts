// Builds the simulator's catalog from data/sim-templates.json: families of
// markets with hidden latents, events with tags, fee schedules per category, and
// planted mispricings whose ground truth can be exported.
import { linkUpDown, sigmaPerSqrtDay, upDownRules } from './crypto-link.js';
import type { CryptoPaths } from './crypto-paths.js';
import { readFileSync } from 'node:fs';
import { Rng } from './rng.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, dayName, endOfDay, endOfMonth, etWindow, longDate, monthName, windowName } from './dates.js';
import { truthOf } from './truth.js';
import type { Bias, Family, FamilyKind, PlantedTruth, SimEvent, SimMarket, SimSeries } from './world-types.js';
// Added for backtests (src/sim/history.ts): type only, no runtime cycle.
import type { Backfill } from './history.js';
import { dataPath } from '../paths.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
/** A family template; 'match' and 'buckets' exist only in the real-shaped catalog. */
type Template = Record<string, any> & { kind: FamilyKind | 'match' | 'buckets'; weight: number };
interface CategoryTemplate {
  weight: number;
  feeRate: number;
  rebateRate: number;
  tags: string[];
  families: Template[];
  /** Real-shaped catalog: the real taxonomy category these markets belong to. */
  taxonomy?: string;
}
/**
 * The real-shaped catalog: event-grouped sub-markets as the venue lists them
 * (game lines, award categories, macro prints, …). Generated after the core
 * world from its own random streams, `share` × the core size on top of it.
 */
export interface CatalogTemplates {
  share: number;
  /** Market actions on these families per core action (the exchange's own stream). */
  activity: number;
  categories: Record<string, CategoryTemplate>;
}
export interface Templates {
  epoch: string;
  categories: Record<string, CategoryTemplate>;
  duplicateRewrites: [string, string][];
  catalog?: CatalogTemplates;
}

export function loadTemplates(path = dataPath('sim-templates.json')): Templates {
  return JSON.parse(readFileSync(path, 'utf8')) as Templates;
}

export interface WorldOptions {
  seed: string | number;
  markets: number;
  /** Sim start (ms); defaults to the templates' epoch. */
  epochMs?: number;
  templates?: Templates;
  /** Hidden crypto price paths: when given, Bitcoin up/down windows settle on the BTC path (the reference-data server quotes the same path). */
  cryptoPaths?: CryptoPaths;
  /** false: the core world only, without the real-shaped catalog (default true). */
  catalog?: boolean;
}

export const CATEGORIES = [
  'Politics/Election',
  'Politics/Trump',
  'Sports/NBA',
  'Sports/Soccer',
  'Sports/Other',
  'Crypto/BTC-Price',
  'Crypto/BTC-UpDown',
  'Crypto/Altcoins',
  'Tech/Musk',
  'Weather/Temperature',
  'Economics',
  'Culture/Other',
] as const;

/** Latent volatility planted families are calmed to, so a violation persists. */
const CALM_SIGMA = 0.03;
/** The most families of up/down windows alive at once (they respawn every window). */
const MAX_UPDOWN_CHAINS = 24;

export class World {
  readonly markets: SimMarket[] = [];
  readonly events: SimEvent[] = [];
  readonly families: Family[] = [];
  readonly planted: PlantedTruth[] = [];
  readonly byToken = new Map<string, { market: number; outcome: 0 | 1 }>();
  readonly byId = new Map<string, number>();
  readonly byCondition = new Map<string, number>();
  readonly seed: string;
  readonly epochMs: number;
  readonly templates: Templates;
  readonly cryptoPaths: CryptoPaths | undefined;
  /**
   * Added for backtests: resolved markets that closed before the epoch, served
   * by RestRoutes (closed=true, /prices-history) once `attachBackfill(world)`
   * sets it. Not part of the world's own markets, ids or exportTruth().
   */
  backfill: Backfill | undefined = undefined;
  /** The stream in use: the core stream, or the catalog's while catalog families are drawn. */
  private rng: Rng;
  private readonly coreRng: Rng;
  private readonly catalogRng: Rng;
  /** Series of the event being built (catalog families only). */
  private eventSeries: SimSeries | undefined = undefined;
  /** Every family the last successful spawn() created (a game brings one per sub-market). */
  lastSpawn: Family[] = [];
  private readonly questions = new Set<string>();
  private readonly slugs = new Set<string>();
  private readonly slugCounts = new Map<string, number>();
  private updownChains = 0;

  constructor(opts: WorldOptions) {
    this.seed = String(opts.seed);
    this.templates = opts.templates ?? loadTemplates();
    this.epochMs = opts.epochMs ?? Date.parse(this.templates.epoch);
    this.cryptoPaths = opts.cryptoPaths;
    this.rng = this.coreRng = new Rng(`world:${this.seed}`);
    this.catalogRng = new Rng(`world-catalog:${this.seed}`);
    const target = Math.max(1, Math.floor(opts.markets));
    this.generate(target);
    if (opts.catalog !== false) this.generateCatalog(target);
  }

  market(id: string): SimMarket | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.markets[i];
  }

  /** Current truth of a market (for tests and planted-bias quoting). */
  truth(m: SimMarket, t: number): number {
    return truthOf(this.families[m.family]!, m.member, t);
  }

  // ---- generation -------------------------------------------------------

  private generate(target: number): void {
    const nDup = target >= 50 ? Math.max(5, Math.round(target / 150)) : 0;
    this.fillCategories(this.templates.categories, target - nDup);
    this.plant(nDup);
  }

  /**
   * The real-shaped catalog, after the core world is complete (planted
   * mispricings included) and from its own stream: the core world of a seed
   * is the same with or without it. Worlds too small for duplicates get none.
   */
  private generateCatalog(target: number): void {
    const cat = this.templates.catalog;
    if (!cat || target < 50 || !(cat.share > 0)) return;
    const n = Math.round(target * cat.share);
    this.withRng(this.catalogRng, () => this.fillCategories(cat.categories, n, false));
  }

  private withRng<T>(rng: Rng, fn: () => T): T {
    const saved = this.rng;
    this.rng = rng;
    try {
      return fn();
    } finally {
      this.rng = saved;
    }
  }

  /** Catalog category template by name (core categories first). */
  categoryTemplate(name: string): CategoryTemplate | undefined {
    return this.templates.categories[name] ?? this.templates.catalog?.categories[name];
  }

  isCatalogCategory(name: string): boolean {
    return !this.templates.categories[name] && !!this.templates.catalog?.categories[name];
  }

  /** Adds `base` markets across `categoriesIn`, each category to its weight's share. */
  private fillCategories(categoriesIn: Record<string, CategoryTemplate>, base: number, strict = true): void {
    const start = this.markets.length;
    const cats = Object.entries(categoriesIn);
    const totalWeight = cats.reduce((s, [, c]) => s + c.weight, 0);
    const counts = new Map<string, number>(cats.map(([n]) => [n, 0]));
    const failures = new Map<string, number>();
    const shifts = new Map<string, number>();
    const exhausted = new Set<string>();
    // Each category gets its share of markets: always fill the one furthest behind.
    while (this.markets.length - start < base) {
      const remaining = base - (this.markets.length - start);
      let best: [string, CategoryTemplate] | undefined;
      let bestDeficit = -Infinity;
      for (const entry of cats) {
        if (exhausted.has(entry[0])) continue;
        const deficit = (entry[1].weight / totalWeight) * base - counts.get(entry[0])!;
        if (deficit > bestDeficit) {
          bestDeficit = deficit;
          best = entry;
        }
      }
      if (!best) {
        if (!strict) return;
        throw new Error(`simulator templates cannot produce ${base} distinct markets`);
      }
      const [name, cat] = best;
      const ti = weightedIndex(this.rng, cat.families.map((f) => f.weight));
      const tpl = cat.families[ti]!;
      const key = `${name}#${ti}`;
      const shift = shifts.get(key) ?? 0;
      const before = this.markets.length;
      const fam = tpl.kind === 'updown' && this.updownChains >= MAX_UPDOWN_CHAINS ? undefined : this.spawn(name, ti, this.epochMs, remaining, shift);
      if (fam) {
        counts.set(name, counts.get(name)! + this.markets.length - before);
        failures.set(name, 0);
        continue;
      }
      // Collisions: list later instances of that template (further dates) next time.
      shifts.set(key, shift + (tpl.recurDays ?? 7));
      const n = (failures.get(name) ?? 0) + 1;
      failures.set(name, n);
      if (n > 400) exhausted.add(name);
    }
  }

  /**
   * Creates one family instance from a template at time `now`, with at most
   * `room` markets. Returns the family, or undefined if the template cannot fit.
   */
  spawn(category: string, templateIndex: number, now: number, room = Infinity, shiftDays = 0): Family | undefined {
    if (!this.isCatalogCategory(category)) return this.spawnWith(category, templateIndex, now, room, shiftDays);
    const tpl = this.categoryTemplate(category)!.families[templateIndex]!;
    // A named series where the template gives one; else the category's series, as core events carry.
    const series: SimSeries | undefined = tpl.series ? { slug: tpl.series[0], title: tpl.series[1], recurrence: tpl.series[2] ?? 'daily' } : undefined;
    return this.withRng(this.catalogRng, () => {
      this.eventSeries = series;
      try {
        return this.spawnWith(category, templateIndex, now, room, shiftDays);
      } finally {
        this.eventSeries = undefined;
      }
    });
  }

  private spawnWith(category: string, templateIndex: number, now: number, room: number, shiftDays: number): Family | undefined {
    const cat = this.categoryTemplate(category)!;
    const tpl = cat.families[templateIndex]!;
    const rng = this.rng;
    const first = this.families.length;
    const fam = this.newFamily(tpl.kind === 'match' ? 'game' : tpl.kind === 'buckets' ? 'partition' : tpl.kind, category, templateIndex, now);
    if (this.isCatalogCategory(category)) fam.extra = true;
    const ctx = { cat, tpl, rng, now, fam, base: now + shiftDays * DAY_MS };
    let ok = false;
    switch (tpl.kind) {
      case 'binary':
        ok = this.genBinary(ctx);
        break;
      case 'game':
        ok = this.genGame(ctx);
        break;
      case 'temporal':
        ok = this.genTemporal(ctx, room);
        break;
      case 'threshold':
        ok = this.genThreshold(ctx, room);
        break;
      case 'race':
        ok = this.genRace(ctx, room);
        break;
      case 'partition':
        ok = this.genPartition(ctx, room);
        break;
      case 'parentchild':
      case 'conditional':
        ok = room >= 2 && this.genPair(ctx);
        break;
      case 'updown':
        ok = this.genUpDown(ctx);
        if (ok) this.updownChains++;
        break;
      case 'match':
        ok = this.genMatch(ctx);
        break;
      case 'buckets':
        ok = room >= 3 && this.genBuckets(ctx, room);
        break;
    }
    if (!ok) {
      this.families.length = first;
      return undefined;
    }
    this.lastSpawn = this.families.slice(first);
    for (const f of this.lastSpawn) {
      for (const i of f.markets) {
        const m = this.markets[i]!;
        m.estimate = this.truth(m, now);
        m.tick = m.estimate < 0.04 || m.estimate > 0.96 ? 10 : 100;
      }
    }
    return fam;
  }

  private newFamily(kind: FamilyKind, category: string, templateIndex: number, now: number): Family {
    const f: Family = {
      index: this.families.length,
      kind,
      category,
      markets: [],
      x: 0,
      p: 0.5,
      q: 0.5,
      probs: [],
      lambda: 0,
      happened: false,
      sigma: 0.1,
      noise: 0,
      levels: [],
      direction: 1,
      deadlines: [],
      endMs: now + 30 * DAY_MS,
      lastMs: now,
      jumpsPerDay: 0.05,
      recurMs: 0,
      template: { category, family: templateIndex },
      weight: 1,
      resolved: false,
      dups: [],
    };
    this.families.push(f);
    return f;
  }

  private genBinary({ cat, tpl, rng, now, fam, base }: Ctx): boolean {
    const end = base + Math.round(rng.uniform(tpl.horizonDays?.[0] ?? 14, tpl.horizonDays?.[1] ?? 150) * DAY_MS);
    let question = '';
    for (let tries = 0; tries < 30 && (!question || this.questions.has(question)); tries++) {
      const pattern: string = rng.pick(tpl.patterns);
      question = fill(pattern, (key) => (key === 'date' ? longDate(end + rng.int(0, 30) * DAY_MS * (tries > 5 ? 1 : 0)) : pickSlot(tpl, key, rng)));
    }
    if (this.questions.has(question)) return false;
    fam.p = rng.uniform(0.06, 0.94);
    fam.sigma = rng.uniform(0.03, 0.12);
    fam.endMs = end;
    const ev = this.newEvent(question, cat, fam.endMs, false, false, now);
    this.newMarket(ev, fam, question, { endMs: end, now });
    return true;
  }

  private genGame({ cat, tpl, rng, now, fam, base }: Ctx): boolean {
    const teams: string[] = tpl.teams;
    const a = rng.pick(teams);
    let b = rng.pick(teams);
    while (b === a) b = rng.pick(teams);
    const start = base + Math.round(rng.uniform(tpl.horizonDays[0], tpl.horizonDays[1]) * DAY_MS);
    const question = fill(tpl.member, (k) => (k === 'a' ? a : k === 'b' ? b : dayName(start)));
    if (this.questions.has(question)) return false;
    fam.p = rng.uniform(0.25, 0.75);
    fam.sigma = rng.uniform(0.05, 0.15);
    fam.jumpsPerDay = 0.5;
    fam.endMs = start + 3 * HOUR_MS;
    fam.recurMs = (tpl.recurDays ?? 0) * DAY_MS;
    const ev = this.newEvent(fill(tpl.title, (k) => (k === 'a' ? a : b)), cat, fam.endMs, false, false, now);
    this.newMarket(ev, fam, question, { endMs: fam.endMs, now });
    return true;
  }

  private genTemporal({ cat, tpl, rng, now, fam, base }: Ctx, room: number): boolean {
    const action: string = rng.pick(tpl.actions);
    let offsets: number[] = tpl.deadlines;
    if (offsets.length > room) offsets = offsets.slice(offsets.length - Math.max(2, room));
    if (offsets.length > room) return false;
    const deadlines = offsets.map((o) => endOfMonth(base, o));
    const q = (d: string) => fill(tpl.stem, (k) => (k === 'action' ? action : d)).replace(/\s+/g, ' ');
    const questions = deadlines.map((d) => q(longDate(d)));
    if (questions.some((x) => this.questions.has(x))) return false;
    const last = deadlines[deadlines.length - 1]!;
    const pLast = rng.uniform(0.15, 0.85);
    fam.lambda = -Math.log(1 - pLast) / ((last - now) / DAY_MS);
    fam.deadlines = deadlines;
    fam.endMs = last;
    const ev = this.newEvent(q('...'), cat, last, false, false, now);
    deadlines.forEach((d, i) => this.newMarket(ev, fam, questions[i]!, { endMs: d, now, group: monthName(d) }));
    return true;
  }

  private genThreshold({ cat, tpl, rng, now, fam, base: from }: Ctx, room: number): boolean {
    let count = rng.int(tpl.count[0], tpl.count[1] + 1);
    count = Math.min(count, room);
    if (count < 2) return false;
    let base: number = tpl.base;
    let step: number = tpl.step;
    let subject = '';
    if (tpl.coins) {
      const [name, b, s] = rng.pick(tpl.coins as [string, number, number][]);
      subject = name;
      base = b;
      step = s;
    } else if (tpl.movies) subject = rng.pick(tpl.movies as string[]);
    const dir: 1 | -1 = tpl.direction === 'down' ? -1 : 1;
    const end = endOfDay(from + Math.round(rng.uniform(tpl.horizonDays[0], tpl.horizonDays[1])) * DAY_MS);
    const money = tpl.format === 'money';
    const ks = Array.from({ length: count }, (_, i) => round6(base + dir * i * step));
    if (ks.some((k) => k <= 0)) return false;
    const text = (k: number | string) =>
      fill(tpl.stem, (key) =>
        key === 'k' ? (typeof k === 'string' ? k : formatThreshold(k, tpl.format)) : key === 'date' ? longDate(end) : key === 'month' ? monthName(end) : subject,
      );
    const questions = ks.map((k) => text(k));
    if (questions.some((x) => this.questions.has(x))) return false;
    // Latent in log units for prices, linear otherwise; the middle rung starts near even.
    const toLatent = (k: number) => (money ? Math.log(k) : k);
    const mid = toLatent(ks[Math.floor(count / 2)]!);
    const scale = money ? Math.abs(Math.log(ks[1]! / ks[0]!)) : step;
    fam.levels = ks.map(toLatent);
    fam.direction = dir;
    fam.x = mid + dir * scale * rng.uniform(-1.5, 1.5);
    const days = (end - now) / DAY_MS;
    // Spread over the horizon of about two rungs, so the ladder is informative.
    fam.sigma = (scale * rng.uniform(1.2, 2.5)) / Math.sqrt(days);
    fam.noise = scale * 0.2;
    fam.endMs = end;
    const ev = this.newEvent(text('…'), cat, end, false, false, now);
    ks.forEach((k, i) => this.newMarket(ev, fam, questions[i]!, { endMs: end, now, group: formatThreshold(k, tpl.format) }));
    return true;
  }

  private genRace({ cat, tpl, rng, now, fam, base }: Ctx, room: number): boolean {
    const race: string = rng.pick(tpl.races);
    let size = rng.int(tpl.size[0], tpl.size[1] + 1);
    const augmented = tpl.otherShare > 0 && rng.chance(tpl.otherShare);
    size = Math.min(size, room - (augmented ? 1 : 0));
    if (size < 2) return false;
    const names = rng.shuffle([...(tpl.candidates as string[])]).slice(0, size);
    const title = fill(tpl.title, () => race);
    const members = names.map((c) => ({ q: fill(tpl.member, (k) => (k === 'race' ? race : c)), group: c }));
    if (augmented) members.push({ q: fill(tpl.member, (k) => (k === 'race' ? race : 'another candidate')), group: 'Other' });
    if (members.some((m) => this.questions.has(m.q))) return false;
    const weights = members.map((_, i) => rng.exponential(1) * (i === 0 ? 2 : 1));
    if (augmented) weights[weights.length - 1] = rng.uniform(0.15, 0.35) * weights.reduce((a, b) => a + b, 0);
    const total = weights.reduce((a, b) => a + b, 0);
    fam.probs = weights.map((w) => w / total);
    fam.sigma = rng.uniform(0.05, 0.15);
    fam.endMs = endOfDay(base + Math.round(rng.uniform(20, 240)) * DAY_MS);
    const ev = this.newEvent(title, cat, fam.endMs, true, augmented, now);
    for (const m of members) this.newMarket(ev, fam, m.q, { endMs: fam.endMs, now, group: m.group });
    return true;
  }

  private genPartition({ cat, tpl, rng, now, fam, base }: Ctx, room: number): boolean {
    const n = Math.min(rng.int(tpl.buckets[0], tpl.buckets[1] + 1), room);
    if (n < 3) return false;
    const width: number = tpl.width;
    let center: number;
    let place = '';
    let end: number;
    let when: string;
    if (tpl.cities) {
      const [city, temp] = rng.pick(tpl.cities as [string, number][]);
      place = city;
      end = endOfDay(base + Math.round(rng.uniform(tpl.horizonDays[0], tpl.horizonDays[1])) * DAY_MS);
      when = dayName(end);
      center = temp + rng.normal() * 4;
      fam.sigma = 1.5;
      fam.noise = 1.2;
    } else {
      end = endOfDay(base + Math.round(rng.uniform(tpl.horizonDays[0], tpl.horizonDays[1])) * DAY_MS);
      when = windowName(end - 7 * DAY_MS, end);
      center = tpl.lo + (width * n) / 2 + rng.normal() * width;
      fam.sigma = width * 0.6;
      fam.noise = width * 0.4;
    }
    const lo = Math.round(center - (width * (n - 2)) / 2);
    const edges = [-Infinity, ...Array.from({ length: n - 1 }, (_, i) => lo + i * width), Infinity];
    const unit: string = tpl.unit ?? '';
    const bucket = (i: number) =>
      i === 0
        ? tpl.cities
          ? `${edges[1]! - 1}${unit} or below`
          : `fewer than ${edges[1]}`
        : i === n - 1
          ? `${edges[i]}${unit} or higher`
          : tpl.cities
            ? `between ${edges[i]}-${edges[i + 1]! - 1}${unit}`
            : `${edges[i]}-${edges[i + 1]! - 1}`;
    const slot = (i: number) => (k: string) => (k === 'city' ? place : k === 'day' || k === 'window' ? when : bucket(i));
    const questions = Array.from({ length: n }, (_, i) => fill(tpl.member, slot(i)));
    if (questions.some((x) => this.questions.has(x))) return false;
    fam.levels = edges;
    fam.x = center;
    fam.endMs = end;
    fam.recurMs = (tpl.recurDays ?? 0) * DAY_MS;
    const ev = this.newEvent(fill(tpl.title, slot(0)), cat, end, true, false, now);
    questions.forEach((q, i) => this.newMarket(ev, fam, q, { endMs: end, now, group: bucket(i) }));
    return true;
  }

  private genPair({ cat, tpl, rng, now, fam, base }: Ctx): boolean {
    let parent: string;
    let child: string;
    if (tpl.kind === 'conditional') {
      const race: string = rng.pick(tpl.races);
      const [party, short] = rng.pick(tpl.parties as [string, string][]);
      const cand: string = rng.pick(tpl.candidates);
      parent = fill(tpl.party, (k) => (k === 'party' ? party : race));
      child = fill(tpl.candidate, (k) => (k === 'candidate' ? cand : k === 'partyShort' ? short : race));
    } else {
      const vars: Record<string, string> = {};
      const slot = (k: string) => (vars[k] ??= pickSlot(tpl, k, rng));
      parent = fill(tpl.parent, slot);
      child = fill(tpl.child, slot);
    }
    if (this.questions.has(parent) || this.questions.has(child)) return false;
    fam.p = rng.uniform(0.2, 0.75);
    fam.q = rng.uniform(0.2, 0.7);
    fam.sigma = rng.uniform(0.03, 0.08);
    fam.endMs = endOfDay(base + Math.round(rng.uniform(60, 300)) * DAY_MS);
    const e1 = this.newEvent(parent, cat, fam.endMs, false, false, now);
    this.newMarket(e1, fam, parent, { endMs: fam.endMs, now });
    const e2 = this.newEvent(child, cat, fam.endMs, false, false, now);
    this.newMarket(e2, fam, child, { endMs: fam.endMs, now });
    return true;
  }

  private genUpDown({ cat, tpl, rng, now, fam }: Ctx): boolean {
    const minutes: number = rng.pick(tpl.windowMinutes);
    const window = minutes * MINUTE_MS;
    const start = Math.floor(now / window) * window + (this.updownChains % 3) * window;
    const end = start + window;
    const question = fill(tpl.member, () => etWindow(start, end));
    if (this.questions.has(question)) return false;
    fam.sigma = 0.03; // BTC daily volatility, log units
    fam.noise = 0.0002;
    fam.x = now > start ? fam.sigma * Math.sqrt((now - start) / DAY_MS) * rng.normal() : 0;
    fam.endMs = end;
    fam.recurMs = window;
    fam.jumpsPerDay = 2;
    const ev = this.newEvent(question, cat, end, false, false, now);
    const m = this.newMarket(ev, fam, question, { endMs: end, now, outcomes: ['Up', 'Down'] });
    if (this.cryptoPaths) {
      fam.link = linkUpDown(this.cryptoPaths, 'BTC', start, end);
      fam.sigma = sigmaPerSqrtDay(this.cryptoPaths, 'BTC');
      fam.noise = 0;
      fam.x = fam.link.at(now);
      m.description = upDownRules('BTC').description;
    }
    return true;
  }

  /**
   * One scheduled game as the venue lists it: an event of sub-markets whose
   * questions are short and mean something only with the event ("Spread:
   * Kings (-1.5)", "O/U 5.5", "Game 2 Winner", "Fight to Go the Distance?"),
   * each with its sportsMarketType, groupItemTitle, line and gameStartTime.
   * A three-way soccer result is a negRisk event of its own (home, draw, away)
   * and the other lines go to a "More Markets" event, as on the venue.
   * Every sub-market is its own family (its own probability); the first one
   * (the match result) recurs and brings the next game with all its lines.
   */
  private genMatch({ cat, tpl, rng, now, fam, base }: Ctx): boolean {
    const teams = tpl.teams as [string, string][];
    const ai = rng.int(0, teams.length);
    let bi = rng.int(0, teams.length);
    while (bi === ai) bi = rng.int(0, teams.length);
    const [a, ca] = teams[ai]!;
    const [b, cb] = teams[bi]!;
    // Scheduled on the quarter hour, as real fixtures are.
    const start = Math.round((base + rng.uniform(tpl.horizonDays[0], tpl.horizonDays[1]) * DAY_MS) / (15 * MINUTE_MS)) * 15 * MINUTE_MS;
    const end = start + (tpl.durationHours ?? 3) * HOUR_MS;
    const day = new Date(start).toISOString().slice(0, 10);
    const vars: Record<string, string> = { a, b, day, date: dayName(start), prefix: tpl.prefix ?? '', stage: tpl.stages ? rng.pick(tpl.stages as string[]) : '' };
    const text = (pattern: string, extra: Record<string, string> = {}) => fill(pattern, (k) => extra[k] ?? vars[k] ?? k).replace(/\s+/g, ' ').trim();
    const evSlug = `${tpl.code}-${ca}-${cb}-${day}`;
    const title = text(tpl.title);
    const eventOf = (() => {
      const made: Record<string, SimEvent> = {};
      return (key: 'main' | 'more' | 'result', negRisk = false): SimEvent =>
        (made[key] ??=
          key === 'more'
            ? this.newEvent(text(tpl.moreTitle ?? '{a} vs. {b} - More Markets'), cat, end, false, false, now, `${evSlug}-more-markets`)
            : this.newEvent(title, cat, end, negRisk, false, now, evSlug));
    })();
    fam.recurMs = (tpl.recurDays ?? 1) * DAY_MS;
    const setGame = (f: Family, p: number) => {
      f.p = p;
      f.sigma = rng.uniform(0.04, 0.12);
      f.jumpsPerDay = 0.5;
      f.endMs = end;
    };
    const common = { endMs: end, now, gameStartMs: start };
    let first = true;
    const nextFamily = (): Family => {
      if (first) {
        first = false;
        return fam;
      }
      const f = this.newFamily('game', fam.category, fam.template.family, now);
      f.extra = true;
      return f;
    };
    for (const spec of tpl.lines as Record<string, any>[]) {
      if (spec.chance !== undefined && !rng.chance(spec.chance)) continue;
      if (spec.type === 'three_way') {
        // Home, draw, away: exhaustive, one negRisk event.
        const f = nextFamily();
        f.kind = 'race';
        const w = [rng.uniform(0.8, 2.2), rng.uniform(0.6, 1.0), rng.uniform(0.8, 2.2)];
        const total = w[0]! + w[1]! + w[2]!;
        f.probs = w.map((x) => x / total);
        f.sigma = rng.uniform(0.04, 0.1);
        f.endMs = end;
        const ev = eventOf('result', true);
        const members: [string, string, string][] = [
          [text(spec.win, { team: a }), a, `${evSlug}-${ca}`],
          [text(spec.draw), text(spec.drawGroup ?? 'Draw ({a} vs. {b})'), `${evSlug}-draw`],
          [text(spec.win, { team: b }), b, `${evSlug}-${cb}`],
        ];
        for (const [q, g, slug] of members) this.newMarket(ev, f, q, { ...common, group: g, slugText: slug, sportsMarketType: 'moneyline' });
        continue;
      }
      const ev = spec.more ? eventOf('more') : eventOf('main');
      const ns: number[] = spec.n ?? [0];
      const count = spec.count ? rng.int(spec.count[0], spec.count[1] + 1) : 1;
      const lines = new Set<number>();
      for (const n of ns) {
        for (let c = 0; c < count; c++) {
          let line: number | undefined;
          if (spec.line) {
            for (let tries = 0; tries < 10 && (line === undefined || lines.has(line)); tries++) line = Math.floor(rng.uniform(spec.line[0], spec.line[1])) + 0.5;
            if (lines.has(line!)) continue;
            lines.add(line!);
          }
          const favA = rng.chance(0.5);
          const fav = favA ? a : b;
          const dog = favA ? b : a;
          const player = spec.players ? rng.pick(tpl.players as string[]) : '';
          const slots: Record<string, string> = { fav, dog, n: String(n), player, line: line === undefined ? '' : String(line) };
          const outcomes = (spec.outcomes as [string, string] | undefined)?.map((o) => text(o, slots)) as [string, string] | undefined;
          const f = nextFamily();
          setGame(f, spec.type === 'moneyline' || spec.type === 'child_moneyline' ? rng.uniform(0.25, 0.75) : rng.uniform(0.3, 0.7));
          const q = text(spec.question, slots);
          this.newMarket(ev, f, q, {
            ...common,
            group: text(spec.group ?? '', slots),
            slugText: `${ev.slug}-${text(spec.slug ?? spec.type, slots).replace(/\./g, 'pt')}`,
            sportsMarketType: spec.type,
            ...(outcomes ? { outcomes } : {}),
            ...(line !== undefined ? { line: spec.negativeLine ? -line : line } : {}),
          });
        }
      }
    }
    return fam.markets.length > 0;
  }

  /**
   * A print or count split into ranges, one negRisk event ("How many jobs
   * were added in March 2027?", "Measles cases in 2027?"): bucket labels in
   * display units, the latent in the same units.
   */
  private genBuckets({ cat, tpl, rng, now, fam, base }: Ctx, room: number): boolean {
    const n = Math.min(rng.int(tpl.buckets[0], tpl.buckets[1] + 1), room);
    if (n < 3) return false;
    const width: number = tpl.width;
    const dec: number = tpl.decimals ?? 0;
    const step = 10 ** -dec;
    const end = endOfDay(base + Math.round(rng.uniform(tpl.horizonDays[0], tpl.horizonDays[1])) * DAY_MS);
    const period = tpl.period === 'year' ? String(new Date(end).getUTCFullYear()) : tpl.period === 'week' ? windowName(end - 7 * DAY_MS, end) : monthName(end - (tpl.lagDays ?? 0) * DAY_MS);
    const subject: string = tpl.subjects ? rng.pick(tpl.subjects as string[]) : '';
    const center = rng.uniform(tpl.center[0], tpl.center[1]);
    const lo = Math.round((center - (width * (n - 2)) / 2) / width) * width;
    const edges = [-Infinity, ...Array.from({ length: n - 1 }, (_, i) => round6(lo + i * width)), Infinity];
    const v = (x: number) => `${tpl.prefix ?? ''}${x.toLocaleString('en-US', { minimumFractionDigits: dec, maximumFractionDigits: dec })}${tpl.unit ?? ''}`;
    const label = (i: number) =>
      i === 0
        ? fill(tpl.labels.below, () => v(edges[1]!))
        : i === n - 1
          ? fill(tpl.labels.above, () => v(edges[i]!))
          : fill(tpl.labels.between, (k) => (k === 'lo' ? v(edges[i]!) : v(round6(edges[i + 1]! - step))));
    const slot = (i: number) => (k: string) => (k === 'period' ? period : k === 'subject' ? subject : label(i));
    const questions = Array.from({ length: n }, (_, i) => fill(tpl.member, slot(i)));
    if (questions.some((x) => this.questions.has(x))) return false;
    fam.levels = edges;
    fam.x = center;
    fam.sigma = (width * rng.uniform(0.8, 1.6)) / Math.sqrt(Math.max(1, (end - now) / DAY_MS));
    fam.noise = width * 0.3;
    fam.endMs = end;
    fam.recurMs = (tpl.recurDays ?? 0) * DAY_MS;
    const ev = this.newEvent(fill(tpl.title, slot(0)), cat, end, true, false, now);
    questions.forEach((q, i) => this.newMarket(ev, fam, q, { endMs: end, now, group: label(i) }));
    return true;
  }

  private newEvent(title: string, cat: CategoryTemplate, endMs: number, negRisk: boolean, augmented: boolean, now: number, slugText = title): SimEvent {
    const index = this.events.length;
    const category =
      Object.keys(this.templates.categories).find((k) => this.templates.categories[k] === cat) ??
      Object.keys(this.templates.catalog?.categories ?? {}).find((k) => this.templates.catalog!.categories[k] === cat)!;
    const ev: SimEvent = {
      index,
      id: String(40_000 + index),
      title,
      slug: this.uniqueSlug(slugText),
      description: `Event: ${title}`,
      category,
      tags: cat.tags,
      negRisk,
      augmented,
      markets: [],
      createdMs: now,
      endMs,
    };
    if (negRisk) ev.negRiskMarketId = `0x${this.rng.hex(64)}`;
    if (this.eventSeries !== undefined) ev.series = this.eventSeries;
    this.events.push(ev);
    return ev;
  }

  private newMarket(
    ev: SimEvent,
    fam: Family,
    question: string,
    o: { endMs: number; now: number; group?: string; outcomes?: [string, string]; slugText?: string; sportsMarketType?: string; gameStartMs?: number; line?: number },
  ): SimMarket {
    const rng = this.rng;
    const cat = this.categoryTemplate(fam.category)!;
    const index = this.markets.length;
    const volume = Math.round(rng.logNormal(40_000, 1.5) * 100) / 100;
    const m: SimMarket = {
      index,
      id: String(500_000 + index),
      conditionId: `0x${rng.hex(64)}`,
      questionId: `0x${rng.hex(64)}`,
      question,
      slug: this.uniqueSlug(o.slugText ?? question),
      description: `This market will resolve to "Yes" if the following comes true: ${question} Otherwise it resolves to "No".`,
      category: fam.category,
      event: ev.index,
      family: fam.index,
      member: fam.markets.length,
      outcomes: o.outcomes ?? ['Yes', 'No'],
      tokenIds: [rng.digits(77), rng.digits(77)],
      negRisk: ev.negRisk,
      feeRate: cat.feeRate,
      rebateRate: cat.rebateRate,
      tick: 100,
      minOrderSize: 5,
      volume,
      createdMs: o.now,
      endMs: o.endMs,
      closed: false,
      bias: { kind: 'none' },
      estimate: 0.5,
      halfSpread: rng.pick([0.01, 0.01, 0.02, 0.02, 0.03]),
      depth: Math.round(rng.logNormal(250, 0.7)),
      activity: Math.sqrt(volume) / 100,
    };
    if (o.group) m.groupItemTitle = o.group;
    if (o.sportsMarketType) m.sportsMarketType = o.sportsMarketType;
    if (o.gameStartMs !== undefined) m.gameStartMs = o.gameStartMs;
    if (o.line !== undefined) m.line = o.line;
    this.markets.push(m);
    fam.markets.push(index);
    fam.weight = fam.markets.reduce((s, i) => s + this.markets[i]!.activity, 0);
    if (fam.kind !== 'temporal') fam.deadlines.push(o.endMs);
    ev.markets.push(index);
    this.questions.add(question);
    this.byId.set(m.id, index);
    this.byCondition.set(m.conditionId, index);
    this.byToken.set(m.tokenIds[0], { market: index, outcome: 1 });
    this.byToken.set(m.tokenIds[1], { market: index, outcome: 0 });
    return m;
  }

  private uniqueSlug(text: string): string {
    const base = text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 80);
    let slug = base;
    if (this.slugs.has(slug)) {
      let i = this.slugCounts.get(base) ?? 1;
      do slug = `${base}-${++i}`;
      while (this.slugs.has(slug));
      this.slugCounts.set(base, i);
    }
    this.slugs.add(slug);
    return slug;
  }

  // ---- planted mispricings ---------------------------------------------

  private plant(nDup: number): void {
    const rng = this.rng.fork('plant');
    const N = this.markets.length + nDup;
    const longLived = (f: Family) => f.endMs - this.epochMs > 20 * DAY_MS && f.recurMs === 0;
    const taken = new Set<number>();
    const pickFamilies = (pred: (f: Family) => boolean, n: number) =>
      rng
        .shuffle(this.families.filter((f) => !taken.has(f.index) && longLived(f) && pred(f)))
        .slice(0, n)
        .map((f) => (taken.add(f.index), f));

    // YES + NO ≠ 1 on single binaries; both directions.
    for (const f of pickFamilies((f) => f.kind === 'binary' && f.p > 0.25 && f.p < 0.75, Math.max(3, Math.round(N / 300)))) {
      const m = this.markets[f.markets[0]!]!;
      this.calm(f, m);
      const d = 2 * m.halfSpread + 0.02 + 2 * m.feeRate * 0.25 + 0.02 + rng.uniform(0, 0.03);
      m.bias = { kind: 'no-shift', d: rng.chance(0.6) ? d : -d };
      this.planted.push({ kind: 'binary', marketIds: [m.id] });
    }
    // negRisk baskets mispriced: exhaustive races only.
    for (const f of pickFamilies((f) => f.kind === 'race' && !this.events[this.markets[f.markets[0]!]!.event]!.augmented && f.markets.length <= 8, Math.max(2, Math.round(N / 800)))) {
      const members = f.markets.map((i) => this.markets[i]!);
      for (const m of members) this.calm(f, m);
      const n = members.length;
      const r = n * (0.01 + 0.01) + members[0]!.feeRate + 0.03 + rng.uniform(0, 0.03);
      const long = rng.chance(0.6);
      for (const m of members) m.bias = long ? { kind: 'scale', r } : { kind: 'lift', r, n };
      this.planted.push({ kind: 'negrisk', marketIds: members.map((m) => m.id) });
    }
    // Implication violations: child above parent, earlier deadline above later, higher threshold above lower.
    const implicationOk = (f: Family) => {
      if (f.kind === 'parentchild' || f.kind === 'conditional') return f.p < 0.7;
      if (f.kind === 'temporal') return f.markets.length >= 2 && this.truth(this.markets[f.markets[f.markets.length - 1]!]!, this.epochMs) < 0.7;
      // Judged as calm() will leave it: a smaller sigma narrows the threshold's
      // spread, so a rung that reads 0.65 before can read 0.99 after, and a
      // market quoted "above" it has no room left (the violation would never show).
      if (f.kind === 'threshold') return truthOf({ ...f, sigma: Math.min(f.sigma, CALM_SIGMA), jumpsPerDay: 0 }, this.markets[f.markets[0]!]!.member, this.epochMs) < 0.7;
      return false;
    };
    for (const f of pickFamilies(implicationOk, Math.max(3, Math.round(N / 300)))) {
      // a ⇒ b, but a will be quoted above b.
      const [a, b] =
        f.kind === 'temporal'
          ? [f.markets[f.markets.length - 2]!, f.markets[f.markets.length - 1]!]
          : f.kind === 'threshold'
            ? [f.markets[1]!, f.markets[0]!]
            : [f.markets[1]!, f.markets[0]!];
      const ma = this.markets[a]!;
      const mb = this.markets[b]!;
      for (const i of f.markets) this.calm(f, this.markets[i]!);
      const d = 2 * 0.01 + 0.02 + 2 * ma.feeRate * 0.25 + 0.03 + rng.uniform(0, 0.03);
      ma.bias = { kind: 'above', ref: b, d };
      this.planted.push({ kind: 'implication', marketIds: [ma.id, mb.id] });
    }
    // The trap: "Other" outcomes of non-exhaustive events quoted far below truth.
    for (const f of this.families.filter((f) => f.kind === 'race' && this.events[this.markets[f.markets[0]!]!.event]!.augmented)) {
      if (!rng.chance(0.5)) continue;
      this.markets[f.markets[f.markets.length - 1]!]!.bias = { kind: 'trap', r: 0.9 };
    }
    this.addDuplicates(nDup, rng, taken);
  }

  /** Planted markets need stable prices so the violation persists. */
  private calm(f: Family, m: SimMarket): void {
    f.sigma = Math.min(f.sigma, CALM_SIGMA);
    f.jumpsPerDay = 0;
    m.halfSpread = 0.01;
    m.depth = Math.max(m.depth, 150);
  }

  private addDuplicates(n: number, rng: Rng, taken: Set<number>): void {
    const rules = this.templates.duplicateRewrites.map(([re, to]) => [new RegExp(re), to] as const);
    const candidates = rng.shuffle(this.families.filter((f) => (f.kind === 'binary' || f.kind === 'parentchild') && f.recurMs === 0 && !taken.has(f.index)));
    let added = 0;
    for (const f of candidates) {
      if (added >= n) break;
      const orig = this.markets[f.markets[0]!]!;
      const rule = rules.find(([re]) => re.test(orig.question));
      if (!rule) continue;
      const question = orig.question.replace(rule[0], rule[1]);
      if (question === orig.question || this.questions.has(question)) continue;
      const cat = this.templates.categories[f.category]!;
      const ev = this.newEvent(question, cat, orig.endMs, false, false, this.epochMs);
      // Same family and member: the duplicate shares the original's truth.
      const dup = this.newMarket(ev, f, question, { endMs: orig.endMs, now: this.epochMs });
      dup.member = orig.member;
      // Keep the family's member list to its logical members.
      f.markets.pop();
      if (f.kind !== 'temporal') f.deadlines.pop();
      f.dups.push(dup.index);
      dup.estimate = orig.estimate;
      dup.tick = orig.tick;
      this.planted.push({ kind: 'duplicate', marketIds: [orig.id, dup.id] });
      added++;
    }
    // Not enough rewritable questions: top up with plain binaries so the count is exact.
    while (added < n) {
      const cat = Object.keys(this.templates.categories).find((c) => this.templates.categories[c]!.families.some((t) => t.kind === 'binary'))!;
      const idx = this.templates.categories[cat]!.families.findIndex((t) => t.kind === 'binary');
      if (this.spawn(cat, idx, this.epochMs, 1)) added++;
    }
  }

  /** Members of a family including duplicates that share their truth. */
  familyMarkets(f: Family): number[] {
    return f.dups.length ? [...f.markets, ...f.dups] : f.markets;
  }

  /** Quoted fair value for a market's YES book, planted bias applied. */
  quotedFair(m: SimMarket, t: number): number {
    const b: Bias = m.bias;
    switch (b.kind) {
      case 'none':
      case 'no-shift':
        return m.estimate;
      case 'scale':
        return m.estimate * (1 - b.r);
      case 'lift':
        return m.estimate + (b.r * (1 - m.estimate)) / (b.n - 1);
      case 'above':
        return Math.min(0.97, this.markets[b.ref]!.estimate + b.d);
      case 'trap':
        return m.estimate * (1 - b.r);
    }
    void t;
  }

  /** Ground truth for tests: `{seed, markets, planted}` (what was planted where, and why). */
  exportTruth(): object {
    return {
      seed: this.seed,
      markets: this.markets.map((m) => ({
        id: m.id,
        conditionId: m.conditionId,
        question: m.question,
        category: m.category,
        eventId: this.events[m.event]!.id,
        negRisk: m.negRisk,
        tokenIds: m.tokenIds,
      })),
      planted: this.planted,
    };
  }
}

interface Ctx {
  cat: CategoryTemplate;
  tpl: Template;
  rng: Rng;
  /** Creation time. */
  now: number;
  /** Base for dates in questions: later than now when earlier instances collided. */
  base: number;
  fam: Family;
}

function weightedIndex(rng: Rng, weights: number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

function fill(pattern: string, slot: (key: string) => string): string {
  return pattern.replace(/\{(\w+)\}/g, (_, key: string) => slot(key));
}

/** A template slot {x} takes a value from the template's `x` or `xs` list. */
function pickSlot(tpl: Template, key: string, rng: Rng): string {
  const list = tpl[key] ?? tpl[`${key}s`] ?? tpl[key.replace(/y$/, 'ies')];
  if (Array.isArray(list) && list.length) return String(rng.pick(list));
  return key;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export function formatThreshold(k: number, format: string): string {
  if (format === 'money') {
    if (k >= 1000) return Math.round(k).toLocaleString('en-US');
    if (k >= 10 && Number.isInteger(k)) return String(k);
    return k.toFixed(2);
  }
  if (format === 'pct1') return k.toFixed(1);
  return String(Math.round(k));
}
