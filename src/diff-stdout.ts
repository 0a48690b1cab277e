// The stdout Ink renders into: it receives whole frames (Ink in debug mode
// writes each frame as it is, with no erase sequences of its own) and passes
// the real terminal only the cells that changed, at most `maxFps` times a
// second, each update inside a synchronized-update bracket so the terminal
// never shows half a frame.
import { EventEmitter } from 'node:events';
import { FrameDiff } from './screen-diff.js';

const BSU = '\u001b[?2026h';
const ESU = '\u001b[?2026l';

export interface DiffStats {
  frames: number;
  bytes: number;
}

export class DiffStdout extends EventEmitter {
  readonly isTTY = true;
  columns: number;
  rows: number;
  readonly stats: DiffStats = { frames: 0, bytes: 0 };
  private readonly diff: FrameDiff;
  private pending: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  /** When the last frame went out (performance.now(): frame pacing is a duration, not a time of day). */
  private lastWrite = -Infinity;
  private closed = false;
  private readonly minGapMs: number;

  constructor(
    private readonly out: NodeJS.WriteStream,
    maxFps = 15,
  ) {
    super();
    this.columns = out.columns || 100;
    this.rows = out.rows || 30;
    this.minGapMs = Math.ceil(1000 / maxFps);
    this.diff = new FrameDiff(this.columns, this.rows);
    out.on('resize', this.onResize);
  }

  private onResize = () => {
    this.columns = this.out.columns || this.columns;
    this.rows = this.out.rows || this.rows;
    // The terminal may have reflowed or cleared: what we think is on screen is no longer known.
    this.diff.invalidate(this.columns, this.rows);
    this.emit('resize');
  };

  /** Ink writes whole frames here. Only the newest frame waiting is ever drawn. */
  write = (frame: string): boolean => {
    if (this.closed || frame === '') return true;
    this.pending = frame;
    if (this.timer) return true;
    const wait = Math.max(0, this.lastWrite + this.minGapMs - performance.now());
    // The first frame after a quiet spell (a key press) goes out at once.
    if (wait === 0) this.flush();
    else this.timer = setTimeout(this.flush, wait);
    return true;
  };

  /** Redraws everything on the next frame (after something else wrote to the terminal). */
  invalidate(): void {
    this.diff.invalidate();
  }

  private flush = () => {
    this.timer = undefined;
    const frame = this.pending;
    this.pending = null;
    if (frame === null || this.closed) return;
    this.lastWrite = performance.now();
    const bytes = this.diff.next(frame);
    this.stats.frames++;
    if (!bytes) return;
    const out = BSU + bytes + ESU;
    this.stats.bytes += Buffer.byteLength(out);
    this.out.write(out);
  };

  /** Draws what is pending and stops writing. */
  close(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.flush();
    this.closed = true;
    this.out.off('resize', this.onResize);
  }
}
