// Sweeps: `replay FILE --set a=1,2 --set b=x,y` runs every combination on
// worker threads; each row equals running that setting alone.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { CLI, ROOT } from '../helpers/paths.js';
import { runAsync } from '../helpers/proc.js';
import { sharedRecording } from '../helpers/recording.js';
import { compileRecording, compiledPathOf, loadCompiled } from '../../src/replay/compiled.js';
import { readRecording, replay } from '../../src/replay/replay.js';
import { parseGrid, rowOf, type Setting, type SweepRow } from '../../src/replay/sweep.js';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

let file = '';

beforeAll(async () => {
  // The run's one recorded session (test/helpers/recording.ts), copied for this file.
  file = await sharedRecording();
}, 240_000);

describe('parseGrid', () => {
  it('expands comma lists into every combination, the last key fastest', () => {
    expect(parseGrid(['arb.minEdge=0,0.02', 'paper.enabled=true', 'scan.batchSize=50,100'])).toEqual([
      { 'arb.minEdge': 0, 'paper.enabled': true, 'scan.batchSize': 50 },
      { 'arb.minEdge': 0, 'paper.enabled': true, 'scan.batchSize': 100 },
      { 'arb.minEdge': 0.02, 'paper.enabled': true, 'scan.batchSize': 50 },
      { 'arb.minEdge': 0.02, 'paper.enabled': true, 'scan.batchSize': 100 },
    ]);
    expect(parseGrid([])).toEqual([]);
    expect(parseGrid(['paper.enabled=on'])).toEqual([{ 'paper.enabled': true }]);
  });

  it('bad values and repeated keys are one-line errors naming the key', () => {
    expect(() => parseGrid(['arb.minEdge=0,2'])).toThrow(/--set arb\.minEdge: expected a number from 0 to 1/);
    expect(() => parseGrid(['arb.minEdge=0,'])).toThrow(/--set arb\.minEdge: empty value/);
    expect(() => parseGrid(['arb.minEdge=0', 'arb.minEdge=1'])).toThrow(/given twice/);
    expect(() => parseGrid(['nope=1,2'])).toThrow(/unknown setting "nope"/);
  });
});

