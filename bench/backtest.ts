// Backtest: evaluating the five seed-000 strategies over ~10,000 resolved
// markets (the simulator's 90-day backfill), with and without the event
// bootstrap, and the bootstrap's own cost.
import { evaluateAll } from '../src/backtest/evaluate.js';
import { loadBackfill } from '../src/sim/resolved-history.js';
import { bootstrapRoi } from '../src/backtest/stats.js';
import { defaultStrategies } from '../src/scan/strategies.js';
import { loadTemplates } from '../src/sim/world.js';
import { measure, type Figure } from './harness.js';

export function backtestSuite(runs: number): Figure[] {
  const out: Figure[] = [];
  const templates = loadTemplates();
  const source = { seed: 'bench', epochMs: Date.parse(templates.epoch), templates };
  let markets = loadBackfill(source);
  const gen = measure(Math.min(runs, 3), () => {
    const t0 = performance.now();
    markets = loadBackfill(source);
    return performance.now() - t0;
  });
  const n = markets.length;
  const N = n.toLocaleString('en-US');
  out.push({ suite: 'backtest', name: `backfill 90 days → ResolvedMarket[] (${N} markets)`, unit: 'ms', ...gen });
  const strategies = defaultStrategies().strategies;
  const perSec = (ms: number) => (n * 1000) / ms;
  const variants = [
    ['entries + walk-forward', 0],
    ['incl. 2,000-resample bootstrap', 2000],
  ] as const;
  // Warm both paths up before timing either (the JIT otherwise flatters the second).
  for (let i = 0; i < 3; i++) for (const [, resamples] of variants) evaluateAll(markets, strategies, { bootstrap: { resamples } });
  for (const [label, resamples] of variants) {
    const ms = measure(runs, () => {
      const t0 = performance.now();
      evaluateAll(markets, strategies, { bootstrap: { resamples } });
      return performance.now() - t0;
    });
    out.push({ suite: 'backtest', name: `5 strategies, ${label}, ${N} markets`, unit: 'markets/s', median: perSec(ms.median), min: perSec(ms.max), max: perSec(ms.min) });
    out.push({ suite: 'backtest', name: `5 strategies, ${label}`, unit: 'ms', ...ms });
  }
  const events = 1000;
  const pnl = Float64Array.from({ length: events }, (_, i) => (i % 20 ? 0.06 : -0.94));
  const cost = new Float64Array(events).fill(0.94);
  const boot = measure(runs, () => {
    const t0 = performance.now();
    bootstrapRoi(pnl, cost, { resamples: 2000, seed: 1 });
    return performance.now() - t0;
  });
  out.push({ suite: 'backtest', name: 'bootstrap 2,000 resamples × 1,000 events', unit: 'ms', ...boot });
  const ns = (ms: number) => (ms * 1e6) / (2000 * events);
  out.push({ suite: 'backtest', name: 'bootstrap per event drawn', unit: 'ns', median: ns(boot.median), min: ns(boot.min), max: ns(boot.max) });
  return out;
}
