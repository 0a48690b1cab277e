// The embedded Polymarket simulator (DESIGN §5): a deterministic world served on
// 127.0.0.1 with the venue's REST and WebSocket protocols, pacing and faults.
// Gamma, the CLOB and the market WebSocket each have their own origin, as on
// the venue, so a client that mixes them up fails here as it would there.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Exchange } from './exchange.js';
import { MarketWsServer } from './ws-server.js';
import type { Reply, Routes } from './rest-routes.js';
import { GammaRoutes } from './gamma-routes.js';
import { ClobRoutes } from './clob-routes.js';
import { TradingDesk, type DeskFaults, type DeskOptions, type Refusal } from './trading.js';
import { UserWsServer } from './user-ws.js';
import { World, loadTemplates } from './world.js';
import { Rng } from './rng.js';
import { emptyFaultCounts, type FaultCounts, type Faults } from './faults.js';
import type { HashMode } from './wire-out.js';
import { RATE_LIMITS, SlidingWindow } from '../protocol/rate-limits.js';
import { CryptoPaths } from './crypto-paths.js';
import { RefDataServer } from './refdata-server.js';
import { systemWall, type WallNow } from '../clock.js';
import { generateBackfillBehind } from './backfill-behind.js';
import type { BackfillOptions } from './history.js';

/**
 * Per-10 s limits of the buckets the client does not pace itself (docs
 * rate-limits page); the shared table covers the rest.
 */
const SIM_ONLY_LIMITS: Record<string, number> = {
  gamma: 4000,
  'gamma /tags': 200,
  'gamma /public-search': 350,
  clob: 9000,
  'clob /price': 1500,
  'clob /prices': 500,
  'clob /midpoint': 1500,
  'clob /midpoints': 500,
  'clob /tick-size': 200,
};

export interface SimOptions {
  seed: string | number;
  markets: number;
  /** Sim seconds per wall second. */
  speed: number;
  /** Target market actions per wall second (each is ~1–3 wire events). */
  rate: number;
  /** Gamma listens here, the CLOB on port+1 and the WebSocket on port+2 (0: any free ports). */
  port?: number;
  host?: string;
  /**
   * 'wall' (the default for the commands): the world starts at the current
   * wall time, so timestamps look live; 'epoch': at `epochMs` or the
   * templates' epoch (deterministic catalogs for tests and backtests).
   */
  clock?: 'wall' | 'epoch';
  /** The simulator host's own clock (pacing, rate limits, settlement delays, a 'wall' epoch); the world's clock is the venue time it serves. */
  wall?: WallNow;
  faults?: Faults;
  /** false: the core world only, without the real-shaped catalog on top (default true). */
  catalog?: boolean;
  /** Over-limit REST requests are delayed (the venue's behaviour) or answered 429. */
  rateLimit?: 'delay' | '429';
  /** Assets per WebSocket connection past which the venue serves nothing. */
  wsCap?: number;
  /** Token ids per POST /books before "Payload exceeds the limit". */
  maxBooks?: number;
  hashMode?: HashMode;
  epochMs?: number;
  /** Wall milliseconds per simulation step (one WS frame per connection per step). */
  stepMs?: number;
  /**
   * 'first-subscribe' holds the clock until a client subscribes (determinism
   * tests); 'manual' never runs it: callers drive `stepOnce()` (benches, replay).
   */
  clockStart?: 'immediate' | 'first-subscribe' | 'manual';
  /** Keep a log of every level change (exchange.levelLog), for tests that audit fills. */
  levelLog?: boolean;
  /**
   * Hidden crypto price paths: Bitcoin up/down windows settle on the BTC path
   * and a reference-data server (Binance/Deribit/Coinalyze shapes) quotes the
   * same paths. Off by default: linked windows stop drawing from the world's
   * random stream, so every seeded run after the first window would differ
   * from the unlinked world the seeded tests and backtests pin.
   */
  crypto?: boolean;
  /**
   * Serve a backfill of resolved markets (Gamma closed listings, CLOB price
   * history), generated off the serving thread from construction on; requests
   * for closed markets or price history wait until it is ready. Off by default.
   */
  backfill?: boolean | BackfillOptions;
  /** The trading desk (authenticated order endpoints): starting balance, exchange version, heartbeat and settlement timing, ghost fills. */
  desk?: DeskOptions;
}

export interface SimUrls {
  /** Gamma's port (the CLOB's and the WebSocket's are in their URLs). */
  port: number;
  gamma: string;
  clob: string;
  ws: string;
  /** Reference-data server (crypto price paths), when the simulator runs with `crypto`. */
  refdata?: string;
}

