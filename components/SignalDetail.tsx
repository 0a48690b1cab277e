import React from 'react';
import { Box, Text } from 'ink';
import { usePane } from './context.js';
import { theme } from './theme.js';
import { ageText, fit, prob, signed } from './format.js';
import { TIER } from './SignalPane.js';
import type { ScorerPane, SignalPaneRow } from '../store/snapshot.js';

/** Why a signal is in the queue: the reasoning, legs, depth, fees, Kelly, claimed vs validated. */
export function SignalDetail({ signalKey, width, height }: { signalKey: string; width: number; height: number }) {
  const row = usePane((s) => s.signals.find((r) => r.key === signalKey));
  const scorer = usePane((s) => s.status.scorer);
  const w = width - 4;
  if (!row) {
    return (
      <Box borderStyle="double" borderColor={theme.muted} width={width} height={height} paddingX={1} flexDirection="column">
        <Text>That signal has left the queue (expired or its market closed): nothing to execute. Esc to go back.</Text>
      </Box>
    );
  }
  const t = TIER[row.tier] ?? TIER['WATCH']!;
  const lines: [string, string][] = [
    ['market', row.marketIds.join(', ')],
    ['question', row.question],
    ['kind', `${row.kind} · ${row.label}`],
    ['side', row.side],
    ['entry', `${prob(row.entry)} (executable ask of a fresh book)`],
    [
      'edge after fees',
      row.edge !== undefined
        ? `${signed(row.edge, 4)} per ${row.kind === 'arb' ? 'set (net of fees)' : 'share (Wilson lower bound − all-in cost)'}`
        : row.verdict === 'REJECTED'
          ? '— REJECTED by its backtest: no edge, no size'
          : row.verdict === 'UNPROVEN'
            ? '— UNPROVEN (no backtest): no edge, no size'
            : '—',
    ],
    ['size', row.size === undefined ? '— (the desk would not trade it now)' : `${row.size.toFixed(2)} ${row.kind === 'arb' ? 'sets' : 'shares'} if executed now`],
    ...(row.fair ? ([['fair value', row.fair.line], ['reference', row.fair.source]] as [string, string][]) : []),
    ['OFI (30 s)', row.ofi === undefined ? '—' : `${signed(row.ofi, 2)}${row.ofiGap ? ' — window overlaps a feed gap' : ''}`],
    ['confidence', row.confidence.toFixed(2)],
    ['verdict', row.verdict ?? (row.kind === 'arb' ? 'arbitrage (locked by the basket)' : 'informational')],
    ['claimed vs validated', row.claimed === undefined ? (row.validated ?? '—') : `claimed ${(row.claimed * 100).toFixed(1)}% (not used) · backtest ${row.validated ?? 'none'}`],
    ...(row.model ? ([['model (ML_SCORER)', modelLine(row.model)]] as [string, string][]) : []),
    ...(scorer && (row.model || row.label === 'ML_SCORER') ? ([['scorer', scorerLine(scorer)], ['scorer model', scorerModelLine(scorer)]] as [string, string][]) : []),
    ...(row.weight ? ([['rank weight', row.weight.arithmetic.split('; ')[0]!]] as [string, string][]) : []),
    ['gate', row.gate === 'ready' ? 'ready' : row.gate],
    ['Kelly', row.kelly ?? 'sized when paper trading is on'],
  ];
  return (
    <Box borderStyle="double" borderColor={theme.info} width={width} height={height} paddingX={1} flexDirection="column" overflow="hidden">
      <Text bold wrap="truncate">
        <Text color={theme[t.tone]}>
          {t.glyph} {row.tier}
        </Text>{' '}
        #{row.rank} {fit(row.label, 30)}
      </Text>
      {lines.map(([k, v]) => (
        <Text key={k} wrap="truncate">
          <Text color={theme.muted}>{k.padEnd(22)}</Text>
          {fit(v, w - 22)}
        </Text>
      ))}
      {row.fair ? <Text wrap="wrap">{fit(row.fair.explain, w * 2).trimEnd()}</Text> : null}
      {row.weight ? <Text wrap="wrap">{fit(`weight: ${row.weight.arithmetic.split('; ').slice(1).join('; ')}`, w * 2).trimEnd()}</Text> : null}
      <Text color={theme.muted}>why</Text>
      <Text wrap="wrap">{fit(row.reasoning, w * 3).trimEnd()}</Text>
      {row.legs?.length ? <Text color={theme.muted}>legs</Text> : null}
      {row.legs?.map((l, i) => (
        <Text key={i} wrap="truncate">
          {'  '}
          {l.side} {l.outcome.padEnd(3)} {String(l.size.toFixed(1)).padStart(8)} @ {prob(l.price / 10_000)} fee ${l.fee.toFixed(5)}
        </Text>
      ))}
      <Text color={theme.muted}>{row.kind === 'spike' ? 'informational: nothing to execute · Esc back' : row.gate === 'ready' ? 'Enter executes on paper (asks to confirm) · Esc back' : `blocked by ${row.gate.split(':')[0]}: Enter will not execute · Esc back`}</Text>
    </Box>
  );
}

/** The model's read of this market, or why it has no say. */
function modelLine(m: NonNullable<SignalPaneRow['model']>): string {
  if (m.p !== undefined && m.diff !== undefined) return `P(YES) ${m.p.toFixed(3)} = YES mid ${(m.p - m.diff).toFixed(3)} ${signed(m.diff, 3)} (the model's correction to the price)`;
  return `${m.verdict === 'VALIDATED' ? '—' : m.verdict}: ${m.note || 'no model price'}`;
}

/** The verdict: skill with its interval and the evidence. */
function scorerLine(m: ScorerPane): string {
  const skill = m.brierSkill === null ? 'no out-of-sample skill' : `Brier skill vs market ${signed(m.brierSkill, 4)} (95% CI ${m.brierSkillCi ? `${signed(m.brierSkillCi[0], 4)}..${signed(m.brierSkillCi[1], 4)}` : 'n/a'}) over ${m.events} events`;
  return `${m.verdict} · ${skill}${m.note && m.verdict !== 'VALIDATED' ? ` · ${m.note}` : ''}`;
}

/** The model in use: hash, age (or EXPIRED: refused), training-set size. */
function scorerModelLine(m: ScorerPane): string {
  if (m.hash === null) return m.training ? 'training the first model' : 'no model yet';
  return `${m.hash} ${m.expired ? 'EXPIRED (refused: the market price is used)' : `age ${ageText(m.ageMs ?? 0)}`} · trained on ${m.trainedRows.toLocaleString('en-US')} rows (${m.rows.toLocaleString('en-US')} held, ${m.liveOutcomes} live outcomes, ${m.retrains} retrains)`;
}
