// A self-contained HTML report: the table, the notes, and per strategy an
// inline-SVG equity curve and calibration chart (no scripts, no external files).
import { sanitize } from '../text/sanitize.js';
import { writeFileSync } from 'node:fs';
import { calibrationBins } from './stats.js';
import { reportNotes, tableCells } from './table.js';
import type { CalibrationBin, StrategyReport } from './types.js';

export interface HtmlMeta {
  title?: string;
  /** One line: where the markets came from. */
  source?: string;
  generatedAt?: number;
  /** The learned scorer's one-line result (skill against the market price, verdict). */
  scorer?: string;
}

export function writeHtmlReport(path: string, reports: readonly StrategyReport[], meta: HtmlMeta = {}): void {
  writeFileSync(path, renderHtmlReport(reports, meta));
}

export function renderHtmlReport(reports: readonly StrategyReport[], meta: HtmlMeta = {}): string {
  const title = meta.title ?? 'polyconsole backtest';
  const { head, rows } = tableCells(reports, true);
  const table = reports
    .map((r, i) => {
      const cells = rows[i]!;
      return `<tr class="${r.verdict.toLowerCase()}">${cells.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const sections = reports
    .map(
      (r) => `<section><h2>${esc(r.strategy)} <small>${esc(r.category)}, buy ${r.outcome} at ${r.priceBand.join('–')}</small></h2>
<p>${esc(r.verdict)}${r.reasons.length ? ': ' + esc(r.reasons.join('; ')) : ''}</p>
<div class="charts"><figure>${equitySvg(r.equity)}<figcaption>Cumulative P&amp;L, one share per event (n = ${r.n})</figcaption></figure>
<figure>${calibrationSvg(r.calibration)}<figcaption>Calibration: market price vs realised win rate</figcaption></figure></div>
</section>`,
    )
    .join('\n');
  const all = reports.flatMap((r) => r.trades);
  const overall = calibrationBins(
    all.map((t) => t.mid),
    all.map((t) => t.win),
    10,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:right;font-variant-numeric:tabular-nums}
td:first-child,th:first-child{text-align:left}
tr.validated td:last-child{color:#060;font-weight:bold}tr.rejected td:last-child{color:#a00;font-weight:bold}tr.unproven td:last-child{color:#a60}
.charts{display:flex;gap:2em;flex-wrap:wrap}figure{margin:0}figcaption{font-size:12px;color:#666}
ul.notes{font-size:13px;color:#444}small{color:#666;font-weight:normal}
</style></head><body>
<h1>${esc(title)}</h1>
${meta.source ? `<p>${esc(meta.source)}</p>` : ''}
<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>
${table}
</tbody></table>
${meta.scorer ? `<p class="scorer">${esc(meta.scorer)}</p>` : ''}
<ul class="notes">${reportNotes(reports)
    .map((n) => `<li>${esc(n)}</li>`)
    .join('')}</ul>
<section><h2>All trades</h2><figure>${calibrationSvg(overall)}<figcaption>Calibration over every strategy's entries</figcaption></figure></section>
${sections}
${meta.generatedAt !== undefined ? `<p><small>generated ${esc(new Date(meta.generatedAt).toISOString())}</small></p>` : ''}
</body></html>
`;
}

/** Polyline of the equity curve with a zero line, 360×140. */
export function equitySvg(values: readonly number[], w = 360, h = 140): string {
  if (!values.length) return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><text x="10" y="20">no trades</text></svg>`;
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const span = hi - lo || 1;
  const pad = 6;
  const x = (i: number) => pad + (values.length === 1 ? 0 : (i / (values.length - 1)) * (w - 2 * pad));
  const y = (v: number) => pad + (1 - (v - lo) / span) * (h - 2 * pad);
  const step = Math.max(1, Math.floor(values.length / 600));
  const pts: string[] = [];
  for (let i = 0; i < values.length; i += step) pts.push(`${x(i).toFixed(1)},${y(values[i]!).toFixed(1)}`);
  pts.push(`${x(values.length - 1).toFixed(1)},${y(values[values.length - 1]!).toFixed(1)}`);
  const last = values[values.length - 1]!;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img">
<rect width="${w}" height="${h}" fill="#fafafa" stroke="#ddd"/>
<line x1="${pad}" x2="${w - pad}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}" stroke="#999" stroke-dasharray="3 3"/>
<polyline fill="none" stroke="${last >= 0 ? '#070' : '#a00'}" stroke-width="1.5" points="${pts.join(' ')}"/>
<text x="${pad}" y="12" font-size="10" fill="#666">${esc(hi.toFixed(2))}</text><text x="${pad}" y="${h - 2}" font-size="10" fill="#666">${esc(lo.toFixed(2))}</text>
</svg>`;
}

/** Reliability diagram: mean price (x) vs realised rate (y), dot area ∝ n, with the diagonal. 200×200. */
export function calibrationSvg(bins: readonly CalibrationBin[], size = 200): string {
  const pad = 20;
  const s = size - 2 * pad;
  const x = (p: number) => pad + p * s;
  const y = (p: number) => pad + (1 - p) * s;
  const maxN = Math.max(1, ...bins.map((b) => b.n));
  const dots = bins
    .map((b) => `<circle cx="${x(b.price).toFixed(1)}" cy="${y(b.rate).toFixed(1)}" r="${(2 + 6 * Math.sqrt(b.n / maxN)).toFixed(1)}" fill="#36c" fill-opacity=".6"><title>${esc(`${b.lo.toFixed(1)}–${b.hi.toFixed(1)}: price ${b.price.toFixed(3)}, won ${b.rate.toFixed(3)}, n ${b.n}`)}</title></circle>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img">
<rect x="${pad}" y="${pad}" width="${s}" height="${s}" fill="#fafafa" stroke="#ddd"/>
<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="3 3"/>
${dots}
<text x="${pad}" y="${size - 4}" font-size="10" fill="#666">price →</text><text x="2" y="${pad - 6}" font-size="10" fill="#666">won ↑</text>
</svg>`;
}

function esc(s: string): string {
  return sanitize(String(s), 20_000).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
