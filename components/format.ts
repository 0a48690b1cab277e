// Small formatting helpers shared by the panes (widths are in characters).
import { sanitize } from '../src/text/sanitize.js';

/** Network text made safe and cut to a width (with an ellipsis). */
export function fit(text: string, width: number): string {
  const t = sanitize(text);
  if (width <= 0) return '';
  return t.length > width ? `${t.slice(0, Math.max(0, width - 1))}…` : t.padEnd(width);
}

export function pad(text: string, width: number): string {
  return text.length > width ? text.slice(0, width) : text.padStart(width);
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
