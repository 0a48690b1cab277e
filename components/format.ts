// Small formatting helpers shared by the panes. Widths are terminal columns
// (a CJK glyph or an emoji takes two), so columns line up whatever the text.
import { sanitize } from '../src/text/sanitize.js';
import { columns, padEndColumns, padStartColumns, truncateColumns } from '../src/text/width.js';

/** Network text made safe and fitted to exactly `width` columns: cut with an ellipsis, or padded on the right. */
export function fit(text: string, width: number): string {
  const t = sanitize(text);
  if (width <= 0) return '';
  if (columns(t) <= width) return padEndColumns(t, width);
  return padEndColumns(`${truncateColumns(t, width - 1)}…`, width);
}

/** `text` right-aligned in exactly `width` columns (cut on the right when wider). */
export function pad(text: string, width: number): string {
  if (width <= 0) return '';
  return columns(text) > width ? padEndColumns(truncateColumns(text, width), width) : padStartColumns(text, width);
}

export function prob(p: number | undefined): string {
  return p === undefined ? '—' : p.toFixed(p >= 0.995 || p < 0.005 ? 3 : 2);
}

export function signed(x: number | undefined, digits = 3): string {
  if (x === undefined) return '—';
  return `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;
}

/** "12345.60" → "12,345.60" (toLocaleString costs ~50× more, and this runs per row per frame). */
function grouped(fixed: string): string {
  const dot = fixed.indexOf('.');
  const int = dot < 0 ? fixed : fixed.slice(0, dot);
  let out = '';
  for (let i = int.length; i > 0; i -= 3) out = (i > 3 ? ',' : '') + int.slice(Math.max(0, i - 3), i) + out;
  return out + (dot < 0 ? '' : fixed.slice(dot));
}

export function usd(x: number): string {
  const a = Math.abs(x);
  const s = a >= 100_000 ? `${(a / 1000).toFixed(0)}k` : grouped(a.toFixed(2));
  return `${x < 0 ? '-' : ''}$${s}`;
}

export function age(ms: number): string {
  if (ms < 0) return '—';
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  return `${Math.floor(ms / 60_000)}m`;
}

export function shortNum(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return String(Math.round(n));
}
