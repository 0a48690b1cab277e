import React, { memo } from 'react';
import { Text } from 'ink';
import { usePane } from './context.js';
import { sparkline, theme } from './theme.js';
import { DEFAULT_SORT, sortLabel, sortOfi, type SortState } from './sort.js';
import { Pane, bodyRows, hiddenNote } from './Pane.js';
import { fit, pad, shortNum, signed } from './format.js';
import { matches, windowStart } from './ui-state.js';
import type { OfiPaneRow } from '../store/snapshot.js';

/** Pane width from which the 5 min window shows beside the 30 s one. */
export const OFI_WIDE = 90;

const Row = memo(function Row({ r, qw, spark, selected, wide }: { r: OfiPaneRow; qw: number; spark: number; selected: boolean; wide: boolean }) {
  const up = r.normalized >= 0;
  const hist = r.history.map((x) => Math.abs(x));
  return (
    <Text wrap="truncate" inverse={selected}>
      {selected ? '›' : ' '}
      <Text color={up ? theme.ok : theme.error}>{up ? '▲' : '▼'}</Text>
      {pad(signed(r.normalized, 2), 8)}
      {wide ? pad(r.normalized5m === undefined ? '—' : signed(r.normalized5m, 2), 8) : null}{' '}
      <Text color={theme.info}>{sparkline(hist, spark)}</Text>
      {pad(shortNum(r.tradeFlow), 7)}
      {pad(signed(r.divergence, 1), 7)}{' '}
      {r.gap ? <Text color={theme.warn}>⚠gap </Text> : <Text color={theme.muted}>  ok </Text>}
      <Text color={theme.muted}>{fit(r.micro ? r.micro.type.replace('LOW_LIQUIDITY_', 'LL_') : '', 14)} </Text>
      {fit(r.question, qw)}
    </Text>
  );
});

/** OFI per token: top N by |normalised OFI| (30 s window), with history, divergence and gap flag. */
export const OfiPane = memo(function OfiPane({ height, width, focused, selected, filter, sort = DEFAULT_SORT }: { height: number; width: number; focused: boolean; selected: number; filter: string; sort?: SortState }) {
  const all = usePane((s) => s.ofi);
  const rows = sortOfi(filter ? all.filter((r) => matches(filter, r.question, r.marketId)) : all, sort);
  const spark = Math.max(6, Math.min(16, Math.floor(width / 8)));
  const wide = width >= OFI_WIDE;
  // Border 2, cursor and glyph 2, ofi 8 (+8 for 5m), space, spark, flow 7, div 7, feed 6, micro 15: the title takes the rest.
  const qw = Math.max(10, width - spark - 48 - (wide ? 8 : 0));
  const visible = bodyRows(height);
  const start = windowStart(selected, rows.length, visible);
  return (
    <Pane title="2 OFI" more={hiddenNote(start, visible, rows.length)} subtitle={`${wide ? '30 s and 5 min' : '30 s'}, normalised by depth${filter ? ` · /${filter} (${rows.length} of ${all.length})` : ''}${sortLabel('ofi', sort) ? ` · ${sortLabel('ofi', sort)}` : ''}`} width={width} height={height} focused={focused}>
      <Text color={theme.muted} wrap="truncate">
        {'   '}{(wide ? 'ofi 30s' : 'ofi').padStart(7)}{wide ? 'ofi 5m'.padStart(8) : ''} {'history'.padEnd(spark)}{'flow'.padStart(7)}{'div'.padStart(7)}{' feed '}{'micro'.padEnd(15)}market
      </Text>
      {rows.length === 0 ? <Text color={theme.muted}>{filter ? 'no match' : 'no order flow yet'}</Text> : rows.slice(start, start + visible).map((r, i) => <Row key={r.token} r={r} qw={qw} spark={spark} selected={focused && start + i === selected} wide={wide} />)}
    </Pane>
  );
});
