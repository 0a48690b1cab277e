// Enter on a Shards, OFI, Clusters or Portfolio row: what is behind it, live.
// A shard: its assets, health, gaps, reconnects and its incidents. A token:
// the top of its live book as a depth ladder, OFI and its history. A cluster:
// its markets (question, price, what ties each to it), a list with a cursor.
// A position: its fills, settlements and refusals, and the P&L arithmetic at the mark.
import React from 'react';
import { Box, Text } from 'ink';
import { usePane, useStore } from './context.js';
import { SHARD_STATE, sparkline, theme } from './theme.js';
import { age, fit, pad, prob, signed } from './format.js';
import { hiddenNote } from './Pane.js';
import { flexWidths, widest } from './columns.js';
import { windowStart } from './ui-state.js';
import type { DepthView } from '../store/snapshot.js';

export interface PaneDetailKey {
  pane: 'shards' | 'ofi' | 'clusters' | 'portfolio';
  key: string;
}

/** Rows a cluster detail of `height` lists (frame 2, title 1, rule line 1, column header 1, note 1). */
export function clusterDetailRows(height: number): number {
  return Math.max(1, height - 6);
}

function Frame({ title, width, height, children }: { title: string; width: number; height: number; children: React.ReactNode }) {
  return (
    <Box flexDirection="column" borderStyle="double" borderColor={theme.info} width={width} height={height} overflow="hidden" paddingX={1}>
      <Text bold wrap="truncate">
        {title} <Text color={theme.muted}>· Esc back · live</Text>
      </Text>
      {children}
    </Box>
  );
}

function ShardDetail({ id, width, height }: { id: number; width: number; height: number }) {
  const shard = usePane((s) => s.shards.find((r) => r.id === id));
  const incidents = usePane((s) => s.incidents);
  if (!shard) return <Frame title={`Shard ${id}`} width={width} height={height}><Text color={theme.warn}>this shard is gone (the pool was resized): Esc back</Text></Frame>;
  const st = SHARD_STATE[shard.state];
  const mine = incidents.filter((i) => i.shard === id);
  const room = Math.max(0, height - 9);
  return (
    <Frame title={`Shard ${id}`} width={width} height={height}>
      <Text wrap="truncate">
        <Text color={theme[st.tone]}>{st.glyph} {st.word}</Text>  {shard.assets} assets subscribed · {shard.msgsPerSec} msg/s · last message {age(shard.lastMsgAgeMs)} ago
      </Text>
      <Text wrap="truncate">reconnects {shard.reconnects} · gaps {shard.gaps} · stale books {shard.staleBooks}{shard.reason ? ` · ${shard.reason}` : ''}</Text>
      <Text wrap="truncate">
        activity <Text color={theme.info}>{sparkline(shard.history, Math.max(8, Math.min(60, width - 20)))}</Text>
      </Text>
      <Text bold>Incidents ({mine.length})</Text>
      {mine.length === 0 ? <Text color={theme.muted}>none recorded for this shard</Text> : null}
      {mine.slice(0, room).map((i, n) => (
        <Text key={n} wrap="truncate">
          {i.start} {i.kind.padEnd(12)} {i.durationMs === null ? 'ongoing' : age(i.durationMs)} {i.detail}
        </Text>
      ))}
      {mine.length > room ? <Text color={theme.muted}>+{mine.length - room} more</Text> : null}
    </Frame>
  );
}

function Ladder({ depth, rows }: { depth: DepthView; rows: number }) {
  const asks = depth.asks.slice(0, rows).reverse();
  const bids = depth.bids.slice(0, rows);
  const max = Math.max(1, ...asks.map((l) => l.size), ...bids.map((l) => l.size));
  const bar = (size: number) => '█'.repeat(Math.max(1, Math.round((size / max) * 30)));
  return (
    <Box flexDirection="column">
      <Text color={theme.muted}>{'   price'}{'size'.padStart(12)}</Text>
      {asks.map((l, i) => (
        <Text key={`a${i}`} wrap="truncate">
          <Text color={theme.error}>ask {l.price.toFixed(4)}</Text>
          {l.size.toFixed(1).padStart(11)} <Text color={theme.error}>{bar(l.size)}</Text>
        </Text>
      ))}
      <Text color={theme.muted}>{'─'.repeat(24)} spread {asks.length && bids.length ? (asks[asks.length - 1]!.price - bids[0]!.price).toFixed(4) : '—'}</Text>
      {bids.map((l, i) => (
        <Text key={`b${i}`} wrap="truncate">
          <Text color={theme.ok}>bid {l.price.toFixed(4)}</Text>
          {l.size.toFixed(1).padStart(11)} <Text color={theme.ok}>{bar(l.size)}</Text>
        </Text>
      ))}
    </Box>
  );
}

function TokenDetail({ token, width, height }: { token: string; width: number; height: number }) {
  const store = useStore();
  const row = usePane((s) => s.ofi.find((r) => r.token === token));
  // Re-read the book at every publish.
  usePane((s) => s.seq);
  const levels = Math.max(1, Math.floor((height - 9) / 2));
  const depth = store.depth?.(token, levels);
  return (
    <Frame title={`Token ${token.length > 20 ? `${token.slice(0, 8)}…${token.slice(-8)}` : token}${row ? ` · ${row.question}` : ''}`} width={width} height={height}>
      {row ? (
        <Text wrap="truncate">
          OFI {signed(row.normalized, 2)} (raw {signed(row.ofi, 0)}) · flow {signed(row.tradeFlow, 0)} · div {signed(row.divergence, 1)} · feed {row.gap ? 'gap' : 'ok'}
          {row.micro ? ` · micro ${row.micro.type}` : ''} · history <Text color={theme.info}>{sparkline(row.history.map((v) => Math.abs(v)), 20)}</Text>
        </Text>
      ) : (
        <Text color={theme.muted}>no order flow for this token in the window</Text>
      )}
      {depth ? (
        <>
          <Text wrap="truncate">
            book {depth.state} · last message {age(depth.ageMs)} ago{depth.lastTrade !== undefined ? ` · last trade ${depth.lastTrade.toFixed(4)}` : ''}
          </Text>
          <Ladder depth={depth} rows={levels} />
        </>
      ) : (
        <Text color={theme.muted}>no book for this token</Text>
      )}
    </Frame>
  );
}

