// Measured on real Polymarket data: our hand labels (test/scan/labels) of a
// stratified sample of the real Gamma corpus in ../shared, and the whole
// corpus for clusters and duplicates. Prints the figures and asserts the goals:
// family ≥ 95%, category ≥ 90%, Other ≤ 10% on every split; cluster purity
// ≥ 98%; no duplicate across events. Skips cleanly without ../shared.
import { describe, expect, it } from 'vitest';
import { decodeCatalog } from '../../src/scan/catalog-file.js';
import { categorize } from '../../src/scan/categorize.js';
import { foldText } from '../../src/scan/normalize.js';
import { stage1 } from '../../src/scan/scan.js';
import { HAVE_REAL, loadLabels, realMarkets, score, type Scores } from './real-corpus.js';

if (!HAVE_REAL) console.warn('real Gamma corpus not found (../shared/fixtures/polymarket/real-catalog): its measurements are skipped');

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function report(name: string, s: Scores): string {
  return `${name.padEnd(9)} n=${String(s.n).padStart(3)}  family ${pct(s.family).padStart(6)}  category ${pct(s.category).padStart(6)}  Other ${pct(s.other).padStart(5)}`;
}

describe.skipIf(!HAVE_REAL)('categories on real Polymarket markets (hand-labelled sample)', () => {
  it('family ≥ 95%, category ≥ 90%, Other ≤ 10% on each split; per-category recall and precision printed', () => {
    const labels = loadLabels();
    expect(labels.length).toBeGreaterThanOrEqual(400);
    const ids = new Set(labels.map((l) => l.id));
    const ms = decodeCatalog(realMarkets().filter((m) => ids.has(String((m as { id: unknown }).id))))!;
    expect(ms.rejected).toBe(0);
    const pred = new Map(categorize(ms).rows.map((r) => [r.id, r]));
    const splits = ['dev', 'holdout', 'holdout2'] as const;
    const lines: string[] = ['Real-market categorisation (hand labels; dev = read while writing rules, holdout = read once for a second round, holdout2 = never read before measuring):'];
    const all = score(labels, pred);
    for (const sp of splits) lines.push(report(sp, score(labels.filter((l) => l.split === sp), pred)));
    lines.push(report('all', all));
    lines.push('per category (all splits): labelled / predicted / recall / precision');
    for (const c of all.perCategory) {
      lines.push(`  ${c.category.padEnd(26)} ${String(c.labelled).padStart(3)} ${String(c.predicted).padStart(4)}  ${Number.isNaN(c.recall) ? '   —' : pct(c.recall).padStart(6)}  ${Number.isNaN(c.precision) ? '   —' : pct(c.precision).padStart(6)}`);
    }
    lines.push(`misses (${all.misses.length}):`);
    for (const m of all.misses) lines.push(`  ${m.id.padEnd(8)} want ${m.want.padEnd(24)} got ${m.got.padEnd(24)} ${m.question.slice(0, 60)}`);
    console.log(lines.join('\n'));
    for (const sp of splits) {
      const s = score(labels.filter((l) => l.split === sp), pred);
      expect(s.family, `${sp} family`).toBeGreaterThanOrEqual(0.95);
      expect(s.category, `${sp} category`).toBeGreaterThanOrEqual(0.9);
      expect(s.other, `${sp} Other`).toBeLessThanOrEqual(0.1);
    }
  });

  it('over the whole corpus: clusters are one event or one stated rule (purity ≥ 98%), no duplicate across events, Other ≤ 10%', () => {
    const raw = realMarkets() as Record<string, unknown>[];
    const ms = decodeCatalog(raw)!;
    const s1 = stage1(ms, { now: Date.parse('2026-03-15T00:00:00Z') });
    const other = s1.categories.filter((c) => c.category === 'Other').length / ms.length;
    // Checked against the raw Gamma objects, independently of how the clusters were built.
    const rawOf = new Map(raw.map((r) => [String(r['id']), r]));
    const ev = (id: string) => {
      const e = (rawOf.get(id)!['events'] as { id: unknown; seriesSlug?: unknown; series?: { slug?: unknown }[] }[] | undefined)?.[0];
      return { event: e ? String(e.id) : `m:${id}`, series: e ? String(e.seriesSlug ?? e.series?.[0]?.slug ?? '') : '' };
    };
    // "Differ only in numbers, dates and the order of the names": the questions agree, as sets of
    // words, once times, numbers, amounts, years, months and weekdays are blanked.
    const blank = (q: string) =>
      foldText(q)
        .replace(/\b\d{1,2}:\d{2}\s*(?:am|pm)?/g, 'N')
        .replace(/\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:today|tomorrow|tonight)\b/g, 'N')
        .replace(/\b\d+(?:st|nd|rd|th)\b/g, 'N')
        .replace(/[$]?\d[\d,.]*\s*[kmb]?\b/g, 'N')
        .split(/[^a-z0-9n$%]+/)
        .filter(Boolean)
        .sort()
        .join(' ');
    let pure = 0;
    const impure: string[] = [];
    const kinds = new Map<string, number>();
    for (const c of s1.clusters) {
      kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
      const reps = c.marketIds.slice(0, c.unique);
      let ok: boolean;
      if (c.kind === 'event' || c.kind === 'single') ok = new Set(reps.map((id) => ev(id).event)).size === 1;
      else if (c.kind === 'series') ok = new Set(reps.map((id) => ev(id).series)).size === 1 && ev(reps[0]!).series !== '';
      else ok = new Set(reps.map((id) => blank(rawOf.get(id)!['question'] as string))).size === 1;
      if (ok) pure++;
      else impure.push(`${c.kind}: ${reps.map((id) => rawOf.get(id)!['question'] as string).join(' | ').slice(0, 300)}`);
    }
    // Duplicates: every merged group spanning events must be one standalone question asked twice.
    const crossEvent: string[] = [];
    for (let g = 0; g < s1.dedupe.groupCount; g++) {
      const members = Array.from(s1.dedupe.members.subarray(s1.dedupe.start[g]!, s1.dedupe.start[g + 1]!), (i) => ms[i]!);
      if (new Set(members.map((m) => ev(m.id).event)).size < 2) continue;
      const texts = new Set(members.map((m) => foldText(m.question).replace(/[^a-z0-9$%.]+/g, ' ').trim()));
      if (texts.size > 1 || members.some((m) => m.endDate !== members[0]!.endDate)) crossEvent.push(members.map((m) => `${m.id}: ${m.question}`).join(' | '));
    }
    const merged = s1.dedupe.merges;
    console.log(
      [
        `Whole real corpus: ${ms.length} markets, Other ${pct(other)}`,
        `clusters ${s1.clusters.length}: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}; purity ${pct(pure / s1.clusters.length)} (${impure.length} impure)`,
        ...impure.slice(0, 15).map((x) => `  impure ${x}`),
        `dedupe merges: condition id ${merged.conditionId}, exact ${merged.exact}, fuzzy ${merged.fuzzy}; cross-event groups that are not one question: ${crossEvent.length}`,
        ...crossEvent.slice(0, 10).map((x) => `  ${x.slice(0, 200)}`),
      ].join('\n'),
    );
    expect(other).toBeLessThanOrEqual(0.1);
    expect(pure / s1.clusters.length).toBeGreaterThanOrEqual(0.98);
    expect(crossEvent).toEqual([]);
  });
});
