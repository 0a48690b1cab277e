// The live batch monitor's schedule as a pure
// state machine: batch size 50–300 (default 150), one batch every interval
// (default 300 s of sim time). When the request budget runs low (< 0.2 left)
// the batch due is not fetched (stop_reason "rate_limit_risk"), the batch size
// halves and the interval doubles; after 5 minutes with budget back the
// operator's settings are restored and the next batch is fetched at once.
// Time comes in as `now` (ms); the cursor walks the catalog so consecutive
// batches cover it.
import { z } from 'zod';
import type { StopReason } from './output.js';
import { deepFreeze } from '../frozen.js';

export const BATCH_MIN = 50;
export const BATCH_MAX = 300;
export const BATCH_STEP = 50;
export const DEFAULT_BATCH = 150;
export const DEFAULT_INTERVAL_MS = 300_000;
export const INTERVAL_MIN_MS = 10_000;
export const INTERVAL_MAX_MS = 3_600_000;
/** The values `]` / `[` step through (ms): 10 s … 1 h, about ×2 apart. */
export const INTERVAL_LADDER_MS = deepFreeze([10_000, 20_000, 40_000, 75_000, 150_000, 300_000, 600_000, 1_200_000, 2_400_000, 3_600_000]);
/** Below this share of the rate budget left, back off. */
export const LOW_BUDGET = 0.2;
export const BACKOFF_MS = 300_000;

export type PlannerMode = 'ok' | 'backoff';

export interface BatchPlan {
  /** Fetch and scan a batch now. */
  run: boolean;
  /** Catalog offset and length of the batch (meaningful when run). */
  offset: number;
  size: number;
  stopReason: StopReason;
  /** When the next batch is due (ms). */
  nextDueAt: number;
  intervalMs: number;
}

export interface PlannerState {
  mode: PlannerMode;
  stopReason: StopReason;
  /** Effective values (halved/doubled while backing off). */
  batchSize: number;
  intervalMs: number;
  /** The operator's settings, restored after a backoff. */
  baseBatchSize: number;
  baseIntervalMs: number;
  cursor: number;
  nextDueAt: number;
  /** End of the current backoff, when backing off. */
  resumeAt: number | undefined;
  batches: number;
  /** For the status bar: "scan 150/300s ok" or "scan 75/600s backoff to 12:35:00". */
  line: string;
}

export const plannerCheckpointSchema = z
  .object({
    v: z.literal(1),
    cursor: z.number().int().min(0),
    baseBatchSize: z.number().int().min(BATCH_MIN).max(BATCH_MAX),
    baseIntervalMs: z.number().int().min(INTERVAL_MIN_MS).max(INTERVAL_MAX_MS),
    mode: z.enum(['ok', 'backoff']),
    resumeAt: z.number().nullable(),
    nextDueAt: z.number(),
    batches: z.number().int().min(0),
  })
  .strict();
export type PlannerCheckpoint = z.output<typeof plannerCheckpointSchema>;

const clampInt = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(x)));

export class BatchPlanner {
  private baseBatch: number;
  private baseInterval: number;
  private mode: PlannerMode = 'ok';
  private resumeAt: number | undefined;
  private nextDueAt = 0;
  private cursor = 0;
  private batches = 0;

  /** Off-ladder intervals the operator has had (a configured 45 s), so `[` / `]` can return to them. */
  private readonly intervalsSeen = new Set<number>();

  constructor(opts: { batchSize?: number; intervalMs?: number } = {}) {
    this.baseBatch = clampInt(opts.batchSize ?? DEFAULT_BATCH, BATCH_MIN, BATCH_MAX);
    this.baseInterval = clampInt(opts.intervalMs ?? DEFAULT_INTERVAL_MS, INTERVAL_MIN_MS, INTERVAL_MAX_MS);
  }

  /** Sets the operator's batch size (clamped to 50–300); returns it. */
  setBatchSize(n: number): number {
    this.baseBatch = clampInt(n, BATCH_MIN, BATCH_MAX);
    return this.baseBatch;
  }

  /** Sets the operator's interval (clamped to 10 s–1 h); returns it. */
  setInterval(ms: number): number {
    this.baseInterval = clampInt(ms, INTERVAL_MIN_MS, INTERVAL_MAX_MS);
    return this.baseInterval;
  }

  /** `+` / `-`: batch size by 50. */
  stepBatchSize(dir: 1 | -1): number {
    return this.setBatchSize(this.baseBatch + dir * BATCH_STEP);
  }

