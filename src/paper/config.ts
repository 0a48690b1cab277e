// Every paper-trading threshold in one zod schema with defaults (issue: paper
// trading §3). Operator-facing units: dollars, probabilities (0..1), fractions
// of equity, minutes and milliseconds. The broker converts to price units and
// micro-dollars at its edge.
import { z } from 'zod';

const fraction = z.number().min(0).max(1);

export const paperConfigSchema = z
  .object({
    /** Paper mode on at start (the `t` key toggles it). */
    enabled: z.boolean().default(false),
    /** First deposit into an empty ledger, dollars. */
    initialCash: z.number().positive().default(10_000),

    // ---- sizing (quant-anchors §4, §8D) ----
    /** Fraction of full Kelly. */
    kellyFraction: z.number().gt(0).max(1).default(0.25),
    /** Trade only if p − c ≥ this after fees (dollars per share). */
    minEdge: z.number().min(0).max(1).default(0.02),
    /** Cost basis per token ≤ this share of equity. */
    maxTokenPct: fraction.default(0.02),
    /** Cost basis per event (negRisk siblings, one city/day's weather buckets) ≤ this share of equity. */
    maxEventPct: fraction.default(0.05),
    /** Gross cost basis of all positions and resting buys ≤ this share of equity. */
    maxGrossPct: fraction.default(0.5),
    /** An order takes at most this share of the visible depth at or better than its limit. */
    maxDepthShare: fraction.default(0.25),

    // ---- execution ----
    /** Furthest a market order (or a strategy entry) may walk from the best price, dollars. */
    slippage: z.number().min(0).max(1).default(0.02),
    /** Furthest a basket leg may fill beyond the scanner's limit price, dollars. */
    basketSlippage: z.number().min(0).max(1).default(0.01),
    /** Minimum net edge per set a basket must still have at the fill prices, dollars. */
    basketMinEdge: z.number().min(0).max(1).default(0.005),

    // ---- pre-trade gates ----
    /** A book older than this (local receive time) is stale. */
    maxBookAgeMs: z.number().int().positive().default(30_000),
    /** Best ask − best bid above this refuses (dollars). */
    maxSpread: z.number().min(0).max(1).default(0.05),
    /** Visible depth at or better than the limit below this refuses (dollars). */
    minDepthUsd: z.number().min(0).default(10),
    /** Sanity band for the order's prices (probability). */
    priceBand: z
      .tuple([z.number().min(0).max(1), z.number().min(0).max(1)])
      .refine(([lo, hi]) => lo < hi, 'priceBand [lo, hi] needs lo < hi')
      .default([0.01, 0.99]),
    /** Order (or basket) notional above this refuses, dollars. */
    maxNotionalUsd: z.number().positive().default(500),
    maxOpenPositions: z.number().int().positive().default(50),
    /** Realised loss today (fees included) at or beyond this share of the day's starting equity stops new orders. */
    dailyLossPct: fraction.default(0.05),
    /** No new orders for this long after a losing close or settlement. */
    cooldownMs: z.number().int().min(0).default(300_000),
    /** Operator-requested orders need at least this confidence. */
    minConfidence: fraction.default(0.5),
    /** Automatic orders need at least this confidence (arbitrage: autoTradable). */
    autoConfidence: fraction.default(0.9),
    /** Refuse markets that close within this many minutes. */
    closingBufferMin: z.number().min(0).default(30),

    // ---- exits ----
    /** Sell a position whose executable bid is this far below its average cost (0 = off). */
    stopLossPct: fraction.default(0.3),
    /** Sell a position whose executable bid is this far above its average cost (0 = off). */
    takeProfitPct: z.number().min(0).default(0.5),

    // ---- circuit breaker ----
    /** Halt when equity falls this far below its peak. */
    maxDrawdownPct: fraction.default(0.15),
    /** Halt after this many losing settlements in a row. */
    maxConsecutiveLosses: z.number().int().positive().default(5),
    /** confirmResume() must follow requestResume() within this window. */
    resumeConfirmMs: z.number().int().positive().default(30_000),
  })
  .strict();

export type PaperConfigInput = z.input<typeof paperConfigSchema>;
export type PaperConfig = z.output<typeof paperConfigSchema>;

export const DEFAULT_PAPER_CONFIG: PaperConfig = paperConfigSchema.parse({});

/** Validates a partial config over the defaults; an invalid value is one line naming the key. */
export function parsePaperConfig(value: unknown): { ok: true; config: PaperConfig } | { ok: false; error: string } {
  const r = paperConfigSchema.safeParse(value ?? {});
  if (r.success) return { ok: true, config: r.data };
  const i = r.error.issues[0];
  return { ok: false, error: `paper.${i?.path.join('.') ?? ''}: ${i?.message ?? 'invalid'}` };
}
