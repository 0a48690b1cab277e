// `polyconsole status [--db FILE] [--json]`: what the database says, offline —
// cash, positions, P&L, fees, breaker, the last checkpoint and recent actions.
import { sanitize } from './text/sanitize.js';
import { existsSync } from 'node:fs';
import { fromMicros } from './protocol/units.js';
import { readStatusRows } from './persist/status-queries.js';
import { truncateColumns } from './text/width.js';
import { systemWall, type WallMs } from './clock.js';

export interface StatusReport {
  db: string;
  cash: number | null;
  fees: number;
  realized: number;
  /** Open positions, each naming the outcome it holds (YES / NO, or the market's own label). */
  positions: { tokenId: string; marketId: string; question: string | null; outcome: string; shares: number; avgCost: number; realized: number }[];
  breaker: unknown;
  checkpoints: { name: string; cycle: number; updatedAt: string; ageSec: number; bytes: number }[];
  actions: { at: string; action: string; old: string | null; new: string | null; detail: string | null }[];
  counts: Record<string, number>;
}

export function readStatus(path: string, now: WallMs = systemWall()): StatusReport {
  if (!existsSync(path)) throw new Error(`no database at ${path}`);
  const rows = readStatusRows(path);
  const positions = rows.positions.map((r) => ({ tokenId: sanitize(r.token_id, 100), marketId: sanitize(r.market_id, 100), question: r.question === null ? null : sanitize(r.question, 300), outcome: outcomeOf(r.token_id, r.token_ids, r.outcomes), shares: r.shares, avgCost: r.shares ? fromMicros(r.cost_micros) / r.shares : 0, realized: fromMicros(r.realized_micros) }));
  const checkpoints = rows.checkpoints.map((r) => ({
    name: sanitize(r.name, 60),
    cycle: r.cycle,
    updatedAt: new Date(r.updated_at).toISOString(),
    ageSec: Math.round((now - r.updated_at) / 1000),
    bytes: r.bytes,
  }));
  const actions = rows.actions.map((r) => ({
    at: new Date(r.ts).toISOString(),
    action: sanitize(r.action, 60),
    old: r.old_value === null ? null : sanitize(String(r.old_value), 120),
    new: r.new_value === null ? null : sanitize(String(r.new_value), 120),
    detail: r.detail === null ? null : sanitize(r.detail, 300),
  }));
  return {
    db: path,
    cash: rows.cashMicros === null ? null : fromMicros(rows.cashMicros),
    fees: fromMicros(rows.feesMicros),
    realized: fromMicros(rows.realizedMicros),
    positions,
    breaker: rows.breakerJson !== undefined ? cleanStrings(JSON.parse(rows.breakerJson)) : null,
    checkpoints,
    actions,
    counts: rows.counts,
  };
}

/** The outcome a token pays on: "YES (Yes)" / "NO (Down)" from the market's token order; "?" when the market is unknown. */
export function outcomeOf(tokenId: string, tokenIdsJson: string | null, outcomesJson: string | null): string {
  try {
    const ids = JSON.parse(tokenIdsJson ?? 'null') as unknown;
    const names = JSON.parse(outcomesJson ?? 'null') as unknown;
    if (!Array.isArray(ids)) return '?';
    const i = ids.indexOf(tokenId);
    if (i < 0) return '?';
    const side = ids.length === 2 ? (i === 0 ? 'YES' : 'NO') : `#${i + 1}`;
    const name = Array.isArray(names) && typeof names[i] === 'string' ? sanitize(names[i], 24) : '';
    return name && name.toUpperCase() !== side ? `${side} (${name})` : side;
  } catch {
    return '?';
  }
}

/** Every string inside stored JSON made terminal-safe (the breaker's reason comes from venue text too). */
function cleanStrings(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return sanitize(v, 300);
  if (depth > 8 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.slice(0, 200).map((x) => cleanStrings(x, depth + 1));
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).slice(0, 200).map(([k, x]) => [sanitize(k, 60), cleanStrings(x, depth + 1)]));
}

const usd = (x: number) => `${x < 0 ? '-' : ''}$${Math.abs(x).toFixed(2)}`;

export function formatStatus(r: StatusReport): string {
  const lines: string[] = [];
  lines.push(`database ${sanitize(r.db, 300)}`);
  lines.push(`  ${Object.entries(r.counts).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(' · ')}`);
  lines.push(`cash ${r.cash === null ? '— (paper trading never ran)' : usd(r.cash)}   realized ${usd(r.realized)}   fees ${usd(r.fees)}`);
  const b = r.breaker as { state?: string; reason?: string } | null;
  lines.push(`breaker ${sanitize(String(b?.state ?? '—'), 40)}${b?.reason ? ` (${sanitize(String(b.reason), 200)})` : ''}`);
  lines.push(`positions (${r.positions.length})`);
  for (const p of r.positions.slice(0, 20)) lines.push(`  ${p.outcome.padEnd(12)} ${p.shares.toFixed(2).padStart(10)} @ ${p.avgCost.toFixed(4)}  ${truncateColumns(sanitize(p.question ?? p.marketId), 70)}`);
  lines.push('last checkpoint');
  if (!r.checkpoints.length) lines.push('  none');
  for (const c of r.checkpoints.slice(0, 8)) lines.push(`  ${c.name.padEnd(22)} cycle ${String(c.cycle).padStart(6)}  ${c.updatedAt}  (${c.ageSec} s ago, ${c.bytes} bytes)`);
  lines.push('recent actions');
  if (!r.actions.length) lines.push('  none');
  for (const a of r.actions) lines.push(`  ${a.at}  ${a.action}${a.old !== null || a.new !== null ? `  ${a.old ?? '—'} → ${a.new ?? '—'}` : ''}${a.detail ? `  (${a.detail})` : ''}`);
  return lines.join('\n');
}
