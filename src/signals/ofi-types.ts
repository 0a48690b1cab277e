// Value types of OfiTracker: what the OFI pane, the queue and the headless summary read.
import type { Slots } from './slots.js';

export type BookKind = 'snapshot' | 'change' | 'state' | 'trade';
export type TokenRole = 'yes' | 'no' | 'none';

export interface OfiOptions {
  /** Rolling windows in ms; the first is the pane's default and the sparkline's. */
  windowsMs?: readonly number[];
  /** Buckets per window (= sparkline points). */
  buckets?: number;
  maxTokens?: number;
  initialCapacity?: number;
  /** Token slots shared with other trackers (SignalHub); maxTokens/initialCapacity then come from it. */
  slots?: Slots;
}

export interface OfiValue {
  windowMs: number;
  /** Σ e over the window, in shares. */
  ofi: number;
  /** ofi / average top-of-book depth (qb + qa). */
  normalized: number;
  /** Σ taker BUY size − Σ taker SELL size on this token. */
  tradeFlow: number;
  /** Average qb + qa over the window (current depth if no update in it). */
  depth: number;
  /** The window overlaps a feed gap or a stale/out-of-sync period. */
  gap: boolean;
  /** Share of the window observed with a healthy feed, [0, 1]. */
  coverage: number;
  /** coverage × 0.5 when gap. */
  confidence: number;
}

export interface OfiRow extends OfiValue {
  marketId: string;
  token: string;
  /** Trade flow in YES terms: YES-token flow − NO-token flow. */
  tradeFlow: number;
  /** Every configured window, shortest first. */
  windows: { windowMs: number; ofi: number; normalized: number; tradeFlow: number; gap: boolean }[];
  /** normalized(YES) + normalized(NO) on the same window: 0 when the books mirror; null without a NO book. */
  divergence: number | null;
  /** Per-bucket OFI of the shortest window ÷ its average depth, oldest first (sums to `normalized` there). */
  history: number[];
  /** The YES or the NO book is not fresh right now (open gap). `gap` and `confidence` also count the NO book's gaps. */
  stale: boolean;
}

/** Compact row for the headless summary key `ofi`. */
export interface OfiTopEntry {
  market: string;
  token: string;
  norm: number;
  ofi: number;
  flow: number;
  div: number | null;
  gap: boolean;
  stale: boolean;
}
