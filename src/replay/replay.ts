// `polyconsole replay FILE`: the same engine, plugins and settings run on a
// recording, on the recording's clock. Same file and settings → the same
// signals, arbitrage and fills. `--set key=value` runs a what-if; `diff`
// compares its outcomes with the baseline.
import { readFileSync } from 'node:fs';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { parseUntrustedJson } from '../protocol/limits.js';
import { sanitize } from '../text/sanitize.js';
import { App, type AppOptions } from '../app.js';
import { Engine, type EngineConfig } from '../engine.js';
import type { Shard } from '../feed/shard.js';
import { openDatabase } from '../persist/db.js';
import { recordLine, versionCheck, type RecordLine, type RestLine } from './format.js';
export { RECORDING_VERSION } from './format.js';
import { ReplayRest } from './replay-rest.js';
import { CompiledRecording, Rec } from './compiled.js';
import { ManualClock } from '../clock.js';
import type { PartSource } from './segments.js';

export interface Recording {
  lines: RecordLine[];
  rejected: number;
  /** The file was cut (a crash mid-write): complete lines were kept, the partial tail dropped. */
  truncated: boolean;
  /** Incomplete lines dropped at the cut. */
  dropped: number;
  startMs: number;
  endMs: number;
}

export function readRecording(path: string): Recording {
  let text: string;
  let truncated = false;
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (err) {
    throw new Error(`cannot read recording ${path}: ${(err as Error).message}`);
  }
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      text = gunzipSync(raw).toString('utf8');
    } catch {
      // Cut by a crash: inflate what is there (the recorder sync-flushes on an interval).
      try {
        text = gunzipSync(raw, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('utf8');
        truncated = true;
      } catch (err) {
        throw new Error(`cannot read recording ${path}: ${(err as Error).message}`);
      }
    }
  } else text = raw.toString('utf8');
  const parts = text.split('\n');
  let dropped = 0;
  // The text after the last newline is a line the crash cut short.
  const tail = parts.pop() ?? '';
  if (tail) {
    dropped++;
    truncated = true;
  }
  const lines: RecordLine[] = [];
  let rejected = 0;
  for (let i = 0; i < parts.length; i++) {
    const l = parts[i]!;
    if (!l) continue;
    let v: unknown;
    try {
      v = parseUntrustedJson(l);
    } catch {
      rejected++;
      continue;
    }
    if (i === 0) versionCheck(path, v);
    const r = recordLine.safeParse(v);
    if (r.success) lines.push(r.data);
    else rejected++;
  }
  if (!lines.length || lines[0]!.k !== 'h') throw new Error(`${path} is not a polyconsole recording (no header line)`);
  return { lines, rejected, truncated, dropped, startMs: lines[0]!.t, endMs: lines[lines.length - 1]!.t };
}

/** Keys `--set` accepts, with how to parse each. */
const SETTINGS: Record<string, (v: string) => number | boolean> = {
  'scan.batchSize': (v) => int(v, 50, 300),
  'scan.intervalMs': (v) => int(v, 10_000, 3_600_000),
  'arb.minEdge': (v) => num(v, 0, 1),
  'arb.minSize': (v) => num(v, 0, 1e9),
  'arb.slippage': (v) => int(v, 0, 10_000),
  'arb.maxQuoteAgeMs': (v) => int(v, 0, 3_600_000),
  'engine.hotCap': (v) => int(v, 2, 200_000),
  'engine.cycleMs': (v) => int(v, 50, 60_000),
  'paper.enabled': (v) => bool(v),
  'paper.kellyFraction': (v) => num(v, 0, 1),
  'paper.stopLossPct': (v) => num(v, 0, 1),
  'paper.takeProfitPct': (v) => num(v, 0, 100),
  'paper.initialCash': (v) => num(v, 1, 1e9),
};

function bool(v: string): boolean {
  if (v === 'true' || v === '1' || v === 'on') return true;
  if (v === 'false' || v === '0' || v === 'off') return false;
  throw new Error('expected true or false');
}

export const SETTING_KEYS = Object.keys(SETTINGS);

function int(v: string, lo: number, hi: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < lo || n > hi) throw new Error(`expected an integer from ${lo} to ${hi}`);
  return n;
}

function num(v: string, lo: number, hi: number): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < lo || n > hi) throw new Error(`expected a number from ${lo} to ${hi}`);
  return n;
}

/** Parses `key=value` pairs; throws a one-line error naming the bad key. */
export function parseSettings(pairs: string[]): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    const key = i > 0 ? p.slice(0, i) : p;
    const parse = SETTINGS[key];
    if (!parse) throw new Error(`unknown setting "${key}" (known: ${SETTING_KEYS.join(', ')})`);
    try {
      out[key] = parse(p.slice(i + 1));
    } catch (err) {
      throw new Error(`--set ${key}: ${(err as Error).message}`);
    }
  }
  return out;
}

