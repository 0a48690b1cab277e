// The strategies file's claimed win rates against what the simulator's resolved past
// measures, for the default seed. In a calibrated world a win rate is just the
// price paid: no strategy may come out VALIDATED. With a planted
// favourite–longshot bias, fading longshots becomes a real edge and the one
// strategy with enough events finds it; the rest still do not pass.
import { describe, expect, it } from 'vitest';
import { evaluateAll } from '../../src/backtest/evaluate.js';
import { loadBackfillCached } from '../../src/sim/backfill-cache.js';
import { formatTable } from '../../src/backtest/table.js';
import { defaultStrategies } from '../../src/scan/strategies.js';
import { loadTemplates } from '../../src/sim/world.js';

// The same backfill `polyconsole backtest` reads by default (seed 1, 90 days
// before the templates' epoch); the test run shares one generation of it.
const templates = loadTemplates();
const source = { seed: '1', epochMs: Date.parse(templates.epoch), templates };
const strategies = defaultStrategies().strategies;

describe('the embedded strategies on the simulator backfill (seed 1, 90 days)', () => {
  it('calibrated world: claimed vs measured, nothing VALIDATED', () => {
    const markets = loadBackfillCached(source);
    expect(markets.length).toBeGreaterThan(5_000);
    const reports = evaluateAll(markets, strategies);
    console.log(['claimed vs measured, calibrated world:', ...formatTable(reports)].join('\n'));
    for (const r of reports) {
      const s = strategies.find((x) => x.id === r.strategy)!;
      expect(r.claimedWinRate).toBe(s.claimed.winRate);
      expect(r.n).toBeGreaterThan(0);
      expect(r.verdict).not.toBe('VALIDATED');
      // A calibrated market pays back its price: the excess win rate is noise, never the claimed edge.
      expect(Math.abs(r.excessWinRate)).toBeLessThan(s.claimed.edge);
    }
    // The fades' 92–97% win rates are just the prices paid: measured ≈ c̄, far from the "edge" of 42–47 points the strategies file claims.
    for (const id of ['MUSK_FADE_EXTREMES', 'WEATHER_FADE_LONGSHOTS']) {
      const r = reports.find((x) => x.strategy === id)!;
      expect(r.wilson[0]).toBeLessThan(r.avgCost);
      expect(r.wilson[1]).toBeGreaterThan(r.avgCost);
    }
  });

  it('with a longshot bias of 0.2: WEATHER_FADE_LONGSHOTS is VALIDATED, most strategies still are not', () => {
    const reports = evaluateAll(loadBackfillCached(source, { longshotBias: 0.2 }), strategies);
    console.log(['claimed vs measured, longshot bias 0.2:', ...formatTable(reports)].join('\n'));
    const weather = reports.find((r) => r.strategy === 'WEATHER_FADE_LONGSHOTS')!;
    expect(weather.n).toBeGreaterThanOrEqual(300);
    expect(weather.verdict).toBe('VALIDATED');
    expect(reports.filter((r) => r.verdict !== 'VALIDATED').length).toBeGreaterThanOrEqual(3);
  });
});
