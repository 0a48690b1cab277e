// `polyconsole backtest`: the table, JSON and HTML report on the simulator's
// resolved history; claimed win rates next to what the data supports.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, tempDir } from '../helpers/paths.js';
import { runAsync } from '../helpers/proc.js';

const cli = (args: string[]) => runAsync(process.execPath, [CLI, ...args], { timeout: 240_000 });

describe('backtest command', { timeout: 300_000 }, () => {
  it('prints every strategy with claimed vs measured, break-even, ROI CI and a verdict; --json and --report agree', async () => {
    const report = join(tempDir(), 'report.html');
    const r = await cli(['backtest', '--json', '--report', report]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { markets: number; strategies: { strategy: string; kind?: string; n: number; claimedWinRate: number; winRate: number; avgCost: number; wilson: [number, number]; verdict?: string; brierSkillCi?: [number, number] }[]; validation: Record<string, { passed: boolean }> };
    expect(out.markets).toBeGreaterThan(1000);
    const rules = out.strategies.filter((x) => x.kind !== 'scorer');
    expect(rules.map((x) => x.strategy).sort()).toEqual(['ALTCOIN_FADE_HIGH', 'BTC_TIME_BIAS', 'CRYPTO_FAVORITE_FADE', 'MUSK_FADE_EXTREMES', 'WEATHER_FADE_LONGSHOTS']);
    // The learned scorer has its own row, and on efficient simulated prices it has not earned trust.
    const scorer = out.strategies.filter((x) => x.kind === 'scorer');
    expect(scorer).toHaveLength(1);
    expect(scorer[0]!.verdict).not.toBe('VALIDATED');
    for (const x of rules) {
      expect(x.wilson[0]).toBeLessThanOrEqual(x.winRate);
      // The break-even win rate is the all-in cost.
      expect(x.avgCost).toBeGreaterThan(0);
    }
    // In the calibrated simulator no claim is validated.
    expect(Object.values(out.validation).every((v) => !v.passed)).toBe(true);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('WEATHER_FADE_LONGSHOTS');
  });

  it('a one-strategy table run names the break-even cost and the verdict', async () => {
    const r = await cli(['backtest', '--strategy', 'WEATHER_FADE_LONGSHOTS']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/WEATHER_FADE_LONGSHOTS\s+93\.9%\s+\d+/);
    expect(r.stdout).toMatch(/VALIDATED|REJECTED|UNPROVEN/);
    expect(r.stdout).toMatch(/break-even/);
  });
});
