// Replay at max speed through decode → books → signals → scan →
// arbitrage → paper, on one core. The recording comes from the simulator.
import { Engine } from '../src/engine.js';
import { RestClient } from '../src/feed/rest-client.js';
import { openDatabase } from '../src/persist/db.js';
import { Recorder } from '../src/replay/recorder.js';
import { readRecording, replay } from '../src/replay/replay.js';
import { Simulator } from '../src/sim/simulator.js';
import { measure, type Figure } from './harness.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function recordSession(seconds: number, markets: number, rate: number): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'pc-bench-')), 'session.jsonl.gz');
  const sim = new Simulator({ seed: 'bench-replay', markets, speed: 60, rate });
  const urls = await sim.start();
  const { db } = openDatabase(':memory:');
  const rest = new RestClient();
  const engine = new Engine({ kind: 'SIM', gammaUrl: urls.gamma, clobUrl: urls.clob, wsUrl: urls.ws }, db, { hotCap: markets * 2 }, Date.now, () => {}, rest);
  const rec = new Recorder(file);
  rec.attach(engine, rest, { source: 'SIM', gamma: urls.gamma, clob: urls.clob });
  await engine.start();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  await engine.stop();
  await rec.close();
  await sim.stop();
  db.close();
  return file;
}

export async function replaySuite(runs: number): Promise<Figure[]> {
  const file = await recordSession(30, 2000, 4000);
  const rec = readRecording(file);
  rmSync(dirname(file), { recursive: true, force: true });
  let events = 0;
  let frames = 0;
  const loopRates: number[] = [];
  const run = async (paper: boolean) => {
    const o = await replay(rec, { speed: 'max', set: paper ? { 'paper.enabled': true } : {} });
    events = o.events;
    frames = o.frames;
    return (o.events * 1000) / o.loopMs;
  };
  const withPaper = measure(runs, () => NaN);
  for (let i = 0; i < runs; i++) loopRates.push(await run(true));
  loopRates.sort((a, b) => a - b);
  withPaper.median = loopRates[Math.floor(loopRates.length / 2)]!;
  withPaper.min = loopRates[0]!;
  withPaper.max = loopRates[loopRates.length - 1]!;
  return [{ suite: 'replay', name: `max speed, decode→books→signals→scan→arb→paper, ${frames} frames / ${events} events (goal ≥ 300,000)`, unit: 'events/s', ...withPaper }];
}
