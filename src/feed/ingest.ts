// Frames from every shard go through here: decode, then hand events to the
// engine. Frames are applied inline while the current event-loop turn has time
// budget; beyond it they queue and drain in slices so timers (UI, watchdogs)
// keep running. The queue is bounded: past `maxQueuedBytes` it is shed —
// counted, visible as OVERLOAD, and the affected books are resynced — so
// memory never grows without limit.
import { decodeFrame } from '../protocol/market-channel.js';
import type { MarketEvent } from '../protocol/events.js';
import type { Shard } from './shard.js';
import { systemWall, type WallNow } from '../clock.js';
import { deepFreeze } from '../frozen.js';

export interface IngestCounters {
  frames: number;
  events: number;
  rejected: number;
  rejectedFrames: number;
  pongs: number;
  queued: number;
  shedFrames: number;
  overloads: number;
  maxQueuedBytes: number;
}

export interface IngestOptions {
  /** Inline processing budget per event-loop turn, ms. */
  budgetMs: number;
  maxQueuedBytes: number;
  /** How long the OVERLOAD state stays visible after shedding, ms. */
  overloadHoldMs: number;
  now: WallNow;
}

export const DEFAULT_INGEST: IngestOptions = deepFreeze({ budgetMs: 25, maxQueuedBytes: 64 * 1024 * 1024, overloadHoldMs: 10_000, now: systemWall });

export class Ingestor {
  readonly counters: IngestCounters = { frames: 0, events: 0, rejected: 0, rejectedFrames: 0, pongs: 0, queued: 0, shedFrames: 0, overloads: 0, maxQueuedBytes: 0 };
  lastRejection = '';
  private readonly o: IngestOptions;
  private queue: { raw: string; shard: Shard }[] = [];
  private head = 0;
  private queuedBytes = 0;
  private turnStart = 0;
  private draining = false;
  private overloadUntil = 0;

  constructor(
    private readonly apply: (events: MarketEvent[], shard: Shard, now: number) => void,
    private readonly shed: (shards: Set<Shard>) => void,
    options: Partial<IngestOptions> = {},
    /** A frame (or part of one) could not be decoded: whatever it carried is lost. */
    private readonly lost: (shard: Shard, message: string) => void = () => {},
  ) {
    this.o = { ...DEFAULT_INGEST, ...options };
  }

  get overloaded(): boolean {
    return this.o.now() < this.overloadUntil;
  }

  get backlog(): number {
    return this.queue.length - this.head;
  }

  push(raw: string, shard: Shard): void {
    if (this.backlog === 0 && !this.draining) {
      const now = performance.now();
      if (this.turnStart === 0) {
        this.turnStart = now;
        setImmediate(() => (this.turnStart = 0));
      }
      if (now - this.turnStart < this.o.budgetMs) {
        this.process(raw, shard);
        return;
      }
    }
    this.queue.push({ raw, shard });
    this.queuedBytes += raw.length;
    this.counters.queued++;
    if (this.queuedBytes > this.counters.maxQueuedBytes) this.counters.maxQueuedBytes = this.queuedBytes;
    if (this.queuedBytes > this.o.maxQueuedBytes) {
      this.shedAll();
      return;
    }
    if (!this.draining) {
      this.draining = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    const start = performance.now();
    // At least one frame per turn, so a tiny budget still makes progress.
    do {
      const item = this.queue[this.head++]!;
      this.queuedBytes -= item.raw.length;
      this.process(item.raw, item.shard);
    } while (this.head < this.queue.length && performance.now() - start < this.o.budgetMs);
    if (this.head >= this.queue.length) {
      this.queue = [];
      this.head = 0;
      this.queuedBytes = 0;
      this.draining = false;
    } else {
      if (this.head > 4096) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      setImmediate(() => this.drain());
    }
  }

  private shedAll(): void {
    const shards = new Set<Shard>();
    for (let i = this.head; i < this.queue.length; i++) shards.add(this.queue[i]!.shard);
    this.counters.shedFrames += this.queue.length - this.head;
    this.counters.overloads++;
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
    this.overloadUntil = this.o.now() + this.o.overloadHoldMs;
    this.shed(shards);
  }

  /** Applies one frame's events decoded earlier (a compiled recording), counted as `process` counts a frame. */
  applyDecoded(events: MarketEvent[], shard: Shard): void {
    this.counters.frames++;
    this.counters.events += events.length;
    this.apply(events, shard, this.o.now());
  }

  /** Decodes and applies one frame synchronously. */
  process(raw: string, shard: Shard): void {
    this.counters.frames++;
    const d = decodeFrame(raw);
    if (d.control) {
      if (d.control === 'PONG') this.counters.pongs++;
      return;
    }
    if (d.errors.length) {
      this.counters.rejected += d.errors.length;
      if (!d.events.length) this.counters.rejectedFrames++;
      this.lastRejection = d.errors[0]!.message;
      this.lost(shard, this.lastRejection);
    }
    if (d.events.length) {
      this.counters.events += d.events.length;
      this.apply(d.events, shard, this.o.now());
    }
  }
}
