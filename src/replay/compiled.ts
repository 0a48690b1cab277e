// A compiled recording: the frames of a raw recording decoded once and kept in
// columns (typed arrays plus one string table), so every what-if replays the
// decoded events instead of parsing the same JSON again. The raw file stays the
// source of truth: the compiled file carries the SHA-256 of the raw file's bytes
// and is rebuilt whenever they differ. Frames that did not decode cleanly
// (control text, rejected elements) are kept raw and go through the normal
// decoder on replay, so counters and lost-frame handling stay identical.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { createGunzip, gunzipSync, gzipSync } from 'node:zlib';
import { decodeFrame } from '../protocol/market-channel.js';
import type { BookEvent, Level, LevelColumns, MarketEvent, PriceChange, Side } from '../protocol/events.js';
import { parseUntrustedJson } from '../protocol/limits.js';
import { internKey, ownString } from '../protocol/own-string.js';
import { recordLine, versionCheck, type RecordLine, type RestLine } from './format.js';
import type { Recording } from './replay.js';
import type { Decoded } from '../protocol/errors.js';
import type { CatalogMarket } from '../protocol/gamma.js';

const MAGIC = 'PCREPLAY';
const VERSION = 2;
const NONE = 0xffffffff;

/** Record kinds in the `rk` column. */
export const enum Rec {
  Decoded = 1,
  Raw = 2,
  Assets = 3,
}

const enum Ev {
  Book = 0,
  Change = 1,
  Trade = 2,
  Tick = 3,
  BestBidAsk = 4,
  Other = 5,
}

type Header = Extract<RecordLine, { k: 'h' }>;

/** Everything that is not a column: small, kept as JSON. */
interface Meta {
  header: Header;
  rest: RestLine[];
  raw: string[];
  assets: string[][];
  other: MarketEvent[];
  rejected: number;
  /** The raw file was cut (a crash mid-write): its complete lines were kept. Absent in older compiled files. */
  truncated?: boolean;
  /** Incomplete lines dropped at the cut. */
  dropped?: number;
  startMs: number;
  endMs: number;
}

export interface ColumnInfo {
  name: string;
  type: 'u8' | 'u16' | 'u32' | 'f64';
  length: number;
  offset: number;
}

interface FileHeader {
  v: number;
  sourceSha256: string;
  sourceBytes: number;
  records: number;
  events: number;
  columns: ColumnInfo[];
  metaOffset: number;
  metaBytes: number;
}

const CTORS = { u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, f64: Float64Array } as const;
type Col = Uint8Array | Uint16Array | Uint32Array | Float64Array;

/** The decoded recording in memory: columns, string table and the JSON side. */
export class CompiledRecording {
  readonly startMs: number;
  readonly endMs: number;
  readonly header: Header;
  readonly rest: RestLine[];
  readonly rejected: number;
  readonly truncated: boolean;
  readonly dropped: number;
  /** Records in receive order: kind, time, shard, and per kind an index. */
  readonly rk: Uint8Array;
  readonly rt: Float64Array;
  readonly rs: Uint16Array;
  /** Decoded: end of its events (exclusive; the start is the previous decoded record's end). Raw / Assets: index into meta.raw / meta.assets. */
  readonly rx: Uint32Array;
  /** REST bodies parsed by earlier replays of this recording (see ReplayRest). */
  readonly parsedRest = new WeakMap<RestLine, unknown>();
  /** Catalog markets decoded from those bodies by earlier replays, frozen (see RestLike.decodedMarkets). */
  readonly decodedMarkets = new WeakMap<object, Decoded<CatalogMarket>>();
  private readonly m: Meta;
  private readonly c: Record<string, Col>;
  private readonly strings: string[];

  constructor(meta: Meta, cols: Record<string, Col>, strings: string[]) {
    this.m = meta;
    this.c = cols;
    this.strings = strings;
    this.header = meta.header;
    this.rest = meta.rest;
    this.rejected = meta.rejected;
    this.truncated = meta.truncated ?? false;
    this.dropped = meta.dropped ?? 0;
    this.startMs = meta.startMs;
    this.endMs = meta.endMs;
    this.rk = cols['rk'] as Uint8Array;
    this.rt = cols['rt'] as Float64Array;
    this.rs = cols['rs'] as Uint16Array;
    this.rx = cols['rx'] as Uint32Array;
  }

  get records(): number {
    return this.rk.length;
  }