function PositionDetail({ token, width, height }: { token: string; width: number; height: number }) {
  const pos = usePane((s) => s.portfolio.positions.find((p) => p.tokenId === token));
  const blotter = usePane((s) => s.portfolio.blotter);
  const rows = blotter.filter((b) => b.tokenId === token);
  const room = Math.max(0, height - 8);
  return (
    <Frame title={`Position${pos ? ` · ${pos.outcome} · ${pos.question}` : ''}`} width={width} height={height}>
      {pos ? (
        <Text wrap="truncate">
          {pos.shares.toFixed(2)} shares × (mark {pos.mark === null ? '—' : pos.mark.toFixed(4)} − avg {pos.avgCost.toFixed(4)}) = unrealised{' '}
          {pos.mark === null ? '— (no executable bid yet)' : `${signed(pos.shares * (pos.mark - pos.avgCost), 2)} (shown ${signed(pos.unrealized, 2)})`}
        </Text>
      ) : (
        <Text color={theme.muted}>no open position in this token now</Text>
      )}
      <Text bold>Fills, settlements and refusals ({rows.length})</Text>
      {rows.slice(0, room).map((r, i) => (
        <Text key={i} wrap="truncate">
          {new Date(r.ts).toISOString().slice(11, 19)} {(r.kind === 'refused' ? `✗${r.side}` : r.side).padEnd(7)}
          {r.size.toFixed(2).padStart(9)} @ {r.price === null ? '—' : r.price.toFixed(4)} fee {r.fee.toFixed(4)} realised {r.realized === null ? '—' : signed(r.realized, 2)} {r.why}
        </Text>
      ))}
      {rows.length > room ? <Text color={theme.muted}>+{rows.length - room} more</Text> : null}
    </Frame>
  );
}

function ClusterDetail({ id, width, height, selected }: { id: string; width: number; height: number; selected: number }) {
  const c = usePane((s) => s.clusters.find((r) => r.id === id));
  if (!c) return <Frame title={`Cluster ${id}`} width={width} height={height}><Text color={theme.warn}>this cluster is no longer among the largest listed: Esc back</Text></Frame>;
  const markets = c.markets ?? [];
  const visible = clusterDetailRows(height);
  const start = windowStart(selected, markets.length, visible);
  // Border and padding 4; cursor 1, price 6, conf 5 and three spaces: outcome and tie as wide as their widest value, the question the rest.
  const [ow, tw, qw] = flexWidths(width - 4 - 15, [
    { min: 7, want: widest(markets.map((m) => m.outcome)), max: 20 },
    { min: 12, want: widest(markets.map((m) => m.tie)), max: 40 },
    { min: 10, want: widest(markets.map((m) => m.question)) },
  ], 52) as [number, number, number];
  const shown = hiddenNote(start, visible, markets.length);
  return (
    <Frame title={`Cluster ${c.id} · ${c.category} · ${c.summary}`} width={width} height={height}>
      <Text wrap="truncate">
        {c.rule ? `rule: ${c.rule}` : `rule: ${c.kind ?? '—'}`} · confidence {c.confidence.toFixed(2)} · {c.count} markets{c.unique !== undefined ? ` (${c.unique} distinct)` : ''}
        {c.scannedAt ? ` · prices at the scan of ${c.scannedAt}Z` : ''} <Text color={theme.muted}>· c id · u URL</Text>
      </Text>
      <Text color={theme.muted} wrap="truncate">
        {' '}{'price'.padStart(6)} {'outcome'.padEnd(ow)} {'tie'.padEnd(tw)}{'conf'.padStart(5)} market
      </Text>
      {markets.length === 0 ? <Text color={theme.muted}>no market list yet: the next scan of this cluster lists them</Text> : null}
      {markets.slice(start, start + visible).map((m, i) => (
        <Text key={m.id} wrap="truncate" inverse={start + i === selected}>
          {start + i === selected ? '›' : ' '}
          {pad(prob(m.price), 6)} {fit(m.outcome, ow)} <Text color={theme.info}>{fit(m.tie, tw)}</Text>
          {pad(m.confidence.toFixed(2), 5)} {fit(m.question, qw)}
        </Text>
      ))}
      {shown || c.more ? (
        <Text color={theme.muted} wrap="truncate">
          {[shown, c.more ? `+${c.more} more in the cluster (top ${markets.length} by volume listed)` : ''].filter(Boolean).join(' · ')}
        </Text>
      ) : null}
    </Frame>
  );
}

export function PaneDetail({ detail, width, height, selected = 0 }: { detail: PaneDetailKey; width: number; height: number; selected?: number }) {
  switch (detail.pane) {
    case 'clusters':
      return <ClusterDetail id={detail.key} width={width} height={height} selected={selected} />;
    case 'shards':
      return <ShardDetail id={Number(detail.key)} width={width} height={height} />;
    case 'ofi':
      return <TokenDetail token={detail.key} width={width} height={height} />;
    case 'portfolio':
      return <PositionDetail token={detail.key} width={width} height={height} />;
  }
}
