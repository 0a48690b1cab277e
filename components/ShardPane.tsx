import React, { memo } from 'react';
import { Text } from 'ink';
import { usePane } from './context.js';
import { SHARD_STATE, sparkline, theme } from './theme.js';
import { DEFAULT_SORT, sortLabel, sortShards, type SortState } from './sort.js';
import { Pane, bodyRows, hiddenNote } from './Pane.js';
import { age } from './format.js';
import { windowStart } from './ui-state.js';
import type { ShardRow } from '../store/snapshot.js';

const Row = memo(function Row({ r, spark, selected }: { r: ShardRow; spark: number; selected: boolean }) {
  const st = SHARD_STATE[r.state];
  const ageTone = r.lastMsgAgeMs > 10_000 ? theme.error : r.lastMsgAgeMs > 3_000 ? theme.warn : theme.muted;
  return (
    <Text wrap="truncate" inverse={selected}>
      {selected ? '›' : ' '}
      {String(r.id).padStart(2)}{' '}
      <Text color={theme[st.tone]}>
        {st.glyph} {st.word.padEnd(6)}
      </Text>
      {String(r.assets).padStart(6)}
      {String(r.msgsPerSec).padStart(7)}{' '}
      <Text color={theme.info}>{sparkline(r.history, spark)}</Text>
      <Text color={ageTone}>{age(r.lastMsgAgeMs).padStart(7)}</Text>
      {String(r.reconnects).padStart(6)}
      {String(r.gaps).padStart(5)}
      <Text color={r.staleBooks ? theme.warn : undefined}>{String(r.staleBooks).padStart(6)}</Text>
      {r.reason && r.state !== 'open' ? <Text color={theme.muted}> {r.reason}</Text> : null}
    </Text>
  );
});

/** Shard health: one row per WebSocket connection. */
export const ShardPane = memo(function ShardPane({ height, width, focused, selected, sort = DEFAULT_SORT }: { height: number; width: number; focused: boolean; selected: number; sort?: SortState }) {
  const engineOrder = usePane((s) => s.shards);
  const shards = sortShards(engineOrder, sort);
  const catalog = usePane((s) => s.status.catalog);
  const pool = usePane((s) => s.status.pool);
  const screen = usePane((s) => s.status.screen);
  const spark = Math.max(4, Math.min(20, width - 60));
  // One body row for the screen: what is streamed, what is only screened, the candidates it flagged, and the age bound.
  const visible = bodyRows(height) - (screen ? 1 : 0);
  const start = windowStart(selected, shards.length, visible);
  const sub = `${shards.length} conn ≤${pool.targetSize}${pool.splits ? ` · ${pool.splits} split` : ''}${pool.awaitingFirstEvent ? ` · ${pool.awaitingFirstEvent} awaiting 1st event` : ''} · catalog ${catalog.markets}${sortLabel('shards', sort) ? ` · ${sortLabel('shards', sort)}` : ''}`;
  return (
    <Pane title="1 Shards" more={hiddenNote(start, visible, shards.length)} subtitle={sub} width={width} height={height} focused={focused}>
      {screen ? (
        <Text wrap="truncate">
          {'  '}streamed {screen.streamed} <Text color={theme.muted}>screened</Text> {screen.screened}
          {width >= 60 ? `/${screen.universe}` : ''} <Text color={theme.muted}>cand</Text> <Text color={screen.candidates ? theme.warn : undefined}>{screen.candidates}</Text> <Text color={theme.muted}>age</Text> {age(screen.ageMs)}
        </Text>
      ) : null}
      <Text color={theme.muted} wrap="truncate">
        {'  #'} {'state   '}{'assets'.padStart(6)}{'msg/s'.padStart(7)} {'activity'.padEnd(spark)}{'last'.padStart(7)}{'recon'.padStart(6)}{'gaps'.padStart(5)}{'stale'.padStart(6)}
      </Text>
      {shards.length === 0 ? (
        <Text color={theme.muted}>{catalog.phase === 'error' ? 'catalog unavailable — see status line' : `waiting for catalog (${catalog.pages} pages)…`}</Text>
      ) : (
        shards.slice(start, start + visible).map((r, i) => <Row key={r.id} r={r} spark={spark} selected={focused && start + i === selected} />)
      )}
    </Pane>
  );
});