  get events(): number {
    return this.c['ek']!.length;
  }

  raw(i: number): string {
    return this.m.raw[this.rx[i]!]!;
  }

  assets(i: number): string[] {
    return this.m.assets[this.rx[i]!]!;
  }

  /** Builds fresh event objects for events [from, to): the engine may keep them. */
  eventsOf(from: number, to: number): MarketEvent[] {
    const c = this.c;
    const s = this.strings;
    const ek = c['ek']!, ea = c['ea']!, em = c['em']!, ets = c['ets']!, ex = c['ex']!, en = c['en']!, ep = c['ep']!, eq = c['eq']!, ef = c['ef']!, eh = c['eh']!, eo = c['eo']!;
    const out: MarketEvent[] = new Array(to - from);
    for (let i = from; i < to; i++) {
      const k = ek[i]!;
      let ev: MarketEvent;
      switch (k) {
        case Ev.Book: {
          const start = eo[i]!;
          const nb = en[i]!;
          const columns: LevelColumns = { px: c['lp'] as Float64Array, sz: c['lz'] as Float64Array, start, bids: nb, asks: ex[i]! - start - nb };
          ev = new ColumnBook(s[ea[i]!]!, s[em[i]!]!, ets[i]!, s[eh[i]!]!, ep[i]!, columns);
          break;
        }
        case Ev.Change: {
          const end = ex[i]!;
          const start = eo[i]!;
          const ca = c['ca']!, cp = c['cp']!, cz = c['cz']!, cs = c['cs']!, ch = c['ch']!, cb = c['cb']!, cc = c['cc']!;
          const changes: PriceChange[] = new Array(end - start);
          for (let j = start; j < end; j++) {
            const pc: PriceChange = { asset: s[ca[j]!]!, price: cp[j]!, size: cz[j]!, side: cs[j] ? 'SELL' : 'BUY' };
            if (ch[j] !== NONE) pc.hash = s[ch[j]!]!;
            if (!Number.isNaN(cb[j]!)) pc.bestBid = cb[j]!;
            if (!Number.isNaN(cc[j]!)) pc.bestAsk = cc[j]!;
            changes[j - start] = pc;
          }
          ev = { type: 'price_change', market: s[em[i]!]!, ts: ets[i]!, changes };
          break;
        }
        case Ev.Trade:
          ev = { type: 'last_trade_price', asset: s[ea[i]!]!, market: s[em[i]!]!, price: ep[i]!, size: eq[i]!, side: (en[i] ? 'SELL' : 'BUY') as Side, ts: ets[i]! };
          if (!Number.isNaN(ef[i]!)) ev.feeRateBps = ef[i]!;
          break;
        case Ev.Tick:
          ev = { type: 'tick_size_change', asset: s[ea[i]!]!, market: s[em[i]!]!, oldTick: ep[i]!, newTick: eq[i]!, ts: ets[i]! };
          break;
        case Ev.BestBidAsk:
          ev = { type: 'best_bid_ask', asset: s[ea[i]!]!, market: s[em[i]!]!, ts: ets[i]! };
          if (!Number.isNaN(ep[i]!)) ev.bestBid = ep[i]!;
          if (!Number.isNaN(eq[i]!)) ev.bestAsk = eq[i]!;
          break;
        default:
          ev = structuredClone(this.m.other[ex[i]!]!);
      }
      out[i - from] = ev;
    }
    return out;
  }

}

/**
 * A book snapshot whose levels stay in the recording's columns: the book
 * copies them from there (`columns`); `bids`/`asks` are built only if some
 * other reader asks for them.
 */
class ColumnBook implements BookEvent {
  readonly type = 'book' as const;
  lastTradePrice?: number;
  private b: Level[] | undefined;
  private a: Level[] | undefined;

  constructor(
    readonly asset: string,
    readonly market: string,
    readonly ts: number,
    readonly hash: string,
    lastTradePrice: number,
    readonly columns: LevelColumns,
  ) {
    if (!Number.isNaN(lastTradePrice)) this.lastTradePrice = lastTradePrice;
  }

  get bids(): Level[] {
    return (this.b ??= levelsOf(this.columns, this.columns.start, this.columns.bids));
  }

  get asks(): Level[] {
    return (this.a ??= levelsOf(this.columns, this.columns.start + this.columns.bids, this.columns.asks));
  }
}

