// Categorisation from data/taxonomy.json: ordered regex rules over the question,
// then the event title, then tag rules; first match wins, else the fallback.
// The field that matched sets the confidence (the question is the best
// evidence; a tag alone is weak).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { dataPath } from '../paths.js';
import { foldAccents } from './normalize.js';

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
  categories: z.array(z.string().min(1)).min(1),
  rules: z.array(ruleSchema),
  tagRules: z.array(z.object({ category: z.string().min(1), tags: z.array(z.string().min(1)).min(1) })).default([]),
});
export type TaxonomyData = z.output<typeof taxonomySchema>;

export type MatchedOn = 'question' | 'event' | 'tags' | 'fallback';

export interface Categorized {
  category: string;
  matchedOn: MatchedOn;
  /** 1 question, 0.85 event title, 0.7 tags, 0.3 fallback. */
  confidence: number;
}

const CONFIDENCE: Record<MatchedOn, number> = { question: 1, event: 0.85, tags: 0.7, fallback: 0.3 };

/** One frozen result per (category, field): categorising 30,000 markets allocates nothing. */
const results = new Map<string, Categorized>();
function result(category: string, matchedOn: MatchedOn): Categorized {
  const k = `${matchedOn}:${category}`;
  let r = results.get(k);
  if (!r) {
    r = Object.freeze({ category, matchedOn, confidence: CONFIDENCE[matchedOn] });
    results.set(k, r);
  }
  return r;
}

interface CompiledRule {
  category: string;
  any: RegExp | undefined;
  all: RegExp[];
  none: RegExp | undefined;
}

export class Taxonomy {
  readonly categories: readonly string[];
  readonly fallback: string;
  readonly version: number;
  private readonly rules: CompiledRule[];
  private readonly tagMap = new Map<string, string>();

  constructor(data: TaxonomyData) {
    this.categories = data.categories;
    this.fallback = data.fallback;
    this.version = data.version;
    const known = new Set(data.categories);
    const check = (c: string) => {
      if (!known.has(c)) throw new Error(`taxonomy: rule for unknown category ${JSON.stringify(c)}`);
    };
    const alt = (xs: string[] | undefined) => (xs && xs.length ? new RegExp(xs.map((x) => `(?:${x})`).join('|')) : undefined);
    this.rules = data.rules.map((r) => {
      check(r.category);
      return { category: r.category, any: alt(r.any), all: (r.all ?? []).map((x) => new RegExp(x)), none: alt(r.none) };
    });
    // Earlier tag rules win: keep the first category a tag maps to.
    for (const tr of data.tagRules) {
      check(tr.category);
      for (const t of tr.tags) if (!this.tagMap.has(t.toLowerCase())) this.tagMap.set(t.toLowerCase(), tr.category);
    }
  }

  /** Category of one market from its folded question (normalize.ts), event title and tags. */
  categorize(foldedQuestion: string, eventTitle?: string, tags?: readonly string[]): Categorized {
    const q = this.match(foldedQuestion);
    if (q) return result(q, 'question');
    if (eventTitle) {
      const e = this.match(foldAccents(eventTitle).toLowerCase());
      if (e) return result(e, 'event');
    }
    if (tags) {
      for (const t of tags) {
        const c = this.tagMap.get(t.toLowerCase());
        if (c) return result(c, 'tags');
      }
    }
    return result(this.fallback, 'fallback');
  }

  private match(text: string): string | undefined {
    for (const r of this.rules) {
      if (r.any && !r.any.test(text)) continue;
      if (r.all.length && !r.all.every((re) => re.test(text))) continue;
      if (r.none && r.none.test(text)) continue;
      return r.category;
    }
    return undefined;
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
