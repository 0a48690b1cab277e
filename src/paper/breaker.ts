// Circuit breaker, the last of the safety layers: equity drawdown from its peak, or
// a run of losing settlements, halts new orders; so does the operator's kill
// switch. Resuming takes two explicit steps (request, then confirm within a
// window), so one stray key never re-arms it. It also remembers the day's
// realised P&L and the last loss, which the daily-loss and cooldown gates read.
// Persisted as the Checkpointable 'breaker' (tolerance: forever) and written
// synchronously by the trader whenever it changes.
import { z } from 'zod';
import type { Checkpointable } from '../persist/checkpoints.js';
import type { PaperConfig } from './config.js';

export type BreakerStatus = 'ARMED' | 'HALTED' | 'RESUME-REQUESTED';

const dataSchema = z.object({
  v: z.literal(1),
  state: z.enum(['ARMED', 'HALTED', 'RESUME-REQUESTED']),
  reason: z.string(),
  since: z.number(),
  peakMicros: z.number().int(),
  consecutiveLosses: z.number().int().min(0),
  resumeRequestedAt: z.number().nullable(),
  trips: z.number().int().min(0),
  dayKey: z.string(),
  dayStartMicros: z.number().int(),
  dayPnlMicros: z.number().int(),
  lastLossAt: z.number().nullable(),
});
export type BreakerData = z.infer<typeof dataSchema>;

export interface BreakerView {
  state: BreakerStatus;
  reason: string;
  since: number;
  peakEquity: number;
  /** Fraction below the peak, 0..1. */
  drawdown: number;
  consecutiveLosses: number;
  trips: number;
  /** requestResume() was called; confirmResume() is awaited. */
  resumePending: boolean;
  /** confirmResume() must come before this (ms), when a resume is pending. */
  confirmBy?: number;
}

export type BreakerConfig = Pick<PaperConfig, 'maxDrawdownPct' | 'maxConsecutiveLosses' | 'resumeConfirmMs'>;

export const dayKeyOf = (now: number) => new Date(now).toISOString().slice(0, 10);

export class CircuitBreaker implements Checkpointable {
  readonly name = 'breaker';
  readonly toleranceMs = Infinity;
  /** Set whenever the state changed since the last save. */
  dirty = false;
  private d: BreakerData;

  constructor(
    private readonly cfg: BreakerConfig,
    equityMicros = 0,
    now = 0,
  ) {
    this.d = {
      v: 1,
      state: 'ARMED',
      reason: '',
      since: now,
      peakMicros: equityMicros,
      consecutiveLosses: 0,
      resumeRequestedAt: null,
      trips: 0,
      dayKey: dayKeyOf(now),
      dayStartMicros: equityMicros,
      dayPnlMicros: 0,
      lastLossAt: null,
    };
  }

  get status(): BreakerStatus {
    return this.d.state;
  }
  get halted(): boolean {
    return this.d.state !== 'ARMED';
  }
  get reason(): string {
    return this.d.reason;
  }
  get dayPnlMicros(): number {
    return this.d.dayPnlMicros;
  }
  get dayStartMicros(): number {
    return this.d.dayStartMicros;
  }
  get lastLossAt(): number | undefined {
    return this.d.lastLossAt ?? undefined;
  }
  get consecutiveLosses(): number {
    return this.d.consecutiveLosses;
  }

  /** Starts a new day's P&L when the UTC date changes. */
  rollDay(now: number, equityMicros: number | (() => number)): void {
    const key = dayKeyOf(now);
    if (key === this.d.dayKey) return;
    this.d.dayKey = key;
    this.d.dayStartMicros = typeof equityMicros === 'function' ? equityMicros() : equityMicros;
    this.d.dayPnlMicros = 0;
    this.dirty = true;
  }

  /** Realised P&L net of fees (a fee alone is a negative amount); a negative close starts the cooldown. */
  recordPnl(micros: number, now: number, isClose: boolean): void {
    if (micros === 0) return;
    this.d.dayPnlMicros += micros;
    if (isClose && micros < 0) this.d.lastLossAt = now;
    this.dirty = true;
  }