function levelsOf(c: LevelColumns, from: number, n: number): Level[] {
  const out: Level[] = new Array(n);
  for (let j = 0; j < n; j++) out[j] = { price: c.px[from + j]!, size: c.sz[from + j]! };
  return out;
}

/** Growable typed column used while compiling. */
class Grow<T extends Col> {
  n = 0;
  a: T;
  constructor(private readonly ctor: new (n: number) => T) {
    this.a = new ctor(1024);
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new this.ctor(this.a.length * 2);
      b.set(this.a as never);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  done(): T {
    return this.a.subarray(0, this.n) as T;
  }
}

const SPEC: Record<string, ColumnInfo['type']> = {
  rk: 'u8', rt: 'f64', rs: 'u16', rx: 'u32',
  // per event: kind, asset, market, ts, end / start (`ex`/`eo`: a book's range of
  // levels or a price change's range of changes), bid count or trade side, numbers, hash
  ek: 'u8', ea: 'u32', em: 'u32', ets: 'f64', ex: 'u32', eo: 'u32', en: 'u32', ep: 'f64', eq: 'f64', ef: 'f64', eh: 'u32',
  ca: 'u32', cp: 'f64', cz: 'f64', cs: 'u8', ch: 'u32', cb: 'f64', cc: 'f64',
  lp: 'f64', lz: 'f64',
};

/** Decodes every frame of a raw recording once, into columns. */
export function compileRecording(rec: Recording): CompiledRecording {
  const c = newCompiler();
  for (const l of rec.lines) c.add(l);
  return c.finish(rec.rejected, { truncated: rec.truncated, dropped: rec.dropped });
}

interface Compiler {
  add(l: RecordLine): void;
  /** Lines seen so far (the header included). */
  readonly lines: number;
  finish(rejected: number, cut?: { truncated: boolean; dropped: number }): CompiledRecording;
}

function newCompiler(): Compiler {
  const g: Record<string, Grow<Col>> = {};
  for (const [name, t] of Object.entries(SPEC)) g[name] = new Grow(CTORS[t] as new (n: number) => Col);
  const strings: string[] = [];
  const ids = new Map<string, number>();
  const str = (v: string): number => {
    let i = ids.get(v);
    if (i === undefined) {
      i = strings.length;
      // Copied once here, so the table never holds a slice of a frame: a book may keep these strings as they are.
      strings.push(ownString(v));
      ids.set(v, i);
    }
    return i;
  };
  const meta: Meta = { header: undefined as unknown as Header, rest: [], raw: [], assets: [], other: [], rejected: 0, startMs: 0, endMs: 0 };
  const P = (name: string, v: number) => g[name]!.push(v);
  const nan = (v: number | undefined) => (v === undefined ? NaN : v);
  let lines = 0;
  const add = (l: RecordLine): void => {
    if (lines++ === 0) {
      if (l.k !== 'h') throw new Error('not a polyconsole recording (no header line)');
      meta.header = l;
      meta.startMs = l.t;
    }
    meta.endMs = l.t;
    if (l.k === 'h') return;
    if (l.k === 'r') {
      meta.rest.push(l);
      return;
    }
    if (l.k === 'a') {
      P('rk', Rec.Assets), P('rt', l.t), P('rs', l.s), P('rx', meta.assets.length);
      meta.assets.push(l.a);
      return;
    }
    const d = decodeFrame(l.d);
    if (d.control || d.errors.length || !d.events.length) {
      P('rk', Rec.Raw), P('rt', l.t), P('rs', l.s), P('rx', meta.raw.length);
      meta.raw.push(l.d);
      return;
    }
    for (const ev of d.events) {
      switch (ev.type) {
        case 'book':
          P('ek', Ev.Book), P('ea', str(ev.asset)), P('em', str(ev.market)), P('ets', ev.ts), P('eo', g['lp']!.n), P('en', ev.bids.length);
          for (const x of ev.bids) P('lp', x.price), P('lz', x.size);
          for (const x of ev.asks) P('lp', x.price), P('lz', x.size);
          P('ex', g['lp']!.n), P('ep', nan(ev.lastTradePrice)), P('eq', NaN), P('ef', NaN), P('eh', str(ev.hash));
          break;
        case 'price_change':
          P('ek', Ev.Change), P('ea', NONE), P('em', str(ev.market)), P('ets', ev.ts), P('eo', g['ca']!.n), P('en', 0);
          for (const x of ev.changes) {
            P('ca', str(x.asset)), P('cp', x.price), P('cz', x.size), P('cs', x.side === 'SELL' ? 1 : 0), P('ch', x.hash === undefined ? NONE : str(x.hash)), P('cb', nan(x.bestBid)), P('cc', nan(x.bestAsk));
          }
          P('ex', g['ca']!.n), P('ep', NaN), P('eq', NaN), P('ef', NaN), P('eh', NONE);
          break;
        case 'last_trade_price':
          P('ek', Ev.Trade), P('ea', str(ev.asset)), P('em', str(ev.market)), P('ets', ev.ts), P('eo', 0), P('en', ev.side === 'SELL' ? 1 : 0), P('ex', 0), P('ep', ev.price), P('eq', ev.size), P('ef', nan(ev.feeRateBps)), P('eh', NONE);
          break;
        case 'tick_size_change':
          P('ek', Ev.Tick), P('ea', str(ev.asset)), P('em', str(ev.market)), P('ets', ev.ts), P('eo', 0), P('en', 0), P('ex', 0), P('ep', ev.oldTick), P('eq', ev.newTick), P('ef', NaN), P('eh', NONE);
          break;
        case 'best_bid_ask':
          P('ek', Ev.BestBidAsk), P('ea', str(ev.asset)), P('em', str(ev.market)), P('ets', ev.ts), P('eo', 0), P('en', 0), P('ex', 0), P('ep', nan(ev.bestBid)), P('eq', nan(ev.bestAsk)), P('ef', NaN), P('eh', NONE);
          break;
        default:
          P('ek', Ev.Other), P('ea', NONE), P('em', NONE), P('ets', ev.ts), P('eo', 0), P('en', 0), P('ex', meta.other.length), P('ep', NaN), P('eq', NaN), P('ef', NaN), P('eh', NONE);
          meta.other.push(ev);
      }
    }
    P('rk', Rec.Decoded), P('rt', l.t), P('rs', l.s), P('rx', g['ek']!.n);
  };
  return {
    add,
    get lines() {
      return lines;
    },
    finish(rejected, cut) {
      if (!lines) throw new Error('not a polyconsole recording (no header line)');
      meta.rejected = rejected;
      if (cut?.truncated) {
        meta.truncated = true;
        meta.dropped = cut.dropped;
      }
      const cols: Record<string, Col> = {};
      for (const [name, gr] of Object.entries(g)) cols[name] = gr.done();
      return new CompiledRecording(meta, cols, internIds(strings, cols));
    },
  };
}

/**
 * Compiles a recording file as a stream of lines, so its size is not bounded
 * by the longest string V8 can hold (about 512 MB of JSON, some 12 minutes of
 * the default simulator run). A file cut short (a crash while recording)
 * keeps every complete line; bad lines are counted, as the raw reader counts them.
 */
export async function compileFile(path: string): Promise<CompiledRecording> {
  let head: Buffer;
  try {
    const fd = openSync(path, 'r');
    head = Buffer.alloc(2);
    readSync(fd, head, 0, 2, 0);
    closeSync(fd);
  } catch (err) {
    throw new Error(`cannot read recording ${path}: ${(err as Error).message}`);
  }
  const c = newCompiler();
  let rejected = 0;
  let carry = '';
  let cut = false;
  const line = (text: string) => {
    if (!text) return;
    let v: unknown;
    try {
      v = parseUntrustedJson(text);
    } catch {
      rejected++;
      return;
    }
    if (c.lines === 0) versionCheck(path, v);
    const r = recordLine.safeParse(v);
    if (!r.success) {
      rejected++;
      return;
    }
    if (c.lines === 0 && r.data.k !== 'h') throw new Error(`${path} is not a polyconsole recording (no header line)`);
    c.add(r.data);
  };
  await new Promise<void>((resolve, reject) => {
    const file = createReadStream(path);
    const gz = head[0] === 0x1f && head[1] === 0x8b;
    const text = gz ? file.pipe(createGunzip()) : file;
    text.setEncoding('utf8');
    let failed = false;
    text.on('data', (chunk: string) => {
      if (failed) return;
      try {
        const parts = (carry + chunk).split('\n');
        carry = parts.pop()!;
        for (const p of parts) line(p);
      } catch (err) {
        failed = true;
        file.destroy();
        reject(err);
      }
    });
    text.once('end', () => resolve());
    // A truncated gzip ends in an error after its last complete data: keep what decoded.
    text.once('error', (err: Error) => {
      if (gz && /unexpected end of file/i.test(err.message)) {
        cut = true;
        resolve();
      } else reject(new Error(`cannot read recording ${path}: ${err.message}`));
    });
    file.once('error', (err) => reject(new Error(`cannot read recording ${path}: ${err.message}`)));
  });
  // The last piece is a whole line only when the file ended cleanly with one;
  // after a cut it is the partial line the crash left, dropped and counted.
  // Text after the last newline is a line the crash cut short, as readRecording counts it.
  let dropped = 0;
  if (carry) {
    dropped = 1;
    cut = true;
  }
  if (c.lines === 0) throw new Error(`${path} is not a polyconsole recording (no header line)`);
  return c.finish(rejected, { truncated: cut, dropped });
}

// ---- file form -----------------------------------------------------------
// MAGIC (8 bytes) · u32 version · u32 header length · header JSON · gzip (level
// 1: a quarter of the size, and inflating costs a few ms per recorded minute)
// of the body: columns, each 8-aligned, then the string table and meta (JSON).

/** SHA-256 of a file, read in pieces (a day's recording is larger than one Buffer). */
export function sha256File(path: string): { sha: string; bytes: number } {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 20);
  let bytes = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      h.update(buf.subarray(0, n));
      bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  return { sha: h.digest('hex'), bytes };
}

