// The in-process engine: wires the edge (catalog sync, REST, WebSocket shards,
// SQLite) to the core (books) in one loop. It never talks to React; the store
// reads `stats()` on its own timer.
import { BookCache } from './book/book-cache.js';
import { Resyncer } from './book/resync.js';
import { CatalogSync } from './feed/catalog-sync.js';
import { RestClient } from './feed/rest-client.js';
import { Shard, type ShardState } from './feed/shard.js';
import { decodeFrame } from './protocol/market-channel.js';
import type { CatalogMarket } from './protocol/gamma.js';
import type { DB } from './persist/db.js';
import { MarketsRepo } from './persist/markets-repo.js';
import { TradesRepo } from './persist/trades-repo.js';

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
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = { shardSize: 200, hotCap: 2000, maxMarkets: 0, pingMs: 10_000, silenceMs: 30_000 };

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
  reason: string;
}

export interface Incident {
  shard: number;
  kind: 'disconnect' | 'stall';
  startMs: number;
  endMs?: number;
  assets: number;
  detail: string;
}

export interface EngineStats {
  source: SourceKind;
  phase: EnginePhase;
  statusLine: string;
  paused: boolean;
  catalog: { markets: number; pages: number; rejected: number; phase: string; error?: string };
  shards: ShardStats[];
  books: { total: number; fresh: number; stale: number; outOfSync: number };
  messages: { frames: number; received: number; rejected: number; rejectedFrames: number; lastRejection: string };
  rest: { requests: number; retries: number; failures: number; budgetLeft: number; lastError: string };
}

