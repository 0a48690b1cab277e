import React from 'react';
import { Text } from 'ink';
import { theme } from './theme.js';
import { fit, pad, usd } from './format.js';
import type { LivePane } from '../store/snapshot.js';

const hhmmss = (ts: number) => new Date(ts).toISOString().slice(11, 19);

/** The venue account the desk sizes from (the same numbers), or why it is not trusted now. */
export function LiveAccountLine({ account: a }: { account: LivePane['account'] }) {
  if (a.unknown)
    return (
      <Text wrap="truncate" bold color={theme.error}>
        venue account UNKNOWN: {a.unknown} · no new orders
      </Text>
    );
  return (
    <Text wrap="truncate">
      venue cash <Text bold>{usd(a.balanceUsd)}</Text> · open BUYs {usd(a.reservedUsd)} · free {usd(a.availableUsd)} · equity <Text bold>{usd(a.equityUsd)}</Text>
      <Text color={theme.muted}> (read {a.readAgoMs === null ? '—' : `${Math.round(a.readAgoMs / 1000)}s`} ago)</Text>
    </Text>
  );
}

/** Order state → tone: resting and filled read plainly, refusals and reversals stand out. */
function orderTone(state: string): string | undefined {
  if (state === 'rejected' || state === 'never arrived') return theme.error;
  if (state.startsWith('cancelled')) return theme.muted;
  if (state === 'sent' || state === 'journaled') return theme.warn;
  return undefined;
}

const SETTLEMENT_TONE: Record<string, string> = { MATCHED: theme.warn, MINED: theme.info, RETRYING: theme.warn, CONFIRMED: theme.ok, FAILED: theme.error };

/**
 * The live blotter: the session's health line, then orders newest first with
 * their state (live / partially filled / matched / cancelled / rejected and
 * what the exchange said), fills with their settlement state (MATCHED → MINED
 * → CONFIRMED, or FAILED and reversed), and orders refused before sending.
 */
export function LiveBlotter({ live, visible, width }: { live: LivePane; visible: number; width: number }) {
  const lines: React.ReactNode[] = [];
  const drift = live.clockDriftMs === null ? '—' : `${live.clockDriftMs >= 0 ? '+' : ''}${(live.clockDriftMs / 1000).toFixed(1)}s`;
  lines.push(
    <Text key="h" wrap="truncate">
      <Text bold color={theme.live}>● LIVE</Text> {live.wallet} · heartbeat <Text color={live.heartbeat === 'running' ? theme.ok : theme.error}>{live.heartbeat}</Text> · user channel{' '}
      <Text color={live.userChannel === 'open' ? theme.ok : theme.error}>{live.userChannel}</Text> · clock {drift} · today {usd(live.todayUsd)} of {usd(live.limits.perDayUsd)} (≤ {usd(live.limits.perOrderUsd)} an order)
    </Text>,
  );
  if (live.halted)
    lines.push(
      <Text key="halt" wrap="truncate" bold color={theme.error}>
        ■ HALTED: {live.halted}
      </Text>,
    );
  const ww = Math.max(10, width - 58);
  lines.push(
    <Text key="oh" color={theme.muted} wrap="truncate">
      {' time    '} {'side'.padEnd(5)}{'size'.padStart(8)}{'price'.padStart(8)}{'filled'.padStart(8)} {'state'.padEnd(18)} exchange said
    </Text>,
  );
  if (!live.orders.length) lines.push(<Text key="no" color={theme.muted}>no live orders yet</Text>);
  for (const o of live.orders)
    lines.push(
      <Text key={`o${o.hash}`} wrap="truncate" color={orderTone(o.state)}>
        {' '}
        {hhmmss(o.ts)} {o.side.padEnd(5)}
        {pad(o.size.toFixed(2), 8)}
        {pad(o.price.toFixed(4), 8)}
        {pad(o.matched.toFixed(2), 8)} {fit(o.state, 18)} {fit(o.refusal || '—', ww)}
      </Text>,
    );
  if (live.fills.length)
    lines.push(
      <Text key="fh" color={theme.muted} wrap="truncate">
        {' fill    '} {'side'.padEnd(5)}{'size'.padStart(8)}{'price'.padStart(8)} settlement
      </Text>,
    );
  for (const f of live.fills)
    lines.push(
      <Text key={`f${f.tradeId}`} wrap="truncate">
        {' '}
        {hhmmss(f.ts)} {f.side.padEnd(5)}
        {pad(f.size.toFixed(2), 8)}
        {pad(f.price.toFixed(4), 8)} <Text color={SETTLEMENT_TONE[f.settlement]}>{f.settlement}</Text>
        {f.reversed ? <Text color={theme.error}> reversed (not held)</Text> : f.settlement === 'CONFIRMED' ? <Text color={theme.muted}> sellable</Text> : <Text color={theme.muted}> not yet sellable</Text>}
      </Text>,
    );
  for (const [i, r] of live.refusals.entries())
    lines.push(
      <Text key={`r${i}`} wrap="truncate" color={theme.muted}>
        {' '}
        {hhmmss(r.ts)} ✗ not sent: {r.text}
      </Text>,
    );
  return <>{lines.slice(0, Math.max(1, visible))}</>;
}
