// `replay FILE --set a=1,2,3 --set b=x,y`: every combination of the values,
// each replayed by a fresh engine on a worker thread (one engine per worker at
// a time), against the baseline (the recording with no settings). Each row is
// what that setting alone would give: workers share nothing but the compiled
// recording, inflated once into shared memory that no one writes.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { shareCompiled } from './compiled.js';
import { diffOutcomes, parseSettings, type ReplayOutcome } from './replay.js';

export type Setting = Record<string, number | boolean>;

/** `key=v1,v2` pairs → every combination, in the order given (the last key varies fastest). */
export function parseGrid(pairs: string[]): Setting[] {
  const axes: { key: string; values: string[] }[] = [];
  for (const p of pairs) {
    const i = p.indexOf('=');
    const key = i > 0 ? p.slice(0, i) : p;
    const values = i > 0 ? p.slice(i + 1).split(',') : [''];
    if (values.some((v) => v === '')) throw new Error(`--set ${key}: empty value in "${p}"`);
    if (axes.some((a) => a.key === key)) throw new Error(`--set ${key} given twice (list its values with commas instead)`);
    axes.push({ key, values });
  }
  let grid: Setting[] = [{}];
  for (const a of axes) {
    const next: Setting[] = [];
    for (const g of grid) for (const v of a.values) next.push({ ...g, ...parseSettings([`${a.key}=${v}`]) });
    grid = next;
  }
  return axes.length ? grid : [];
}

/** What a worker sends back: the outcome without the engine summary. */
export type RunResult = Omit<ReplayOutcome, 'summary'>;

export interface SweepRow {
  set: Setting;
  signals: number;
  arbs: number;
  fills: number;
  pnl: number;
  fees: number;
  maxDrawdown: number;
  events: number;
  loopMs: number;
  /** Against the baseline, by the identity of what was emitted. */
  onlyBaseline: number;
  onlyWhatIf: number;
  common: number;
}

export interface SweepResult {
  baseline: SweepRow;
  rows: SweepRow[];
  workers: number;
  wallMs: number;
}

export interface SweepSource {
  /** A compiled file (and the checksum it must carry), or a raw recording. */
  compiled?: { path: string; sha: string };
  raw?: string;
  /** A recording in segments: its manifest, and the checksums of the compiled segments (absent: replay the raw segments). */
  segments?: { manifest: string; shas?: string[] };
}

export function rowOf(set: Setting, o: RunResult, base: RunResult): SweepRow {
  const d = diffOutcomes(base as ReplayOutcome, o as ReplayOutcome);
  return { set, signals: o.signals, arbs: o.arbs, fills: o.fills, pnl: o.pnl, fees: o.fees, maxDrawdown: o.maxDrawdown, events: o.events, loopMs: o.loopMs, onlyBaseline: d.onlyBaseline.length, onlyWhatIf: d.onlyWhatIf.length, common: d.common };
}

export interface RunOptions {
  /**
   * Each worker first replays the first setting once, untimed, and the clock
   * starts when every worker has: the recording is loaded and the code warm,
   * so `wallMs` is the replays alone (benchmarks of steady-state scaling).
   */
  warm?: boolean;
}

