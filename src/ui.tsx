// Runs the Ink UI over an EngineStore: alternate screen on start, restored on
// exit and on a crash; our own Ctrl-C so the engine shuts down cleanly.
import React from 'react';
import { render } from 'ink';
import { App } from '../components/App.js';
import type { EngineStore } from '../store/engine-store.js';

const ALT_ON = '\u001b[?1049h\u001b[H';
const ALT_OFF = '\u001b[?1049l';

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
  const instance = render(<App store={store} />, {
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 15,
    // Off: Ink 6.8 leaves stale lines with incremental rendering here (cf. ink #1023).
    incrementalRendering: process.env["POLYCONSOLE_INCREMENTAL"] === "1",
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
    instance.unmount();
    await shutdown();
    restore();
  }
}
