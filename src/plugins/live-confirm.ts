// Going live is a deliberate act at the terminal: a start-up flag, then this
// screen naming the wallet, the venue and every limit, answered by typing a
// phrase that contains the wallet's last six hex digits (a single key, or a
// remote command, can never do it). Pure text in, text out.
import type { PaperConfig } from '../paper/config.js';
import { abbreviate, confirmPhrase, type LiveLimits } from './live-session.js';

export interface ConfirmFacts {
  funder: string;
  signer: string;
  /** "EOA", "deposit wallet", … */
  walletKind: string;
  venue: string;
  limits: LiveLimits;
  paper: Pick<PaperConfig, 'kellyFraction' | 'maxNotionalUsd' | 'maxDrawdownPct' | 'dailyLossPct' | 'maxConsecutiveLosses'>;
  /** A persisted halt that --clear-halt will lift. */
  clearing?: string;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** The confirmation screen's lines. */
export function confirmationLines(f: ConfirmFacts): string[] {
  return [
    '● LIVE TRADING: real orders, real money',
    '',
    `  wallet   ${abbreviate(f.funder)} (${f.walletKind}${f.signer.toLowerCase() !== f.funder.toLowerCase() ? `, signed by ${abbreviate(f.signer)}` : ''})`,
    `  venue    ${f.venue}`,
    `  per order  at most $${f.limits.perOrderUsd.toFixed(2)} notional   per day  at most $${f.limits.perDayUsd.toFixed(2)}`,
    `  Kelly    fraction ${f.paper.kellyFraction} of the Kelly stake, at most $${f.paper.maxNotionalUsd.toFixed(2)} an order (paper gate)`,
    `  breaker  halts at ${pct(f.paper.maxDrawdownPct)} drawdown, ${pct(f.paper.dailyLossPct)} daily loss, ${f.paper.maxConsecutiveLosses} losses in a row`,
    ...(f.clearing ? [`  clears the saved HALT: ${f.clearing}`] : []),
    '',
    '  x halts at once: cancel-all, heartbeat stopped, halt saved until cleared at start-up (--clear-halt).',
    `  Type "${confirmPhrase(f.funder)}" and Enter to trade live; anything else starts nothing.`,
  ];
}

/** Whether what the operator typed is the phrase (case and surrounding spaces ignored). */
export function confirmed(typed: string, funder: string): boolean {
  return typed.trim().toLowerCase().replace(/\s+/g, ' ') === confirmPhrase(funder);
}