describe('replay --set a=1,2 --set b=x,y', () => {
  it('runs the grid on two workers; every row equals that setting replayed alone, diffed against the baseline', async () => {
    const r = await runAsync(process.execPath, [CLI, 'replay', file, '--set', 'paper.enabled=true', '--set', 'arb.minEdge=0,1', '--set', 'paper.initialCash=500,10000', '--workers', '2', '--json'], { timeout: 180_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(`${file}.compiled`)).toBe(true);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { type: string; workers: number; baseline: SweepRow; rows: SweepRow[] };
    expect(out.type).toBe('sweep');
    expect(out.workers).toBe(2);
    expect(out.rows.map((x) => x.set)).toEqual(parseGrid(['paper.enabled=true', 'arb.minEdge=0,1', 'paper.initialCash=500,10000']));
    // the same settings, each alone, in this process, from the raw file
    const raw = readRecording(file);
    const base = await replay(raw, { speed: 'max', set: {} });
    const strip = (x: SweepRow) => ({ ...x, loopMs: 0 });
    expect(strip(out.baseline)).toEqual(strip(rowOf({}, base, base)));
    for (const row of out.rows) {
      const alone = await replay(raw, { speed: 'max', set: row.set });
      expect(strip(row)).toEqual(strip(rowOf(row.set, alone, base)));
    }
    // the grid is not degenerate: paper trades somewhere, and minEdge=1 drops arbitrage
    expect(out.rows.some((x) => x.fills > 0)).toBe(true);
    expect(out.rows.filter((x) => x.set['arb.minEdge'] === 1).every((x) => x.arbs === 0)).toBe(true);
    expect(new Set(out.rows.map((x) => `${x.fills} ${x.pnl}`)).size).toBeGreaterThan(1);
    // the compiled file replays the same as the raw one
    const compiled = await replay(compileRecording(raw), { speed: 'max', set: {} });
    expect(compiled.lines).toEqual(base.lines);
  }, 300_000);

  it('workers build their recording over the columns the parent inflated once; each reports when its first result came', async () => {
    // The built module (its workers are dist/src/replay/sweep-worker.js, built by `npm run build`).
    const { runOnWorkers } = (await import(pathToFileURL(join(ROOT, 'dist', 'src', 'replay', 'sweep.js')).href)) as typeof import('../../src/replay/sweep.js');
    const c = await loadCompiled(file);
    const set: Setting[] = [{}, { 'arb.minEdge': 1 }, { 'paper.enabled': true }];
    const r = await runOnWorkers({ compiled: { path: compiledPathOf(file), sha: c.sha } }, set, 2);
    for (const [i, s] of set.entries()) expect(r.results[i]!.lines).toEqual((await replay(c.rec, { speed: 'max', set: s })).lines);
    expect(r.firstMs).toHaveLength(2);
    for (const t of r.firstMs) expect(t).toBeGreaterThan(0);
    expect(Math.max(...r.firstMs)).toBeLessThanOrEqual(r.wallMs);
    // The CPU the process spent up to each first result: some, and never more than the whole sweep's.
    expect(r.firstCpuMs).toHaveLength(2);
    for (const t of r.firstCpuMs) expect(t).toBeGreaterThan(0);
    expect(Math.max(...r.firstCpuMs)).toBeLessThanOrEqual(r.cpuMs);
    // Another recording's checksum: refused before any worker replays, in one line.
    await expect(runOnWorkers({ compiled: { path: compiledPathOf(file), sha: 'f'.repeat(64) } }, set, 2)).rejects.toThrow(/is not the compiled form of this recording/);
  }, 120_000);

  it('a replay loads neither grammY nor ws: each is loaded when a Telegram client or a socket is first made', async () => {
    const mod = (f: string) => JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'src', ...f.split('/'))).href);
    const code = `
      const { createRequire } = await import('node:module');
      const cache = createRequire(${JSON.stringify(join(ROOT, 'package.json'))}).cache;
      const loaded = () => ['grammy', 'ws'].filter((p) => Object.keys(cache).some((k) => k.includes('/node_modules/' + p + '/')));
      const { readRecording, replay } = await import(${mod('replay/replay.js')});
      await replay(readRecording(${JSON.stringify(file)}), { speed: 'max', set: { 'paper.enabled': true } });
      const afterReplay = loaded();
      const { TelegramClient } = await import(${mod('alerts/telegram.js')});
      const { Secret } = await import(${mod('alerts/secret.js')});
      new TelegramClient(new Secret('123:abc'), 'http://127.0.0.1:9');
      const { openWebSocket } = await import(${mod('feed/websocket.js')});
      openWebSocket('ws://127.0.0.1:9', {}).on('error', () => {});
      console.log(JSON.stringify({ afterReplay, afterUse: loaded() }));
      process.exit(0);`;
    const r = await runAsync(process.execPath, ['--input-type=module', '-e', code], { timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({ afterReplay: [], afterUse: ['grammy', 'ws'] });
  }, 90_000);

  it('prints a table with one row per setting and the baseline', async () => {
    const r = await runAsync(process.execPath, [CLI, 'replay', file, '--set', 'arb.minEdge=0,1', '--workers', '1'], { timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/2 settings \+ baseline on 1 worker/);
    expect(lines[1]).toMatch(/^setting\s+signals\s+arbs\s+fills\s+P&L\s+fees\s+max DD/);
    expect(lines.slice(3).map((l) => l.split(/\s{2,}/)[0])).toEqual(['(baseline)', 'arb.minEdge=0', 'arb.minEdge=1']);
  }, 120_000);

  it('a bad --workers or a bad value is a one-line error', async () => {
    for (const args of [['--set', 'arb.minEdge=0,1', '--workers', '0'], ['--set', 'arb.minEdge=0,7']]) {
      const r = await runAsync(process.execPath, [CLI, 'replay', file, ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
