// Drives the real binary in a tmux window, as an operator would over SSH.
import { execFileSync, spawnSync } from 'node:child_process';
import { waitFor } from './wait.js';

export const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;

export class Tmux {
  readonly socket = `pc-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    private readonly cols: number,
    private readonly rows: number,
  ) {}

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  start(command: string): void {
    this.tmux('new-session', '-d', '-s', 'ui', '-x', String(this.cols), '-y', String(this.rows), command);
  }

  capture(): string {
    return this.tmux('capture-pane', '-p', '-t', 'ui');
  }

  /** The screen with its SGR (colour/attribute) sequences kept. */
  captureEscapes(): string {
    return this.tmux('capture-pane', '-p', '-e', '-t', 'ui');
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'ui', ...keys);
  }

  /** Writes `text` to the program in ONE write (as a paste or a burst over SSH arrives); LF becomes CR. */
  paste(text: string): void {
    this.tmux('set-buffer', '-b', 'burst', '--', text);
    this.tmux('paste-buffer', '-d', '-b', 'burst', '-t', 'ui');
  }

  /** Writes raw bytes (hex), one write per call: half an escape sequence, say. */
  bytes(...hex: string[]): void {
    this.tmux('send-keys', '-t', 'ui', '-H', ...hex);
  }

  /** Sets a server option (e.g. set-clipboard on, so OSC 52 writes land in a paste buffer). */
  option(name: string, value: string): void {
    this.tmux('set-option', '-g', name, value);
  }

  /** The newest paste buffer ('' when there is none). */
  buffer(): string {
    try {
      return this.tmux('show-buffer');
    } catch {
      return '';
    }
  }

  resize(cols: number, rows: number): void {
    this.tmux('resize-window', '-t', 'ui', '-x', String(cols), '-y', String(rows));
  }

  async waitForText(text: string | RegExp, timeoutMs = 60_000): Promise<string> {
    let screen = '';
    try {
      return await waitFor(
        () => {
          screen = this.capture();
          return (typeof text === 'string' ? screen.includes(text) : text.test(screen)) ? screen : '';
        },
        { timeoutMs, everyMs: 100, what: String(text) },
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; screen was:\n${screen}`);
    }
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}
