// Runs the Ink UI over an EngineStore: alternate screen on start, restored on
// exit and on a crash; our own Ctrl-C so the engine shuts down cleanly.
import React from 'react';
import { render } from 'ink';
import { App } from '../components/App.js';
import type { EngineStore } from '../store/engine-store.js';
import { DiffStdout } from './diff-stdout.js';

const ALT_ON = '\u001b[?1049h\u001b[H\u001b[?25l';
const ALT_OFF = '\u001b[?1049l';
const MAX_FPS = 15;

export async function runUi(store: EngineStore, shutdown: () => Promise<void>): Promise<void> {
  let restored = false;
  const restore = () => {
    if (restored) return;
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
  // Ink hands whole frames to DiffStdout, which writes only the changed cells
  // (≈ a tenth of the bytes over SSH). POLYCONSOLE_RENDER=ink falls back to
  // Ink's own writer (whole frame each time).
  const inkWriter = process.env['POLYCONSOLE_RENDER'] === 'ink';
  const screen = inkWriter ? undefined : new DiffStdout(process.stdout, MAX_FPS);
  const instance = render(<App store={store} />, {
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: MAX_FPS,
    ...(screen ? { stdout: screen as unknown as NodeJS.WriteStream, debug: true } : {}),
  });
  // Ctrl-C arrives as input in raw mode; treat it like q.
  process.stdin.on('data', (d) => {
    if (d.toString() === '\u0003') resolveQuit();
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
  }
}