export class Simulator {
  readonly world: World;
  readonly exchange: Exchange;
  readonly ws: MarketWsServer;
  readonly counts: FaultCounts = emptyFaultCounts();
  readonly opts: Required<Omit<SimOptions, 'epochMs' | 'port' | 'desk' | 'backfill'>> & { port: number; backfill?: boolean | BackfillOptions };
  readonly gamma: GammaRoutes;
  readonly clob: ClobRoutes;
  readonly cryptoPaths: CryptoPaths | undefined;
  refdata: RefDataServer | undefined;
  readonly desk: TradingDesk;
  readonly userWs: UserWsServer;
  private readonly rng: Rng;
  private readonly faultRng: Rng;
  private readonly windows = new Map<string, SlidingWindow>();
  private servers: Server[] = [];
  private timer: NodeJS.Timeout | undefined;
  private faultTimers: NodeJS.Timeout[] = [];
  private lastStepAt = 0;
  private running = false;
  private steps = 0;
  urls: SimUrls | undefined;
  /** Settles once the backfill asked for is attached (or failed: then nothing is served for it). */
  private backfillReady: Promise<void> | undefined;
  private readonly stopping = new AbortController();

  constructor(options: SimOptions) {
    this.opts = {
      host: '127.0.0.1',
      port: 0,
      faults: {},
      rateLimit: 'delay',
      wsCap: 500,
      maxBooks: 500,
      hashMode: 'sha1',
      stepMs: 50,
      clockStart: 'immediate',
      levelLog: false,
      clock: 'epoch',
      crypto: false,
      wall: systemWall,
      ...options,
    } as Simulator['opts'];
    const epochMs = options.epochMs ?? (this.opts.clock === 'wall' ? Math.floor(this.opts.wall() / 1000) * 1000 : undefined);
    // The paths start a day before the world so the reference data has a day of 1-minute history at the epoch.
    const templates = loadTemplates();
    const worldEpochMs = epochMs ?? Date.parse(templates.epoch);
    // The backfill needs only the seed, the epoch and the templates: its generation (off this thread
    // when compiled) starts before the world is built, and requests that need it wait for it.
    if (this.opts.backfill) {
      const generated = generateBackfillBehind({ seed: String(options.seed), epochMs: worldEpochMs, templates }, this.opts.backfill === true ? {} : this.opts.backfill, this.stopping.signal);
      this.backfillReady = generated.then(
        (bf) => void (this.world.backfill = bf),
        () => undefined,
      );
    }
    this.cryptoPaths = this.opts.crypto ? new CryptoPaths(options.seed, worldEpochMs - 86_400_000) : undefined;
    this.world = new World({ seed: options.seed, markets: options.markets, templates, ...(options.catalog === false ? { catalog: false } : {}), epochMs: worldEpochMs, ...(this.cryptoPaths ? { cryptoPaths: this.cryptoPaths } : {}) });
    this.exchange = new Exchange(this.world, options.seed, this.opts.hashMode, this.opts.levelLog);
    this.rng = new Rng(`flow:${options.seed}`);
    this.faultRng = new Rng(`faults:${options.seed}`);
    this.ws = new MarketWsServer(this.exchange, {
      cap: this.opts.wsCap,
      faults: this.opts.faults,
      counts: this.counts,
      rng: this.faultRng,
      now: this.opts.wall,
    });
    this.exchange.wantsBook = (asset) => this.ws.watched(asset);
    this.gamma = new GammaRoutes(this.world, this.exchange);
    this.desk = new TradingDesk(this.world, this.exchange, { seed: options.seed, wall: this.opts.wall, ...options.desk, ...deskFaultOptions(this.opts.faults, options.desk) });
    this.userWs = new UserWsServer(this.desk);
    this.clob = new ClobRoutes(this.world, this.exchange, this.gamma.wire, { maxBooks: this.opts.maxBooks, version: () => this.desk.version });
    for (const [bucket, limit] of Object.entries({ ...RATE_LIMITS, ...SIM_ONLY_LIMITS })) this.windows.set(bucket, new SlidingWindow(limit));
    if (this.opts.clockStart === 'first-subscribe') {
      this.ws.wss.on('connection', (sock) => sock.once('message', () => setImmediate(() => this.startClock())));
    }
  }

