// FAIR_VALUE's verdict for the console: on resolved up/down history handed in
// by the command that knows where it comes from (the simulator's, on its
// hidden price paths; the gate of fair-strategy.ts: Brier against the market
// price, ROI interval after fees, walk-forward). Live there is no recorded
// history of fair values yet, so it stays UNPROVEN and its rows carry no edge
// and no size. Runs after the first paint; never throws.
import type { App } from '../app.js';
import type { FairReport } from '../refdata/fair-strategy.js';

/** Resolved up/down history: a report over it and what it holds, or why there is none. */
export type { FairHistory } from '../refdata/fair-strategy.js';
import type { FairHistory } from '../refdata/fair-strategy.js';

export async function validateFairValue(app: App, history: FairHistory | undefined): Promise<void> {
  const loop = app.refdata;
  if (!loop) return;
  if (!history || 'missing' in history) {
    loop.setVerdict(undefined, history?.missing ?? 'no resolved history of fair values yet');
    app.engine.log(`strategies: ${'FAIR_VALUE'} UNPROVEN (${loop.verdictNote}): its rows carry no edge and no size`);
    return;
  }
  await new Promise((r) => setImmediate(r));
  try {
    const started = performance.now(); // a duration: the monotonic clock
    const r = history.report();
    const note = r.reasons.length ? r.reasons.join('; ') : `${r.priced} windows, out-of-sample ROI ${((r.walkForward.roi ?? 0) * 100).toFixed(1)}%`;
    loop.setVerdict(r, note);
    app.engine.log(`strategies: FAIR_VALUE ${r.verdict} on ${r.priced} ${history.what} in ${((performance.now() - started) / 1000).toFixed(1)} s (Brier ${r.brierModel.toFixed(4)} vs market ${r.brierMarket.toFixed(4)}): ${note}`);
  } catch (err) {
    loop.setVerdict(undefined, `validation failed: ${(err as Error).message}`);
    app.engine.log(`warning: FAIR_VALUE validation failed: ${(err as Error).message}; it stays UNPROVEN`);
  }
}
