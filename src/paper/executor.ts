// Where a gated, sized order goes: the seam between the desk (gates, Kelly,
// breaker — one copy of each) and what carries the order out. Paper commits
// to the simulated broker in one SQLite transaction; live hands the order to
// the venue trader (signed, journaled, posted) and learns its fate later.
import type { CommittedOrder, PlannedOrder } from './broker.js';

/** Shares of one token held at the venue (live). */
export interface ExecutorHolding {
  tokenId: string;
  /** Settled on chain: the only shares that may be sold. */
  confirmed: number;
  /** Matched, settlement pending (a pending SELL is negative). */
  pending: number;
  /** Confirmed shares not already offered by an open SELL. */
  sellable: number;
  /** Cost basis of confirmed + pending shares (average BUY price), micro-dollars. */
  costMicros: number;
  /** Mark (best bid, price units) used for equity; undefined when no fresh book. */
  mark?: number;
}

/**
 * The account an executor trades from, when it is not the paper ledger: the
 * venue's collateral balance and the positions the venue settled. Sizing,
 * cash and exposure gates and the breaker read these numbers instead.
 */
export interface ExecutorAccount {
  /** Why the account cannot be trusted now (balance unread or stale): entries are refused. */
  unknown?: string;
  /** Venue collateral balance, micro-dollars. */
  cashMicros: number;
  /** Unfilled notional of our open BUY orders (the venue holds that cash back). */
  reservedMicros: number;
  /** Per token: unfilled notional of open BUYs. */
  reservedByToken: ReadonlyMap<string, number>;
  /** Cash + confirmed shares at their mark (pending BUYs count once confirmed; pending SELLs at once). */
  equityMicros: number;
  holdings: ReadonlyMap<string, ExecutorHolding>;
  /** When the balance was read (this machine's clock, ms), 0 if never. */
  readAt: number;
}

export interface Executor {
  readonly kind: 'paper' | 'live';
  /**
   * Multi-leg baskets need all legs or none; only an executor that can
   * promise that (paper's one transaction) accepts them.
   */
  readonly baskets: boolean;
  /** Carries out planned orders; what is known at once (paper: the fills; live: nothing filled yet). */
  commit(plans: readonly PlannedOrder[], now: number): CommittedOrder[];
  /** The account to size and gate from; absent for paper (the ledger is the account). */
  account?(): ExecutorAccount;
}