export function serialize(c: CompiledRecording, source: { sha: string; bytes: number }): Buffer {
  const cols = (c as unknown as { c: Record<string, Col> }).c;
  const strings = (c as unknown as { strings: string[] }).strings;
  const meta = (c as unknown as { m: Meta }).m;
  const infos: ColumnInfo[] = [];
  let off = 0;
  for (const [name, t] of Object.entries(SPEC)) {
    const a = cols[name]!;
    infos.push({ name, type: t, length: a.length, offset: off });
    off += Math.ceil(a.byteLength / 8) * 8;
  }
  const tail = Buffer.from(JSON.stringify({ strings, meta }), 'utf8');
  const fh: FileHeader = { v: VERSION, sourceSha256: source.sha, sourceBytes: source.bytes, records: c.records, events: c.events, columns: infos, metaOffset: off, metaBytes: tail.length };
  const hj = Buffer.from(JSON.stringify(fh), 'utf8');
  const body = Buffer.alloc(off + tail.length);
  for (const info of infos) {
    const a = cols[info.name]!;
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(body, info.offset);
  }
  tail.copy(body, off);
  const head = Buffer.alloc(16);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(VERSION, 8);
  head.writeUInt32LE(hj.length, 12);
  return Buffer.concat([head, hj, gzipSync(body, { level: 1 })]);
}

