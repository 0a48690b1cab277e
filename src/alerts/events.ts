// Typed alert events. Everything an operator may want to hear about while away
// from the terminal: a new AUTO-TRADE/ALERT signal, arbitrage above a threshold,
// a fill, a settlement, a breaker trip or HALT, a feed incident, a database
// write failure, the daily summary; plus replies to remote commands.
import { sanitize } from '../text/sanitize.js';
import { deepFreeze } from '../frozen.js';

export const ALERT_KINDS = deepFreeze(['signal', 'arb', 'fill', 'settlement', 'halt', 'feed', 'db', 'daily', 'reply'] as const);
export type AlertKind = (typeof ALERT_KINDS)[number];
export type Severity = 'info' | 'warn' | 'critical';

export interface AlertEvent {
  kind: AlertKind;
  /** Dedupe key: the same key repeating backs off (kind + market + reason). */
  key: string;
  severity: Severity;
  /** One line. */
  title: string;
  /** Further lines (may be long; channels split it). */
  body?: string;
  /** Wall time the condition was seen, ms. */
  at: number;
  /** Replies go to one chat only, never to every channel. */
  chatId?: string;
}

/** Untrusted text (market questions, error messages) bounded and stripped of control sequences. */
export const clean = (s: string, max = 300): string => sanitize(s, max);

export function renderText(ev: Pick<AlertEvent, 'severity' | 'title' | 'body'>): string {
  const mark = ev.severity === 'critical' ? '🛑 ' : ev.severity === 'warn' ? '⚠️ ' : '';
  return ev.body ? `${mark}${ev.title}\n${ev.body}` : `${mark}${ev.title}`;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function signalEvent(s: { key: string; tier: string; label: string; question: string; side: string; entry?: number; edge?: number; confidence: number; marketIds: string[] }, at: number): AlertEvent {
  const price = s.entry !== undefined ? ` @ ${s.entry.toFixed(3)}` : '';
  const edge = s.edge !== undefined ? `, edge ${s.edge.toFixed(4)}` : '';
  return {
    kind: 'signal',
    key: `signal:${s.key}`,
    severity: 'info',
    title: clean(`${s.tier} ${s.label}: ${s.side}${price}${edge}, confidence ${pct(s.confidence)}`),
    body: clean(`${s.question} [${s.marketIds.slice(0, 4).join(', ')}]`),
    at,
  };
}

export function arbEvent(a: { key: string; label: string; question: string; edge: number; size?: number; marketIds: string[] }, at: number): AlertEvent {
  return {
    kind: 'arb',
    key: `arb:${a.key}`,
    severity: 'info',
    title: clean(`ARB ${a.label}: edge ${a.edge.toFixed(4)} per set${a.size !== undefined ? ` × ${Math.floor(a.size)}` : ''}`),
    body: clean(`${a.question} [${a.marketIds.slice(0, 6).join(', ')}]`),
    at,
  };
}

export function fillEvent(f: { id: number; tokenId: string; side: string; price: number; size: number; feeMicros: number; question?: string }, at: number): AlertEvent {
  return {
    kind: 'fill',
    key: `fill:${f.id}`,
    severity: 'info',
    title: clean(`FILL ${f.side} ${f.size} @ ${f.price.toFixed(4)} (fee $${(f.feeMicros / 1e6).toFixed(2)})`),
    body: clean(f.question ?? `token ${f.tokenId}`),
    at,
  };
}

export function settlementEvent(s: { id: number; marketId: string; shares: number; payoutMicros: number; realizedMicros: number }, at: number): AlertEvent {
  return {
    kind: 'settlement',
    key: `settlement:${s.id}`,
    severity: 'info',
    title: clean(`SETTLED ${s.shares} sh in market ${s.marketId}: payout $${(s.payoutMicros / 1e6).toFixed(2)}, realized $${(s.realizedMicros / 1e6).toFixed(2)}`),
    at,
  };
}

export function haltEvent(state: string, reason: string, at: number): AlertEvent {
  return { kind: 'halt', key: `halt:${state}`, severity: 'critical', title: clean(`BREAKER ${state}: ${reason}`), at };
}

export function feedEvent(f: { shard: number; kind: string; detail: string }, at: number): AlertEvent {
  return { kind: 'feed', key: `feed:${f.kind}:${f.shard}`, severity: f.kind === 'overload' ? 'warn' : 'warn', title: clean(`FEED ${f.kind.toUpperCase()} on shard ${f.shard}`), body: clean(f.detail), at };
}

export function dbWriteEvent(where: string, message: string, at: number): AlertEvent {
  return { kind: 'db', key: `db:${where}`, severity: 'critical', title: clean(`DATABASE WRITE FAILED (${where})`), body: clean(message), at };
}

export function dailyEvent(day: string, lines: string[], at: number): AlertEvent {
  return { kind: 'daily', key: `daily:${day}`, severity: 'info', title: `Daily summary ${day}`, body: lines.map((l) => clean(l)).join('\n'), at };
}

export function replyEvent(chatId: string, text: string, at: number): AlertEvent {
  return { kind: 'reply', key: `reply:${chatId}:${at}`, severity: 'info', title: text, at, chatId };
}
