import React, { memo } from 'react';
import { Text } from 'ink';
import { usePane } from './context.js';
import { theme, type Tone } from './theme.js';
import { Pane, bodyRows, hiddenNote } from './Pane.js';
import { age, fit, modelCell, pad, prob, shortNum, signed } from './format.js';
import { flexWidths, widest } from './columns.js';
import { columns, padEndColumns } from '../src/text/width.js';
import { matches, windowStart } from './ui-state.js';
import type { SignalPaneRow } from '../store/snapshot.js';

export const TIER: Record<string, { glyph: string; word: string; tone: Tone }> = {
  'AUTO-TRADE': { glyph: '◆', word: 'AUTO', tone: 'ok' },
  ALERT: { glyph: '▲', word: 'ALERT', tone: 'warn' },
  WATCH: { glyph: '○', word: 'WATCH', tone: 'info' },
  IGNORE: { glyph: '·', word: 'IGNOR', tone: 'muted' },
  ARB: { glyph: '⇄', word: 'ARB', tone: 'accent' },
};

export function filterSignals(rows: readonly SignalPaneRow[], filter: string): readonly SignalPaneRow[] {
  return filter ? rows.filter((r) => matches(filter, r.question, r.label, r.tier, r.side, r.gate)) : rows;
}

/** The edge, or for a strategy with no validated edge its verdict (never a claimed figure). */
export function edgeCell(r: Pick<SignalPaneRow, 'edge' | 'verdict'>): string {
  if (r.edge !== undefined) return signed(r.edge, 3);
  if (r.verdict === 'REJECTED') return 'REJECT';
  if (r.verdict === 'UNPROVEN') return 'UNPROV';
  return '—';
}

/** The scorer's column needs room: from this width on (narrower, the detail view has it), once the scorer reads rows. */
export const MODEL_COLUMN_MIN_WIDTH = 110;

/** Terminal widths from which the queue adds columns: verdict, depth and age; then the category. */
export const SIGNALS_WIDE = 150;
export const SIGNALS_WIDER = 190;

/** The market title's share before the other text columns grow: the real catalog's median question is 51 characters. */
const TITLE_FIRST = 52;

interface Layout {
  label: number;
  category: number;
  side: number;
  gate: number;
  market: number;
  wide: boolean;
  wider: boolean;
  /** The learned scorer's column (9 wide). */
  model: boolean;
}

const VERDICT: Record<string, string> = { VALIDATED: 'VALID', REJECTED: 'REJECT', UNPROVEN: 'UNPROV' };
const gateText = (r: SignalPaneRow) => (r.gate === 'ready' ? '✓ ready' : `✗ ${r.gate}`);

/** The gate in `width` columns: whole, else its kind alone ("✗ disabled" of "disabled: paper trading is off"), else cut. */
export function gateCell(r: SignalPaneRow, width: number): string {
  const full = gateText(r);
  const colon = full.indexOf(': ');
  return columns(full) > width && colon > 0 && columns(full.slice(0, colon)) <= width ? padEndColumns(full.slice(0, colon), width) : fit(full, width);
}

/** A basket's side, compact: "YES + YES + YES" is "3× YES" (the detail lists the legs). */
export function sideText(side: string): string {
  const legs = side.split(' + ');
  return legs.length > 2 && legs.every((l) => l === legs[0]) ? `${legs.length}× ${legs[0]}` : side;
}

/** "<10s" for a signal seen in the last 10 s (ages come in 10 s steps). */
const ageCell = (ms: number | undefined) => (ms === undefined ? '—' : ms < 10_000 ? '<10s' : age(ms));
const marketText = (r: SignalPaneRow) => (r.fair && r.fair.p !== null ? `fair ${r.fair.p.toFixed(2)} · ${r.question}` : r.question);

/** Column widths for the rows shown: strategy, category, side and gate as wide as their widest value (capped), the market title the rest. */
function layoutFor(rows: readonly SignalPaneRow[], width: number, model: boolean): Layout {
  const wide = width >= SIGNALS_WIDE;
  const wider = width >= SIGNALS_WIDER;
  // Border 2, cursor 1, rank 3+1, tier 7+1, a space after the strategy, entry 6, edge 8, size 7, ofi 7, conf 6, spaces around the gate 2.
  let fixed = 2 + 1 + 4 + 8 + 1 + 6 + 8 + 7 + 7 + 6 + 2;
  if (wide) fixed += 8 + 7 + 6; // verdict, depth, age
  if (wider) fixed += 1; // the space after the category
  if (model) fixed += 9;
  const [label, category, side, gate, market] = flexWidths(width - fixed, [
    { min: 14, want: widest(rows.map((r) => r.label)), max: 24 },
    wider ? { min: 12, want: widest(rows.map((r) => r.category ?? '—')), max: 22 } : { min: 0, want: 0 },
    { min: 10, want: widest(rows.map((r) => sideText(r.side))), max: 20 },
    { min: 18, want: widest(rows.map(gateText)), max: 60 },
    { min: 10, want: widest(rows.map(marketText)) },
  ], TITLE_FIRST);
  return { label: label!, category: category!, side: side!, gate: gate!, market: market!, wide, wider, model };
}

