// UI cost, measured as research/tui-anchors.md §5 did: the real components/App
// rendered by Ink's render() into a fake TTY of the given size, production React,
// CPU time rather than wall time.
// (a, b) CPU ms per frame at 80×24 and 200×50 over a busy synthetic snapshot
//        (BenchStore: ~10% of every pane's rows replaced per publish).
// (c)    UI share of one core at 120×40 with the real EngineStore publishing at
//        5 Hz over a live engine that is ingesting the simulator in the same
//        process: CPU from each EngineStore.publish until React has rendered it
//        (snapshot build + React render + Ink layout and write), with the
//        snapshot build alone measured first without Ink mounted, and the
//        whole process's CPU with and without Ink as a cross-check.
// (d)    Key press to screen: 'p' written to the fake stdin at a random moment
//        until a frame showing PAUSED (or RUNNING again) is written.
import { createElement } from 'react';
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { App } from '../components/App.js';
import { EngineStore } from '../store/engine-store.js';
import type { StoreLike } from '../store/snapshot.js';
import { cpuMs, stat, withGoal, type Figure } from './harness.js';
import { sleep, startLive } from './live.js';
import { BenchStore } from './ui-store.js';

const FRAMES = 40;
const LIVE_WINDOWS = 5;
const LIVE_WINDOW_MS = 2_000;
const PRESSES = 12;

class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  bytes = 0;
  writes = 0;
  private waiters: { pred: (s: string) => boolean; resolve: (at: number) => void }[] = [];
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (s: string) => {
    this.bytes += Buffer.byteLength(s);
    this.writes++;
    if (this.waiters.length) {
      const at = performance.now();
      this.waiters = this.waiters.filter((w) => (w.pred(s) ? (w.resolve(at), false) : true));
    }
    return true;
  };
  /** Resolves with the time of the first write for which `pred` holds. */
  waitFor(pred: (s: string) => boolean): Promise<number> {
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }
}

class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  write(data: string): void {
    this.data = data;
    this.emit('readable');
  }
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

function mount(store: StoreLike, columns: number, rows: number, maxFps: number) {
  const stdout = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  const seen = { renders: 0, hook: undefined as (() => void) | undefined };
  const instance = render(createElement(App, { store }), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeStdout(columns, rows) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps,
    onRender: () => {
      seen.renders++;
      seen.hook?.();
    },
  });
  return { stdout, stdin, seen, renders: () => seen.renders, unmount: () => instance.unmount() };
}

/** (a, b): CPU ms per frame, and bytes per frame, over FRAMES publishes per run. */
async function frameCost(runs: number, columns: number, rows: number): Promise<Figure[]> {
  const store = new BenchStore();
  // maxFps 1000: every publish is drawn (the console's 15 fps cap only drops frames).
  const ui = mount(store, columns, rows, 1000);
  await sleep(10);
  const frames = async (n: number) => {
    for (let i = 0; i < n; i++) {
      store.publish(0.1);
      await sleep(2); // idle: lets any trailing render run; costs no CPU
    }
  };
  await frames(20); // JIT
  const ms: number[] = [];
  let kb = 0;
  let drawn = 0;
  for (let r = 0; r < runs; r++) {
    const r0 = ui.renders();
    const b0 = ui.stdout.bytes;
    const c0 = process.cpuUsage();
    await frames(FRAMES);
    const cpu = cpuMs(c0);
    drawn = ui.renders() - r0;
    ms.push(cpu / Math.max(1, drawn));
    kb = (ui.stdout.bytes - b0) / Math.max(1, drawn) / 1024;
  }
  ui.unmount();
  const layout = columns >= 120 && rows >= 40 ? 'all five panes' : 'one pane + tabs';
  return [
    { suite: 'ui', name: `frame ${columns}×${rows} (${layout}), 10% rows changed, CPU per frame (${drawn}/${FRAMES} publishes drawn)`, unit: 'ms', ...stat(ms) },
    { suite: 'ui', name: `  bytes written per frame ${columns}×${rows}`, unit: 'KB', median: kb, min: kb, max: kb },
  ];
}

/** Presses 'p' PRESSES times at random moments; ms from the moment to the first frame that shows the new state. */
async function keyLatency(ui: ReturnType<typeof mount>, store: StoreLike): Promise<number[]> {
  const out: number[] = [];
  let seed = 7;
  for (let i = 0; i < PRESSES; i++) {
    seed = (seed * 16807) % 2147483647;
    const delay = 50 + (seed % 250);
    const target = store.getSnapshot().status.run === 'PAUSED' ? 'RUNNING' : 'PAUSED';
    const other = target === 'PAUSED' ? 'RUNNING' : 'PAUSED';
    const due = performance.now() + delay;
    // A timer stands for the terminal's input: it fires when the event loop is free, as a stdin read would.
    const shown = new Promise<number>((resolve) =>
      setTimeout(() => {
        void ui.stdout.waitFor((s) => s.includes(target) && !s.includes(other)).then(resolve);
        ui.stdin.write('p');
      }, delay),
    );
    const at = await Promise.race([shown, sleep(5_000).then(() => Number.NaN)]);
    out.push(at - due);
    await sleep(100);
  }
  return out;
}