export interface ReplayOptions {
  /** 'max', or how many times faster than recorded. */
  speed: 'max' | number;
  set: Record<string, number | boolean>;
  /** Every JSON line the run emits (signals, arbitrage, fills). */
  emit?: (line: string) => void;
  /** Called as part k of n starts (a segmented recording has several; progress, memory samples). */
  onPart?: (k: number, n: number) => void;
}

export interface ReplayOutcome {
  frames: number;
  events: number;
  wallMs: number;
  /** The frame loop alone (decode → books → signals → scan → arbitrage → paper), without start-up. */
  loopMs: number;
  /** Emitted lines (signal / arb / fill) in order. */
  lines: string[];
  signals: number;
  arbs: number;
  fills: number;
  clusters: number;
  restMisses: number;
  /** Paper trading: equity change from the start, fees, and the largest fall of equity from a peak (dollars), sampled each engine cycle. */
  pnl: number;
  fees: number;
  maxDrawdown: number;
  summary: Record<string, unknown>;
}

function restOf(part: Recording | CompiledRecording): RestLine[] {
  return part instanceof CompiledRecording ? part.rest : part.lines.filter((l): l is RestLine => l.k === 'r');
}

function headerOf(part: Recording | CompiledRecording): Extract<RecordLine, { k: 'h' }> {
  return part instanceof CompiledRecording ? part.header : (part.lines[0] as Extract<RecordLine, { k: 'h' }>);
}

/**
 * How far past the replay clock a request may look for its recorded answer in
 * segments not reached yet: an answer is recorded when it arrives, after the
 * request, so a cut between the two puts it in the next segment. The REST
 * client gives up well within this (timeouts and retries).
 */
export const REST_AHEAD_MS = 120_000;

/**
 * Replays a raw recording, or its compiled form (the same events, decoded
 * once), or a recording in segments: parts are loaded one after another as
 * the replay reaches them, and each is dropped once replayed. A request with
 * no answer in the parts loaded so far loads the next ones that start within
 * REST_AHEAD_MS of the clock, so a single file and its segments serve the same
 * answers.
 */