  async start(): Promise<SimUrls> {
    const base = this.opts.port;
    const at = (offset: number) => (base === 0 ? 0 : base + offset);
    const gamma = createServer((req, res) => void this.onRequest(this.gamma, req, res));
    const clob = createServer((req, res) => void this.onRequest(this.clob, req, res));
    const ws = createServer((_req, res) => this.send(res, { status: 404, body: { error: 'not found' } }));
    for (const s of [gamma, clob]) s.on('upgrade', (_req, socket) => socket.destroy());
    ws.on('upgrade', (req, socket, head) => {
      const path = (req.url ?? '').split('?')[0];
      if (path === '/ws/market') this.ws.handleUpgrade(req, socket, head);
      else if (path === '/ws/user') this.userWs.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
    try {
      for (const [server, offset] of [[gamma, 0], [clob, 1], [ws, 2]] as const) {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(at(offset), this.opts.host, () => resolve());
        });
        this.servers.push(server);
      }
    } catch (err) {
      await this.closeServers();
      throw err;
    }
    const url = (s: Server, scheme: string) => `${scheme}://${this.opts.host}:${(s.address() as AddressInfo).port}`;
    this.urls = { port: (gamma.address() as AddressInfo).port, gamma: url(gamma, 'http'), clob: url(clob, 'http'), ws: `${url(ws, 'ws')}/ws/market` };
    if (this.cryptoPaths) {
      // On the port after the WebSocket's when a base port is given; quotes the paths at venue time.
      this.refdata = new RefDataServer({ paths: this.cryptoPaths, now: () => this.exchange.now, wall: this.opts.wall, host: this.opts.host, port: at(3) });
      try {
        this.urls.refdata = await this.refdata.start();
      } catch (err) {
        await this.closeServers();
        this.refdata = undefined;
        throw err;
      }
    }
    if (this.opts.clockStart === 'immediate') this.startClock();
    this.startFaults();
    this.desk.start();
    return this.urls;
  }

  private startClock(): void {
    if (this.running) return;
    this.running = true;
    this.lastStepAt = this.opts.wall();
    const stepMs = this.opts.stepMs;
    this.timer = setInterval(() => {
      const now = this.opts.wall();
      // Catch up on missed steps, but never spiral: at most 20 per tick.
      let owed = Math.min(20, Math.floor((now - this.lastStepAt) / stepMs));
      this.lastStepAt += owed * stepMs;
      if (now - this.lastStepAt > 20 * stepMs) this.lastStepAt = now;
      while (owed-- > 0) this.stepOnce();
    }, stepMs);
  }

  /** Stops the world clock; servers keep answering (books frozen). */
  pauseClock(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.running = false;
  }

  resumeClock(): void {
    this.startClock();
  }

  /** Stops injecting faults from now on (counts are kept). */
  stopFaults(): void {
    for (const t of this.faultTimers) clearInterval(t);
    this.faultTimers = [];
    this.opts.faults.garbage = 0;
    this.opts.faults.reorder = 0;
    this.opts.faults.slowrest = 0;
  }

  /** One simulation step: advance the world and flush one frame per connection. */
  stepOnce(): void {
    const stepMs = this.opts.stepMs;
    const actions = this.rng.poisson((this.opts.rate * stepMs) / 1000);
    this.exchange.step(stepMs * this.opts.speed, actions);
    this.ws.flush(this.exchange.out);
    this.exchange.out.length = 0;
    this.steps++;
  }

  private startFaults(): void {
    const f = this.opts.faults;
    if (f.drop) this.faultTimers.push(setInterval(() => this.ws.dropRandom(), f.drop * 1000));
    if (f.stall) this.faultTimers.push(setInterval(() => this.ws.stallRandom(), f.stall * 1000));
    if (f.userdrop) this.faultTimers.push(setInterval(() => (this.counts.userDrops += this.userWs.dropAll()), f.userdrop * 1000));
    if (f.versionflip) {
      this.faultTimers.push(
        setInterval(() => {
          this.desk.version = this.desk.version === 2 ? 3 : 2;
          this.counts.versionFlips++;
        }, f.versionflip * 1000),
      );
    }
  }