const Row = memo(function Row({ r, l, selected }: { r: SignalPaneRow; l: Layout; selected: boolean }) {
  const t = TIER[r.tier] ?? TIER['WATCH']!;
  const ready = r.gate === 'ready';
  return (
    <Text wrap="truncate" inverse={selected}>
      {selected ? '›' : ' '}
      {pad(String(r.rank), 3)}{' '}
      <Text color={theme[t.tone]}>
        {t.glyph} {t.word.padEnd(5)}
      </Text>{' '}
      {fit(r.label, l.label)} {l.wider ? <Text color={theme.info}>{fit(r.category ?? '—', l.category)} </Text> : null}
      {fit(sideText(r.side), l.side)}
      {pad(prob(r.entry), 6)}
      <Text color={(r.edge ?? 0) > 0 ? theme.ok : theme.muted}>{pad(edgeCell(r), 8)}</Text>
      {l.wide ? <Text color={r.verdict === 'VALIDATED' ? theme.ok : theme.muted}>{pad(r.verdict ? VERDICT[r.verdict]! : '—', 8)}</Text> : null}
      {pad(r.size === undefined ? '—' : String(Math.floor(r.size)), 7)}
      {l.wide ? pad(r.depth === undefined ? '—' : shortNum(r.depth), 7) : null}
      <Text color={r.ofiGap ? theme.warn : undefined}>{pad(r.ofi === undefined ? '—' : signed(r.ofi, 1) + (r.ofiGap ? '!' : ''), 7)}</Text>
      {pad(r.confidence.toFixed(2), 6)}
      {l.wide ? pad(ageCell(r.ageMs), 6) : null}
      {l.model ? <Text color={r.model?.p !== undefined ? theme.info : theme.muted}>{pad(modelCell(r.model), 9)}</Text> : null}{' '}
      <Text color={ready ? theme.ok : theme.warn}>{gateCell(r, l.gate)}</Text> {fit(marketText(r), l.market)}
    </Text>
  );
});

/** The ranked signal queue: strategy signals and arbitrage, each with why it is there. */
export const SignalPane = memo(function SignalPane({ height, width, focused, selectedKey, filter }: { height: number; width: number; focused: boolean; selectedKey: string | null; filter: string }) {
  const all = usePane((s) => s.signals);
  const rows = filterSignals(all, filter);
  const visible = bodyRows(height);
  // The cursor follows the signal's id, wherever the ranking moved it.
  const selected = selectedKey === null ? -1 : rows.findIndex((r) => r.key === selectedKey);
  const start = windowStart(Math.max(0, selected), rows.length, visible);
  const shown = rows.slice(start, start + visible);
  const l = layoutFor(shown, width, width >= MODEL_COLUMN_MIN_WIDTH && all.some((r) => r.model));
  const lost = selectedKey !== null && selected < 0 ? (all.some((r) => r.key === selectedKey) ? ' · selection hidden by filter' : ' · selected signal left the queue') : '';
  return (
    <Pane title="3 Signals" more={hiddenNote(start, visible, rows.length)} subtitle={`${all.length} queued${filter ? ` · /${filter} (${rows.length})` : ''}${lost} · Enter for detail`} width={width} height={height} focused={focused}>
      <Text color={theme.muted} wrap="truncate">
        {'   #'} {'tier   '} {'strategy/rel'.padEnd(l.label)} {l.wider ? `${'category'.padEnd(l.category)} ` : ''}{'side'.padEnd(l.side)}{'entry'.padStart(6)}{'edge'.padStart(8)}{l.wide ? 'verdict'.padStart(8) : ''}{'size'.padStart(7)}{l.wide ? 'depth'.padStart(7) : ''}{'ofi'.padStart(7)}{'conf'.padStart(6)}{l.wide ? 'age'.padStart(6) : ''}{l.model ? 'model'.padStart(9) : ''} {'gate'.padEnd(l.gate)} market
      </Text>
      {rows.length === 0 ? <Text color={theme.muted}>{filter ? 'no match' : 'queue empty: the scan runs every interval'}</Text> : shown.map((r, i) => <Row key={r.key} r={r} l={l} selected={focused && start + i === selected} />)}
    </Pane>
  );
});
