// `polyconsole backtest` as a function: table or JSON, HTML report, progress
// bar on a TTY, exit codes (0 done, 1 no usable data, 2 bad arguments).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backtestCommand, parseLead, type BacktestIo } from '../../src/backtest/cli.js';
import { FIXTURES, tempDir } from '../helpers/paths.js';
import { wallMs } from '../../src/clock.js';
import { simBackfillHistory } from '../../src/sim/backfill-cache.js';

function io(over: Partial<BacktestIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const raw: string[] = [];
  return { out, err, raw, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), raw: (t: string) => raw.push(t), isTTY: false, columns: 140, now: () => wallMs(0), simHistory: simBackfillHistory, ...over } };
}

describe('backtestCommand', () => {
  it('--json on the default source (simulator backfill, seed 1): claimed beside measured, the validation map, exit 0', async () => {
    const c = io();
    expect(await backtestCommand({ json: true }, c.io)).toBe(0);
    const j = JSON.parse(c.out.join('\n'));
    expect(j.source).toMatch(/simulator backfill \(seed 1, 90 days/);
    expect(j.markets).toBeGreaterThan(5000);
    expect(j.strategies.map((s: { strategy: string }) => s.strategy)).toEqual(['MUSK_FADE_EXTREMES', 'WEATHER_FADE_LONGSHOTS', 'ALTCOIN_FADE_HIGH', 'CRYPTO_FAVORITE_FADE', 'BTC_TIME_BIAS', 'ML_SCORER']);
    // The learned scorer's row: skill against the market price with its interval. The
    // simulator's backfill prices are calibrated martingales, so no edge may be found.
    const scorer = j.strategies.find((s: { strategy: string }) => s.strategy === 'ML_SCORER');
    expect(scorer.kind).toBe('scorer');
    expect(scorer.brierSkillCi).toHaveLength(2);
    expect(scorer.brierSkillCi[0]).toBeLessThanOrEqual(scorer.brierSkill);
    expect(scorer.brierSkillCi[1]).toBeGreaterThanOrEqual(scorer.brierSkill);
    expect(scorer.brierSkillCi[0]).toBeLessThan(0);
    expect(scorer.verdict).not.toBe('VALIDATED');
    expect(scorer.events).toBeGreaterThan(300);
    expect(j.validation).not.toHaveProperty('ML_SCORER');
    for (const s of j.strategies.filter((x: { kind?: string }) => x.kind !== 'scorer')) {
      expect(s).toHaveProperty('claimedWinRate');
      expect(s).toHaveProperty('winRate');
      expect(s).toHaveProperty('avgCost');
      expect(['VALIDATED', 'REJECTED', 'UNPROVEN']).toContain(s.verdict);
      expect(j.validation[s.strategy]).toEqual({ n: s.n, winRate: s.winRate, winRateLower: s.wilson[0], passed: s.verdict === 'VALIDATED', avgCost: s.avgCost, roi: s.roi });
    }
    expect(c.err).toEqual([]);
  });

  it('one strategy as a table with its equity and calibration charts, an HTML report, and a progress bar on a TTY', async () => {
    const c = io({ isTTY: true });
    const report = join(tempDir('pc-bt-cli-'), 'bt.html');
    expect(await backtestCommand({ strategy: 'weather_fade_longshots', lead: '24h', report, bias: 0.2 }, c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toMatch(/longshot bias 0\.2/);
    expect(text).toMatch(/^WEATHER_FADE_LONGSHOTS +93\.9% +\d+ .*VALIDATED$/m);
    expect(text).toMatch(/equity \(WEATHER_FADE_LONGSHOTS/);
    expect(text).toMatch(/calibration of the entries/);
    expect(text).toMatch(/0\.010 half spread/);
    expect(existsSync(report)).toBe(true);
    expect(readFileSync(report, 'utf8')).toContain('WEATHER_FADE_LONGSHOTS');
    const bar = c.raw.join('');
    expect(bar).toMatch(/\r\[#+\.*\] 1\/1 WEATHER_FADE_LONGSHOTS bootstrap/);
  });

  it('bad arguments exit 2 with one line naming the flag', async () => {
    const cases: [Parameters<typeof backtestCommand>[0], RegExp][] = [
      [{ strategy: 'NOPE' }, /--strategy: unknown "NOPE"/],
      [{ lead: 'soon' }, /--lead: not a duration/],
      [{ source: 'files' }, /--source files needs --markets/],
      [{ bias: 0.9 }, /--bias/],
      [{ tolerance: 'old' }, /--tolerance: not a duration/],
    ];
    for (const [args, msg] of cases) {
      const c = io();
      expect(await backtestCommand(args, c.io)).toBe(2);
      expect(c.err).toHaveLength(1);
      expect(c.err[0]).toMatch(msg);
    }
  });

  it('no usable data exits 1: a missing database, files with no settled market', async () => {
    const c = io();
    expect(await backtestCommand({ source: 'db', db: join(tempDir('pc-bt-db-'), 'missing.db') }, c.io)).toBe(1);
    expect(c.err[0]).toMatch(/no database at/);
    if (!existsSync(FIXTURES)) return;
    const dir = tempDir('pc-bt-files-');
    writeFileSync(join(dir, 'm.json'), readFileSync(join(FIXTURES, 'nautilus_trader/test_data/gamma_market_closed_zero_zero_legacy.json')));
    const d = io();
    expect(await backtestCommand({ markets: join(dir, 'm.json'), history: dir }, d.io)).toBe(1);
    expect(d.err[0]).toMatch(/no usable resolved markets .*not settled 1\/0 1/);
  });

  it('leads: 24h, 90m, 2d, 3600s, bare hours; under a minute is refused', () => {
    expect(parseLead('24h')).toBe(86_400_000);
    expect(parseLead('90m')).toBe(5_400_000);
    expect(parseLead('2d')).toBe(172_800_000);
    expect(parseLead('3600s')).toBe(3_600_000);
    expect(parseLead('1.5')).toBe(5_400_000);
    expect(parseLead(12)).toBe(43_200_000);
    expect(parseLead('30s')).toBeUndefined();
    expect(parseLead('x')).toBeUndefined();
  });
});
