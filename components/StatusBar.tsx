import React, { memo } from 'react';
import { Box, Text } from 'ink';
import { usePane } from './context.js';
import { theme } from './theme.js';

/** One line: source, RUNNING/PAUSED, phase, msgs/s, books fresh/total, clock. */
export const StatusBar = memo(function StatusBar({ width }: { width: number }) {
  const s = usePane((snap) => snap.status);
  const paused = s.run === 'PAUSED';
  const booksTone = s.books.total && s.books.fresh === s.books.total ? theme.ok : theme.warn;
  return (
    <Box width={width} height={1} overflow="hidden">
      <Text wrap="truncate">
        <Text bold color={theme.accent}>
          {s.source === 'LIVE' ? '◆ LIVE' : s.source === 'REPLAY' ? '◇ REPLAY' : '◇ SIM'}
        </Text>
        {'  '}
        <Text bold inverse color={paused ? theme.warn : theme.ok}>
          {paused ? ' ❚❚ PAUSED ' : ' ▶ RUNNING '}
        </Text>
        {'  '}
        <Text color={s.phase === 'error' ? theme.error : theme.muted}>{s.phase}</Text>
        {'  '}
        <Text>{s.msgsPerSec.toLocaleString('en-US')} msg/s</Text>
        {'  '}
        <Text color={booksTone}>
          books {s.books.fresh}/{s.books.total} fresh
        </Text>
        {s.books.stale + s.books.outOfSync > 0 ? <Text color={theme.warn}> ({s.books.stale} stale, {s.books.outOfSync} out-of-sync)</Text> : null}
        {'  '}
        {s.overload ? <Text bold inverse color={theme.error}> ⚠ OVERLOAD </Text> : null}
        {s.overload ? '  ' : ''}
        {s.rejected > 0 ? <Text color={theme.warn}>rejected {s.rejected}  </Text> : null}
        <Text color={theme.muted}>budget {Math.round(s.budgetLeft * 100)}%  {s.clock}Z</Text>
      </Text>
    </Box>
  );
});
