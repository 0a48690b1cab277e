// Terminal charts as pure functions returning lines: an equity curve and a
// calibration chart, width-aware, with block characters or plain ASCII.
import type { CalibrationBin } from './types.js';

export interface ChartOptions {
  /** Total width in columns, labels included. */
  width?: number;
  /** Plot rows (equity curve). */
  height?: number;
  /** Plain ASCII (no block characters). */
  ascii?: boolean;
}

const EIGHTHS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const PARTIAL = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/**
 * Cumulative P&L (dollars, one share per event) as a line of eighth-blocks,
 * with the maximum, zero and minimum labelled on the left. Longer series are
 * sampled at the end of each column's span.
 */
export function equityChart(values: readonly number[], opts: ChartOptions = {}): string[] {
  const width = Math.max(20, opts.width ?? 80);
  const height = Math.max(3, opts.height ?? 8);
  if (!values.length) return ['(no trades)'];
  let lo = Math.min(0, ...values);
  let hi = Math.max(0, ...values);
  if (hi - lo < 1e-9) (lo -= 1), (hi += 1);
  const labels = [money(hi), money(0), money(lo)];
  const lw = Math.max(...labels.map((l) => l.length));
  const plotW = Math.min(values.length, width - lw - 2);
  const cols: number[] = [];
  for (let c = 0; c < plotW; c++) cols.push(values[Math.max(0, Math.ceil(((c + 1) * values.length) / plotW) - 1)]!);
  const total = height * 8;
  const level = (v: number) => Math.min(total - 1, Math.max(0, Math.round(((v - lo) / (hi - lo)) * (total - 1))));
  const zeroRow = height - 1 - Math.floor(level(0) / 8);
  const grid: string[][] = Array.from({ length: height }, (_, r) => new Array(plotW).fill(r === zeroRow ? (opts.ascii ? '-' : '─') : ' '));
  cols.forEach((v, c) => {
    const l = level(v);
    const row = height - 1 - Math.floor(l / 8);
    grid[row]![c] = opts.ascii ? '*' : EIGHTHS[(l % 8) + 1]!;
  });
  const axis = opts.ascii ? '|' : '│';
  return grid.map((cells, r) => {
    const label = r === 0 ? labels[0]! : r === height - 1 ? labels[2]! : r === zeroRow ? labels[1]! : '';
    return `${label.padStart(lw)} ${axis}${cells.join('')}`;
  });
}

/**
 * One row per price bin: the realised win rate as a bar, the mean price as a
 * marker on the same scale (a calibrated market puts the marker at the bar's end).
 */
export function calibrationChart(bins: readonly CalibrationBin[], opts: ChartOptions = {}): string[] {
  const width = Math.max(40, opts.width ?? 80);
  if (!bins.length) return ['(no data)'];
  const tail = (b: CalibrationBin) => ` price ${b.price.toFixed(3)} won ${b.rate.toFixed(3)} n=${b.n}`;
  const tailW = Math.max(...bins.map((b) => tail(b).length));
  const barW = Math.max(10, width - 10 - tailW - 2);
  const axis = opts.ascii ? '|' : '│';
  const lines = [`${'bin'.padEnd(9)}${axis}${'realised win rate (bar) vs mean price (marker)'.slice(0, barW).padEnd(barW)}${axis}`];
  for (const b of bins) {
    const cells = bar(b.rate, barW, !!opts.ascii).split('');
    const at = Math.min(barW - 1, Math.max(0, Math.round(b.price * barW) - 1));
    cells[at] = opts.ascii ? '|' : '┃';
    lines.push(`${`${b.lo.toFixed(1)}-${b.hi.toFixed(1)}`.padEnd(9)}${axis}${cells.join('')}${axis}${tail(b)}`);
  }
  return lines;
}

/** A horizontal bar of `frac` × width cells, eighth-precise (or '#' in ASCII). */
export function bar(frac: number, width: number, ascii = false): string {
  const f = Math.min(1, Math.max(0, frac));
  if (ascii) return '#'.repeat(Math.round(f * width)).padEnd(width);
  const eighths = Math.round(f * width * 8);
  const full = Math.floor(eighths / 8);
  return ('█'.repeat(full) + PARTIAL[eighths % 8]!).padEnd(width);
}

function money(x: number): string {
  const s = Math.abs(x) >= 100 ? Math.abs(x).toFixed(0) : Math.abs(x).toFixed(2);
  return x === 0 ? '$0' : `${x < 0 ? '-' : '+'}$${s}`;
}
