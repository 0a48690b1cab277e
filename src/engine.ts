// The in-process engine: wires the edge (catalog sync, REST, the WebSocket shard
// pool, SQLite) to the core (books; signals, scan, arbitrage and paper trading
// plug in through the same loop). It never talks to React; the store reads
// `stats()` on its own timer.
import { sanitize } from './text/sanitize.js';
import { BookCache } from './book/book-cache.js';
import { Resyncer } from './book/resync.js';
import { CatalogSync, DEFAULT_MARKET_CEILING } from './feed/catalog-sync.js';
import { chooseHotSet, volumeRanker, type Ranker } from './feed/hot-set.js';
import { Ingestor } from './feed/ingest.js';
import { RestClient, type RestLike } from './feed/rest-client.js';
import { ShardPool } from './feed/shard-pool.js';
import type { Shard, ShardState } from './feed/shard.js';
import type { CatalogMarket } from './protocol/gamma.js';
import type { MarketEvent } from './protocol/events.js';
import { setBusyTimeout, type DB } from './persist/db.js';
import { MarketsRepo } from './persist/markets-repo.js';
import { TradesRepo } from './persist/trades-repo.js';
import { IncidentsRepo, type Incident } from './persist/incidents-repo.js';
import { Checkpoints, type RestoreReport } from './persist/checkpoints.js';
import { PersistHealth } from './persist/health.js';
import { Retention } from './persist/retention.js';
import { systemWall, VenueTracker, type Clock, type VenueMs, type WallNow } from './clock.js';
import { deepFreeze } from './frozen.js';

export type SourceKind = 'SIM' | 'LIVE' | 'REPLAY';

export interface Source {
  kind: SourceKind;
  gammaUrl: string;
  clobUrl: string;
  wsUrl: string;
  /** Extra REST headers (live credentials from the environment; never logged). */
  headers?: Record<string, string>;
}

