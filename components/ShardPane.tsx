import React, { memo } from 'react';
import { Box, Text } from 'ink';
import { usePane } from './context.js';
import { SHARD_STATE, sparkline, theme } from './theme.js';
import type { ShardRow } from '../store/snapshot.js';

function age(ms: number): string {
  if (ms < 0) return '—';
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  return `${Math.floor(ms / 60_000)}m`;
}

const Row = memo(function Row({ r, spark }: { r: ShardRow; spark: number }) {
  const st = SHARD_STATE[r.state];
  const ageTone = r.lastMsgAgeMs > 10_000 ? theme.error : r.lastMsgAgeMs > 3_000 ? theme.warn : theme.muted;
  return (
    <Text wrap="truncate">
      {String(r.id).padStart(3)}{' '}
      <Text color={theme[st.tone]}>
        {st.glyph} {st.word.padEnd(6)}
      </Text>
      {String(r.assets).padStart(6)}
      {String(r.msgsPerSec).padStart(8)}{' '}
      <Text color={theme.info}>{sparkline(r.history, spark)}</Text>
      <Text color={ageTone}>{age(r.lastMsgAgeMs).padStart(7)}</Text>
      {String(r.reconnects).padStart(6)}
      {String(r.gaps).padStart(6)}
      <Text color={r.staleBooks ? theme.warn : undefined}>{String(r.staleBooks).padStart(7)}</Text>
      {r.reason && r.state !== 'open' ? <Text color={theme.muted}> {r.reason}</Text> : null}
    </Text>
  );
});

/** Shard health: one row per WebSocket connection. */
export const ShardPane = memo(function ShardPane({ height, width, focused }: { height: number; width: number; focused: boolean }) {
  const shards = usePane((s) => s.shards);
  const catalog = usePane((s) => s.status.catalog);
  const pool = usePane((s) => s.status.pool);
  const spark = Math.max(4, Math.min(20, width - 64));
  const visible = Math.max(0, height - 3);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={focused ? theme.ok : theme.muted} width={width} height={height} overflow="hidden">
      <Text bold wrap="truncate">
        Shards{' '}
        <Text color={theme.muted}>
          ({shards.length} connections ≤ {pool.targetSize} assets{pool.splits ? `, ${pool.splits} split after stalls` : ''}
          {pool.awaitingFirstEvent ? `, ${pool.awaitingFirstEvent} awaiting first event` : ''}, catalog {catalog.markets} markets)
        </Text>
      </Text>
      <Text color={theme.muted} wrap="truncate">
        {'  #'} {'state   '}{'assets'.padStart(6)}{'msg/s'.padStart(8)} {'activity'.padEnd(spark)}{'last'.padStart(7)}{'recon'.padStart(6)}{'gaps'.padStart(6)}{'stale'.padStart(7)}
      </Text>
      {shards.length === 0 ? (
        <Text color={theme.muted}>{catalog.phase === 'error' ? 'catalog unavailable — see status line' : `waiting for catalog (${catalog.pages} pages)…`}</Text>
      ) : (
        shards.slice(0, visible).map((r) => <Row key={r.id} r={r} spark={spark} />)
      )}
      {shards.length > visible && visible > 0 ? <Text color={theme.muted}>… {shards.length - visible} more</Text> : null}
    </Box>
  );
});
