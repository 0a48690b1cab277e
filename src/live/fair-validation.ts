// FAIR_VALUE's verdict for the console: on the simulator, its resolved up/down
// history on the hidden price paths (the gate of fair-strategy.ts: Brier
// against the market price, ROI interval after fees, walk-forward); live there
// is no recorded history of fair values yet, so it stays UNPROVEN and its rows
// carry no edge and no size. Runs after the first paint; never throws.
import type { App } from '../app.js';
import type { Simulator } from '../sim/simulator.js';
import { fairReportOnPaths } from './refdata-loop.js';

export async function validateFairValue(app: App, sim: Pick<Simulator, 'cryptoPaths' | 'world'> | undefined): Promise<void> {
  const loop = app.refdata;
  if (!loop) return;
  const paths = sim?.cryptoPaths;
  if (!paths) {
    loop.setVerdict(undefined, sim ? 'the simulator runs without crypto paths: no history' : 'no resolved history of fair values yet');
    app.engine.log(`strategies: ${'FAIR_VALUE'} UNPROVEN (${loop.verdictNote}): its rows carry no edge and no size`);
    return;
  }
  await new Promise((r) => setImmediate(r));
  try {
    const started = performance.now(); // a duration: the monotonic clock
    const r = fairReportOnPaths(paths, sim.world.epochMs, { seed: String(sim.world.seed) });
    const note = r.reasons.length ? r.reasons.join('; ') : `${r.priced} windows, out-of-sample ROI ${((r.walkForward.roi ?? 0) * 100).toFixed(1)}%`;
    loop.setVerdict(r, note);
    app.engine.log(`strategies: FAIR_VALUE ${r.verdict} on ${r.priced} simulated up/down windows in ${((performance.now() - started) / 1000).toFixed(1)} s (Brier ${r.brierModel.toFixed(4)} vs market ${r.brierMarket.toFixed(4)}): ${note}`);
  } catch (err) {
    loop.setVerdict(undefined, `validation failed: ${(err as Error).message}`);
    app.engine.log(`warning: FAIR_VALUE validation failed: ${(err as Error).message}; it stays UNPROVEN`);
  }
}
