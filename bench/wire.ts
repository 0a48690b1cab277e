// Bytes on the wire: the real App over a live engine ingesting the simulator,
// 120×40, idle operator, store at the default 5 Hz, drawn the way src/ui.tsx
// draws it (Ink whole frames → DiffStdout, changed cells only, ≤ 15 fps)
// and, for comparison, with Ink's own writer (whole frame each time). Bytes
// are counted at the fake terminal, per second and per frame written.
import { createElement } from 'react';
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { App } from '../components/App.js';
import { EngineStore } from '../store/engine-store.js';
import { DiffStdout } from '../src/diff-stdout.js';
import { stat, withGoal, type Figure } from './harness.js';
import { sleep, startLive } from './live.js';

const WINDOWS = 4;
const WINDOW_MS = 2_500;

class Tty extends EventEmitter {
  readonly isTTY = true;
  bytes = 0;
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (s: string) => {
    this.bytes += Buffer.byteLength(s);
    return true;
  };
}

class Stdin extends EventEmitter {
  readonly isTTY = true;
  read = () => null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

async function measure(store: EngineStore, diff: boolean): Promise<{ perSec: number[]; perFrame: number }> {
  const tty = new Tty(120, 40);
  const screen = diff ? new DiffStdout(tty as unknown as NodeJS.WriteStream, 15) : undefined;
  const instance = render(createElement(App, { store, copy: () => {} }), {
    stdout: (screen ?? tty) as unknown as NodeJS.WriteStream,
    stderr: new Tty(120, 40) as unknown as NodeJS.WriteStream,
    stdin: new Stdin() as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 15,
    ...(diff ? { debug: true } : {}),
  });
  await sleep(1_000);
  const perSec: number[] = [];
  const b0 = tty.bytes;
  for (let w = 0; w < WINDOWS; w++) {
    const b = tty.bytes;
    const t0 = performance.now();
    await sleep(WINDOW_MS);
    perSec.push((tty.bytes - b) / ((performance.now() - t0) / 1000));
  }
  const perFrame = screen ? (tty.bytes - b0) / Math.max(1, screen.stats.frames) : 0;
  screen?.close();
  instance.unmount();
  return { perSec, perFrame };
}

export async function wireSuite(): Promise<Figure[]> {
  const live = await startLive();
  const store = new EngineStore(live.app, { hz: 5 });
  try {
    store.start();
    const diff = await measure(store, true);
    const ink = await measure(store, false);
    const secs = (WINDOWS * WINDOW_MS) / 1000;
    return [
      withGoal({ suite: 'wire', name: `bytes/s to the terminal, 120×40, live engine, idle operator, 5 Hz, changed cells only (${WINDOWS} × ${WINDOW_MS / 1000} s)`, unit: 'KB/s', ...stat(diff.perSec.map((b) => b / 1024)) }, '≤', 8, '≤ 8 KB/s'),
      { suite: 'wire', name: `  bytes per frame written, changed cells only (${secs} s)`, unit: 'KB', ...stat([diff.perFrame / 1024]) },
      { suite: 'wire', name: `  same, Ink's own writer (whole frame each time)`, unit: 'KB/s', ...stat(ink.perSec.map((b) => b / 1024)) },
    ];
  } finally {
    store.stop();
    await live.stop();
  }
}
