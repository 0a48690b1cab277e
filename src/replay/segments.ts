// A long recording as a directory of segments: `record --segment-minutes N`
// closes the current gzip file every N minutes (or `--segment-mb` of output)
// and starts the next, each a complete recording with its own header line.
// `manifest.json` lists them in order with their time range, line counts and
// SHA-256, and is rewritten (atomically) whenever a segment opens or closes,
// so a crash leaves every closed segment listed and the open one marked open.
//
// Replay reads the segments one after another, dropping each once replayed
// (see replay()), so a day replays in bounded memory.
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, renameSync, statSync, writeFileSync, type WriteStream } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { constants as zlibConstants, createGzip, type Gzip } from 'node:zlib';
import { z } from 'zod';
import { sanitize } from '../text/sanitize.js';
import { compiledPathOf, deserialize, loadCompiled, sha256File, type CompiledRecording } from './compiled.js';
import type { RecordLine } from './format.js';
import { readRecording, type Recording } from './replay.js';

export const MANIFEST = 'manifest.json';

const segmentEntry = z.object({
  file: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/),
  startMs: z.number(),
  endMs: z.number(),
  lines: z.number().int().nonnegative(),
  frames: z.number().int().nonnegative(),
  /** Absent while the segment is being written (or when the recorder died before closing it). */
  bytes: z.number().int().nonnegative().optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
const manifestSchema = z.object({ kind: z.literal('polyconsole-recording'), v: z.literal(1), segments: z.array(segmentEntry).max(100_000) });

export type SegmentEntry = z.infer<typeof segmentEntry>;
export type Manifest = z.infer<typeof manifestSchema>;

export interface SegmentLimits {
  /** Start a new segment once a line arrives this long after the segment's first (ms). */
  ms?: number;
  /** Start a new segment once this many compressed bytes are written. */
  bytes?: number;
}

interface Open {
  entry: SegmentEntry;
  gzip: Gzip;
  file: WriteStream;
  hash: Hash;
  bytes: number;
  closed: Promise<void>;
}

/**
 * Writes record lines into numbered segments under `dir`, rotating by the
 * lines' own times (so a recording can also be cut after the fact, the same
 * way). The first header line is the template of every segment's header.
 */
export class SegmentWriter {
  readonly manifest: Manifest = { kind: 'polyconsole-recording', v: 1, segments: [] };
  private header: Extract<RecordLine, { k: 'h' }> | undefined;
  private cur: Open | undefined;
  /** Manifest writes and segment closes, in order. */
  private chain: Promise<void> = Promise.resolve();
  private ended = false;
  lines = 0;
  /** The first failure writing a manifest (disk full, directory gone): recording goes on; close() reports it. */
  error: Error | undefined;

  constructor(
    readonly dir: string,
    private readonly limits: SegmentLimits,
  ) {
    if (!(limits.ms! > 0) && !(limits.bytes! > 0)) throw new Error('segments need a time or size limit');
  }

  write(line: RecordLine): void {
    if (this.ended) return;
    if (line.k === 'h') {
      // The first segment starts with the recording, as a single file does.
      if (!this.header) {
        this.header = line;
        this.open(line.t);
      }
      return;
    }
    if (!this.header) throw new Error('a recording starts with its header line');
    const cur = this.cur;
    if (cur && ((this.limits.ms! > 0 && line.t - cur.entry.startMs >= this.limits.ms!) || (this.limits.bytes! > 0 && cur.bytes >= this.limits.bytes!))) this.rotate();
    this.put(this.cur ?? this.open(line.t), line);
  }

  /** Pushes what is written so far to the open segment's file (see Recorder.flush). */
  flush(): void {
    this.cur?.gzip.flush(zlibConstants.Z_SYNC_FLUSH);
  }

  /** Closes the open segment and writes the final manifest. */
  async close(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      this.rotate();
    }
    await this.chain;
    if (this.error) throw this.error;
  }

  private open(startMs: number): Open {
    const n = this.manifest.segments.length + 1;
    const entry: SegmentEntry = { file: `seg-${String(n).padStart(5, '0')}.jsonl.gz`, startMs, endMs: startMs, lines: 0, frames: 0 };
    this.manifest.segments.push(entry);
    const gzip = createGzip();
    const file = createWriteStream(join(this.dir, entry.file), { mode: 0o600 });
    const hash = createHash('sha256');
    const seg: Open = { entry, gzip, file, hash, bytes: 0, closed: new Promise((r) => file.once('close', () => r())) };
    file.on('error', (err) => (this.error ??= err));
    gzip.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      seg.bytes += chunk.length;
    });
    gzip.pipe(file);
    this.cur = seg;
    this.put(seg, { ...this.header!, t: startMs });
    this.saveManifest();
    return seg;
  }

  private put(seg: Open, line: RecordLine): void {
    seg.entry.lines++;
    if (line.k === 'f') seg.entry.frames++;
    if (line.t > seg.entry.endMs) seg.entry.endMs = line.t;
    this.lines++;
    seg.gzip.write(JSON.stringify(line) + '\n');
  }

  private rotate(): void {
    const seg = this.cur;
    this.cur = undefined;
    if (!seg) return;
    seg.gzip.end();
    this.chain = this.chain.then(async () => {
      await seg.closed;
      seg.entry.bytes = seg.bytes;
      seg.entry.sha256 = seg.hash.digest('hex');
      this.writeManifest();
    });
  }

  private saveManifest(): void {
    this.chain = this.chain.then(() => this.writeManifest());
  }

  private writeManifest(): void {
    try {
      this.saveNow();
    } catch (err) {
      this.error ??= err as Error;
    }
  }

  private saveNow(): void {
    const tmp = join(this.dir, `${MANIFEST}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(this.manifest, null, 1) + '\n', { mode: 0o600 });
    renameSync(tmp, join(this.dir, MANIFEST));
  }
}

/** The manifest a path names: a directory holding manifest.json, or the manifest itself; undefined if it names neither. */
export function manifestPathOf(path: string): string | undefined {
  try {
    if (statSync(path).isDirectory()) return existsSync(join(path, MANIFEST)) ? join(path, MANIFEST) : undefined;
  } catch {
    return undefined;
  }
  return basename(path) === MANIFEST ? path : undefined;
}

export interface Segmented {
  manifestPath: string;
  dir: string;
  segments: SegmentEntry[];
  /** Segments without a checksum: still open, or the recorder died before closing them (replayed as cut). */
  open: number;
  startMs: number;
  endMs: number;
}

/** Reads and checks a manifest: shape, files present, segments in time order. Throws a one-line error. */
export function readManifest(path: string): Segmented {
  const manifestPath = manifestPathOf(path);
  if (!manifestPath) throw new Error(`${sanitize(path, 200)} is not a segmented recording (no ${MANIFEST})`);
  let parsed: Manifest;
  try {
    const r = manifestSchema.safeParse(JSON.parse(readFileSync(manifestPath, 'utf8')));
    if (!r.success) throw new Error(r.error.issues[0]?.message ?? 'invalid');
    parsed = r.data;
  } catch (err) {
    throw new Error(`${sanitize(manifestPath, 200)} is not a readable recording manifest: ${sanitize((err as Error).message, 200)}`);
  }
  const dir = dirname(resolve(manifestPath));
  const segs = parsed.segments;
  if (!segs.length) throw new Error(`${sanitize(manifestPath, 200)} lists no segments`);
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if (!existsSync(join(dir, s.file))) throw new Error(`segment ${s.file} listed in ${MANIFEST} is missing`);
    if (i > 0 && s.startMs < segs[i - 1]!.startMs) throw new Error(`segment ${s.file} starts before the one listed ahead of it`);
  }
  return { manifestPath, dir, segments: segs, open: segs.filter((s) => !s.sha256).length, startMs: segs[0]!.startMs, endMs: segs[segs.length - 1]!.endMs };
}

/** Checks a closed segment against its manifest checksum; returns the SHA-256 of its bytes. */
export function verifySegment(m: Segmented, k: number): string {
  const s = m.segments[k]!;
  const got = sha256File(join(m.dir, s.file));
  if (s.sha256 !== undefined && (got.sha !== s.sha256 || got.bytes !== s.bytes)) throw new Error(`segment ${s.file} does not match the checksum in ${MANIFEST} (changed or damaged since recording)`);
  return got.sha;
}

/**
 * Makes sure every segment has a current compiled form next to it (compiling
 * the ones that lack it, one at a time, each dropped from memory before the
 * next). Returns the checksum of each segment, for the replay to load by.
 */
export async function compileSegments(m: Segmented, opts: { force?: boolean; onSegment?: (k: number, how: 'cached' | 'compiled') => void } = {}): Promise<string[]> {
  const shas: string[] = [];
  for (let k = 0; k < m.segments.length; k++) {
    verifySegment(m, k);
    const c = await loadCompiled(join(m.dir, m.segments[k]!.file), opts.force ? { force: true } : {});
    if (c.writeError) throw new Error(`cannot write ${c.path}: ${c.writeError}`);
    shas.push(c.sha);
    opts.onSegment?.(k, c.how);
  }
  return shas;
}

/** What replay() walks through: parts loaded one at a time, synchronously (no other work runs between them). */
export interface PartSource {
  readonly count: number;
  readonly startMs: number;
  readonly endMs: number;
  /** Recorded start of part k (known before loading it). */
  startOf(k: number): number;
  load(k: number): Recording | CompiledRecording;
}

/**
 * The segments as replay parts: compiled forms (checked against `shas`, from
 * compileSegments) or, with `raw`, the gzip files themselves (each checked
 * against the manifest). Counts what it loads.
 */
export function segmentParts(m: Segmented, form: { shas: string[] } | { raw: true }): PartSource & { rejected: number; truncated: number; dropped: number } {
  const src = {
    count: m.segments.length,
    startMs: m.startMs,
    endMs: m.endMs,
    rejected: 0,
    truncated: 0,
    dropped: 0,
    startOf: (k: number) => m.segments[k]!.startMs,
    load(k: number): Recording | CompiledRecording {
      const path = join(m.dir, m.segments[k]!.file);
      let part: Recording | CompiledRecording;
      if ('raw' in form) {
        verifySegment(m, k);
        part = readRecording(path);
      } else {
        const c = deserialize(readFileSync(compiledPathOf(path)), form.shas[k]!);
        if (!c) throw new Error(`${compiledPathOf(path)} is not the compiled form of ${m.segments[k]!.file} (run compile again)`);
        part = c;
      }
      src.rejected += part.rejected;
      if (part.truncated) src.truncated++;
      src.dropped += part.dropped;
      return part;
    },
  };
  return src;
}