export interface EngineConfig {
  shardSize: number;
  hotCap: number;
  /** Stop the catalog sync after this many markets (0 = all). */
  maxMarkets: number;
  pingMs: number;
  silenceMs: number;
  coalesceMs: number;
  firstEventMs: number;
  /** How often the hot set is re-ranked and the catalog refreshed, ms. */
  refreshMs: number;
  /** One engine cycle (flush writes, resync, plug-in work), ms. */
  cycleMs: number;
  /** Checkpoint every tracker every N cycles (and on stop). */
  checkpointEvery: number;
  /** Write venue trades to SQLite (off in replay: the recording already holds them). */
  persistTrades: boolean;
  /** Most markets a catalog sync takes; paging stops there with a warning. */
  marketCeiling: number;
  /** Backoff between failed catalog syncs: first wait and cap, ms (jittered). */
  syncRetryMinMs: number;
  syncRetryMaxMs: number;
  /** Raw trades, signal rows and closed incidents are kept this long, ms (0 = forever). */
  retainMs: number;
  /** How often retention runs, ms. */
  pruneEveryMs: number;
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = deepFreeze({
  shardSize: 200,
  hotCap: 2000,
  maxMarkets: 0,
  pingMs: 10_000,
  silenceMs: 30_000,
  coalesceMs: 5000,
  firstEventMs: 30_000,
  refreshMs: 60_000,
  cycleMs: 1000,
  checkpointEvery: 10,
  persistTrades: true,
  marketCeiling: DEFAULT_MARKET_CEILING,
  syncRetryMinMs: 2000,
  syncRetryMaxMs: 60_000,
  retainMs: 3 * 86_400_000,
  pruneEveryMs: 5000,
});

export type EnginePhase = 'starting' | 'syncing' | 'streaming' | 'error' | 'stopped';

export interface ShardStats {
  id: number;
  state: ShardState;
  assets: number;
  msgs: number;
  lastMsgAgeMs: number;
  reconnects: number;
  stalls: number;
  gaps: number;
  staleBooks: number;
  resubscribes: number;
  reason: string;
}

export interface EngineStats {
  source: SourceKind;
  phase: EnginePhase;
  statusLine: string;
  paused: boolean;
  overload: boolean;
  catalog: { markets: number; pages: number; rejected: number; phase: string; refreshes: number; error?: string };
  shards: ShardStats[];
  pool: { targetSize: number; splits: number; awaitingFirstEvent: number };
  books: { total: number; fresh: number; stale: number; outOfSync: number };
  messages: { frames: number; received: number; rejected: number; rejectedFrames: number; shedFrames: number; overloads: number; lastRejection: string };
  rest: { requests: number; retries: number; failures: number; budgetLeft: number; lastError: string; resynced: number };
}

/** Something that runs once per engine cycle and can add to the snapshot (signals, scan, arb, paper). */
export interface EnginePlugin {
  name: string;
  cycle?(now: number): void | Promise<void>;
  onEvents?(events: MarketEvent[], now: number): void;
  onCatalog?(markets: CatalogMarket[], now: number): void;
  stop?(): void;
}

export class Engine {
  readonly books = new BookCache();
  readonly rest: RestLike;
  /** Set by `record`: raw frames and subscriptions, as received. */
  tap: { frame(shard: number, raw: string): void; assets(shard: number, assets: string[]): void } | undefined;
  /** Replay: no sockets and no timers; a driver feeds frames and calls cycle(). */
  private replaying = false;
  readonly catalog: CatalogSync;
  readonly pool: ShardPool;
  readonly ingest: Ingestor;
  readonly resyncer: Resyncer;
  readonly incidents: IncidentsRepo;
  readonly config: EngineConfig;
  readonly plugins: EnginePlugin[] = [];
  /** Rankers that decide the hot set, beside volume (signals, positions). */
  readonly rankers: Ranker[] = [];
  /** Market ids that must stay streamed (open positions). */
  readonly pinned = new Set<string>();
  readonly checkpoints: Checkpoints;
  /** Whether SQLite takes writes; paper trading checks it (fail closed). */
  readonly dbHealth: PersistHealth;
  /** Recent log lines (checkpoint restores, warnings) for the UI and headless stderr. */
  readonly logLines: string[] = [];
  restored: RestoreReport[] = [];
  phase: EnginePhase = 'starting';
  statusLine = 'starting';
  paused = false;
  cycles = 0;
  /** Cycles that ran to the end: per-cycle views are keyed by it, so nothing reads a half-done cycle. */
  cyclesDone = 0;
  private readonly marketsRepo: MarketsRepo;
  readonly trades: TradesRepo;
  private readonly gapsByShard = new Map<number, number>();
  private cycleTimer: NodeJS.Timeout | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private hotTokens = new Set<string>();
  /** Tokens streamed now (the hot set). */
  get streamed(): ReadonlySet<string> {
    return this.hotTokens;
  }
  private cycling = false;
  readonly retention: Retention | undefined;
  private lastPruneAt = 0;
  /** When the next catalog sync attempt is due (0 = none waiting). */
  private syncRetryAt = 0;
  private syncRetryTimer: NodeJS.Timeout | undefined;
  private syncRetryWake: (() => void) | undefined;

