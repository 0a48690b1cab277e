// Background retraining (the FreqAI pattern): resolved outcomes are appended
// as feature rows to growing typed arrays; every `everyOutcomes` new outcomes
// or `everyMs`, whichever first, the arrays are TRANSFERRED (zero copy) to a
// worker_threads worker, which fits and transfers them back with the model.
// The new model replaces the old one in a single reference assignment (a
// frozen object: nothing ever sees half a model); past its expiry `score`
// answers undefined and the caller keeps the market price.
import { Worker } from 'node:worker_threads';
import { DEFAULT_EXPIRY_MS, scoreOf, type ScorerModel, type TrainOptions } from './model.js';
import type { TrainRequest } from './train-worker.js';
import { systemWall, type WallNow } from '../clock.js';

export interface RetrainerOptions {
  featureHash: string;
  width: number;
  /** Retrain after this many new outcomes (default 200). */
  everyOutcomes?: number;
  /** …or this long after the last retrain (default 60 min). */
  everyMs?: number;
  expiryMs?: number;
  /** Fewer events than this: no model (default 200). */
  minEvents?: number;
  /** Sliding window: most recent rows kept (default 100,000). */
  maxRows?: number;
  /** Compiled worker file (default: train-worker.js beside this module). */
  workerFile?: string | URL;
  now?: WallNow;
  seed?: string | number;
  lambda?: number;
}

export interface RetrainerStatus {
  hash: string | undefined;
  /** ms since the current model was trained; undefined without one. */
  ageMs: number | undefined;
  expired: boolean;
  rows: number;
  events: number;
  trainedRows: number;
  training: boolean;
  retrains: number;
  lastError: string | undefined;
}

type Reply = { id: number; ok: true; model: ScorerModel } | { id: number; ok: false; message: string };
type Buffers = Pick<TrainRequest, 'x' | 'mid' | 'y' | 'resolvedMs' | 'atMs' | 'event'>;

export class Retrainer {
  private model: ScorerModel | undefined;
  private bufs: Buffers | undefined;
  private cap: number;
  private n = 0;
  private readonly pending: { x: Float64Array; mid: number; y: number; resolvedMs: number; atMs: number; event: number }[] = [];
  private readonly eventNo = new Map<string, number>();
  private sinceTrain = 0;
  private lastTrainMs: number;
  private worker: Worker | undefined;
  private inFlight: Promise<ScorerModel | undefined> | undefined;
  private nextId = 1;
  private retrains = 0;
  private lastError: string | undefined;
  private readonly o: Required<Omit<RetrainerOptions, 'workerFile' | 'seed' | 'lambda'>> & Pick<RetrainerOptions, 'workerFile' | 'seed' | 'lambda'>;

  constructor(opts: RetrainerOptions) {
    this.o = { everyOutcomes: 200, everyMs: 3_600_000, expiryMs: DEFAULT_EXPIRY_MS, minEvents: 200, maxRows: 100_000, now: systemWall, ...opts };
    this.cap = 1024;
    this.bufs = alloc(this.cap, opts.width);
    this.lastTrainMs = this.o.now();
  }

  /** The model in use (undefined before the first retrain). */
  get current(): ScorerModel | undefined {
    return this.model;
  }

  /** One resolved outcome: the features at its decision time, the price then, the label. */
  add(x: Float64Array, mid: number, y: 0 | 1, resolvedMs: number, atMs: number, eventId: string): void {
    if (x.length !== this.o.width) throw new Error(`retrainer: feature row of width ${x.length}, expected ${this.o.width}`);
    let e = this.eventNo.get(eventId);
    if (e === undefined) this.eventNo.set(eventId, (e = this.eventNo.size));
    this.sinceTrain++;
    if (!this.bufs) {
      // The arrays are with the worker: keep the row until they come back.
      this.pending.push({ x: Float64Array.from(x), mid, y, resolvedMs, atMs, event: e });
      return;
    }
    this.append(x, mid, y, resolvedMs, atMs, e);
  }

  /** N new outcomes or M minutes since the last retrain, and not already training. */
  due(nowMs = this.o.now()): boolean {
    return !this.inFlight && this.sinceTrain > 0 && (this.sinceTrain >= this.o.everyOutcomes || nowMs - this.lastTrainMs >= this.o.everyMs);
  }

  /** Retrains if due; resolves with the model in use afterwards. */
  maybeRetrain(): Promise<ScorerModel | undefined> | undefined {
    return this.due() ? this.retrain() : undefined;
  }