export class Engine {
  readonly books = new BookCache();
  readonly rest: RestClient;
  readonly catalog: CatalogSync;
  readonly shards: Shard[] = [];
  readonly incidents: Incident[] = [];
  readonly counters = { frames: 0, events: 0, rejected: 0, rejectedFrames: 0, pongs: 0 };
  readonly config: EngineConfig;
  phase: EnginePhase = 'starting';
  statusLine = 'starting';
  paused = false;
  lastRejection = '';
  readonly resyncer: Resyncer;
  private readonly marketsRepo: MarketsRepo;
  private readonly tradesRepo: TradesRepo;
  private readonly gapsByShard = new Map<number, number>();
  private readonly openIncident = new Map<number, Incident>();
  private flushTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    readonly source: Source,
    readonly db: DB,
    config: Partial<EngineConfig> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.config = { ...DEFAULT_ENGINE_CONFIG, ...config };
    this.rest = new RestClient(source.headers ? { headers: source.headers } : {});
    this.marketsRepo = new MarketsRepo(db);
    this.tradesRepo = new TradesRepo(db);
    this.resyncer = new Resyncer(this.books, this.rest, source.clobUrl, now);
    this.catalog = new CatalogSync(this.rest, source.gammaUrl, (page) => this.marketsRepo.save(page, this.now()));
  }

  /** Syncs the catalog, then streams the hot set. Resolves once streaming starts (or sync failed). */
  async start(): Promise<void> {
    this.phase = 'syncing';
    this.statusLine = `syncing catalog from ${hostOf(this.source.gammaUrl)}`;
    this.flushTimer = setInterval(() => this.flush(), 1000);
    const ok = await this.catalog.fullSync(this.config.maxMarkets || Infinity);
    if (this.stopped) return;
    if (!ok) {
      this.phase = 'error';
      this.statusLine = `catalog unavailable: ${this.catalog.progress.error}`;
      return;
    }
    const hot = this.hotSet([...this.catalog.markets.values()]);
    for (const m of hot) for (const t of m.tokenIds) this.books.track(t, m.conditionId);
    this.openShards(hot.flatMap((m) => m.tokenIds));
    this.phase = 'streaming';
    this.statusLine = `streaming ${this.books.books.size} tokens over ${this.shards.length} shards`;
  }

  /** The markets worth streaming: highest volume first, up to the token cap. */
  private hotSet(markets: CatalogMarket[]): CatalogMarket[] {
    const open = markets.filter((m) => !m.closed && m.tokenIds.length === 2).sort((a, b) => b.volume - a.volume);
    const out: CatalogMarket[] = [];
    let tokens = 0;
    for (const m of open) {
      if (tokens + 2 > this.config.hotCap) break;
      out.push(m);
      tokens += 2;
    }
    return out;
  }

  private openShards(tokens: string[]): void {
    const size = Math.max(1, this.config.shardSize);
    for (let i = 0; i < tokens.length; i += size) {
      const shard = new Shard(this.shards.length, this.source.wsUrl, {
        frame: (raw, s) => this.onFrame(raw, s),
        disconnected: (s, reason) => this.onDisconnect(s, reason),
        connected: (s) => this.onConnect(s),
      }, { pingMs: this.config.pingMs, silenceMs: this.config.silenceMs });
      shard.subscribe(tokens.slice(i, i + size));
      this.shards.push(shard);
      shard.start();
    }
  }

  private onFrame(raw: string, _shard: Shard): void {
    this.counters.frames++;
    const d = decodeFrame(raw);
    if (d.control === 'PONG') {
      this.counters.pongs++;
      return;
    }
    if (d.errors.length) {
      this.counters.rejected += d.errors.length;
      if (!d.events.length) this.counters.rejectedFrames++;
      this.lastRejection = d.errors[0]!.message;
    }
    const now = this.now();
    for (const ev of d.events) {
      this.counters.events++;
      this.books.apply(ev, now);
      if (ev.type === 'last_trade_price') this.tradesRepo.add(ev, now);
    }
  }

  private onDisconnect(shard: Shard, reason: string): void {
    const stale = this.books.markStale(shard.assets, `shard ${shard.id} ${reason}`);
    this.gapsByShard.set(shard.id, (this.gapsByShard.get(shard.id) ?? 0) + 1);
    if (!this.openIncident.has(shard.id)) {
      const inc: Incident = { shard: shard.id, kind: reason.startsWith('silent') ? 'stall' : 'disconnect', startMs: this.now(), assets: shard.assets.size, detail: `${reason}; ${stale} books stale` };
      this.openIncident.set(shard.id, inc);
      this.incidents.push(inc);
      if (this.incidents.length > 200) this.incidents.shift();
    }
  }

  private onConnect(shard: Shard): void {
    const inc = this.openIncident.get(shard.id);
    if (inc) {
      inc.endMs = this.now();
      this.openIncident.delete(shard.id);
      this.db
        .prepare('INSERT INTO feed_incidents (shard, kind, start_ms, end_ms, assets, detail) VALUES (?, ?, ?, ?, ?, ?)')
        .run(inc.shard, inc.kind, inc.startMs, inc.endMs, inc.assets, inc.detail);
    }
  }

  /** Per-cycle writes, batched in one transaction. */
  flush(): void {
    this.tradesRepo.flush();
    if (this.books.needsResync.size) void this.resyncer.run();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  stats(): EngineStats {
    const now = this.now();
    const staleByShard = new Map<number, number>();
    this.shards.forEach((s) => {
      let n = 0;
      for (const a of s.assets) if (this.books.get(a)?.state !== 'fresh') n++;
      staleByShard.set(s.id, n);
    });
    const p = this.catalog.progress;
    const retrying = this.phase === 'syncing' && this.rest.lastAttemptError ? ` — retrying: ${this.rest.lastAttemptError}` : '';
    return {
      source: this.source.kind,
      phase: this.phase,
      statusLine: this.statusLine + retrying,
      paused: this.paused,
      catalog: { markets: this.catalog.markets.size, pages: p.pages, rejected: p.rejected, phase: p.phase, ...(p.error ? { error: p.error } : {}) },
      shards: this.shards.map((s) => ({
        id: s.id,
        state: s.state,
        assets: s.assets.size,
        msgs: s.msgs,
        lastMsgAgeMs: s.lastMsgAt ? now - s.lastMsgAt : -1,
        reconnects: s.reconnects,
        stalls: s.stalls,
        gaps: this.gapsByShard.get(s.id) ?? 0,
        staleBooks: staleByShard.get(s.id) ?? 0,
        reason: s.lastReason,
      })),
      books: this.books.counts(),
      messages: { frames: this.counters.frames, received: this.counters.events, rejected: this.counters.rejected, rejectedFrames: this.counters.rejectedFrames, lastRejection: this.lastRejection },
      rest: { ...this.rest.counters, budgetLeft: this.rest.budgetShareLeft(), lastError: this.rest.lastError },
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.flushTimer) clearInterval(this.flushTimer);
    for (const s of this.shards) s.stop();
    this.flush();
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