  /** One market's settlement, net: a loss extends the losing run, a win ends it. Returns a trip reason. */
  recordSettlement(netMicros: number, now: number): string | undefined {
    this.d.consecutiveLosses = netMicros < 0 ? this.d.consecutiveLosses + 1 : 0;
    this.dirty = true;
    if (netMicros < 0 && this.d.consecutiveLosses >= this.cfg.maxConsecutiveLosses && !this.halted) {
      return this.trip(`${this.d.consecutiveLosses} losing settlements in a row`, now);
    }
    return undefined;
  }

  /**
   * Starts the peak, the day's starting equity and the day's P&L over from
   * `equityMicros` (the desk switched to another account: the venue's, not
   * the paper ledger's). A halt stays.
   */
  rebase(equityMicros: number, now: number): void {
    this.d.peakMicros = equityMicros;
    this.d.dayStartMicros = equityMicros;
    this.d.dayKey = dayKeyOf(now);
    this.d.dayPnlMicros = 0;
    this.dirty = true;
  }

  /** Tracks the equity peak; trips on a drawdown at or beyond the limit. */
  observe(equityMicros: number, now: number): string | undefined {
    if (equityMicros > this.d.peakMicros) {
      this.d.peakMicros = equityMicros;
      this.dirty = true;
    }
    if (this.halted || this.d.peakMicros <= 0) return undefined;
    const dd = (this.d.peakMicros - equityMicros) / this.d.peakMicros;
    if (dd + 1e-12 >= this.cfg.maxDrawdownPct) {
      return this.trip(`drawdown ${(dd * 100).toFixed(1)}% ≥ ${(this.cfg.maxDrawdownPct * 100).toFixed(1)}% of peak $${(this.d.peakMicros / 1e6).toFixed(2)}`, now);
    }
    return undefined;
  }

  /** The kill switch: halts at once. */
  halt(reason: string, now: number): void {
    this.trip(reason || 'operator halt', now);
  }

  private trip(reason: string, now: number): string {
    this.d.state = 'HALTED';
    this.d.reason = reason;
    this.d.since = now;
    this.d.resumeRequestedAt = null;
    this.d.trips++;
    this.dirty = true;
    return reason;
  }

  /** Step one of resuming: only from HALTED (or to renew an expired request). */
  requestResume(now: number): { ok: boolean; reason: string } {
    if (this.d.state === 'ARMED') return { ok: false, reason: 'not halted' };
    this.d.state = 'RESUME-REQUESTED';
    this.d.resumeRequestedAt = now;
    this.dirty = true;
    return { ok: true, reason: `confirm within ${Math.round(this.cfg.resumeConfirmMs / 1000)} s to resume` };
  }

  /**
   * Step two: re-arms if a request is pending and recent. The peak restarts at
   * the current equity and the losing run at zero, or the breaker would trip
   * again on the same drawdown.
   */
  confirmResume(now: number, equityMicros: number): { ok: boolean; reason: string } {
    if (this.d.state !== 'RESUME-REQUESTED' || this.d.resumeRequestedAt === null) return { ok: false, reason: 'requestResume() first' };
    if (now - this.d.resumeRequestedAt > this.cfg.resumeConfirmMs) {
      this.d.state = 'HALTED';
      this.d.resumeRequestedAt = null;
      this.dirty = true;
      return { ok: false, reason: 'resume request expired; request again' };
    }
    this.d.state = 'ARMED';
    this.d.reason = '';
    this.d.since = now;
    this.d.resumeRequestedAt = null;
    this.d.peakMicros = equityMicros;
    this.d.consecutiveLosses = 0;
    this.dirty = true;
    return { ok: true, reason: 'resumed' };
  }

  view(equityMicros: number): BreakerView {
    const peak = this.d.peakMicros;
    const v: BreakerView = {
      state: this.d.state,
      reason: this.d.reason,
      since: this.d.since,
      peakEquity: peak / 1e6,
      drawdown: peak > 0 ? Math.max(0, (peak - equityMicros) / peak) : 0,
      consecutiveLosses: this.d.consecutiveLosses,
      trips: this.d.trips,
      resumePending: this.d.state === 'RESUME-REQUESTED',
    };
    if (this.d.resumeRequestedAt !== null) v.confirmBy = this.d.resumeRequestedAt + this.cfg.resumeConfirmMs;
    return v;
  }

  toCheckpoint(): BreakerData {
    return { ...this.d };
  }

  fromCheckpoint(json: unknown): boolean {
    const r = dataSchema.safeParse(json);
    if (!r.success) return false;
    this.d = { ...r.data };
    this.dirty = false;
    return true;
  }
}