export async function replay(input: Recording | CompiledRecording | PartSource, opts: ReplayOptions): Promise<ReplayOutcome> {
  const parts: PartSource = 'load' in input ? input : { count: 1, startMs: input.startMs, endMs: input.endMs, startOf: () => input.startMs, load: () => input };
  let part: Recording | CompiledRecording = parts.load(0);
  let loaded = 1;
  /** Parts loaded ahead of the replay (for their REST answers), in order. */
  const ahead: (Recording | CompiledRecording)[] = [];
  // A compiled recording keeps its parsed REST bodies and decoded catalog markets for its next replay; a raw one is parsed each time.
  const rest = part instanceof CompiledRecording ? new ReplayRest(restOf(part), part.parsedRest, part.decodedMarkets) : new ReplayRest(restOf(part));
  const header = headerOf(part);
  const startMs = parts.startMs;
  const endMs = parts.endMs;
  const clock = new ManualClock(startMs);
  if (parts.count > 1) {
    rest.onMiss = () => {
      if (loaded >= parts.count || parts.startOf(loaded) > clock.wall() + REST_AHEAD_MS) return false;
      const p = parts.load(loaded++);
      ahead.push(p);
      rest.add(restOf(p));
      return true;
    };
  }
  const { db } = openDatabase(':memory:');
  const set = opts.set;
  // A replay decides again; it does not re-persist raw trades or checkpoint.
  const config: Partial<EngineConfig> = { persistTrades: false, checkpointEvery: Infinity };
  if (set['engine.hotCap'] !== undefined) config.hotCap = set['engine.hotCap'] as number;
  if (set['engine.cycleMs'] !== undefined) config.cycleMs = set['engine.cycleMs'] as number;
  const engine = new Engine({ kind: 'REPLAY', gammaUrl: `http://replay${new URL(header.gamma).pathname.replace(/\/$/, '')}`, clobUrl: `http://replay${new URL(header.clob).pathname.replace(/\/$/, '')}`, wsUrl: 'ws://replay' }, db, config, clock.wall, () => {}, rest);
  const lines: string[] = [];
  const appOpts: AppOptions = {
    collector: false,
    screen: false,
    emit: (line) => {
      lines.push(line);
      opts.emit?.(line);
    },
  };
  if (set['scan.batchSize'] !== undefined) appOpts.batchSize = set['scan.batchSize'] as number;
  if (set['scan.intervalMs'] !== undefined) appOpts.intervalMs = set['scan.intervalMs'] as number;
  const arb: NonNullable<AppOptions['arb']> = {};
  for (const k of ['minEdge', 'minSize', 'slippage', 'maxQuoteAgeMs'] as const) if (set[`arb.${k}`] !== undefined) arb[k] = set[`arb.${k}`] as number;
  appOpts.arb = arb;
  const paper: Record<string, number | boolean> = {};
  for (const k of ['enabled', 'kellyFraction', 'stopLossPct', 'takeProfitPct', 'initialCash']) if (set[`paper.${k}`] !== undefined) paper[k] = set[`paper.${k}`]!;
  if (Object.keys(paper).length) appOpts.paper = paper;
  const app = new App(engine, appOpts);
  const t0 = performance.now();
  if (!(await engine.startReplay())) throw new Error(engine.statusLine);
  const shards = new Map<number, Shard>();
  const shardOf = (id: number): Shard => {
    let s = shards.get(id);
    if (!s) shards.set(id, (s = { id, assets: new Set<string>() } as unknown as Shard));
    return s;
  };
  const cycleMs = engine.config.cycleMs;
  const refreshMs = engine.config.refreshMs;
  let nextCycle = startMs + cycleMs;
  let nextRefresh = startMs + refreshMs;
  const trader = app.paper.trader;
  const equity0 = trader.equityMicros();
  let peak = equity0;
  let maxDd = 0;
  const cycle = async () => {
    await engine.cycle();
    const e = trader.equityMicros();
    if (e > peak) peak = e;
    else if (peak - e > maxDd) maxDd = peak - e;
  };
  // Runs the engine's cycles due up to time t (recorded clock), then sets the clock to t.
  const advance = async (t: number) => {
    while (nextCycle <= t) {
      clock.setWall(nextCycle);
      if (nextRefresh <= nextCycle) {
        nextRefresh += refreshMs;
        await engine.refresh();
      }
      await cycle();
      nextCycle += cycleMs;
    }
    clock.setWall(t);
    if (opts.speed !== 'max') {
      const due = (t - startMs) / opts.speed - (performance.now() - t0);
      if (due > 1) await new Promise((r) => setTimeout(r, due));
    }
  };
  const subscribe = (shard: number, assets: string[]) => {
    const s = shardOf(shard);
    s.assets.clear();
    for (const a of assets) s.assets.add(a);
  };
  const sink: FeedSink = { engine, clock, shardOf, subscribe, frames: 0 };
  // Records before the next due cycle are fed synchronously; the loop awaits only when a cycle is due
  // (every record when paced), for raw and compiled parts alike: the same microtask order, the same outcome.
  const due = () => (opts.speed === 'max' ? nextCycle : -Infinity);
  const loopStart = performance.now();
  for (let k = 0; ; ) {
    opts.onPart?.(k, parts.count);
    const feed: Feed = part instanceof CompiledRecording ? new CompiledFeed(part, sink) : new LinesFeed(part.lines, sink);
    for (let i = feed.run(0, due()); i < feed.n; i = feed.run(i + 1, due())) {
      await advance(feed.timeOf(i));
      feed.one(i);
    }
    if (++k >= parts.count) break;
    // Synchronously, so nothing else runs at the cut that would not run inside one file.
    const p = ahead.shift();
    if (p) part = p;
    else {
      part = parts.load(loaded++);
      rest.add(restOf(part));
    }
  }
  const frames = sink.frames;
  clock.setWall(endMs + cycleMs);
  await cycle();
  const loopMs = performance.now() - loopStart;
  const wallMs = performance.now() - t0;
  const { summarize } = await import('../headless.js');
  const summary = summarize(app, undefined) as unknown as Record<string, unknown>;
  const pnl = (trader.equityMicros() - equity0) / 1e6;
  const fees = trader.broker.feesMicros / 1e6;
  await engine.stop();
  db.close();
  return {
    frames,
    events: engine.ingest.counters.events,
    wallMs,
    loopMs,
    lines,
    signals: app.queue.size,
    arbs: app.arb.reported,
    fills: lines.filter((l) => l.startsWith('{"type":"fill"')).length,
    clusters: app.scan.clusterIndex.size,
    restMisses: rest.misses,
    pnl,
    fees,
    maxDrawdown: maxDd / 1e6,
    summary,
  };
}

/** What the frame loop feeds records into. */
interface FeedSink {
  readonly engine: Engine;
  readonly clock: ManualClock;
  readonly shardOf: (id: number) => Shard;
  readonly subscribe: (shard: number, assets: string[]) => void;
  frames: number;
}

/**
 * The synchronous part of the frame loop, over one part's records. Module-level
 * classes, so the code V8 optimises for them serves every later replay in the
 * process (a sweep worker's next setting) instead of being compiled again for
 * each replay's own loop.
 */
