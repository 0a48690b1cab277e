// FAIR_VALUE's history on the simulator: every coin's 15-minute up/down
// windows on the hidden price paths before the world's epoch. Handed to the
// console's fair-value validation by the command that starts the simulator.
import { validateFair, type FairHistory, type FairReport } from '../refdata/fair-strategy.js';
import type { CryptoPaths } from './crypto-paths.js';
import { upDownHistory } from './crypto-history.js';
import type { Simulator } from './simulator.js';

/**
 * FAIR_VALUE's verdict on the simulator's own history: every coin's 15-minute
 * up/down windows on the hidden paths before `untilMs` (the world's epoch),
 * seen 5 minutes before their end, against the price the simulator's market
 * makers quote around. Windows need two hours of path behind them for the
 * realised volatility, so the first two hours are skipped.
 */
export function fairReportOnPaths(paths: CryptoPaths, untilMs: number, opts: { resamples?: number; seed?: string | number } = {}): FairReport {
  const W = 15 * 60_000;
  const from = paths.epochMs + 2 * 3_600_000;
  const count = Math.max(0, Math.floor((untilMs - Math.ceil(from / W) * W) / W));
  const events = paths.assets.flatMap((asset) => upDownHistory(paths, from, count, { asset, windowMs: W }));
  return validateFair(events, { resamples: opts.resamples ?? 1000, seed: opts.seed ?? 1 });
}

/** The simulator's up/down history for the console's FAIR_VALUE validation. */
export function simFairHistory(sim: Pick<Simulator, 'cryptoPaths' | 'world'>): FairHistory {
  const paths = sim.cryptoPaths;
  if (!paths) return { missing: 'the simulator runs without crypto paths: no history' };
  return { what: 'simulated up/down windows', report: () => fairReportOnPaths(paths, sim.world.epochMs, { seed: String(sim.world.seed) }) };
}
