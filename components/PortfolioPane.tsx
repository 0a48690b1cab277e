import React, { memo } from 'react';
import { Text } from 'ink';
import { usePane } from './context.js';
import { theme } from './theme.js';
import { Pane, bodyRows, hiddenNote } from './Pane.js';
import { fit, pad, usd } from './format.js';
import { windowStart } from './ui-state.js';
import type { BlotterRow } from '../src/paper/blotter.js';
import { LiveAccountLine, LiveBlotter } from './LiveBlotter.js';
import type { LivePane } from '../store/snapshot.js';

export const BREAKER: Record<string, { glyph: string; tone: 'ok' | 'warn' | 'error' }> = {
  ARMED: { glyph: '●', tone: 'ok' },
  HALTED: { glyph: '■', tone: 'error' },
  'RESUME-REQUESTED': { glyph: '◐', tone: 'warn' },
};

/** Pane width from which each position also shows its fees paid and realised P&L. */
export const PORTFOLIO_WIDE = 90;

/** Cash, equity, P&L, fees, breaker, and open positions marked to the executable bid. */
export const PortfolioPane = memo(function PortfolioPane({ height, width, focused, selected, blotter = false }: { height: number; width: number; focused: boolean; selected: number; blotter?: boolean }) {
  const p = usePane((s) => s.portfolio);
  const live = usePane((s) => s.live);
  const visible = Math.max(0, bodyRows(height) - 2);
  const start = windowStart(selected, p.positions.length, visible);
  const wide = width >= PORTFOLIO_WIDE;
  // Border 2, cursor 1, shares 8, avg 7, mark 7, unrealised 10, outcome 7 and two spaces (+ fees 8 and realised 10 when wide): the title takes the rest.
  const qw = Math.max(10, width - 44 - (wide ? 18 : 0));
  return (
    <Pane title="5 Portfolio" more={blotter ? hiddenNote(0, Math.max(0, visible), p.blotter.length) : hiddenNote(start, visible, p.positions.length)} subtitle={`${live ? (p.enabled ? 'LIVE trading ON' : 'LIVE trading OFF') : p.enabled ? 'paper ON' : 'paper OFF'} · ${blotter ? 'blotter (b: positions)' : 'positions (b: blotter)'}`} width={width} height={height} focused={focused}>
      {live ? (
        <>
          <Text wrap="truncate">
            <BreakerState state={p.breaker.state} reason={p.breaker.reason} />
          </Text>
          <LiveAccountLine account={live.account} />
        </>
      ) : (
        <>
          <Text wrap="truncate">
            <BreakerState state={p.breaker.state} reason={p.breaker.reason} />
            {p.breaker.resumePending ? <Text color={theme.warn}> resume pending</Text> : null}  cash <Text bold>{usd(p.cash)}</Text>  equity <Text bold>{p.equity === null ? '— (awaiting marks)' : usd(p.equity)}</Text>
          </Text>
          <Text wrap="truncate">
            realised <Text color={p.realized >= 0 ? theme.ok : theme.error}>{usd(p.realized)}</Text>  unrealised{' '}
            <Text color={(p.unrealized ?? 0) >= 0 ? theme.ok : theme.error}>{p.unrealized === null ? '—' : usd(p.unrealized)}</Text>  fees {usd(p.fees)}  orders {p.orders} fills {p.fills}
          </Text>
        </>
      )}
      {blotter ? (
        live ? (
          <LiveBlotter live={live} visible={visible + 1} width={width} />
        ) : (
          <BlotterRows rows={p.blotter} visible={visible + 1} width={width} />
        )
      ) : live ? (
        <LivePositions positions={live.account.positions} visible={visible} width={width} />
      ) : (
        <>
          <Text color={theme.muted} wrap="truncate">
            {'shares'.padStart(9)}{'avg'.padStart(7)}{'mark'.padStart(7)}{'unreal.'.padStart(10)}{wide ? `${'fees'.padStart(8)}${'realised'.padStart(10)}` : ''} {'side'.padEnd(7)} market
          </Text>
          {p.positions.length === 0 ? (
            <Text color={theme.muted}>{p.enabled ? 'no open positions' : 'paper trading is off (t to turn on)'}</Text>
          ) : (
            p.positions.slice(start, start + visible).map((r, i) => (
              <Text key={`${r.tokenId}:${r.outcome}`} wrap="truncate" inverse={focused && start + i === selected}>
                {focused && start + i === selected ? '›' : ' '}
                {pad(r.shares.toFixed(1), 8)}
                {pad(r.avgCost.toFixed(3), 7)}
                {pad(r.mark === null ? '—' : r.mark.toFixed(3), 7)}
                <Text color={r.unrealized >= 0 ? theme.ok : theme.error}>{pad(usd(r.unrealized), 10)}</Text>
                {wide ? pad(r.fees === undefined ? '—' : usd(r.fees), 8) : null}
                {wide ? <Text color={(r.realized ?? 0) >= 0 ? undefined : theme.error}>{pad(r.realized === undefined ? '—' : usd(r.realized), 10)}</Text> : null} {fit(r.outcome, 7)}{' '}
                {r.basket ? <Text color={theme.info}>{`${r.basket.sets.toFixed(1)} sets lock ${usd(r.basket.locked)} (cost ${usd(r.basket.cost)}) `}</Text> : null}
                {fit(r.question, qw)}
              </Text>
            ))
          )}
        </>
      )}
    </Pane>
  );
});

