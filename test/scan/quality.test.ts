// Quality against the simulator's exported truth (issue §6), over several seeds
// of 2,000 markets. The scan never sees the sim's category: worldCatalog()
// leaves it (and the tags) out.
import { describe, expect, it } from 'vitest';
import { scanOutputSchema } from '../../src/scan/output.js';
import { scan, toScanOutput } from '../../src/scan/scan.js';
import { simBatch } from './helpers.js';

const SEEDS = ['quality-1', 'quality-2', 'quality-3', 'quality-4'];

function duplicateStats(seed: string, fuzzyThreshold?: number) {
  const b = simBatch(seed);
  const r = scan(b.markets, { now: b.now, bookOf: b.bookOf, ...(fuzzyThreshold !== undefined ? { fuzzyThreshold } : {}) });
  const groupOf = new Map<string, number>();
  r.duplicates.forEach((g, i) => g.forEach((id) => groupOf.set(id, i)));
  const planted = b.truth.planted.filter((p) => p.kind === 'duplicate');
  const found = planted.filter((p) => {
    const g = groupOf.get(p.marketIds[0]!);
    return g !== undefined && p.marketIds.every((id) => groupOf.get(id) === g);
  }).length;
  const pairOf = new Map<string, number>();
  planted.forEach((p, i) => p.marketIds.forEach((id) => pairOf.set(id, i)));
  // A merge is false unless every member belongs to the same planted duplicate pair.
  const falseMerges = r.duplicates.filter((g) => !g.every((id) => pairOf.has(id) && pairOf.get(id) === pairOf.get(g[0]!)));
  return { r, b, planted: planted.length, found, falseMerges };
}

describe('quality on simulator worlds (4 seeds × 2,000 markets)', () => {
  it('categorises ≥ 95% of markets correctly on every seed, from question and event title only', () => {
    // The simulator's 12 categories are coarser than the real taxonomy: each
    // maps to the real categories it covers (its "Crypto/Altcoins" holds ETF
    // approvals and flips, which are Crypto/Events; its "Politics/Trump" holds
    // summits, which are Politics/Geopolitics; "Economics" spans the Economy family).
    const accept: Record<string, (c: string) => boolean> = {
      'Politics/Election': (c) => c === 'Politics/US-Elections' || c === 'Politics/World-Elections',
      'Politics/Trump': (c) => c.startsWith('Politics/'),
      'Sports/NBA': (c) => c === 'Sports/NBA',
      'Sports/Soccer': (c) => c === 'Sports/Soccer',
      'Sports/Other': (c) => c.startsWith('Sports/') && c !== 'Sports/NBA' && c !== 'Sports/Soccer',
      'Crypto/BTC-Price': (c) => c === 'Crypto/BTC-Price',
      'Crypto/BTC-UpDown': (c) => c === 'Crypto/UpDown',
      'Crypto/Altcoins': (c) => c === 'Crypto/Altcoins' || c === 'Crypto/Events',
      'Tech/Musk': (c) => c === 'Tech/Musk-Tweets',
      'Weather/Temperature': (c) => c === 'Weather/Temperature',
      Economics: (c) => c.startsWith('Economy/'),
      'Culture/Other': (c) => c.startsWith('Culture/'),
    };
    for (const seed of SEEDS) {
      const b = simBatch(seed);
      const r = scan(b.markets, { now: b.now });
      // The real-shaped catalog names the real category each of its markets belongs to.
      const want = (m: { category: string }) => accept[m.category] ?? ((c: string) => c === b.world.categoryTemplate(m.category)!.taxonomy);
      const correct = b.truth.markets.filter((m, i) => want(m)(r.categories[i]!.category)).length;
      expect(correct / b.markets.length, seed).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('finds ≥ 95% of the planted near-duplicates over all seeds, with 0 false merges', () => {
    let planted = 0;
    let found = 0;
    for (const seed of SEEDS) {
      const s = duplicateStats(seed);
      planted += s.planted;
      found += s.found;
      expect(s.falseMerges, seed).toEqual([]);
    }
    expect(planted).toBeGreaterThanOrEqual(4 * 13);
    expect(found / planted).toBeGreaterThanOrEqual(0.95);
  });

  it('never merges ladder members that differ in threshold or date ("$150K" vs "$160K", "by March" vs "by June"), even at fuzzy threshold 0.5', () => {
    for (const seed of SEEDS) {
      // At 0.5 unrelated questions with equal signatures may merge (that is what the
      // threshold is for), but members of one ladder, bucket set or race — which
      // differ exactly in a threshold, date or name — never do.
      const s = duplicateStats(seed, 0.5);
      const byEvent = new Map<string, Set<number>>();
      const groupOf = new Map<string, number>();
      s.r.duplicates.forEach((g, i) => g.forEach((id) => groupOf.set(id, i)));
      for (const m of s.b.markets) {
        const g = groupOf.get(m.id);
        if (g === undefined) continue;
        const set = byEvent.get(m.eventId!) ?? new Set<number>();
        expect(set.has(g), `${seed}: ${m.question}`).toBe(false);
        set.add(g);
        byEvent.set(m.eventId!, set);
      }
    }
  });

  it('Stage 1 cuts each batch by ≥ 90% to candidates, and the output fits 3,600 characters', () => {
    for (const seed of SEEDS) {
      const b = simBatch(seed);
      const r = scan(b.markets, { now: b.now, bookOf: b.bookOf });
      expect(r.reduction, seed).toBeGreaterThanOrEqual(0.9);
      // Clusters are events first: every cluster is one venue event, or a stated cross-event rule.
      const byId = new Map(b.markets.map((m) => [m.id, m]));
      for (const c of r.clusters) {
        // Representatives come first; a cluster's duplicates may sit in other standalone events.
        const events = new Set(c.marketIds.slice(0, c.unique).map((id) => byId.get(id)!.eventId));
        if (c.kind === 'event' || c.kind === 'single') expect(events.size, c.summary).toBe(1);
        else expect(['series', 'ladder']).toContain(c.kind);
      }
      expect(r.review.length).toBeGreaterThan(0);
      const out = toScanOutput(r);
      expect(scanOutputSchema.safeParse(out).success, seed).toBe(true);
      expect(JSON.stringify(out).length).toBeLessThanOrEqual(3600);
    }
  });
});
