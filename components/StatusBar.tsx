import React, { memo } from 'react';
import { Box, Text } from 'ink';
import { usePane } from './context.js';
import { theme } from './theme.js';
import type { AlertsStatus, ScorerPane } from '../store/snapshot.js';
import { scorerBadge } from './format.js';

/** Alert channels: ✓ all answering / ✗ n of m down, newest send, queued, suppressed by dedupe. */
function AlertsBadge({ a }: { a: AlertsStatus }) {
  const ok = a.connected === a.channels;
  return (
    <Text color={ok ? theme.muted : theme.warn}>
      alerts {ok ? '✓' : `✗ ${a.channels - a.connected}/${a.channels} down`} last {a.lastSentAgoSec < 0 ? '—' : `${a.lastSentAgoSec}s`} q{a.queued}
      {a.suppressed ? ` ⊘${a.suppressed}` : ''}{' '}
    </Text>
  );
}

/** The learned scorer: verdict, Brier skill with its interval, training rows, model age. */
function ScorerBadge({ m }: { m: ScorerPane }) {
  return <Text color={m.verdict === 'VALIDATED' && !m.expired ? theme.ok : theme.muted}>{scorerBadge(m)} </Text>;
}

/** One line: source, RUNNING/PAUSED, PAPER ON/OFF, batch and interval, rate budget, msgs/s, books, clock. */
export const StatusBar = memo(function StatusBar({ width }: { width: number }) {
  const s = usePane((snap) => snap.status);
  const paper = usePane((snap) => snap.portfolio.enabled);
  const live = usePane((snap) => snap.live);
  const breaker = usePane((snap) => snap.portfolio.breaker.state);
  const paused = s.run === 'PAUSED';
  const booksTone = s.books.total && s.books.fresh === s.books.total ? theme.ok : theme.warn;
  const backoff = s.scan.stopReason !== 'ok';
  return (
    <Box width={width} height={1} overflowY="hidden">
      <Text wrap="truncate">
        <Text bold color={theme.accent}>
          {s.source === 'LIVE' ? '◆ POLYMARKET' : s.source === 'REPLAY' ? '◇ REPLAY' : '◇ SIM'}
        </Text>{' '}
        <Text bold inverse color={paused ? theme.warn : theme.ok}>
          {paused ? ' ❚❚ PAUSED ' : ' ▶ RUNNING '}
        </Text>{' '}
        {live ? (
          <>
            <Text bold inverse color={theme.live}>
              {live.halted ? ' ■ LIVE HALTED ' : ' ● LIVE '}
            </Text>
            <Text color={theme.live}>
              {' '}
              {live.wallet}
              {paper ? '' : ' (trading off)'}
            </Text>
          </>
        ) : (
          <Text bold color={paper ? theme.ok : theme.muted}>
            {paper ? '● PAPER ON' : '○ PAPER OFF'}
          </Text>
        )}
        {breaker !== 'ARMED' ? (
          <Text bold inverse color={theme.error}>
            {` ■ ${breaker} `}
          </Text>
        ) : null}
        {s.overload ? (
          <Text bold inverse color={theme.error}>
            {' ⚠ OVERLOAD '}
          </Text>
        ) : null}{' '}
        <Text color={booksTone}>
          books {s.books.fresh}/{s.books.total}
        </Text>
        {s.books.stale + s.books.outOfSync > 0 ? <Text color={theme.warn}> ({s.books.stale} stale, {s.books.outOfSync} resync)</Text> : null} {s.msgsPerSec.toLocaleString('en-US')} msg/s{' '}
        <Text color={backoff ? theme.warn : undefined}>
          batch {s.scan.batchSize}/{Math.round(s.scan.intervalMs / 1000)}s{backoff ? ' ⚠ rate-limit backoff' : ''}
        </Text>{' '}
        <Text color={s.budgetLeft < 0.3 ? theme.warn : theme.muted}>budget {Math.round(s.budgetLeft * 100)}%</Text>{' '}
        {s.phase !== 'streaming' ? <Text color={s.phase === 'error' ? theme.error : theme.warn}>{s.phase} </Text> : null}
        {s.validation ? <Text color={theme.warn}>⧗ {s.validation} </Text> : null}
        {s.alerts ? <AlertsBadge a={s.alerts} /> : null}
        {s.scorer ? <ScorerBadge m={s.scorer} /> : null}
        <Text color={theme.muted}>{s.clock}Z</Text>
      </Text>
    </Box>
  );
});
