// Runs the Ink UI over an EngineStore: alternate screen on start, restored on
// exit and on a crash; our own Ctrl-C so the engine shuts down cleanly; a
// hang-up (SSH drop) checkpoints, is audited and exits cleanly too.
import React from 'react';
import { closeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { render } from 'ink';
import { App } from '../components/App.js';
import type { EngineStore } from '../store/engine-store.js';
import { DiffStdout } from './diff-stdout.js';
import { KeyStdin } from './key-stdin.js';

const ALT_ON = '\u001b[?1049h\u001b[H\u001b[?25l';
const ALT_OFF = '\u001b[?1049l';
const MAX_FPS = 15;

export async function runUi(store: EngineStore, shutdown: () => Promise<void>): Promise<void> {
  let restored = false;
  let hungUp = false;
  // Which descriptors are the terminal, asked while it is still there.
  const ttyFds = [0, 1, 2].filter((fd) => isatty(fd));
  const restore = () => {
    if (restored || hungUp) return;
    restored = true;
    process.stdout.write('\u001b[?25h' + ALT_OFF);
  };
  process.stdout.write(ALT_ON);
  process.once('exit', restore);
  let resolveQuit!: () => void;
  const quitting = new Promise<void>((r) => (resolveQuit = r));
  store.onQuit = () => resolveQuit();
  const onSignal = () => resolveQuit();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // The terminal went away (SSH drop): SIGHUP, or first an EIO on a write or
  // a read. Nobody is watching any more: write nothing more, shut down cleanly.
  const hangup = () => {
    if (hungUp) return;
    hungUp = true;
    screen?.close();
    store.hangup();
  };
  process.once('SIGHUP', hangup);
  process.stdout.on('error', hangup);
  process.stdin.on('error', hangup);
  // Ink hands whole frames to DiffStdout, which writes only the changed cells
  // (a tenth of the bytes or less over SSH). POLYCONSOLE_RENDER=ink falls back
  // to Ink's own writer (whole frame each time).
  const inkWriter = process.env['POLYCONSOLE_RENDER'] === 'ink';
  const screen = inkWriter ? undefined : new DiffStdout(process.stdout, MAX_FPS);
  // Keys reach Ink one per read, whatever chunks the terminal sent; Ctrl-C
  // quits even if React is busy.
  const keys = new KeyStdin(process.stdin, (chunk) => {
    if (chunk.includes('\u0003')) resolveQuit();
  });
  const instance = render(<App store={store} />, {
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: MAX_FPS,
    stdin: keys as unknown as NodeJS.ReadStream,
    ...(screen ? { stdout: screen as unknown as NodeJS.WriteStream, debug: true } : {}),
  });
  store.start();
  try {
    await quitting;
  } finally {
    store.stop();
    screen?.close();
    instance.unmount();
    await shutdown();
    restore();
    if (hungUp) releaseTerminal(ttyFds);
  }
}

/**
 * Node restores the terminal's mode at exit and aborts when that fails, as it
 * does on a hung-up terminal (EIO). Closed descriptors are skipped, so a
 * console whose terminal is gone closes them and exits with its own status.
 */
function releaseTerminal(fds: number[]): void {
  for (const fd of fds) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }
}
