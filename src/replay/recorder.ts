// `polyconsole record`: every frame and REST response the engine receives, with
// its receive time, into a gzip JSONL file. The gzip stream is sync-flushed on
// a bounded interval, so a crash loses at most that interval: everything
// before the last flush decompresses from the cut file.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { constants as zlibConstants, createGzip, type Gzip } from 'node:zlib';

/** Flush interval bounds, ms: often enough to lose little, rarely enough to keep compression. */
export const MIN_FLUSH_MS = 100;
export const MAX_FLUSH_MS = 10_000;
import type { Engine } from '../engine.js';
import type { RestClient } from '../feed/rest-client.js';
import { pathOf, type RecordLine } from './format.js';
import { SegmentWriter, type SegmentLimits } from './segments.js';
import { type WallNow } from '../clock.js';

export class Recorder {
  private readonly gzip: Gzip | undefined;
  private readonly file: WriteStream | undefined;
  /** With segment limits: `path` is a directory of segments and a manifest. */
  readonly segments: SegmentWriter | undefined;
  lines = 0;
  frames = 0;
  responses = 0;

  private readonly flushTimer: NodeJS.Timeout;
  private dirty = false;

  constructor(
    path: string,
    private readonly now: WallNow,
    flushMs = 1000,
    segments?: SegmentLimits,
  ) {
    if (segments) {
      mkdirSync(path, { recursive: true, mode: 0o700 });
      this.segments = new SegmentWriter(path, segments);
    } else {
      this.gzip = createGzip();
      // Recordings hold everything the venue sent: owner-only, like the ledger.
      this.file = createWriteStream(path, { mode: 0o600 });
      this.gzip.pipe(this.file);
    }
    const every = Math.min(MAX_FLUSH_MS, Math.max(MIN_FLUSH_MS, Number.isFinite(flushMs) ? flushMs : 1000));
    this.flushTimer = setInterval(() => this.flush(), every);
    this.flushTimer.unref();
  }

  private closed = false;

  /** Pushes everything written so far to the file as complete deflate blocks. */
  flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    if (this.segments) this.segments.flush();
    else this.gzip!.flush(zlibConstants.Z_SYNC_FLUSH);
  }

  /** Taps an engine (before it starts) so everything it receives is written. */
  attach(engine: Engine, rest: RestClient, info: { source: string; gamma: string; clob: string }): void {
    this.write({ k: 'h', v: 1, t: this.now(), ...info });
    rest.tap = (m, u, body, s, b) => {
      this.responses++;
      const line: RecordLine = { k: 'r', t: this.now(), m, u: pathOf(u), s, b };
      if (body !== undefined) line.q = JSON.stringify(body);
      this.write(line);
    };
    engine.tap = {
      frame: (s, d) => {
        this.frames++;
        this.write({ k: 'f', t: this.now(), s, d });
      },
      assets: (s, a) => this.write({ k: 'a', t: this.now(), s, a }),
    };
  }

  private write(line: RecordLine): void {
    // A REST answer or frame can land after close() (a request in flight when
    // recording stops): the file is complete, so it is not written (writing to
    // an ended gzip stream throws outside any caller).
    if (this.closed) return;
    this.lines++;
    this.dirty = true;
    if (this.segments) this.segments.write(line);
    else this.gzip!.write(JSON.stringify(line) + '\n');
  }

  close(): Promise<void> {
    this.closed = true;
    clearInterval(this.flushTimer);
    if (this.segments) return this.segments.close();
    return new Promise((resolve) => {
      this.file!.once('close', () => resolve());
      this.gzip!.end();
    });
  }
}
