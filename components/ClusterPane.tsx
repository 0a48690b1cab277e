import React, { memo } from 'react';
import { Text } from 'ink';
import { usePane } from './context.js';
import { theme } from './theme.js';
import { DEFAULT_SORT, sortClusters, sortLabel, type SortState } from './sort.js';
import { Pane, bodyRows, hiddenNote } from './Pane.js';
import { fit, pad } from './format.js';
import { matches, windowStart } from './ui-state.js';

/** Clusters from the batch scan: category, size, canonical summary, confidence. */
export const ClusterPane = memo(function ClusterPane({ height, width, focused, selected, filter, sort = DEFAULT_SORT }: { height: number; width: number; focused: boolean; selected: number; filter: string; sort?: SortState }) {
  const all = usePane((s) => s.clusters);
  const rows = sortClusters(filter ? all.filter((c) => matches(filter, c.category, c.summary)) : all, sort);
  const visible = bodyRows(height);
  const start = windowStart(selected, rows.length, visible);
  const sw = Math.max(10, width - 36);
  return (
    <Pane title="4 Clusters" more={hiddenNote(start, visible, rows.length)} subtitle={`${all.length}${filter ? ` · /${filter} (${rows.length})` : ''}${sortLabel('clusters', sort) ? ` · ${sortLabel('clusters', sort)}` : ''}`} width={width} height={height} focused={focused}>
      <Text color={theme.muted} wrap="truncate">
        {' category'.padEnd(20)}{'n'.padStart(5)}{'conf'.padStart(6)} summary
      </Text>
      {rows.length === 0 ? (
        <Text color={theme.muted}>{filter ? 'no match' : 'no batch scanned yet'}</Text>
      ) : (
        rows.slice(start, start + visible).map((c, i) => (
          <Text key={c.id} wrap="truncate" inverse={focused && start + i === selected}>
            {focused && start + i === selected ? '›' : ' '}
            <Text color={theme.info}>{fit(c.category, 19)}</Text>
            {pad(String(c.count), 5)}
            {pad(c.confidence.toFixed(2), 6)} {fit(c.summary, sw)}
          </Text>
        ))
      )}
    </Pane>
  );
});