interface Feed {
  readonly n: number;
  timeOf(i: number): number;
  /** Applies record i at its time (the clock already set). */
  one(i: number): void;
  /** Feeds records from i while they come before `due`, each at its time; returns the first one not fed (n at the end). */
  run(i: number, due: number): number;
}

class CompiledFeed implements Feed {
  readonly n: number;
  private evStart = 0;

  constructor(
    private readonly rec: CompiledRecording,
    private readonly sink: FeedSink,
  ) {
    this.n = rec.rk.length;
  }

  timeOf(i: number): number {
    return this.rec.rt[i]!;
  }

  one(i: number): void {
    const rec = this.rec;
    const sink = this.sink;
    const kind = rec.rk[i]!;
    if (kind === Rec.Assets) sink.subscribe(rec.rs[i]!, rec.assets(i));
    else if (kind === Rec.Raw) {
      sink.frames++;
      sink.engine.ingest.process(rec.raw(i), sink.shardOf(rec.rs[i]!));
    } else {
      sink.frames++;
      const end = rec.rx[i]!;
      const books = sink.engine.books;
      books.stringsOwned = true;
      try {
        sink.engine.ingest.applyDecoded(rec.eventsOf(this.evStart, end), sink.shardOf(rec.rs[i]!));
      } finally {
        books.stringsOwned = false;
      }
      this.evStart = end;
    }
  }

  run(i: number, due: number): number {
    const rt = this.rec.rt;
    const clock = this.sink.clock;
    for (; i < this.n; i++) {
      const t = rt[i]!;
      if (t >= due) return i;
      clock.setWall(t);
      this.one(i);
    }
    return i;
  }
}

class LinesFeed implements Feed {
  readonly n: number;

  constructor(
    private readonly lines: readonly RecordLine[],
    private readonly sink: FeedSink,
  ) {
    this.n = lines.length;
  }

  timeOf(i: number): number {
    return this.lines[i]!.t;
  }

  one(i: number): void {
    const l = this.lines[i]!;
    if (l.k === 'a') this.sink.subscribe(l.s, l.a);
    else if (l.k === 'f') {
      this.sink.frames++;
      this.sink.engine.ingest.process(l.d, this.sink.shardOf(l.s));
    }
  }

  run(i: number, due: number): number {
    const lines = this.lines;
    const clock = this.sink.clock;
    for (; i < this.n; i++) {
      const l = lines[i]!;
      // The header and REST answers are not frames: they neither move the clock nor wait for a cycle.
      if (l.k === 'h' || l.k === 'r') continue;
      if (l.t >= due) return i;
      clock.setWall(l.t);
      this.one(i);
    }
    return i;
  }
}

export interface OutcomeDiff {
  onlyBaseline: string[];
  onlyWhatIf: string[];
  common: number;
  baseline: { signals: number; arbs: number; lines: number };
  whatIf: { signals: number; arbs: number; lines: number };
}

/** Compares two runs by the identity of what they emitted (kind, label, markets, side). */
export function diffOutcomes(a: ReplayOutcome, b: ReplayOutcome): OutcomeDiff {
  const key = (line: string) => {
    const v = JSON.parse(line) as { type: string; kind?: string; label?: string; relation?: string; marketIds?: string[]; side?: string; marketId?: string; tokenId?: string; outcome?: string; question?: string; price?: number; size?: number };
    // A fill says what it traded: side, size, outcome label (the token when the
    // desk had no label), price, then the market by id and question.
    if (v.type === 'fill') {
      const text = (x: unknown, n: number) => (typeof x === 'string' ? sanitize(x, n) : '');
      const outcome = text(v.outcome, 60) || (typeof v.tokenId === 'string' ? `token …${text(v.tokenId, 128).slice(-6)}` : 'outcome ?');
      const px = typeof v.price === 'number' ? ` @ ${v.price.toFixed(4)}` : '';
      const size = typeof v.size === 'number' ? ` ${v.size.toFixed(2)}` : '';
      const q = text(v.question, 80);
      return `fill ${text(v.side, 8)}${size} ${outcome}${px} · market ${text(v.marketId, 128) || '?'}${q ? ` ${q}` : ''}`;
    }
    return `${v.type} ${v.label ?? v.relation ?? v.kind ?? ''} ${(v.marketIds ?? []).join(',')} ${v.side ?? ''}`.trim();
  };
  const ka = new Set(a.lines.map(key));
  const kb = new Set(b.lines.map(key));
  return {
    onlyBaseline: [...ka].filter((k) => !kb.has(k)),
    onlyWhatIf: [...kb].filter((k) => !ka.has(k)),
    common: [...ka].filter((k) => kb.has(k)).length,
    baseline: { signals: a.signals, arbs: a.arbs, lines: a.lines.length },
    whatIf: { signals: b.signals, arbs: b.arbs, lines: b.lines.length },
  };
}
