// Seeing a backtest: terminal charts (pure, width-aware, ASCII fallback), the
// table, and the self-contained HTML report.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bar, calibrationChart, equityChart } from '../../src/backtest/charts.js';
import { evaluateAll } from '../../src/backtest/evaluate.js';
import { renderHtmlReport, writeHtmlReport } from '../../src/backtest/html.js';
import { formatTable, reportNotes } from '../../src/backtest/table.js';
import { tempDir } from '../helpers/paths.js';
import { fadeEvents, strategy } from './helpers.js';

const width = (s: string) => [...s].length;
const weird = fadeEvents(60, 0.93, 0.8, Date.UTC(2026, 5, 1), 'x').map((m) => ({ ...m, category: 'Weird <b> & co' }));
const reports = evaluateAll(fadeEvents(400, 0.9, 0.97).concat(weird), [
  strategy(),
  strategy({ id: 'NEG_SIDE', category: 'Weird <b> & co', outcome: 'YES', priceBand: [0.05, 0.2] }),
]);

describe('equity chart', () => {
  it('fits the width, labels max / zero / min, one row per height', () => {
    for (const w of [40, 80, 120]) {
      const lines = equityChart(reports[0]!.equity, { width: w, height: 6 });
      expect(lines).toHaveLength(6);
      for (const l of lines) expect(width(l)).toBeLessThanOrEqual(w);
      expect(lines[0]).toMatch(/^\+\$\d/);
      expect(lines.some((l) => l.includes('─'))).toBe(true);
    }
  });
  it('a falling curve puts the zero row on top and the minimum at the bottom; ASCII uses * and -', () => {
    const lines = equityChart([-1, -2, -3, -4], { width: 30, height: 4, ascii: true });
    expect(lines[0]).toMatch(/^\s*\$0 \|/);
    expect(lines[3]).toMatch(/^-\$4\.00 \|/);
    expect(lines.join('')).toMatch(/\*/);
    expect(lines.join('')).not.toMatch(/[█▁-▇─│]/);
  });
  it('no trades → one line', () => {
    expect(equityChart([])).toEqual(['(no trades)']);
  });
});

describe('calibration chart', () => {
  it('one row per bin with the win-rate bar and the price marker, within the width', () => {
    const lines = calibrationChart(reports[0]!.calibration, { width: 90 });
    expect(lines).toHaveLength(1 + reports[0]!.calibration.length);
    for (const l of lines) expect(width(l)).toBeLessThanOrEqual(90);
    expect(lines[1]).toMatch(/^0\.9-1\.0 +│█+.*┃.*│ price 0\.900 won 0\.970 n=400$/);
    const ascii = calibrationChart(reports[0]!.calibration, { width: 60, ascii: true });
    expect(ascii.join('\n')).not.toMatch(/[█┃│]/);
  });
  it('bars are eighth-precise', () => {
    expect(bar(0.5, 4)).toBe('██  ');
    expect(bar(1 / 16, 2)).toBe('▏ ');
    expect(bar(0.5, 4, true)).toBe('##  ');
  });
});

describe('table and HTML report', () => {
  it('the table shows claimed beside measured, the break-even cost and the verdict; narrow terminals drop columns', () => {
    const wide = formatTable(reports, { columns: 160 });
    expect(wide[0]).toMatch(/strategy +claimed +n +won +Wilson 95% +cost=b\/e +ROI +ROI 95% CI +OOS ROI +Brier mkt\/claim +verdict/);
    expect(wide[2]).toMatch(/^TEST_FADE +93\.9% +400 +97\.0% .* VALIDATED$/);
    const narrow = formatTable(reports, { columns: 100 });
    expect(narrow[0]).not.toMatch(/Brier/);
    expect(reportNotes(reports).join('\n')).toMatch(/0\.010 half spread/);
  });
  it('writes one self-contained file: table, notes, inline SVG per strategy, names escaped', () => {
    const path = join(tempDir('pc-report-'), 'r.html');
    writeHtmlReport(path, reports, { source: 'synthetic <test>', generatedAt: 0 });
    const html = readFileSync(path, 'utf8');
    expect(html).toBe(renderHtmlReport(reports, { source: 'synthetic <test>', generatedAt: 0 }));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<table>');
    expect(html.match(/<svg /g)!.length).toBe(1 + 2 * reports.length);
    expect(html).toContain('<polyline');
    expect(html).toContain('Weird &lt;b&gt; &amp; co');
    expect(html).not.toContain('Weird <b>');
    expect(html).toContain('synthetic &lt;test&gt;');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});