/** Runs `settings` (the baseline first) on up to `workers` threads. */
export async function runOnWorkers(
  source: SweepSource,
  settings: Setting[],
  workers: number,
  opts: RunOptions = {},
): Promise<{ results: RunResult[]; wallMs: number; cpuMs: number; workers: number; firstMs: number[]; firstCpuMs: number[] }> {
  const n = Math.max(1, Math.min(workers, settings.length));
  const results: RunResult[] = new Array(settings.length);
  let t0 = performance.now();
  let cpu0 = process.cpuUsage();
  let next = 0;
  const pool: Worker[] = [];
  /** Workers still warming up (opts.warm): none is given work before all are warm. */
  let warming = opts.warm ? n : 0;
  const waiting: (() => void)[] = [];
  /** Per worker, ms from the clock's start to its first result: its start-up and first replay (cold, unless warm). */
  const firstMs: number[] = [];
  /** The process's CPU time (all threads) over the same span, per worker: how many cores a starting worker keeps busy. */
  const firstCpuMs: number[] = [];
  try {
    for (let i = 0; i < n; i++) pool.push(new Worker(new URL('./sweep-worker.js', import.meta.url), { workerData: source }));
    // A compiled file is read and inflated once, here, while the workers load their code; they all
    // build their recording over the same shared columns (one copy in memory, not one per worker).
    const shared = source.compiled ? shareCompiled(readFileSync(source.compiled.path), source.compiled.sha) : undefined;
    if (source.compiled && !shared) throw new Error(`${source.compiled.path} is not the compiled form of this recording`);
    await Promise.all(
      pool.map((w) =>
        new Promise<void>((resolve, reject) => {
          if (shared) w.postMessage({ id: -2, shared });
          let current = -1;
          let first = false;
          const give = () => {
            if (next >= settings.length) {
              void w.terminate().then(() => resolve());
              return;
            }
            current = next++;
            w.postMessage({ id: current, set: settings[current] });
          };
          w.on('message', (m: { id: number; result?: RunResult; error?: string }) => {
            if (m.error !== undefined) {
              reject(new Error(`replay with ${fmtSetting(settings[m.id]!)} failed: ${m.error}`));
              return;
            }
            if (m.id < 0) {
              // Warm-up done: start the clock once the last worker is warm.
              waiting.push(give);
              if (--warming === 0) {
                t0 = performance.now();
                cpu0 = process.cpuUsage();
                for (const g of waiting.splice(0)) g();
              }
              return;
            }
            results[m.id] = m.result!;
            if (!first) {
              first = true;
              firstMs.push(performance.now() - t0);
              const c = process.cpuUsage(cpu0);
              firstCpuMs.push((c.user + c.system) / 1000);
            }
            give();
          });
          w.once('error', (err) => reject(err));
          w.once('exit', (code) => {
            if (current >= 0 && results[current] === undefined) reject(new Error(`a sweep worker stopped (exit ${code})`));
          });
          if (opts.warm) w.postMessage({ id: -1, set: settings[0] });
          else give();
        }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  const cpu = process.cpuUsage(cpu0);
  return { results, wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, workers: n, firstMs, firstCpuMs };
}

export async function sweep(source: SweepSource, grid: Setting[], workers = availableParallelism()): Promise<SweepResult> {
  const { results, wallMs, workers: used } = await runOnWorkers(source, [{}, ...grid], workers);
  const base = results[0]!;
  return { baseline: rowOf({}, base, base), rows: grid.map((s, i) => rowOf(s, results[i + 1]!, base)), workers: used, wallMs };
}

export function fmtSetting(s: Setting): string {
  const e = Object.entries(s);
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join(' ') : '(baseline)';
}

/** The table `replay --set a=1,2` prints: one row per setting, the baseline first. */
export function sweepTable(r: SweepResult): string {
  const money = (x: number) => (x < 0 ? '-' : '') + '$' + Math.abs(x).toFixed(2);
  const signed = (x: number, f: (x: number) => string) => (x > 0 ? '+' : x < 0 ? '-' : '±') + f(Math.abs(x));
  const head = ['setting', 'signals', 'arbs', 'fills', 'P&L', 'fees', 'max DD', 'Δ signals', 'Δ fills', 'Δ P&L', 'emitted vs baseline'];
  const rows = [r.baseline, ...r.rows].map((x, i) => [
    fmtSetting(x.set),
    String(x.signals),
    String(x.arbs),
    String(x.fills),
    money(x.pnl),
    money(x.fees),
    money(x.maxDrawdown),
    i === 0 ? '' : signed(x.signals - r.baseline.signals, String),
    i === 0 ? '' : signed(x.fills - r.baseline.fills, String),
    i === 0 ? '' : signed(x.pnl - r.baseline.pnl, (v) => '$' + v.toFixed(2)),
    i === 0 ? '' : `${x.common} same, +${x.onlyWhatIf} new, -${x.onlyBaseline} gone`,
  ]);
  const w = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ').trimEnd();
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}
