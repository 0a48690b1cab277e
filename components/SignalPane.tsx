import React, { memo } from 'react';
import { Text } from 'ink';
import { usePane } from './context.js';
import { theme, type Tone } from './theme.js';
import { Pane, bodyRows, hiddenNote } from './Pane.js';
import { fit, modelCell, pad, prob, signed } from './format.js';
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

const Row = memo(function Row({ r, qw, selected, model }: { r: SignalPaneRow; qw: number; selected: boolean; model: boolean }) {
  const t = TIER[r.tier] ?? TIER['WATCH']!;
  const ready = r.gate === 'ready';
  return (
    <Text wrap="truncate" inverse={selected}>
      {selected ? '›' : ' '}
      {pad(String(r.rank), 3)}{' '}
      <Text color={theme[t.tone]}>
        {t.glyph} {t.word.padEnd(5)}
      </Text>{' '}
      {fit(r.label, 14)} {fit(r.side, 10)}
      {pad(prob(r.entry), 6)}
      <Text color={(r.edge ?? 0) > 0 ? theme.ok : theme.muted}>{pad(edgeCell(r), 8)}</Text>
      {pad(r.size === undefined ? '—' : String(Math.floor(r.size)), 7)}
      <Text color={r.ofiGap ? theme.warn : undefined}>{pad(r.ofi === undefined ? '—' : signed(r.ofi, 1) + (r.ofiGap ? '!' : ''), 7)}</Text>
      {pad(r.confidence.toFixed(2), 6)}
      {model ? <Text color={r.model?.p !== undefined ? theme.info : theme.muted}>{pad(modelCell(r.model), 9)}</Text> : null}{' '}
      <Text color={ready ? theme.ok : theme.warn}>{fit(ready ? '✓ ready' : `✗ ${r.gate}`, 18)}</Text> {fit(r.fair && r.fair.p !== null ? `fair ${r.fair.p.toFixed(2)} · ${r.question}` : r.question, qw)}
    </Text>
  );
});

/** The ranked signal queue: strategy signals and arbitrage, each with why it is there. */
export const SignalPane = memo(function SignalPane({ height, width, focused, selectedKey, filter }: { height: number; width: number; focused: boolean; selectedKey: string | null; filter: string }) {
  const all = usePane((s) => s.signals);
  const rows = filterSignals(all, filter);
  const model = width >= MODEL_COLUMN_MIN_WIDTH && all.some((r) => r.model);
  const qw = Math.max(10, width - 97 - (model ? 9 : 0));
  const visible = bodyRows(height);
  // The cursor follows the signal's id, wherever the ranking moved it.
  const selected = selectedKey === null ? -1 : rows.findIndex((r) => r.key === selectedKey);
  const start = windowStart(Math.max(0, selected), rows.length, visible);
  const lost = selectedKey !== null && selected < 0 ? (all.some((r) => r.key === selectedKey) ? ' · selection hidden by filter' : ' · selected signal left the queue') : '';
  return (
    <Pane title="3 Signals" more={hiddenNote(start, visible, rows.length)} subtitle={`${all.length} queued${filter ? ` · /${filter} (${rows.length})` : ''}${lost} · Enter for detail`} width={width} height={height} focused={focused}>
      <Text color={theme.muted} wrap="truncate">
        {'   #'} {'tier   '} {'strategy/rel'.padEnd(14)} {'side'.padEnd(10)}{'entry'.padStart(6)}{'edge'.padStart(8)}{'size'.padStart(7)}{'ofi'.padStart(7)}{'conf'.padStart(6)}{model ? 'model'.padStart(9) : ''} {'gate'.padEnd(18)} market
      </Text>
      {rows.length === 0 ? <Text color={theme.muted}>{filter ? 'no match' : 'queue empty: the scan runs every interval'}</Text> : rows.slice(start, start + visible).map((r, i) => <Row key={r.key} r={r} qw={qw} selected={focused && start + i === selected} model={model} />)}
    </Pane>
  );
});
