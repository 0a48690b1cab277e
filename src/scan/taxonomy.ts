// Categorisation from data/taxonomy.json into two levels, family/category
// ("Sports/NHL"). Gamma's own structure is read before any text, strongest
// first: the event's series slug, the league code of a game slug
// ("nhl-wsh-mon-2024-12-07"), then hints — sportsMarketType, tags, the
// legacy `category` field — that fix a family without naming the category.
// Text rules then read the question, the event title (sub-markets such as
// "O/U 3.5" only make sense with it) and last the description. A game
// "A vs. B" is placed in the league whose team list holds both sides, so
// "Avalanche vs. Wild" is NHL and never a coin. Text is normalised first
// (normalize.ts foldText). The rule that decided sets the confidence.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { dataPath } from '../paths.js';
import { foldText } from './normalize.js';

const ruleSchema = z
  .object({
    category: z.string().min(1),
    any: z.array(z.string()).optional(),
    all: z.array(z.string()).optional(),
    none: z.array(z.string()).optional(),
  })
  .refine((r) => (r.any?.length ?? 0) + (r.all?.length ?? 0) > 0, 'a rule needs `any` or `all` patterns');

export const taxonomySchema = z.object({
  version: z.number().int(),
  fallback: z.string().min(1),
  /** Family → its default category (used when a family is known but no rule names the category). */
  families: z.record(z.string(), z.string()).default({}),
  categories: z.array(z.string().min(1)).min(1),
  rules: z.array(ruleSchema),
  tagRules: z.array(z.object({ category: z.string().min(1), tags: z.array(z.string().min(1)).min(1) })).default([]),
  seriesRules: z.array(z.object({ category: z.string().min(1), pattern: z.string().min(1) })).default([]),
  leagueCodes: z.record(z.string(), z.array(z.string().min(1))).default({}),
  gammaCategories: z.record(z.string(), z.string()).default({}),
  teams: z.record(z.string(), z.array(z.string().min(1))).default({}),
});
export type TaxonomyData = z.output<typeof taxonomySchema>;

export type MatchedOn = 'series' | 'slug' | 'question' | 'event' | 'tags' | 'family' | 'description' | 'fallback';

export interface Categorized {
  family: string;
  category: string;
  matchedOn: MatchedOn;
  /** series/slug 0.95, question 1, event title 0.85, tags 0.75, family hint only 0.6, description 0.5, fallback 0.3. */
  confidence: number;
}

/** What the categoriser reads of a market: only the question is required. */
export interface MarketFacts {
  question: string;
  eventTitle?: string | undefined;
  tags?: readonly string[] | undefined;
  slug?: string | undefined;
  eventSlug?: string | undefined;
  seriesSlug?: string | undefined;
  sportsMarketType?: string | undefined;
  /** Gamma's legacy `category` field ("Sports", "Pop-Culture ", "US-current-affairs"). */
  gammaCategory?: string | undefined;
  description?: string | undefined;
}

const CONFIDENCE: Record<MatchedOn, number> = { series: 0.95, slug: 0.95, question: 1, event: 0.85, tags: 0.75, family: 0.6, description: 0.5, fallback: 0.3 };

export function familyOf(category: string): string {
  const i = category.indexOf('/');
  return i < 0 ? category : category.slice(0, i);
}

/** One frozen result per (category, field): categorising 30,000 markets allocates little. */
const results = new Map<string, Categorized>();
function result(category: string, matchedOn: MatchedOn): Categorized {
  const k = `${matchedOn}:${category}`;
  let r = results.get(k);
  if (!r) {
    r = Object.freeze({ family: familyOf(category), category, matchedOn, confidence: CONFIDENCE[matchedOn] });
    results.set(k, r);
  }
  return r;
}

interface CompiledRule {
  category: string;
  family: string;
  any: RegExp | undefined;
  all: RegExp[];
  none: RegExp | undefined;
}

/** A game slug: league code, two team codes, a date ("nba-bos-mia-2025-01-02", "cs2-a-b-2025-10-06-map-2"). */
const GAME_SLUG = /^([a-z0-9]+)-[a-z0-9]+-[a-z0-9]+(?:-[a-z0-9]+)*?-\d{4}-\d{2}-\d{2}/;
/** "A vs. B", "A v B", "A @ B", "will (the) A beat (the) B": the two sides of a game. */
const PAIR = /(?:^|:\s*|\bwill (?:the )?)([a-z0-9][a-z0-9 .'&-]{1,40}?)\s+(?:vs\.?|v\.?|@|beat(?: the)?)\s+(?:the )?([a-z0-9][a-z0-9 .'&-]{1,40}?)(?=\s*(?:$|[:?,(|]|\s-\s|\bby\b|\bon\b|\bin\b|\bgame\b|\bscheduled\b|\d{4}-))/;

// A quoted span is a title or a word someone may say ("Will 'Snow White' gross…",
// 'Will Powell say "tariff"'): what the market is about is outside the quotes.
const QUOTED_SPAN = /"[^"]{1,80}"|(^|[\s(])'[^']{1,80}'(?=$|[\s?.,:;!)])/g;
function maskQuoted(text: string): string {
  return text.includes('"') || text.includes("'") ? text.replace(QUOTED_SPAN, (m, lead: string | undefined) => `${lead ?? ''}"…"`) : text;
}