async function staticLatency(): Promise<Figure[]> {
  const store = new BenchStore();
  const ui = mount(store, 120, 40, 15);
  await sleep(50);
  const lat = await keyLatency(ui, store);
  ui.unmount();
  return [withGoal({ suite: 'ui', name: `key 'p' → frame showing PAUSED/RUNNING, 120×40, idle process, ${PRESSES} presses`, unit: 'ms', ...stat(lat) }, '≤', 200, '≤ 200 ms')];
}

async function liveUi(): Promise<Figure[]> {
  const live = await startLive();
  const store = new EngineStore(live.app, { hz: 5 });
  // CPU from the start of each publish until React has rendered it: React 19
  // renders a store update in a microtask queued while the listeners run, and
  // Ink draws inside that commit, so the span closes two microtasks later.
  const pub = { cpuUs: 0, calls: 0 };
  let open = 0;
  const publish = store.publish.bind(store);
  store.publish = () => {
    const c0 = process.cpuUsage();
    open++;
    try {
      publish();
    } finally {
      queueMicrotask(() =>
        queueMicrotask(() => {
          const c = process.cpuUsage(c0);
          pub.cpuUs += c.user + c.system;
          pub.calls++;
          open--;
        }),
      );
    }
  };
  const windowed = async (windows: number, ms: number) => {
    const ui: number[] = [];
    const proc: number[] = [];
    let frames = 0;
    for (let w = 0; w < windows; w++) {
      const p0 = { ...pub };
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await sleep(ms);
      const wall = performance.now() - t0;
      ui.push((100 * (pub.cpuUs - p0.cpuUs)) / 1000 / wall);
      proc.push((100 * cpuMs(c0)) / wall);
      frames += pub.calls - p0.calls;
    }
    return { ui, proc, frames };
  };
  const out: Figure[] = [];
  try {
    // Snapshot build alone: the store publishing with nobody rendering.
    store.start();
    await sleep(1_000);
    const bare = await windowed(3, LIVE_WINDOW_MS);
    store.stop();
    // The console: Ink mounted on the same store, as src/ui.tsx renders it (maxFps 15).
    const ui = mount(store, 120, 40, 15);
    // A render outside that span (a throttled trailing frame) would escape the timing: count them.
    let outside = 0;
    ui.seen.hook = () => void (open > 0 || outside++);
    store.start();
    await sleep(1_000);
    outside = 0;
    const renders0 = ui.renders();
    const drawn = await windowed(LIVE_WINDOWS, LIVE_WINDOW_MS);
    const renders = ui.renders() - renders0;
    ui.seen.hook = undefined;
    const lat = await keyLatency(ui, store);
    store.stop();
    ui.unmount();
    const snap = store.getSnapshot();
    const rowsLabel = `${snap.shards.length} shards, ${snap.ofi.length} OFI, ${snap.signals.length} signals, ${snap.clusters.length} clusters`;
    const secs = (LIVE_WINDOWS * LIVE_WINDOW_MS) / 1000;
    out.push(withGoal({ suite: 'ui', name: `UI at 5 Hz, 120×40, live engine on the simulator (${rowsLabel}): publish + render, ${LIVE_WINDOWS} × ${LIVE_WINDOW_MS / 1000} s`, unit: '% core', ...stat(drawn.ui) }, '≤', 15, '≤ 15%'));
    out.push({ suite: 'ui', name: `  of which snapshot build alone (no Ink mounted), 3 × ${LIVE_WINDOW_MS / 1000} s`, unit: '% core', ...stat(bare.ui) });
    out.push({ suite: 'ui', name: `  publishes ${drawn.frames} and frames drawn ${renders} in ${secs} s (${outside} outside publish); whole process (engine + simulator + UI)`, unit: '% core', ...stat(drawn.proc) });
    out.push({ suite: 'ui', name: `  same process without Ink (engine + simulator + snapshot build)`, unit: '% core', ...stat(bare.proc) });
    out.push(withGoal({ suite: 'ui', name: `key 'p' → frame showing PAUSED/RUNNING, 120×40, live engine ingesting, ${PRESSES} presses`, unit: 'ms', ...stat(lat) }, '≤', 200, '≤ 200 ms'));
  } finally {
    store.stop();
    await live.stop();
  }
  return out;
}

export async function uiSuite(runs: number): Promise<Figure[]> {
  return [...(await frameCost(runs, 80, 24)), ...(await frameCost(runs, 120, 40)), ...(await frameCost(runs, 200, 50)), ...(await staticLatency()), ...(await liveUi())];
}
