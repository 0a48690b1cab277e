// The sharded WebSocket pool:
// assets split over connections of at most `shardSize`; subscription requests
// within a window are coalesced into one message per shard; assets that never
// get a first event are resubscribed; a shard that stalls twice within 10
// minutes is split in two and new shards are made smaller (adaptive sizing).
import { Shard, type ShardHandlers, type ShardOptions } from './shard.js';
import { systemWall, type WallNow } from '../clock.js';
import { deepFreeze } from '../frozen.js';

export interface PoolOptions {
  shardSize: number;
  /** Requests within this window go out as one message per shard. */
  coalesceMs: number;
  /** "Subscribed but no first event" after this long → resubscribe the asset. */
  firstEventMs: number;
  /** Two stalls within this window split the shard. */
  splitWindowMs: number;
  minShardSize: number;
  shard: ShardOptions;
  now: WallNow;
}

export const DEFAULT_POOL: PoolOptions = deepFreeze({
  shardSize: 200,
  coalesceMs: 5000,
  firstEventMs: 30_000,
  splitWindowMs: 10 * 60_000,
  minShardSize: 10,
  shard: {},
  now: systemWall,
});

export interface PoolHandlers extends ShardHandlers {
  /** Assets moved to another connection: their books are stale until the new snapshot. */
  moved?(assets: string[], from: Shard, to: Shard): void;
}

export class ShardPool {
  readonly shards: Shard[] = [];
  /** Current size for new shards; shrinks when shards keep stalling. */
  targetSize: number;
  splits = 0;
  private readonly o: PoolOptions;
  private readonly owner = new Map<string, Shard>();
  /** Asset → when it was (re)subscribed, until its first event arrives. */
  private readonly awaiting = new Map<string, number>();
  private readonly pendingAdd = new Set<string>();
  private readonly pendingRemove = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private nextId = 0;
  private started = false;

  constructor(
    private readonly url: string,
    private readonly handlers: PoolHandlers,
    options: Partial<PoolOptions> = {},
  ) {
    this.o = { ...DEFAULT_POOL, ...options };
    this.targetSize = Math.max(1, this.o.shardSize);
  }

  start(): void {
    this.started = true;
    for (const s of this.shards) if (s.state === 'idle') s.start();
    this.tickTimer = setInterval(() => this.tick(), 1000);
  }

  /** Asks for assets; sent within the coalescing window (or at `flush()`). */
  request(assets: Iterable<string>): void {
    for (const a of assets) {
      this.pendingRemove.delete(a);
      if (!this.owner.has(a)) this.pendingAdd.add(a);
    }
    this.schedule();
  }

  release(assets: Iterable<string>): void {
    for (const a of assets) {
      this.pendingAdd.delete(a);
      if (this.owner.has(a)) this.pendingRemove.add(a);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.flushTimer || (!this.pendingAdd.size && !this.pendingRemove.size)) return;
    this.flushTimer = setTimeout(() => this.flush(), this.o.coalesceMs);
  }

  /** Sends everything requested so far: one message per shard touched. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const removals = new Map<Shard, string[]>();
    for (const a of this.pendingRemove) {
      const s = this.owner.get(a)!;
      this.owner.delete(a);
      this.awaiting.delete(a);
      (removals.get(s) ?? removals.set(s, []).get(s)!).push(a);
    }
    this.pendingRemove.clear();
    for (const [s, list] of removals) s.unsubscribe(list);
    const additions = new Map<Shard, string[]>();
    const now = this.o.now();
    for (const a of this.pendingAdd) {
      const s = this.shardWithRoom(additions);
      this.owner.set(a, s);
      this.awaiting.set(a, now);
      (additions.get(s) ?? additions.set(s, []).get(s)!).push(a);
    }
    this.pendingAdd.clear();
    for (const [s, list] of additions) {
      s.subscribe(list);
      if (s.state === 'idle' && this.started) s.start();
    }
  }

  private shardWithRoom(planned: Map<Shard, string[]>): Shard {
    for (const s of this.shards) {
      if (s.state === 'closed') continue;
      if (s.assets.size + (planned.get(s)?.length ?? 0) < this.targetSize) return s;
    }
    return this.newShard();
  }

  private newShard(): Shard {
    const s = new Shard(this.nextId++, this.url, this.handlers, { ...this.o.shard, now: this.o.now });
    this.shards.push(s);
    return s;
  }

  /** The first event (a book) for an asset arrived. */
  seen(asset: string): void {
    this.awaiting.delete(asset);
  }

  shardOf(asset: string): Shard | undefined {
    return this.owner.get(asset);
  }

  /** Assets still waiting for a first event. */
  get awaitingCount(): number {
    return this.awaiting.size;
  }

  /** Once a second: resubscribe silent assets, split shards that keep stalling. */
  tick(): void {
    const now = this.o.now();
    const late = new Map<Shard, string[]>();
    for (const [a, since] of this.awaiting) {
      if (now - since < this.o.firstEventMs) continue;
      const s = this.owner.get(a);
      if (!s || s.state !== 'open') continue;
      this.awaiting.set(a, now);
      (late.get(s) ?? late.set(s, []).get(s)!).push(a);
    }
    for (const [s, list] of late) s.resubscribe(list);
    for (const s of [...this.shards]) {
      const recent = s.stallTimes.filter((t) => now - t <= this.o.splitWindowMs);
      if (recent.length >= 2 && s.assets.size >= 2 * this.o.minShardSize) this.split(s);
    }
  }

  /** Moves half of a shard's assets to a new connection and shrinks the target size. */
  split(s: Shard): Shard {
    const assets = [...s.assets];
    const half = assets.slice(Math.ceil(assets.length / 2));
    this.targetSize = Math.max(this.o.minShardSize, Math.min(this.targetSize, assets.length - half.length));
    s.stallTimes.length = 0;
    s.unsubscribe(half);
    const fresh = this.newShard();
    const now = this.o.now();
    for (const a of half) {
      this.owner.set(a, fresh);
      this.awaiting.set(a, now);
    }
    fresh.subscribe(half);
    if (this.started) fresh.start();
    this.splits++;
    this.handlers.moved?.(half, s, fresh);
    return fresh;
  }

  stop(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.flushTimer = this.tickTimer = undefined;
    for (const s of this.shards) s.stop();
    this.started = false;
  }
}