/** Reads a compiled file; undefined when it is not one, is damaged, or was built from other bytes. */
export function deserialize(buf: Buffer, expectSha?: string): CompiledRecording | undefined {
  const u = unpack(buf, expectSha);
  if (!u) return undefined;
  // One aligned copy, so every column is a view.
  const ab = new ArrayBuffer(u.fh.metaOffset);
  new Uint8Array(ab).set(u.body.subarray(0, u.fh.metaOffset));
  return build(u.fh, ab, u.body.toString('utf8', u.fh.metaOffset));
}

/**
 * A compiled file unpacked once for several threads (a sweep's workers): the
 * columns and the JSON side in shared memory, which no reader writes. Each
 * worker builds its recording over the same columns (`fromShared`) instead of
 * reading and inflating the file again and holding a copy of its own.
 */
export interface SharedCompiled {
  columns: ColumnInfo[];
  /** Columns, then the JSON side (strings and meta) from `metaOffset` on. */
  bytes: SharedArrayBuffer;
  metaOffset: number;
}

export function shareCompiled(buf: Buffer, expectSha?: string): SharedCompiled | undefined {
  const u = unpack(buf, expectSha);
  if (!u) return undefined;
  const bytes = new SharedArrayBuffer(u.body.length);
  new Uint8Array(bytes).set(u.body);
  return { columns: u.fh.columns, bytes, metaOffset: u.fh.metaOffset };
}

export function fromShared(s: SharedCompiled): CompiledRecording | undefined {
  return build({ columns: s.columns, metaOffset: s.metaOffset }, s.bytes, Buffer.from(s.bytes, s.metaOffset).toString('utf8'));
}

