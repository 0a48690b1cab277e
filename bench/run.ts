// npm run bench [-- --json] [-- --runs N] [-- --only suite,suite] [-- --list]
// [-- --save results.json]: every suite, one table (or JSON; --save writes the
// JSON beside the table). Each suite runs in its own child process (started
// with --expose-gc and NODE_ENV=production), so one suite's heap, JIT state and
// RSS never leak into the next one's figures; the parent only collects them.
import { fork } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { printTable, type Figure } from './harness.js';
import { installInkMeasureCache } from '../src/text/ink-measure.js';

type Suite = (runs: number) => Figure[] | Promise<Figure[]>;

/** Suites in table order; each loads its module only in its own child. */
const SUITES: [string, () => Promise<Suite | undefined>][] = [
  ['decode', async () => (await import('./decode.js')).decodeSuite],
  ['book', async () => (await import('./book.js')).bookSuite],
  ['ingest', async () => (await import('./ingest.js')).ingestSuite],
  ['peer', async () => (await import('./peer.js')).peerSuite],
  ['simulator', async () => { const { simSuite } = await import('./sim.js'); return (runs) => simSuite(Math.min(runs, 3)); }],
  ['signals', async () => (await import('./signals.js')).signalsSuite],
  ['scan', async () => (await import('./scan.js')).scanSuite],
  ['arb', async () => (await import('./arb.js')).arbSuite],
  ['scaling', async () => (await import('./scaling.js')).scalingSuite],
  ['paper', async () => (await import('./paper.js')).paperSuite],
  ['persist', async () => (await import('./persist.js')).persistSuite],
  ['ui', async () => (await import('./ui.js')).uiSuite],
  ['wire', async () => (await import('./wire.js')).wireSuite],
  ['replay', loadReplay],
  ['day', async () => (await import('./replay-day.js')).replayDaySuite],
  ['rss', async () => (await import('./rss.js')).rssSuite],
  ['backtest', async () => (await import('./backtest.js')).backtestSuite],
  ['alerts', async () => (await import('./alerts.js')).alertsSuite],
  ['model', async () => (await import('./model.js')).modelSuite],
  ['screen', async () => (await import('./screen.js')).screenSuite],
];

/** The replay bench is written separately; it is run only when it has been built. */
async function loadReplay(): Promise<Suite | undefined> {
  const url = new URL('./replay.js', import.meta.url);
  if (!existsSync(fileURLToPath(url))) return undefined;
  const mod = (await import(url.href)) as Record<string, unknown>;
  const fn = mod['replaySuite'] ?? mod['default'] ?? Object.entries(mod).find(([k, v]) => k.endsWith('Suite') && typeof v === 'function')?.[1];
  return typeof fn === 'function' ? (fn as Suite) : undefined;
}

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Math.max(1, Number(flag('--runs')) || 5);

interface ChildResult {
  figures?: Figure[];
  error?: string;
}

if (flag('--child')) await child(flag('--child')!);
else await parent();

async function child(name: string): Promise<void> {
  installInkMeasureCache(); // as the CLI does, before any suite loads Ink
  const entry = SUITES.find(([n]) => n === name);
  const result: ChildResult = {};
  try {
    const suite = await entry![1]();
    result.figures = suite
      ? await suite(runs)
      : [{ suite: name, name: 'not run: bench/replay.ts is not in this build yet', unit: '', median: NaN, min: NaN, max: NaN }];
  } catch (err) {
    result.error = (err as Error).stack ?? String(err);
  }
  await new Promise<void>((r) => process.send!(result, () => r()));
  process.exit(0);
}

async function parent(): Promise<void> {
  if (args.includes('--list')) {
    console.log(SUITES.map(([n]) => n).join('\n'));
    return;
  }
  const only = flag('--only')?.split(',').map((s) => s.trim());
  const unknown = only?.filter((n) => !SUITES.some(([s]) => s === n)) ?? [];
  if (unknown.length) {
    console.error(`bench: unknown suite ${unknown.join(', ')}; suites: ${SUITES.map(([n]) => n).join(', ')}`);
    process.exit(2);
  }
  const machine = { node: process.version, cpu: cpus()[0]?.model ?? '?', cores: cpus().length, loadavgBefore: loadavg().map((x) => +x.toFixed(2)) };
  const figures: Figure[] = [];
  const durations: Record<string, number> = {};
  let failed = 0;
  const t0 = performance.now();
  for (const [name] of SUITES) {
    if (only && !only.includes(name)) continue;
    const s0 = performance.now();
    process.stderr.write(`bench: ${name} …`);
    const res = await runChild(name);
    durations[name] = Math.round((performance.now() - s0) / 100) / 10;
    process.stderr.write(` ${durations[name]} s\n`);
    if (res.error) {
      failed++;
      process.stderr.write(`bench: ${name} failed:\n${res.error}\n`);
      figures.push({ suite: name, name: `FAILED: ${res.error.split('\n')[0]}`, unit: '', median: NaN, min: NaN, max: NaN });
    } else figures.push(...res.figures!.map(judge));
  }
  const totalSec = Math.round((performance.now() - t0) / 1000);
  const after = loadavg().map((x) => +x.toFixed(2));
  const json = JSON.stringify({ ...machine, loadavgAfter: after, runs, totalSec, durations, figures }, null, 1);
  if (flag('--save')) writeFileSync(flag('--save')!, json + '\n');
  if (args.includes('--json')) console.log(json);
  else {
    printTable(figures);
    console.log(`\n${machine.node} · ${machine.cpu} × ${machine.cores} · load ${machine.loadavgBefore.join(' ')} → ${after.join(' ')} · runs ${runs} · ${totalSec} s`);
  }
  process.exit(failed ? 1 : 0);
}

/** Goals for suites that do not state their own (an older replay bench gave only its figure's name). */
function judge(f: Figure): Figure {
  if (f.suite === 'replay' && f.unit === 'events/s' && f.goal === undefined && f.name.startsWith('max speed') && Number.isFinite(f.median)) return { ...f, goal: '≥ 300,000', met: f.median >= 300_000 };
  return f;
}

function runChild(name: string): Promise<ChildResult> {
  return new Promise((resolve) => {
    const script = fileURLToPath(import.meta.url);
    const proc = fork(script, ['--child', name, '--runs', String(runs)], {
      execArgv: ['--expose-gc'],
      // Production React (as the console runs); colour on, as on an operator's 256-colour terminal.
      env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '2', CI: 'false' },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    // Anything a suite prints goes to stderr: stdout carries only the table or the JSON.
    proc.stdout!.pipe(process.stderr);
    let result: ChildResult | undefined;
    proc.on('message', (m) => (result = m as ChildResult));
    proc.on('exit', (code, signal) => resolve(result ?? { error: `child exited (${signal ?? code}) without a result` }));
  });
}