  /** Starts a retrain now (or returns the one in flight). */
  retrain(): Promise<ScorerModel | undefined> {
    if (this.inFlight) return this.inFlight;
    const b = this.bufs!;
    const events = this.eventNo.size;
    if (events < this.o.minEvents) {
      this.lastError = `${events} events < ${this.o.minEvents}: no model`;
      return Promise.resolve(this.model);
    }
    const now = this.o.now();
    const opts: TrainOptions = { featureHash: this.o.featureHash, nowMs: now, expiryMs: this.o.expiryMs, ...(this.o.seed !== undefined ? { seed: this.o.seed } : {}), ...(this.o.lambda !== undefined ? { lambda: this.o.lambda } : {}) };
    const req: TrainRequest = { id: this.nextId++, n: this.n, d: this.o.width, ...b, opts };
    const worker = this.spawn();
    this.bufs = undefined;
    this.sinceTrain = 0;
    this.lastTrainMs = now;
    this.inFlight = new Promise<ScorerModel | undefined>((resolve) => {
      const done = (m: (Reply & Buffers) | undefined, err?: string) => {
        worker.off('message', onMsg);
        worker.off('error', onErr);
        if (m) this.bufs = { x: m.x, mid: m.mid, y: m.y, resolvedMs: m.resolvedMs, atMs: m.atMs, event: m.event };
        else {
          // The worker died with the arrays: start over from the pending rows only.
          this.worker = undefined;
          this.cap = 1024;
          this.n = 0;
          this.bufs = alloc(this.cap, this.o.width);
        }
        for (const p of this.pending.splice(0)) this.append(p.x, p.mid, p.y as 0 | 1, p.resolvedMs, p.atMs, p.event);
        if (m?.ok) {
          this.model = Object.freeze({ ...m.model });
          this.retrains++;
          this.lastError = undefined;
        } else this.lastError = err ?? (m && !m.ok ? m.message : 'worker failed');
        this.inFlight = undefined;
        resolve(this.model);
      };
      const onMsg = (m: Reply & Buffers) => m.id === req.id && done(m);
      const onErr = (e: Error) => done(undefined, e.message);
      worker.on('message', onMsg);
      worker.on('error', onErr);
      worker.postMessage(req, [b.x.buffer, b.mid.buffer, b.y.buffer, b.resolvedMs.buffer, b.atMs.buffer, b.event.buffer] as ArrayBuffer[]);
    });
    return this.inFlight;
  }

  /** P(YES) from the current model, or undefined (no model, expired, other layout). */
  score(x: Float64Array, mid: number, nowMs = this.o.now()): number | undefined {
    return scoreOf(this.model, this.o.featureHash, x, mid, nowMs);
  }

  status(nowMs = this.o.now()): RetrainerStatus {
    const m = this.model;
    return {
      hash: m?.hash,
      ageMs: m ? nowMs - m.trainedAtMs : undefined,
      expired: !m || nowMs >= m.expiresAtMs,
      rows: this.n + this.pending.length,
      events: this.eventNo.size,
      trainedRows: m?.rows ?? 0,
      training: !!this.inFlight,
      retrains: this.retrains,
      lastError: this.lastError,
    };
  }

  /** The feature rows' ArrayBuffer while it is on this thread (undefined while a worker holds it): shows the transfer is a move, not a copy. */
  get rowsBuffer(): ArrayBufferLike | undefined {
    return this.bufs?.x.buffer;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private spawn(): Worker {
    if (this.worker) return this.worker;
    const file = this.o.workerFile ?? new URL('./train-worker.js', import.meta.url);
    const w = new Worker(file);
    w.unref();
    this.worker = w;
    return w;
  }

  private append(x: Float64Array, mid: number, y: 0 | 1 | number, resolvedMs: number, atMs: number, e: number): void {
    const d = this.o.width;
    if (this.n === this.cap) {
      if (this.cap >= this.o.maxRows) {
        // Sliding window: drop the oldest quarter.
        const drop = Math.floor(this.n / 4);
        const b = this.bufs!;
        b.x.copyWithin(0, drop * d, this.n * d);
        for (const a of [b.mid, b.y, b.resolvedMs, b.atMs, b.event]) a.copyWithin(0, drop, this.n);
        this.n -= drop;
      } else {
        this.cap = Math.min(this.cap * 2, this.o.maxRows);
        const old = this.bufs!;
        const b = alloc(this.cap, d);
        b.x.set(old.x.subarray(0, this.n * d));
        b.mid.set(old.mid.subarray(0, this.n));
        b.y.set(old.y.subarray(0, this.n));
        b.resolvedMs.set(old.resolvedMs.subarray(0, this.n));
        b.atMs.set(old.atMs.subarray(0, this.n));
        b.event.set(old.event.subarray(0, this.n));
        this.bufs = b;
      }
    }
    const b = this.bufs!;
    b.x.set(x, this.n * d);
    b.mid[this.n] = mid;
    b.y[this.n] = y;
    b.resolvedMs[this.n] = resolvedMs;
    b.atMs[this.n] = atMs;
    b.event[this.n] = e;
    this.n++;
  }
}

function alloc(cap: number, d: number): Buffers {
  return { x: new Float64Array(cap * d), mid: new Float64Array(cap), y: new Float64Array(cap), resolvedMs: new Float64Array(cap), atMs: new Float64Array(cap), event: new Int32Array(cap) };
}