const hhmmss = (ts: number) => new Date(ts).toISOString().slice(11, 19);

/** Positions at the venue: confirmed (sellable once no SELL offers them), pending settlement, average BUY price, mark. */
/** "breaker ● STATE (reason)": the same words in paper and live. */
function BreakerState({ state, reason }: { state: string; reason: string }) {
  const b = BREAKER[state] ?? { glyph: '■', tone: 'error' as const };
  return (
    <>
      breaker{' '}
      <Text bold color={theme[b.tone]}>
        {b.glyph} {state}
      </Text>
      {reason ? <Text color={theme.muted}> ({reason})</Text> : null}
    </>
  );
}

function LivePositions({ positions, visible, width }: { positions: LivePane['account']['positions']; visible: number; width: number }) {
  const qw = Math.max(10, width - 52);
  return (
    <>
      <Text color={theme.muted} wrap="truncate">
        {'confirmed'.padStart(10)}{'pending'.padStart(9)}{'sellable'.padStart(9)}{'avg'.padStart(7)}{'mark'.padStart(7)} {'side'.padEnd(7)} market
      </Text>
      {positions.length === 0 ? <Text color={theme.muted}>no positions at the venue</Text> : null}
      {positions.slice(0, Math.max(0, visible)).map((r) => (
        <Text key={r.tokenId} wrap="truncate">
          {' '}
          {pad(r.confirmed.toFixed(2), 9)}
          <Text color={r.pending ? theme.warn : undefined}>{pad(r.pending.toFixed(2), 9)}</Text>
          {pad(r.sellable.toFixed(2), 9)}
          {pad(r.avgPrice.toFixed(3), 7)}
          {pad(r.mark === null ? '—' : r.mark.toFixed(3), 7)} {fit(r.outcome, 7)} {fit(r.question, qw)}
        </Text>
      ))}
    </>
  );
}

/** Newest first: time, side, size, outcome, price, fee, realised P&L booked, why. */
function BlotterRows({ rows, visible, width }: { rows: readonly BlotterRow[]; visible: number; width: number }) {
  // Border 2, then 56 columns before the reason: it takes the rest.
  const ww = Math.max(10, width - 58);
  return (
    <>
      <Text color={theme.muted} wrap="truncate">
        {' time    '} {'side'.padEnd(6)}{'size'.padStart(8)} {'outc.'.padEnd(6)}{'price'.padStart(7)}{'fee'.padStart(7)}{'realised'.padStart(10)} why
      </Text>
      {rows.length === 0 ? <Text color={theme.muted}>no orders yet</Text> : null}
      {rows.slice(0, Math.max(0, visible - 1)).map((r, i) => (
        <Text key={i} wrap="truncate" color={r.kind === 'refused' ? theme.muted : undefined}>
          {' '}
          {hhmmss(r.ts)} {(r.kind === 'refused' ? '✗' + r.side : r.side).padEnd(6)}
          {pad(r.size.toFixed(1), 8)} {fit(r.outcome, 6)}
          {pad(r.price === null ? '—' : r.price.toFixed(3), 7)}
          {pad(r.fee ? r.fee.toFixed(2) : '—', 7)}
          <Text color={r.realized === null ? theme.muted : r.realized >= 0 ? theme.ok : theme.error}>{pad(r.realized === null ? '—' : usd(r.realized), 10)}</Text> {fit(r.why, ww)}
        </Text>
      ))}
    </>
  );
}