  constructor(
    readonly source: Source,
    readonly db: DB,
    config: Partial<EngineConfig> = {},
    readonly now: WallNow = systemWall,
    private readonly logSink: (line: string) => void = () => {},
    rest?: RestLike,
  ) {
    this.config = { ...DEFAULT_ENGINE_CONFIG, ...config };
    this.dbHealth = new PersistHealth(now, (line) => this.log(line), (ms) => {
      try {
        setBusyTimeout(db, ms);
      } catch {
        // a closed or unusable handle: the next write reports it
      }
    });
    this.checkpoints = new Checkpoints(db, now, (line) => this.log(line));
    this.checkpoints.register(this.hotSetTracker());
    this.rest = rest ?? new RestClient(source.headers ? { headers: source.headers } : {});
    this.marketsRepo = new MarketsRepo(db);
    this.trades = new TradesRepo(db);
    this.retention = this.config.retainMs > 0 ? new Retention(db, { retainMs: this.config.retainMs }) : undefined;
    this.incidents = new IncidentsRepo(db);
    this.resyncer = new Resyncer(this.books, this.rest, source.clobUrl, now);
    this.catalog = new CatalogSync(
      this.rest,
      source.gammaUrl,
      (page) => {
        this.dbHealth.guard('catalog', () => this.marketsRepo.save(page, this.now()));
        if (this.phase === 'syncing') this.statusLine = `syncing catalog: ${this.catalog.markets.size.toLocaleString('en-US')} markets, ${this.catalog.progress.pages} pages`;
      },
      this.config.marketCeiling,
    );
    this.pool = new ShardPool(
      source.wsUrl,
      {
        frame: (raw, s) => {
          this.tap?.frame(s.id, raw);
          this.ingest.push(raw, s);
        },
        disconnected: (s, reason) => this.onDisconnect(s, reason),
        connected: (s) => {
          this.tap?.assets(s.id, [...s.assets]);
          this.dbHealth.guard('incidents', () => this.incidents.close(s.id, this.now()));
        },
        moved: (assets, from, to) => this.books.markStale(assets, `moved from shard ${from.id} to ${to.id}`),
      },
      {
        shardSize: this.config.shardSize,
        coalesceMs: this.config.coalesceMs,
        firstEventMs: this.config.firstEventMs,
        shard: { pingMs: this.config.pingMs, silenceMs: this.config.silenceMs },
        now,
      },
    );
    this.ingest = new Ingestor(
      (events, _shard, at) => this.onEvents(events, at),
      (shards) => this.onShed(shards),
      { now },
      (shard, message) => this.onLostFrame(shard, message),
    );
  }

  use(plugin: EnginePlugin): void {
    this.plugins.push(plugin);
  }

  log(line: string): void {
    line = sanitize(line, 400);
    const stamped = `${new Date(this.now()).toISOString().slice(11, 19)} ${line}`;
    this.logLines.push(stamped);
    if (this.logLines.length > 200) this.logLines.shift();
    this.logSink(line);
  }

