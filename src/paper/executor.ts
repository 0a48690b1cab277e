// Where a gated, sized order goes: the seam between the desk (gates, Kelly,
// breaker — one copy of each) and what carries the order out. Paper commits
// to the simulated broker in one SQLite transaction; live hands the order to
// the venue trader (signed, journaled, posted) and learns its fate later.
import type { CommittedOrder, PlannedOrder } from './broker.js';

export interface Executor {
  readonly kind: 'paper' | 'live';
  /**
   * Multi-leg baskets need all legs or none; only an executor that can
   * promise that (paper's one transaction) accepts them.
   */
  readonly baskets: boolean;
  /** Carries out planned orders; what is known at once (paper: the fills; live: nothing filled yet). */
  commit(plans: readonly PlannedOrder[], now: number): CommittedOrder[];
}
