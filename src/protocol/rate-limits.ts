// The venue's documented request limits per 10 s sliding window
// (docs.polymarket.com/api-reference/rate-limits; research §4). One table for
// the client's pacing and the simulator's enforcement.
import { deepFreeze } from '../frozen.js';

export const RATE_WINDOW_MS = 10_000;

export const RATE_LIMITS = deepFreeze({
  'gamma /markets': 300,
  'gamma /events': 500,
  'clob /book': 1500,
  'clob /books': 500,
  'clob /prices-history': 1000,
} as const);

export type RateBucket = keyof typeof RATE_LIMITS;

/** A sliding-window counter: how long until one more request fits. */
export class SlidingWindow {
  private stamps: number[] = [];
  constructor(
    readonly limit: number,
    readonly windowMs = RATE_WINDOW_MS,
  ) {}

  private prune(now: number): void {
    const cut = now - this.windowMs;
    let i = 0;
    while (i < this.stamps.length && this.stamps[i]! <= cut) i++;
    if (i) this.stamps.splice(0, i);
  }

  /** Milliseconds to wait before the next request fits (0 = now). */
  waitMs(now: number): number {
    this.prune(now);
    if (this.stamps.length < this.limit) return 0;
    return this.stamps[this.stamps.length - this.limit]! + this.windowMs - now;
  }

  record(now: number): void {
    this.stamps.push(now);
  }

  /** Requests still available in the current window. */
  remaining(now: number): number {
    this.prune(now);
    return Math.max(0, this.limit - this.stamps.length);
  }
}