  /**
   * `]` / `[`: the next longer or shorter interval on a fixed ladder (about ×2
   * per step), so `[` always returns to a value `]` passed through — doubling
   * and halving with a clamp at 1 h would not (2400 → 3600 → 1800). Every
   * value held joins the ladder, so a configured 45 s is reachable again.
   */
  stepInterval(dir: 1 | -1): number {
    this.intervalsSeen.add(this.baseInterval);
    const ladder = [...new Set([...INTERVAL_LADDER_MS, ...this.intervalsSeen])].sort((a, b) => a - b);
    const i = ladder.indexOf(this.baseInterval);
    return this.setInterval(ladder[Math.max(0, Math.min(ladder.length - 1, i + dir))]!);
  }

  private get batchSize(): number {
    return this.mode === 'backoff' ? Math.max(BATCH_MIN, Math.floor(this.baseBatch / 2)) : this.baseBatch;
  }

  private get intervalMs(): number {
    return this.mode === 'backoff' ? Math.min(INTERVAL_MAX_MS * 2, this.baseInterval * 2) : this.baseInterval;
  }

  /**
   * What to do at `now`, given the lowest share of any rate budget left
   * (RestClient.budgetShareLeft()). `catalogSize` wraps the cursor.
   */
  nextBatch(now: number, budgetShareLeft: number, catalogSize = Number.MAX_SAFE_INTEGER): BatchPlan {
    const low = !(budgetShareLeft >= LOW_BUDGET);
    if (this.mode === 'ok' && low) {
      // Stop: do not fetch this batch; halve, double, and come back later.
      this.mode = 'backoff';
      this.resumeAt = now + BACKOFF_MS;
      this.nextDueAt = now + this.intervalMs;
      return this.plan(false, 0);
    }
    if (this.mode === 'backoff') {
      if (low) this.resumeAt = Math.max(this.resumeAt ?? 0, now + BACKOFF_MS);
      else if (now >= (this.resumeAt ?? 0)) {
        this.mode = 'ok';
        this.resumeAt = undefined;
        // Resumed: fetch now, then at the operator's cadence.
        this.nextDueAt = Math.min(this.nextDueAt, now);
      }
    }
    if (now < this.nextDueAt || low) return this.plan(false, 0);
    const total = Math.max(0, Math.floor(catalogSize));
    const size = Math.min(this.batchSize, total);
    const offset = total ? this.cursor % total : 0;
    this.cursor = total ? (offset + size) % total : 0;
    this.nextDueAt = now + this.intervalMs;
    this.batches++;
    return { ...this.plan(size > 0, size), offset };
  }

  private plan(run: boolean, size: number): BatchPlan {
    return { run, offset: this.cursor, size, stopReason: this.stopReason, nextDueAt: this.nextDueAt, intervalMs: this.intervalMs };
  }

  private get stopReason(): StopReason {
    return this.mode === 'backoff' ? 'rate_limit_risk' : 'ok';
  }

  state(): PlannerState {
    const size = this.batchSize;
    const secs = Math.round(this.intervalMs / 1000);
    const line = this.mode === 'backoff' ? `scan ${size}/${secs}s backoff to ${hms(this.resumeAt ?? 0)}` : `scan ${size}/${secs}s ok`;
    return {
      mode: this.mode,
      stopReason: this.stopReason,
      batchSize: size,
      intervalMs: this.intervalMs,
      baseBatchSize: this.baseBatch,
      baseIntervalMs: this.baseInterval,
      cursor: this.cursor,
      nextDueAt: this.nextDueAt,
      resumeAt: this.resumeAt,
      batches: this.batches,
      line,
    };
  }

  toCheckpoint(): PlannerCheckpoint {
    return {
      v: 1,
      cursor: this.cursor,
      baseBatchSize: this.baseBatch,
      baseIntervalMs: this.baseInterval,
      mode: this.mode,
      resumeAt: this.resumeAt ?? null,
      nextDueAt: this.nextDueAt,
      batches: this.batches,
    };
  }

  /** Restores a planner from a checkpoint value; a bad checkpoint is an error value, never a throw. */
  static fromCheckpoint(value: unknown): { ok: true; planner: BatchPlanner } | { ok: false; error: string } {
    const r = plannerCheckpointSchema.safeParse(value);
    if (!r.success) {
      const i = r.error.issues[0];
      return { ok: false, error: `scan checkpoint: ${i?.path.join('.') || '(root)'} ${i?.message ?? 'invalid'}` };
    }
    const c = r.data;
    const p = new BatchPlanner({ batchSize: c.baseBatchSize, intervalMs: c.baseIntervalMs });
    p.cursor = c.cursor;
    p.mode = c.mode;
    p.resumeAt = c.mode === 'backoff' ? (c.resumeAt ?? 0) : undefined;
    p.nextDueAt = c.nextDueAt;
    p.batches = c.batches;
    return { ok: true, planner: p };
  }
}

function hms(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}
