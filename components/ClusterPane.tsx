import React, { memo } from 'react';
import { Text } from 'ink';
import { usePane } from './context.js';
import { theme } from './theme.js';
import { DEFAULT_SORT, sortClusters, sortLabel, type SortState } from './sort.js';
import { Pane, bodyRows, hiddenNote } from './Pane.js';
import { fit, pad } from './format.js';
import { matches, windowStart } from './ui-state.js';

/** Pane widths from which the rule column, then the distinct-question count, show. */
export const CLUSTERS_WIDE = 60;
export const CLUSTERS_WIDER = 76;

/** Clusters from the batch scan: category, size, rule, confidence, canonical summary (Enter: its markets). */
export const ClusterPane = memo(function ClusterPane({ height, width, focused, selected, filter, sort = DEFAULT_SORT }: { height: number; width: number; focused: boolean; selected: number; filter: string; sort?: SortState }) {
  const all = usePane((s) => s.clusters);
  const rows = sortClusters(filter ? all.filter((c) => matches(filter, c.category, c.summary)) : all, sort);
  const visible = bodyRows(height);
  const start = windowStart(selected, rows.length, visible);
  const wide = width >= CLUSTERS_WIDE;
  const wider = width >= CLUSTERS_WIDER;
  // Border 2, cursor 1, category 19, count 5, conf 6, space: the summary takes the rest.
  const sw = Math.max(10, width - 34 - (wide ? 7 : 0) - (wider ? 5 : 0));
  return (
    <Pane title="4 Clusters" more={hiddenNote(start, visible, rows.length)} subtitle={`${all.length}${filter ? ` · /${filter} (${rows.length})` : ''}${sortLabel('clusters', sort) ? ` · ${sortLabel('clusters', sort)}` : ''}`} width={width} height={height} focused={focused}>
      <Text color={theme.muted} wrap="truncate">
        {' category'.padEnd(20)}{(wide ? 'mkts' : 'n').padStart(5)}{wider ? 'uniq'.padStart(5) : ''}{wide ? ' rule  ' : ''}{'conf'.padStart(6)} summary
      </Text>
      {rows.length === 0 ? (
        <Text color={theme.muted}>{filter ? 'no match' : 'no batch scanned yet'}</Text>
      ) : (
        rows.slice(start, start + visible).map((c, i) => (
          <Text key={c.id} wrap="truncate" inverse={focused && start + i === selected}>
            {focused && start + i === selected ? '›' : ' '}
            <Text color={theme.info}>{fit(c.category, 19)}</Text>
            {pad(String(c.count), 5)}
            {wider ? pad(c.unique === undefined ? '—' : String(c.unique), 5) : null}
            {wide ? ` ${fit(c.kind ?? '—', 6)}` : null}
            {pad(c.confidence.toFixed(2), 6)} {fit(c.summary, sw)}
          </Text>
        ))
      )}
    </Pane>
  );
});