/** The header checked and the body inflated; undefined for anything that is not a whole compiled file of the expected source. */
function unpack(buf: Buffer, expectSha?: string): { fh: FileHeader; body: Buffer } | undefined {
  if (buf.length < 16 || buf.toString('latin1', 0, 8) !== MAGIC || buf.readUInt32LE(8) !== VERSION) return undefined;
  const hl = buf.readUInt32LE(12);
  if (16 + hl > buf.length) return undefined;
  let fh: FileHeader;
  try {
    fh = JSON.parse(buf.toString('utf8', 16, 16 + hl)) as FileHeader;
  } catch {
    return undefined;
  }
  if (expectSha !== undefined && fh.sourceSha256 !== expectSha) return undefined;
  let body: Buffer;
  try {
    body = gunzipSync(buf.subarray(16 + hl));
  } catch {
    return undefined;
  }
  if (body.length !== fh.metaOffset + fh.metaBytes) return undefined;
  return { fh, body };
}

/** Columns as views over `ab` (checked against the format), and the JSON side parsed. */
function build(fh: Pick<FileHeader, 'columns' | 'metaOffset'>, ab: ArrayBuffer | SharedArrayBuffer, tailText: string): CompiledRecording | undefined {
  const cols: Record<string, Col> = {};
  for (const info of fh.columns) {
    const ctor = CTORS[info.type];
    if (!ctor || SPEC[info.name] !== info.type) return undefined;
    if (info.offset % 8 || info.offset + info.length * ctor.BYTES_PER_ELEMENT > fh.metaOffset) return undefined;
    cols[info.name] = new ctor(ab as ArrayBuffer, info.offset, info.length);
  }
  for (const name of Object.keys(SPEC)) if (!cols[name]) return undefined;
  let tail: { strings: string[]; meta: Meta };
  try {
    tail = JSON.parse(tailText) as { strings: string[]; meta: Meta };
  } catch {
    return undefined;
  }
  return new CompiledRecording(tail.meta, cols, internIds(tail.strings, cols));
}

/**
 * Interns the strings that events look books up by (assets, markets; not the
 * hashes, most of the table), so a lookup matches the book's interned key by
 * address (see internKey).
 */
function internIds(strings: string[], cols: Record<string, Col>): string[] {
  const id = new Uint8Array(strings.length);
  for (const name of ['ea', 'em', 'ca']) {
    const col = cols[name]!;
    for (let i = 0; i < col.length; i++) {
      const k = col[i]!;
      if (k < id.length) id[k] = 1;
    }
  }
  for (let k = 0; k < strings.length; k++) if (id[k]) strings[k] = internKey(strings[k]!);
  return strings;
}

/** Where the compiled form of a recording lives: next to it. */
export function compiledPathOf(path: string): string {
  return `${path}.compiled`;
}

export interface LoadedCompiled {
  rec: CompiledRecording;
  /** 'cached': read from the compiled file; 'compiled': built now (and written if possible). */
  how: 'cached' | 'compiled';
  path: string;
  /** SHA-256 of the raw file. */
  sha: string;
  /** Why the compiled file could not be written, if it could not. */
  writeError?: string;
}

/**
 * The compiled form of the recording at `path`: the compiled file when its
 * checksum matches the raw file, else compiled now (streaming the raw file)
 * and written next to it (atomically; a write failure only means no cache).
 */
export async function loadCompiled(path: string, opts: { force?: boolean } = {}): Promise<LoadedCompiled> {
  let source: { sha: string; bytes: number };
  try {
    source = sha256File(path);
  } catch (err) {
    throw new Error(`cannot read recording ${path}: ${(err as Error).message}`);
  }
  const cpath = compiledPathOf(path);
  if (!opts.force) {
    let buf: Buffer | undefined;
    try {
      buf = readFileSync(cpath);
    } catch {
      buf = undefined;
    }
    const c = buf && deserialize(buf, source.sha);
    if (c) return { rec: c, how: 'cached', path: cpath, sha: source.sha };
  }
  const rec = await compileFile(path);
  const out: LoadedCompiled = { rec, how: 'compiled', path: cpath, sha: source.sha };
  try {
    const tmp = `${cpath}.${process.pid}.tmp`;
    writeFileSync(tmp, serialize(rec, source));
    renameSync(tmp, cpath);
  } catch (err) {
    out.writeError = (err as Error).message;
  }
  return out;
}