const ONE_TEAM = /\b(?:will|can|do|does) the ([a-z0-9' ]{2,30}?) (?:win|lose|beat|make the playoffs|reach|clinch|finish|sweep|advance|trade|draft|fire)\b/;

export class Taxonomy {
  readonly categories: readonly string[];
  readonly fallback: string;
  readonly version: number;
  readonly families: Readonly<Record<string, string>>;
  private readonly rules: CompiledRule[];
  private readonly tagMap = new Map<string, string>();
  private readonly series: { category: string; re: RegExp }[];
  private readonly leagues = new Map<string, string>();
  private readonly gammaCats = new Map<string, string>();
  /** Team nickname → leagues that have it ("rangers" → NHL, MLB). */
  private readonly teams = new Map<string, string[]>();

  constructor(data: TaxonomyData) {
    this.categories = data.categories;
    this.fallback = data.fallback;
    this.version = data.version;
    this.families = data.families;
    const known = new Set(data.categories);
    const famKnown = new Set(Object.keys(data.families));
    for (const [f, c] of Object.entries(data.families)) if (!known.has(c) || familyOf(c) !== f) throw new Error(`taxonomy: family ${JSON.stringify(f)} default ${JSON.stringify(c)} is not one of its categories`);
    const check = (c: string, familyOk = false) => {
      if (!known.has(c) && !(familyOk && famKnown.has(c))) throw new Error(`taxonomy: rule for unknown category ${JSON.stringify(c)}`);
    };
    const alt = (xs: string[] | undefined) => (xs && xs.length ? new RegExp(xs.map((x) => `(?:${x})`).join('|')) : undefined);
    this.rules = data.rules.map((r) => {
      check(r.category);
      return { category: r.category, family: familyOf(r.category), any: alt(r.any), all: (r.all ?? []).map((x) => new RegExp(x)), none: alt(r.none) };
    });
    // Earlier tag rules win: keep the first category a tag maps to.
    for (const tr of data.tagRules) {
      check(tr.category, true);
      for (const t of tr.tags) if (!this.tagMap.has(t.toLowerCase())) this.tagMap.set(t.toLowerCase(), tr.category);
    }
    this.series = data.seriesRules.map((s) => {
      check(s.category);
      return { category: s.category, re: new RegExp(s.pattern) };
    });
    for (const [c, codes] of Object.entries(data.leagueCodes)) {
      check(c);
      for (const code of codes) this.leagues.set(code.toLowerCase(), c);
    }
    for (const [g, c] of Object.entries(data.gammaCategories)) {
      check(c, true);
      this.gammaCats.set(g.trim().toLowerCase(), c);
    }
    for (const [c, names] of Object.entries(data.teams)) {
      check(c);
      for (const n of names) {
        const k = n.toLowerCase();
        this.teams.set(k, [...(this.teams.get(k) ?? []), c]);
      }
    }
  }

  /**
   * Category from the question, event title and tags only (the simulator and
   * older callers). The question may be raw or already folded.
   */
  categorize(question: string, eventTitle?: string, tags?: readonly string[]): Categorized {
    return this.categorizeMarket({ question, eventTitle, tags });
  }

  /** Category of one market from everything Gamma says about it. */
  categorizeMarket(f: MarketFacts): Categorized {
    // 1. The event's series ("nhl-2026", "elon-tweets", "nyc-daily-weather").
    if (f.seriesSlug) {
      const s = f.seriesSlug.toLowerCase();
      for (const r of this.series) if (r.re.test(s)) return result(r.category, 'series');
    }
    // 2. A game slug's league code.
    for (const slug of [f.eventSlug, f.slug]) {
      if (!slug) continue;
      const m = GAME_SLUG.exec(slug.toLowerCase());
      const c = m ? this.leagues.get(m[1]!) : undefined;
      if (c) return result(c, 'slug');
    }
    const qRaw = foldText(f.question);
    const eRaw = f.eventTitle ? foldText(f.eventTitle) : '';
    // Rules read the text with quoted spans masked; team pairs read it whole (a quoted team is still a team).
    const q = maskQuoted(qRaw);
    const e = eRaw ? maskQuoted(eRaw) : '';
    const pairQ = this.teamPair(qRaw);
    const pairE = eRaw ? this.teamPair(eRaw) : undefined;
    // 3. Hints that fix a family (strong: sports fields, tags) or suggest one (Gamma's old category).
    let strong: string | undefined;
    if (f.sportsMarketType) strong = 'Sports';
    if (f.tags) {
      // The most specific tag wins: a category ("NFL") over a family ("Sports"), earlier rules first.
      for (const t of f.tags) {
        const c = this.tagMap.get(t.trim().toLowerCase());
        if (!c || (strong && familyOf(c) !== familyOf(strong))) continue;
        if (!strong || (!strong.includes('/') && c.includes('/'))) strong = c;
      }
    }
    if (strong) {
      const fam = familyOf(strong);
      const hq = this.matchText(q, fam, pairQ);
      if (hq) return result(hq, 'question');
      const he = e ? this.matchText(e, fam, pairE) : undefined;
      if (he) return result(he, 'event');
      return result(this.defaultOf(strong), strong.includes('/') ? 'tags' : 'family');
    }
    // Gamma's old editorial category is weaker than the question's own words.
    const weak = f.gammaCategory ? this.gammaCats.get(f.gammaCategory.trim().toLowerCase()) : undefined;
    // 4. Text alone: the question, then the event title.
    const hq = this.matchText(q, undefined, pairQ);
    if (hq) return result(hq, 'question');
    if (e) {
      const he = this.matchText(e, undefined, pairE);
      if (he) return result(he, 'event');
    }
    if (weak) return result(this.defaultOf(weak), 'family');
    // 5. The description's opening, weakest evidence.
    if (f.description) {
      const d = foldText(f.description.slice(0, 400));
      const hd = this.matchText(maskQuoted(d), undefined, this.teamPair(d));
      if (hd) return result(hd, 'description');
    }
    return result(this.fallback, 'fallback');
  }

  private defaultOf(hint: string): string {
    return hint.includes('/') ? hint : (this.families[hint] ?? this.fallback);
  }

  /** The first category whose rule matches folded text (team pairs first), within one family when given. */
  private matchText(text: string, family: string | undefined, pair: string | undefined): string | undefined {
    if (pair && (!family || family === 'Sports')) return pair;
    for (const r of this.rules) {
      if (family && r.family !== family) continue;
      if (r.any && !r.any.test(text)) continue;
      if (r.all.length && !r.all.every((re) => re.test(text))) continue;
      if (r.none && r.none.test(text)) continue;
      return r.category;
    }
    return undefined;
  }

  /** The league both sides of "A vs. B" play in, when exactly one league has both. */
  teamPair(text: string): string | undefined {
    if (this.teams.size === 0) return undefined;
    // Cheap guards first: most questions name no game.
    const vs = text.includes(' v') || text.includes(' @ ') || text.includes(' beat ');
    if (!vs && !text.includes(' the ')) return undefined;
    if (text.includes('"')) text = text.replace(/"/g, '');
    const m = vs ? PAIR.exec(text) : null;
    if (!m) {
      // One team with a sports verb ("Will the Wizards win again this year?"): only a nickname of one league.
      const one = ONE_TEAM.exec(text);
      const l = one ? this.leaguesOf(one[1]!) : [];
      return l.length === 1 ? l[0] : undefined;
    }
    const a = this.leaguesOf(m[1]!);
    const b = a.length ? this.leaguesOf(m[2]!) : [];
    if (!b.length) return undefined;
    const both = a.filter((x) => b.includes(x));
    // Two known teams without one common league ("Giants vs. Cardinals": NFL or MLB) are still a game.
    return both.length === 1 ? both[0] : 'Sports/Other';
  }

  /** Leagues of a side: its last one or two words as a nickname ("seattle mariners", "blue jackets"). */
  private leaguesOf(side: string): string[] {
    const words = side.trim().replace(/[.']+$/, '').split(/\s+/);
    const two = words.slice(-2).join(' ');
    return this.teams.get(two) ?? this.teams.get(words[words.length - 1]!) ?? [];
  }
}

/** Parses taxonomy JSON (a value); errors are values. */
export function parseTaxonomy(value: unknown): { ok: true; taxonomy: Taxonomy } | { ok: false; error: string } {
  const r = taxonomySchema.safeParse(value);
  if (!r.success) return { ok: false, error: `taxonomy: ${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? 'invalid'}` };
  try {
    return { ok: true, taxonomy: new Taxonomy(r.data) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

let cached: Taxonomy | undefined;

/** The embedded data/taxonomy.json (read once). A broken embedded file is a programmer mistake: it throws. */
export function defaultTaxonomy(): Taxonomy {
  if (cached) return cached;
  const r = parseTaxonomy(JSON.parse(readFileSync(dataPath('taxonomy.json'), 'utf8')));
  if (!r.ok) throw new Error(r.error);
  cached = r.taxonomy;
  return cached;
}
