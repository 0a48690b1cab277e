// Batch signal processor: Stage 1 + Stage 2 over simulator catalogs of 2k, 10k
// and 30k markets (target: 30k in < 1 s on one core). Time per market at each
// size shows the growth order: flat means linear, fuzzy dedupe is not all-pairs.
import type { CatalogMarket } from '../src/protocol/gamma.js';
import { stage1, stage2, toScanOutput, type ScanOptions } from '../src/scan/scan.js';
import { Exchange } from '../src/sim/exchange.js';
import { World } from '../src/sim/world.js';
import { measure, withGoal, type Figure } from './harness.js';
import { worldCatalog } from '../test/fixtures/world-catalog.js';

const SIZES = [2_000, 10_000, 30_000];
const BUDGET_MS = 1000;

/** Gamma-shaped rows of a world (no categories, no tags: the scan must find them), as the scan tests build them. */
export function catalog(world: World): CatalogMarket[] {
  return worldCatalog(world);
}

export function scanSuite(runs: number): Figure[] {
  const out: Figure[] = [];
  const perMarket: number[] = [];
  for (const n of SIZES) {
    const world = new World({ seed: `bench-${n}`, markets: n });
    const exchange = new Exchange(world, `bench-${n}`, 'fast');
    const markets = catalog(world);
    const opts: ScanOptions = { now: world.epochMs, bookOf: (t) => exchange.book(t) };
    for (let w = 0; w < 2; w++) toScanOutput(stage2(markets, stage1(markets, opts), opts)); // warm up the JIT
    let s1ms = 0;
    let s2ms = 0;
    const total = measure(runs, () => {
      const t0 = performance.now();
      const s1 = stage1(markets, opts);
      const t1 = performance.now();
      toScanOutput(stage2(markets, s1, opts));
      const t2 = performance.now();
      s1ms = t1 - t0;
      s2ms = t2 - t1;
      return t2 - t0;
    });
    const fig: Figure = { suite: 'scan', name: `stage 1+2, ${n.toLocaleString('en-US')} markets`, unit: 'ms', ...total };
    if (n === 30_000) Object.assign(fig, { ceiling: `${BUDGET_MS} ms budget`, ratio: total.median / BUDGET_MS });
    out.push(n === 30_000 ? withGoal(fig, '<', BUDGET_MS, '< 1 s') : fig);
    const us = (x: number) => (x * 1000) / n;
    out.push({ suite: 'scan', name: `per market, ${n.toLocaleString('en-US')}`, unit: 'µs', median: us(total.median), min: us(total.min), max: us(total.max) });
    perMarket.push(us(total.median));
    if (n === 30_000) {
      out.push({ suite: 'scan', name: 'stage 1 (last run), 30,000', unit: 'ms', median: s1ms, min: s1ms, max: s1ms });
      out.push({ suite: 'scan', name: 'stage 2 + output (last run), 30,000', unit: 'ms', median: s2ms, min: s2ms, max: s2ms });
      const s1 = stage1(markets, opts);
      const c = s1.dedupe.comparisons;
      out.push({ suite: 'scan', name: 'fuzzy similarity checks, 30,000', unit: 'checks', median: c, min: c, max: c });
      const cand = s1.candidates.length;
      out.push({ suite: 'scan', name: 'stage 1 candidates, 30,000', unit: 'markets', median: cand, min: cand, max: cand });
    }
  }
  // 3× and 15× the markets: a linear scan keeps µs/market flat (ratio ≈ 1); all-pairs would give 3 and 15.
  for (const [i, label] of [[1, '10k'], [0, '2k']] as const) {
    const g = perMarket[2]! / perMarket[i]!;
    out.push({ suite: 'scan', name: `µs/market 30k ÷ ${label} (1 = linear)`, unit: '×', median: g, min: g, max: g });
  }
  return out;
}