  /** The streamed token set survives a restart for 10 minutes, so subscriptions stay stable. */
  private restoredHot = new Set<string>();
  private hotSetTracker() {
    return {
      name: 'shard-hot-set',
      toleranceMs: 10 * 60_000,
      toCheckpoint: () => ({ tokens: [...this.hotTokens] }),
      fromCheckpoint: (json: unknown) => {
        const tokens = (json as { tokens?: unknown })?.tokens;
        if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === 'string')) return false;
        this.restoredHot = new Set(tokens as string[]);
        return true;
      },
    };
  }

  /** Syncs the catalog (retrying until the venue answers), then streams the hot set. Resolves once streaming starts, or on stop. */
  async start(): Promise<void> {
    this.phase = 'syncing';
    this.statusLine = `syncing catalog from ${hostOf(this.source.gammaUrl)}`;
    this.cycleTimer = setInterval(() => void this.cycle(), this.config.cycleMs);
    // A venue outage at start-up is waited out: retried with jittered backoff
    // until it answers, with the next attempt shown on the status line.
    for (let attempt = 1; ; attempt++) {
      const ok = await this.catalog.fullSync(this.config.maxMarkets || Infinity);
      if (this.stopped) return;
      if (ok) break;
      const base = Math.min(this.config.syncRetryMaxMs, this.config.syncRetryMinMs * 2 ** Math.min(attempt - 1, 20));
      const wait = Math.round(base * (0.5 + Math.random() / 2));
      this.phase = 'error';
      this.syncRetryAt = this.now() + wait;
      this.statusLine = `catalog unavailable: ${this.catalog.progress.error}`;
      this.log(`catalog sync failed (attempt ${attempt}): ${this.catalog.progress.error}; next attempt in ${Math.ceil(wait / 1000)} s`);
      await new Promise<void>((resolve) => {
        this.syncRetryWake = resolve;
        this.syncRetryTimer = setTimeout(resolve, wait);
      });
      this.syncRetryAt = 0;
      if (this.stopped) return;
      this.phase = 'syncing';
      this.statusLine = `syncing catalog from ${hostOf(this.source.gammaUrl)} (attempt ${attempt + 1})`;
    }
    if (this.catalog.progress.warning) this.log(this.catalog.progress.warning);
    const all = [...this.catalog.markets.values()];
    for (const p of this.plugins) p.onCatalog?.(all, this.now());
    this.restored = this.checkpoints.restore();
    this.rehot();
    this.pool.flush();
    this.pool.start();
    this.phase = 'streaming';
    this.statusLine = `streaming ${this.hotTokens.size.toLocaleString('en-US')} tokens`;
    this.refreshTimer = setInterval(() => void this.refresh(), this.config.refreshMs);
  }

  /**
   * Replay: the same start without sockets or timers. The driver then feeds
   * recorded frames through `ingest.process` and calls `cycle()`/`refresh()`
   * on the recorded clock.
   */
  async startReplay(): Promise<boolean> {
    this.replaying = true;
    this.phase = 'syncing';
    const ok = await this.catalog.fullSync(this.config.maxMarkets || Infinity);
    if (!ok) {
      this.phase = 'error';
      this.statusLine = `catalog unavailable in the recording: ${this.catalog.progress.error}`;
      return false;
    }
    const all = [...this.catalog.markets.values()];
    for (const p of this.plugins) p.onCatalog?.(all, this.now());
    this.rehot();
    this.phase = 'streaming';
    this.statusLine = `replaying ${this.hotTokens.size.toLocaleString('en-US')} tokens`;
    return true;
  }

  /** Re-ranks the hot set and asks the pool for the difference. */
  rehot(): void {
    const maxVolume = Math.max(0, ...[...this.catalog.markets.values()].map((m) => m.volume));
    const restored = this.restoredHot;
    const keep: Ranker = { name: 'restored', weight: 0.5, score: (m) => (restored.has(m.tokenIds[0] ?? '') ? 1 : 0) };
    const incumbent = new Set<string>();
    for (const m of this.catalog.markets.values()) if (this.hotTokens.has(m.tokenIds[0] ?? '')) incumbent.add(m.id);
    const choice = chooseHotSet(this.catalog.markets.values(), this.config.hotCap, [volumeRanker(maxVolume), ...this.rankers, ...(restored.size ? [keep] : [])], this.pinned, incumbent);
    this.restoredHot = new Set();
    const next = new Set(choice.tokens);
    const add: string[] = [];
    const drop: string[] = [];
    for (const m of choice.markets) {
      for (const t of m.tokenIds) {
        if (!this.hotTokens.has(t)) {
          add.push(t);
          this.books.track(t, m.conditionId);
        }
      }
    }
    for (const t of this.hotTokens) if (!next.has(t)) drop.push(t);
    for (const t of drop) this.books.untrack(t);
    this.hotTokens = next;
    if (this.replaying) return;
    if (add.length) this.pool.request(add);
    if (drop.length) this.pool.release(drop);
  }

  async refresh(): Promise<void> {
    const changed = await this.catalog.refresh();
    if (this.stopped || !changed.length) return;
    this.dbHealth.guard('catalog', () => this.marketsRepo.save(changed, this.now()));
    for (const p of this.plugins) p.onCatalog?.(changed, this.now());
    this.rehot();
  }

  /** Latest venue timestamp seen (sim time on the simulator), ms. */
  private readonly venueClock = new VenueTracker(() => this.now());

  /** The venue's clock: the newest message timestamp, or wall time before any. */
  venueNow(): VenueMs {
    return this.venueClock.now();
  }

  /** Both clocks, for plugins: wall from the composition root, venue from the venue's messages. */
  readonly clock: Clock = { wall: () => this.now(), venue: () => this.venueNow() };

  private onEvents(events: MarketEvent[], now: number): void {
    const newIds: string[] = [];
    for (const ev of events) {
      this.venueClock.saw(ev.ts);
      this.books.apply(ev, now);
      switch (ev.type) {
        case 'book':
          this.pool.seen(ev.asset);
          break;
        case 'last_trade_price':
          if (this.config.persistTrades) this.trades.add(ev, now);
          break;
        case 'new_market':
          newIds.push(ev.id);
          break;
        case 'market_resolved':
          newIds.push(ev.id);
          break;
        default:
          break;
      }
    }
    for (const p of this.plugins) if (p.onEvents) this.pluginEvents(p, events, now);
    if (newIds.length) void this.catalog.fetchIds(newIds).then((ms) => {
      if (this.stopped || !ms.length) return;
      this.dbHealth.guard('catalog', () => this.marketsRepo.save(ms, this.now()));
      for (const p of this.plugins) p.onCatalog?.(ms, this.now());
    });
  }

  /** One plugin's share of a frame, guarded as the cycle guards plugins (without the two closures per plugin per frame `guard` would take). */
  private pluginEvents(p: EnginePlugin, events: MarketEvent[], now: number): void {
    try {
      p.onEvents!(events, now);
    } catch (err) {
      this.dbHealth.caught(p.name, err);
    }
  }

  private onDisconnect(shard: Shard, reason: string): void {
    const stale = this.books.markStale(shard.assets, `shard ${shard.id} ${reason}`);
    this.gapsByShard.set(shard.id, (this.gapsByShard.get(shard.id) ?? 0) + 1);
    this.incidents.open({ shard: shard.id, kind: reason.startsWith('silent') ? 'stall' : 'disconnect', startMs: this.now(), assets: shard.assets.size, detail: `${reason}; ${stale} books stale` });
  }

  /**
   * A frame that could not be decoded may have carried changes to any book of
   * its shard (deep levels the best-bid/ask check cannot see): a gap. The
   * shard's books are stale until the REST resync replaces them.
   */
  private onLostFrame(shard: Shard, message: string): void {
    const assets = [...shard.assets];
    this.books.markStale(assets, `frame rejected on shard ${shard.id}`);
    this.gapsByShard.set(shard.id, (this.gapsByShard.get(shard.id) ?? 0) + 1);
    this.incidents.open({ shard: shard.id, kind: 'gap', startMs: this.now(), assets: assets.length, detail: `rejected frame: ${message.slice(0, 80)}` });
    void this.resyncer.run(assets).then(() => this.dbHealth.guard('incidents', () => this.incidents.close(shard.id, this.now())));
  }

  /** Overload: the shed shards' books are stale; resync them over REST. */
  private onShed(shards: Set<Shard>): void {
    const assets: string[] = [];
    for (const s of shards) {
      this.books.markStale(s.assets, 'overload: frames shed');
      assets.push(...s.assets);
      this.incidents.open({ shard: s.id, kind: 'overload', startMs: this.now(), assets: s.assets.size, detail: 'frames shed under overload' });
      this.dbHealth.guard('incidents', () => this.incidents.close(s.id, this.now()));
    }
    void this.resyncer.run(assets);
  }

  /** One cycle: batched writes in one transaction, resync, plug-ins. */
  async cycle(): Promise<void> {
    if (this.cycling) return;
    this.cycling = true;
    try {
      this.cycles++;
      const now = this.now();
      if (this.dbHealth.due(now)) this.dbHealth.guard('trades', () => this.trades.flush(), (n) => n > 0);
      if (this.retention && this.dbHealth.ok && now - this.lastPruneAt >= this.config.pruneEveryMs) {
        this.lastPruneAt = now;
        const r = this.retention;
        this.dbHealth.guard('retention', () => r.prune(now), (n) => n > 0);
      }
      if (this.books.needsResync.size) void this.resyncer.run();
      if (!this.paused) {
        for (const p of this.plugins) {
          try {
            await p.cycle?.(now);
          } catch (err) {
            this.dbHealth.caught(p.name, err);
          }
        }
      }
      if (this.phase === 'streaming' && Number.isFinite(this.config.checkpointEvery) && this.cycles % this.config.checkpointEvery === 0) this.dbHealth.guard('checkpoint', () => this.checkpoints.save(this.cycles));
    } finally {
      this.cyclesDone++;
      this.cycling = false;
    }
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** The status line, with the retry the engine is waiting on (if any) counted down. */
  private statusText(now: number): string {
    let line = this.dbHealth.ok ? this.statusLine : `${this.dbHealth.error} — paper trading halted; ${this.statusLine}`;
    if (this.phase === 'error' && this.syncRetryAt) line += ` — next attempt in ${Math.max(0, Math.ceil((this.syncRetryAt - now) / 1000))} s`;
    else if (this.phase === 'syncing' && this.rest.lastAttemptError) {
      line += ` — retrying: ${this.rest.lastAttemptError}`;
      const at = this.rest.nextAttemptAt ?? 0;
      if (at > now) line += `; next attempt in ${Math.ceil((at - now) / 1000)} s`;
    }
    if (this.catalog.progress.warning && this.phase === 'streaming') line += ` — ${this.catalog.progress.warning}`;
    return line;
  }

  stats(): EngineStats {
    const now = this.now();
    const p = this.catalog.progress;
    const c = this.ingest.counters;
    return {
      source: this.source.kind,
      phase: this.phase,
      statusLine: sanitize(this.statusText(now), 400),
      paused: this.paused,
      overload: this.ingest.overloaded,
      catalog: { markets: this.catalog.markets.size, pages: p.pages, rejected: p.rejected, phase: p.phase, refreshes: this.catalog.refreshes, ...(p.error ? { error: p.error } : {}) },
      shards: this.pool.shards.map((s) => {
        let stale = 0;
        for (const a of s.assets) if (this.books.get(a)?.state !== 'fresh') stale++;
        return {
          id: s.id,
          state: s.state,
          assets: s.assets.size,
          msgs: s.msgs,
          lastMsgAgeMs: s.lastMsgAt ? now - s.lastMsgAt : -1,
          reconnects: s.reconnects,
          stalls: s.stalls,
          gaps: this.gapsByShard.get(s.id) ?? 0,
          staleBooks: stale,
          resubscribes: s.resubscribes,
          reason: s.lastReason,
        };
      }),
      pool: { targetSize: this.pool.targetSize, splits: this.pool.splits, awaitingFirstEvent: this.pool.awaitingCount },
      books: this.books.counts(),
      messages: { frames: c.frames, received: c.events, rejected: c.rejected, rejectedFrames: c.rejectedFrames, shedFrames: c.shedFrames, overloads: c.overloads, lastRejection: this.ingest.lastRejection },
      rest: { ...this.rest.counters, budgetLeft: this.rest.budgetShareLeft(), lastError: this.rest.lastError, resynced: this.resyncer.resynced },
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.syncRetryTimer) clearTimeout(this.syncRetryTimer);
    this.syncRetryWake?.();
    if (this.cycleTimer) clearInterval(this.cycleTimer);
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.pool.stop();
    for (const p of this.plugins) p.stop?.();
    this.dbHealth.guard('trades', () => this.trades.flush());
    this.dbHealth.guard('incidents', () => this.incidents.closeAll(this.now()));
    // On SIGINT/SIGTERM/quit: one last checkpoint before exit.
    if (this.phase === 'streaming' && Number.isFinite(this.config.checkpointEvery)) this.dbHealth.guard('checkpoint', () => this.checkpoints.save(this.cycles));
    this.phase = 'stopped';
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export type { Incident };