  private async onRequest(routes: Routes, req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://sim');
      const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : '/';
      const method = req.method ?? 'GET';
      let reply: Reply;
      if (path === '/sim/stats') reply = { status: 200, body: this.stats() };
      else if (path === '/sim/truth') reply = { status: 200, body: this.world.exportTruth() };
      else if (routes === this.clob && path === '/sim/fund' && method === 'POST') reply = this.fund(await readJson(req));
      else if (routes === this.clob && path === '/sim/deposit-wallet' && method === 'POST') {
        const b = (await readJson(req)) as { owner?: unknown } | undefined;
        reply = typeof b?.owner === 'string' && /^0x[0-9a-fA-F]{40}$/.test(b.owner) ? { status: 200, body: { wallet: this.desk.depositWallet(b.owner) } } : { status: 400, body: { error: 'expected {"owner": "0x…"}' } };
      }
      else if (routes === this.clob && this.desk.owns(path)) {
        const raw = await readRaw(req);
        reply = raw === undefined ? { status: 400, body: { error: 'Invalid payload' } } : await this.desk.handle(method, path, url.searchParams, raw, req.headers);
        const how = this.desk.delivery(method, path, reply);
        if (how === 'drop') return void res.destroy();
        if (how !== 'send') await sleep(how.delayMs);
      }
      else {
        if (this.backfillReady && needsBackfill(path, url.searchParams)) await this.backfillReady;
        const bucket = routes.bucket(method, path);
        const w = bucket ? this.windows.get(bucket) : undefined;
        if (w) {
          const wait = w.waitMs(this.opts.wall());
          if (wait > 0 && this.opts.rateLimit === '429') {
            this.counts.rateLimited++;
            return this.send(res, { status: 429, body: { error: 'Too Many Requests' }, headers: { 'Retry-After': String(Math.max(1, Math.ceil(wait / 1000))) } });
          }
          if (wait > 0) await sleep(wait);
          w.record(this.opts.wall());
        }
        const body = method === 'POST' ? await readJson(req) : undefined;
        reply = body === INVALID ? { status: 400, body: { error: 'Invalid payload' } } : routes.handle(method, path, url.searchParams, body);
      }
      if (this.opts.faults.slowrest) {
        this.counts.slowRest++;
        await sleep(this.opts.faults.slowrest);
      }
      this.send(res, reply);
    } catch (err) {
      this.send(res, { status: 500, body: { error: (err as Error).message } });
    }
  }

  /** The sim's faucet: POST /sim/fund {"address": "0x…", "usdc": 100} credits an account. */
  private fund(body: unknown): Reply {
    const b = body as { address?: unknown; usdc?: unknown } | undefined;
    if (typeof b?.address !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(b.address) || typeof b.usdc !== 'number' || !(b.usdc > 0)) return { status: 400, body: { error: 'expected {"address": "0x…", "usdc": positive number}' } };
    const acc = this.desk.fund(b.address, b.usdc);
    return { status: 200, body: { address: acc.address, balance: String(acc.balance) } };
  }

  private send(res: ServerResponse, reply: Reply): void {
    if (res.destroyed) return;
    // Cloudflare-style refusals are HTML pages, not JSON.
    const text = typeof reply.body === 'string' && reply.headers?.['content-type'] === 'text/html' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...reply.headers });
    res.end(text);
  }

  /** What the simulator has done and injected (`/sim/stats`, headless summary `sim`). */
  stats(): Record<string, unknown> {
    const open = this.world.markets.reduce((n, m) => n + (m.closed ? 0 : 1), 0);
    return {
      seed: this.world.seed,
      markets: this.world.markets.length,
      open,
      simTime: new Date(this.exchange.now).toISOString(),
      speed: this.opts.speed,
      steps: this.steps,
      exchange: { ...this.exchange.stats },
      ws: this.ws.stats(),
      injected: { ...this.counts },
    };
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.timer) clearInterval(this.timer);
    for (const t of this.faultTimers) clearInterval(t);
    this.faultTimers = [];
    this.running = false;
    this.desk.stop();
    this.userWs.close();
    this.ws.close();
    const ref = this.refdata;
    this.refdata = undefined;
    await Promise.all([this.closeServers(), ref?.stop()]);
  }

  private async closeServers(): Promise<void> {
    const servers = this.servers;
    this.servers = [];
    await Promise.all(
      servers.map((server) => {
        server.closeAllConnections();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      }),
    );
  }
}

const INVALID = Symbol('invalid');

/**
 * The trading desk's options from the fault flags (lost and late acks, ghost
 * fills, refusals on the order endpoints); what the caller set in `desk` stays
 * unless a flag overrides it.
 */
export function deskFaultOptions(f: Faults, desk: DeskOptions | undefined): Pick<DeskOptions, 'faults' | 'ghostRate'> {
  const faults: DeskFaults = { ...desk?.faults };
  if (f.lostack !== undefined) faults.lostAckRate = f.lostack;
  if (f.lateack !== undefined) faults.lateAckMs = f.lateack;
  const refuse: Refusal[] = [];
  for (const status of [429, 403, 425, 503] as const) {
    const rate = f[`http${status}`];
    if (rate) refuse.push({ status, rate });
  }
  if (refuse.length) faults.refuse = refuse;
  return { faults, ...(f.ghost !== undefined ? { ghostRate: f.ghost } : desk?.ghostRate !== undefined ? { ghostRate: desk.ghostRate } : {}) };
}

/** The exact body bytes as text (the desk's HMAC covers them); undefined past 4 MB. */
async function readRaw(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 4 * 1024 * 1024) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 4 * 1024 * 1024) return INVALID;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return INVALID;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Requests whose answer includes the backfill: closed listings, lookups by id, and price history. */
function needsBackfill(path: string, q: URLSearchParams): boolean {
  return q.get('closed') === 'true' || path.includes('prices-history') || /^\/(markets|events)\/(?!keyset$)./.test(path);
}
