// The stdin Ink reads: the real terminal's input, cut into keys by
// KeyTokenizer and handed to Ink one key per read, so useInput hears every key
// of a burst or a paste, in order, and an escape sequence split across reads
// arrives whole. Raw mode, ref/unref and encoding go through to the terminal.
import { EventEmitter } from 'node:events';
import { KeyTokenizer } from './key-tokens.js';

/** How long an ESC at the end of a read waits for the rest of its sequence (vim's ttimeoutlen is 100). */
export const ESC_WAIT_MS = 60;

export class KeyStdin extends EventEmitter {
  readonly isTTY: boolean;
  private readonly tokens = new KeyTokenizer();
  private queue: string[] = [];
  private backlog: string[] = [];
  private deferred: NodeJS.Immediate | undefined;
  private escTimer: NodeJS.Timeout | undefined;
  private attached = false;

  constructor(
    private readonly input: NodeJS.ReadStream,
    /** Sees every chunk first (Ctrl-C handling outside React). */
    private readonly onRaw?: (chunk: string) => void,
  ) {
    super();
    this.isTTY = Boolean(input.isTTY);
  }

  private onData = (chunk: Buffer | string) => {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    this.onRaw?.(text);
    if (this.escTimer) clearTimeout(this.escTimer);
    this.escTimer = undefined;
    this.deliver(this.tokens.push(text));
    if (this.tokens.pendingEscape) this.escTimer = setTimeout(() => this.deliver(this.tokens.flush()), ESC_WAIT_MS);
  };

  private deliver(keys: string[]): void {
    this.backlog.push(...keys);
    if (!this.deferred) this.pump();
  }

  private pump = (): void => {
    this.deferred = undefined;
    while (this.backlog.length) {
      const k = this.backlog.shift()!;
      this.queue.push(k);
      // One key per 'readable': Ink's reader emits each read as one input event.
      this.emit('readable');
      this.queue = [];
      // Ink holds a lone ESC until its next check phase; a key handed over
      // before then would join it into Alt+key. The rest waits until after.
      if (k === '\u001b' && this.backlog.length) {
        this.deferred = setImmediate(this.pump);
        return;
      }
    }
  };

  read = (): string | null => this.queue.shift() ?? null;

  setRawMode(on: boolean): this {
    try {
      if (this.input.isTTY) this.input.setRawMode(on);
    } catch {
      // The terminal is gone (hang-up): nothing left to set.
    }
    if (on && !this.attached) {
      this.attached = true;
      this.input.on('data', this.onData);
    } else if (!on && this.attached) {
      this.attached = false;
      this.input.off('data', this.onData);
    }
    return this;
  }

  setEncoding(): this {
    this.input.setEncoding('utf8');
    return this;
  }

  ref(): this {
    this.input.ref();
    return this;
  }

  unref(): this {
    this.input.unref();
    return this;
  }

  resume(): this {
    this.input.resume();
    return this;
  }

  pause(): this {
    this.input.pause();
    return this;
  }
}
