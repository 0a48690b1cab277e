// `polyconsole categorize`: the family and category of every market and the distribution.
import type { CatalogMarket } from '../protocol/gamma.js';
import { sanitize } from '../text/sanitize.js';
import { defaultStrategies, type StrategySet } from './strategies.js';
import { defaultTaxonomy, type Categorized, type MarketFacts, type Taxonomy } from './taxonomy.js';

export interface CategorizeRow {
  /** Exactly as given (JSON escaping makes it safe to print; never truncated, so rows join back). */
  id: string;
  question: string;
  family: string;
  category: string;
}

export interface CategorizeResult {
  /** Markets per category, every taxonomy category present (0 included), largest first. */
  distribution: Record<string, number>;
  rows: CategorizeRow[];
}

/** What the taxonomy reads of a catalog market. */
export function factsOf(m: Pick<CatalogMarket, 'question'> & Partial<CatalogMarket>): MarketFacts {
  return {
    question: m.question,
    eventTitle: m.eventTitle,
    tags: m.tags,
    slug: m.slug,
    eventSlug: m.eventSlug,
    seriesSlug: m.seriesSlug,
    sportsMarketType: m.sportsMarketType,
    gammaCategory: m.category,
    description: m.description,
  };
}

export function categorizeMarket(m: Pick<CatalogMarket, 'question'> & Partial<CatalogMarket>, taxonomy: Taxonomy = defaultTaxonomy()): Categorized {
  return taxonomy.categorizeMarket(factsOf(m));
}

export function categorize(markets: readonly (Pick<CatalogMarket, 'id' | 'question'> & Partial<CatalogMarket>)[], taxonomy: Taxonomy = defaultTaxonomy()): CategorizeResult {
  const counts = new Map<string, number>([...taxonomy.categories, taxonomy.fallback].map((c) => [c, 0]));
  const rows = markets.map((m) => {
    const { family, category } = taxonomy.categorizeMarket(factsOf(m));
    counts.set(category, (counts.get(category) ?? 0) + 1);
    return { id: m.id, question: m.question, family, category };
  });
  const distribution: Record<string, number> = {};
  for (const [c, n] of [...counts].sort((a, b) => b[1] - a[1])) distribution[c] = n;
  return { distribution, rows };
}

/**
 * Text for the terminal: the distribution with shares, categories with a
 * strategy marked; with `rows`, that many example questions per category
 * (sanitised: questions come from the network).
 */
export function formatCategorize(r: CategorizeResult, opts: { rows?: number; strategies?: StrategySet } = {}): string {
  const total = r.rows.length;
  const strategies = opts.strategies ?? defaultStrategies();
  const byCat = new Map<string, string[]>();
  for (const s of strategies.strategies) byCat.set(s.category, [...(byCat.get(s.category) ?? []), s.id]);
  const width = Math.max(8, ...Object.keys(r.distribution).map((c) => c.length + 1));
  const lines = [`Category distribution (${total.toLocaleString('en-US')} markets):`];
  for (const [c, n] of Object.entries(r.distribution)) {
    const pct = total ? ((100 * n) / total).toFixed(1) : '0.0';
    const strat = byCat.get(c);
    lines.push(`${`${c}:`.padEnd(width)} ${String(n).padStart(6)} (${pct.padStart(5)}%)${strat ? `  strategies: ${strat.join(', ')}` : ''}`);
    if (opts.rows && n > 0) {
      for (const row of r.rows.filter((x) => x.category === c).slice(0, opts.rows)) lines.push(`    ${sanitize(row.id, 24)}  ${sanitize(row.question, 100)}`);
    }
  }
  return lines.join('\n');
}
