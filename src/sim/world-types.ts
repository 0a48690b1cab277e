// The simulator's world: markets grouped into families, each family driven by one
// hidden latent so that logically related prices agree unless a bias is planted.

export type FamilyKind =
  | 'binary'
  | 'game'
  | 'temporal'
  | 'threshold'
  | 'race'
  | 'partition'
  | 'parentchild'
  | 'conditional'
  | 'updown';

/**
 * How a market's quotes deviate from its truth. Planted mispricings (and the
 * "Other"-outcome trap, which is not an arbitrage) live here.
 */
export type Bias =
  | { kind: 'none' }
  /** Binary: the NO book is quoted `d` below the mirror of YES (d > 0: YES+NO < 1; d < 0: > 1). */
  | { kind: 'no-shift'; d: number }
  /** negRisk long: every YES quoted at p·(1 − r), so Σ YES < 1. */
  | { kind: 'scale'; r: number }
  /** negRisk short: every YES quoted at p + r·(1 − p)/(n − 1), so Σ YES > 1. */
  | { kind: 'lift'; r: number; n: number }
  /** Implication: quoted `d` above market `ref`'s truth, though it implies `ref`. */
  | { kind: 'above'; ref: number; d: number }
  /** "Other" outcome of a non-exhaustive event quoted at a fraction of its truth. */
  | { kind: 'trap'; r: number };

export interface SimMarket {
  index: number;
  id: string;
  conditionId: string;
  questionId: string;
  question: string;
  slug: string;
  description: string;
  category: string;
  event: number;
  family: number;
  /** Position inside the family (threshold rung, deadline, candidate, bucket…). */
  member: number;
  outcomes: [string, string];
  tokenIds: [string, string];
  negRisk: boolean;
  groupItemTitle?: string;
  /** Gamma's sports market shape ("moneyline", "spreads", "totals", "child_moneyline", …) on game sub-markets. */
  sportsMarketType?: string;
  /** Scheduled start of the game a sub-market is about. */
  gameStartMs?: number;
  /** The spread or total line of a game sub-market. */
  line?: number;
  feeRate: number;
  rebateRate: number;
  /** Tick in price units (100 = 0.01). */
  tick: number;
  minOrderSize: number;
  volume: number;
  createdMs: number;
  endMs: number;
  closed: boolean;
  winner?: 0 | 1;
  closedMs?: number;
  bias: Bias;
  /** The market makers' estimate of the truth; lags it, so informed flow leads price. */
  estimate: number;
  halfSpread: number;
  /** Median shares per quoted level. */
  depth: number;
  /** Relative rate of activity (trades and requotes). */
  activity: number;
}

export interface SimEvent {
  index: number;
  id: string;
  title: string;
  slug: string;
  description: string;
  category: string;
  tags: string[];
  negRisk: boolean;
  /** Has an "Other"/placeholder outcome: not exhaustive. */
  augmented: boolean;
  negRiskMarketId?: string;
  /**
   * The event's Gamma series: undefined = the simulator's category series;
   * null = none (most one-off real events carry none); else the named series
   * ("nba-2027", "elon-tweets").
   */
  series?: SimSeries | null;
  markets: number[];
  createdMs: number;
  endMs: number;
}

export interface SimSeries {
  slug: string;
  title: string;
  recurrence: string;
}

export interface Family {
  index: number;
  kind: FamilyKind;
  category: string;
  markets: number[];
  /** Latent value (threshold/partition/updown), in the family's own units. */
  x: number;
  /** Probability (binary, game, parent of parentchild/conditional). */
  p: number;
  /** Second factor: P(child | parent). */
  q: number;
  /** Race: probability per member (an "Other" member holds the rest). */
  probs: number[];
  /** Temporal: hazard per day. */
  lambda: number;
  happened: boolean;
  /** Latent volatility per √day. */
  sigma: number;
  /** Irreducible noise at resolution, latent units. */
  noise: number;
  /** Threshold rungs, or partition bucket edges (n + 1 values, ±Infinity at the ends). */
  levels: number[];
  /** Threshold: +1 "reach above", −1 "dip below". */
  direction: 1 | -1;
  /** Member deadlines (temporal), else all equal to the family end. */
  deadlines: number[];
  endMs: number;
  lastMs: number;
  jumpsPerDay: number;
  /** Respawn a fresh instance after resolution, this much later. */
  recurMs: number;
  /** Template reference used to respawn. */
  template: { category: string; family: number };
  weight: number;
  resolved: boolean;
  /** Near-duplicate markets sharing a member's truth (not logical members). */
  dups: number[];
  /**
   * Drawn from the real-shaped catalog templates: generated and driven by their
   * own random streams, so adding them leaves the core world's draws unchanged.
   */
  extra?: boolean;
  /** Up/down window read off a hidden crypto price path (set only when the world has paths). */
  link?: import('./crypto-link.js').PathLink;
}

export interface PlantedTruth {
  kind: 'binary' | 'negrisk' | 'implication' | 'duplicate';
  marketIds: string[];
}
