// The whole-market screen at scale: a 30,000-market simulator (60,000 tokens)
// with the default hot cap of 2,000 tokens, real servers on loopback, the real
// engine and app. Figures: recall of planted violations (reported by the
// arbitrage loop on confirmed books) within 10 minutes of sim time from engine
// start, the sim time to 90%, precision, the screen's peak request rate against
// its share of the documented /prices limit, and its budget floor.
import { runRecall } from './recall.js';
import { DEFAULT_SCREEN, PRICES_LIMIT_PER_10S } from '../src/screen/screen.js';
import { once, withGoal, type Figure } from './harness.js';

const MARKETS = 30_000;
const HOT_CAP = 2_000;
const SIM_DEADLINE_MS = 600_000;

export async function screenSuite(): Promise<Figure[]> {
  // Speed 1: sim time is wall time, so the 10-minute deadline includes every real cost (sync, build, sweep).
  const r = await runRecall({
    seed: 'bench-screen',
    markets: MARKETS,
    hotCap: HOT_CAP,
    speed: 1,
    wallMs: SIM_DEADLINE_MS + 120_000,
    simMs: SIM_DEADLINE_MS,
    stopAtRecall: 1,
    progress: (line) => process.stderr.write(`screen bench: ${line}\n`),
  });
  const name = `${MARKETS.toLocaleString('en-US')} markets, hot cap ${HOT_CAP.toLocaleString('en-US')}`;
  const ceiling = PRICES_LIMIT_PER_10S * DEFAULT_SCREEN.share;
  return [
    withGoal({ suite: 'screen', name: `recall within 10 sim min, ${name} (${r.found}/${r.planted})`, unit: '%', ...once(Math.round(r.recall * 1000) / 10) }, '≥', 90, '≥ 90%'),
    withGoal({ suite: 'screen', name: `  precision (${r.matching}/${r.reported} reported are planted)`, unit: '%', ...once(Math.round(r.precision * 1000) / 10) }, '≥', 90, '≥ 90%'),
    withGoal({ suite: 'screen', name: '  sim time to 90% recall (from engine start)', unit: 's', ...once(r.simMsTo90 < 0 ? Infinity : Math.round(r.simMsTo90 / 1000)) }, '≤', SIM_DEADLINE_MS / 1000, '≤ 600 s'),
    { suite: 'screen', name: '  of which catalog sync and start', unit: 's', ...once(Math.round(r.startupSimMs / 1000)) },
    { suite: 'screen', name: `  screen age at the end (${r.figures.screened.toLocaleString('en-US')}/${r.figures.universe.toLocaleString('en-US')} tokens priced)`, unit: 's', ...once(Math.round(r.figures.ageMs / 100) / 10) },
    withGoal({ suite: 'screen', name: `  peak /prices requests per 10 s (share of 500 documented)`, unit: 'req', ...once(r.maxScreenPer10s) }, '≤', ceiling, `≤ ${ceiling}`),
    withGoal({ suite: 'screen', name: '  lowest budget per 10 s', unit: 'req', ...once(r.minBudgetPer10s) }, '≥', DEFAULT_SCREEN.floorPer10s, `≥ floor ${DEFAULT_SCREEN.floorPer10s}`),
  ];
}
