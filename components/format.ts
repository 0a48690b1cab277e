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

/** "ML VALID +.012[+.004,+.020] 7.3k rows 3m" / "ML UNPROV 7.3k rows 3m" / "ML ⧗": the header's scorer figure. */
export function scorerBadge(m: { verdict: string; note: string; brierSkill: number | null; brierSkillCi: [number, number] | null; trainedRows: number; ageMs: number | null; expired: boolean; training: boolean }): string {
  if (m.note === 'validating…') return 'ML ⧗';
  const word = m.verdict === 'VALIDATED' ? 'VALID' : m.verdict === 'REJECTED' ? 'REJECT' : 'UNPROV';
  const skill = m.brierSkill === null ? '' : ` ${skill3(m.brierSkill)}${m.brierSkillCi ? `[${skill3(m.brierSkillCi[0])},${skill3(m.brierSkillCi[1])}]` : ''}`;
  const rows = m.trainedRows >= 1000 ? `${(m.trainedRows / 1000).toFixed(1)}k` : String(m.trainedRows);
  const age = m.ageMs === null ? 'no model' : m.expired ? 'EXPIRED' : ageText(m.ageMs);
  return `ML ${word}${skill} ${rows} rows ${age}${m.training ? ' ↻' : ''}`;
}

function skill3(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3).replace(/^0/, '')}`;
}

/** 45s, 12m, 3h, 2d. */
export function ageText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m` : s < 86_400 ? `${Math.floor(s / 3600)}h` : `${Math.floor(s / 86_400)}d`;
}

/** The model column: "p .61 +.03", or the scorer's verdict when it has no say (UNPROV, REJECT), or — (expired, no price). */
export function modelCell(m: { verdict: string; p?: number; diff?: number } | undefined): string {
  if (!m) return '—';
  if (m.verdict !== 'VALIDATED') return m.verdict === 'REJECTED' ? 'REJECT' : 'UNPROV';
  if (m.p === undefined || m.diff === undefined) return '—';
  return `${m.p.toFixed(2).replace(/^0/, '')}${m.diff >= 0 ? '+' : '−'}${Math.abs(m.diff).toFixed(2).replace(/^0/, '')}`;
}
