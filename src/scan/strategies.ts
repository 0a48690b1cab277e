// Strategies as data (data/strategies.json) and the honest arithmetic around
// them. A strategy claims a win rate q; buying its outcome at the executable
// ask a costs c = a + fee per share, where fee = r·(a(1−a))^e (takers only,
// research/quant-anchors.md §3). The break-even win rate is c, so the edge per
// share is q − c — not q − 0.5, which is what the strategies file's "edge" claims.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { takerFeePerShare } from '../arb/fees.js';
import type { FeeSchedule } from '../protocol/gamma.js';
import { dataPath } from '../paths.js';
import { deepFreeze } from '../frozen.js';

const band = z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo <= hi, 'band [lo, hi] needs lo ≤ hi');

const strategySchema = z.object({
  id: z.string().regex(/^[A-Z0-9_]+$/),
  category: z.string().min(1),
  description: z.string().default(''),
  /** The market shape the strategy applies to, in words; questionPattern enforces it. */
  scope: z.string().default(''),
  side: z.literal('BUY'),
  outcome: z.enum(['YES', 'NO']),
  entry: z.object({
    priceBand: band.refine(([lo, hi]) => lo > 0 && hi < 1, 'price band inside (0, 1)'),
    hoursToResolution: band,
    questionPattern: z.string().optional(),
    utcHours: z.tuple([z.number().int().min(0).max(24), z.number().int().min(0).max(24)]).optional(),
  }),
  claimed: z.object({ winRate: z.number().min(0).max(1), edge: z.number() }),
});

export const strategiesSchema = z.object({
  version: z.number().int(),
  source: z.string().default(''),
  strategies: z.array(strategySchema).min(1),
});
export type StrategyDef = z.output<typeof strategySchema>;

export interface Strategy extends StrategyDef {
  /** Token index bought: 0 = YES, 1 = NO. */
  outcomeIndex: 0 | 1;
  pattern: RegExp | undefined;
}

export interface StrategySet {
  version: number;
  source: string;
  strategies: Strategy[];
}

/**
 * A backtest's verdict on one strategy (src/backtest). `winRateLower` is the
 * Wilson 95% lower bound over `n` independent events; `passed` is the
 * validation gate of quant-anchors §8C (lower bound above the cost-weighted
 * price, ROI interval above 0, walk-forward ROI above 0).
 */
export interface StrategyValidation {
  n: number;
  winRate: number;
  winRateLower: number;
  passed: boolean;
  /** Cost-weighted average all-in price paid, c̄. */
  avgCost?: number;
  roi?: number;
}

export type Tier = 'AUTO-TRADE' | 'ALERT' | 'WATCH' | 'IGNORE';

/** Below this edge after fees a validated signal can alert but not auto-trade (quant-anchors §8D). */
export const MIN_AUTO_EDGE = 0.02;

export function parseStrategies(value: unknown): { ok: true; set: StrategySet } | { ok: false; error: string } {
  const r = strategiesSchema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    return { ok: false, error: `strategies: ${i?.path.join('.') ?? ''} ${i?.message ?? 'invalid'}` };
  }
  const ids = new Set<string>();
  const strategies: Strategy[] = [];
  for (const s of r.data.strategies) {
    if (ids.has(s.id)) return { ok: false, error: `strategies: duplicate id ${s.id}` };
    ids.add(s.id);
    let pattern: RegExp | undefined;
    try {
      pattern = s.entry.questionPattern ? new RegExp(s.entry.questionPattern, 'iu') : undefined;
    } catch (e) {
      return { ok: false, error: `strategies: ${s.id} questionPattern: ${(e as Error).message}` };
    }
    strategies.push({ ...s, outcomeIndex: s.outcome === 'YES' ? 0 : 1, pattern });
  }
  return { ok: true, set: { version: r.data.version, source: r.data.source, strategies } };
}

let cached: StrategySet | undefined;

/** The embedded data/strategies.json (read once, frozen: every caller shares it); a broken embedded file throws. */
export function defaultStrategies(): StrategySet {
  if (cached) return cached;
  const r = parseStrategies(JSON.parse(readFileSync(dataPath('strategies.json'), 'utf8')));
  if (!r.ok) throw new Error(r.error);
  cached = deepFreeze(r.set);
  return cached;
}

/** Whether a market of this category and folded question has the shape the strategy trades (time and price aside). */
export function inScope(s: Pick<Strategy, 'category' | 'pattern'>, category: string, foldedQuestion: string): boolean {
  return s.category === category && (!s.pattern || s.pattern.test(foldedQuestion));
}

/** Taker fee per share at price p (probability units): the venue's one fee formula, shared with arbitrage and paper fills. */
export function feePerShare(p: number, fee: Pick<FeeSchedule, 'rate' | 'exponent'>): number {
  return takerFeePerShare(p, fee);
}

/** All-in cost per share of buying at ask a: c = a + fee. */
export function allInCost(ask: number, fee: Pick<FeeSchedule, 'rate' | 'exponent'>): number {
  return ask + feePerShare(ask, fee);
}

/** Edge per share after fees, in probability units: q − c. */
export function edgeAfterFees(winRate: number, ask: number, fee: Pick<FeeSchedule, 'rate' | 'exponent'>): number {
  return winRate - allInCost(ask, fee);
}

export function tierOf(priority: number): Tier {
  if (priority >= 0.9) return 'AUTO-TRADE';
  if (priority >= 0.75) return 'ALERT';
  if (priority >= 0.6) return 'WATCH';
  return 'IGNORE';
}

export interface PriorityInput {
  claimedWinRate: number;
  validation: StrategyValidation | undefined;
  /** All-in cost per share; undefined when there is no executable price (gated). */
  cost: number | undefined;
}

/**
 * The win rate the evidence lets us stand behind, capped by what it allows:
 * no price → 0; a backtest that failed, or edge ≤ 0 → at most IGNORE (0.59);
 * unvalidated → at most WATCH (0.74); validated with edge below 2¢ → at most
 * ALERT (0.89). Only a validated strategy with edge ≥ 2¢ whose Wilson lower
 * bound is ≥ 0.90 can reach AUTO-TRADE.
 */
export function priorityOf(p: PriorityInput): { priority: number; q: number; edge: number | undefined; cap: string } {
  const v = p.validation;
  const q = v ? v.winRateLower : p.claimedWinRate;
  if (p.cost === undefined) return { priority: 0, q, edge: undefined, cap: 'no price' };
  const edge = q - p.cost;
  let cap = 1;
  let why = '';
  if (v && !v.passed) [cap, why] = [0.59, 'backtest failed'];
  else if (edge <= 0) [cap, why] = [0.59, 'edge <= 0'];
  else if (!v) [cap, why] = [0.74, 'unvalidated'];
  else if (edge < MIN_AUTO_EDGE) [cap, why] = [0.89, 'edge < 0.02'];
  return { priority: round(Math.min(q, cap), 3), q, edge, cap: q > cap ? why : '' };
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
