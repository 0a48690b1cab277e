// Grades the whole pipeline (catalog sync, screen, promotion, POST /books
// confirmation, streamed books, arbitrage loop) against the simulator's
// planted truth: a real simulator on loopback, a real engine and app with the
// given hot cap. Used by the recall test and the large-catalog bench.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Simulator } from '../src/sim/simulator.js';
import { Engine } from '../src/engine.js';
import { openDatabase } from '../src/persist/db.js';
import { App } from '../src/app.js';
import type { ArbOpportunity } from '../src/arb/types.js';
import type { PlantedTruth } from '../src/sim/world-types.js';
import type { ScreenFigures } from '../src/screen/screen-loop.js';
import type { ScreenLoopOptions } from '../src/screen/screen-loop.js';
import { systemWall } from '../src/clock.js';

export interface RecallRun {
  seed: string;
  markets: number;
  hotCap: number;
  /** Simulator speed (sim seconds per wall second). */
  speed: number;
  /** Stop after this much wall time, ms. */
  wallMs: number;
  /** Stop once this many sim ms have passed since the engine started (catalog sync included). */
  simMs: number;
  /** Stop early once recall reaches this. */
  stopAtRecall?: number;
  screen?: Partial<ScreenLoopOptions>;
  progress?: (line: string) => void;
  /** Called before teardown (diagnostics). */
  inspect?: (app: App, sim: Simulator) => void;
}

export interface RecallResult {
  planted: number;
  found: number;
  reported: number;
  matching: number;
  recall: number;
  precision: number;
  /** Sim ms from engine start until the recall target was met (or the end). */
  simMs: number;
  /** Sim ms the engine took to sync the catalog and start streaming. */
  startupSimMs: number;
  /** Sim ms from engine start until recall first reached 90% (-1: never). */
  simMsTo90: number;
  wallMs: number;
  figures: ScreenFigures;
  /** Most requests the screen sent in any 10 s (wall) window. */
  maxScreenPer10s: number;
  minBudgetPer10s: number;
  missed: string[];
}

const matches = (v: ArbOpportunity, p: PlantedTruth) => v.kind === p.kind && v.marketIds.some((id) => p.marketIds.includes(id));

export async function runRecall(r: RecallRun): Promise<RecallResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-recall-'));
  const sim = new Simulator({ seed: r.seed, markets: r.markets, speed: r.speed, rate: 1500, clock: 'wall' });
  const urls = await sim.start();
  const { db } = openDatabase(join(dir, 'db.sqlite'));
  const engine = new Engine({ kind: 'SIM', gammaUrl: urls.gamma, clobUrl: urls.clob, wsUrl: urls.ws }, db, { hotCap: r.hotCap, checkpointEvery: Infinity }, systemWall);
  const reported: ArbOpportunity[] = [];
  const app = new App(engine, { collector: false, paper: { enabled: false }, ...(r.screen ? { screen: r.screen } : {}) });
  const arbPublish = app.arb;
  const seen = new Set<string>();
  const planted = sim.world.planted.filter((p) => p.kind !== 'duplicate');
  const grade = () => {
    for (const o of arbPublish.scanner.current()) {
      if (seen.has(o.id)) continue;
      seen.add(o.id);
      reported.push(o);
    }
    const found = planted.filter((p) => reported.some((v) => matches(v, p))).length;
    const matching = reported.filter((v) => planted.some((p) => matches(v, p))).length;
    return { found, matching };
  };
  const t0 = engine.now();
  let simStart = 0;
  const stamps: number[] = [];
  let lastRequests = 0;
  let minBudget = Infinity;
  let maxPer10s = 0;
  let g = { found: 0, matching: 0 };
  let startupSimMs = 0;
  let simMsTo90 = -1;
  let lastProgress = 0;
  try {
    simStart = sim.exchange.now;
    await engine.start();
    if (engine.phase !== 'streaming') throw new Error(engine.statusLine);
    startupSimMs = sim.exchange.now - simStart;
    const screen = app.screen!;
    for (;;) {
      await new Promise((res) => setTimeout(res, 250));
      const now = engine.now();
      const req = screen.screen.requests;
      for (let i = lastRequests; i < req; i++) stamps.push(now);
      lastRequests = req;
      while (stamps.length && stamps[0]! <= now - 10_000) stamps.shift();
      maxPer10s = Math.max(maxPer10s, stamps.length);
      minBudget = Math.min(minBudget, screen.screen.budget());
      g = grade();
      const recall = planted.length ? g.found / planted.length : 1;
      const simMs = sim.exchange.now - simStart;
      if (simMsTo90 < 0 && recall >= 0.9) simMsTo90 = simMs;
      if (r.progress && now - lastProgress >= 5_000) {
        lastProgress = now;
        const f = screen.figures(now);
        r.progress(`wall ${((now - t0) / 1000).toFixed(0)}s sim ${(simMs / 1000).toFixed(0)}s: found ${g.found}/${planted.length}, reported ${reported.length}, candidates ${f.candidates}, promoted ${f.promoted}, screened ${f.screened}/${f.universe}, age ${(f.ageMs / 1000).toFixed(1)}s, req ${f.requests}`);
      }
      if (r.stopAtRecall !== undefined && recall >= r.stopAtRecall) break;
      if (now - t0 >= r.wallMs || simMs >= r.simMs) break;
    }
    r.inspect?.(app, sim);
    const f = screen.figures(engine.now());
    const missed = planted.filter((p) => !reported.some((v) => matches(v, p))).map((p) => `${p.kind}: ${p.marketIds.map((id) => sim.world.market(id)?.question ?? id).join(' | ')}`);
    return {
      planted: planted.length,
      found: g.found,
      reported: reported.length,
      matching: g.matching,
      recall: planted.length ? g.found / planted.length : 1,
      precision: reported.length ? g.matching / reported.length : 1,
      simMs: sim.exchange.now - simStart,
      startupSimMs,
      simMsTo90,
      wallMs: engine.now() - t0,
      figures: f,
      maxScreenPer10s: maxPer10s,
      minBudgetPer10s: minBudget,
      missed,
    };
  } finally {
    await engine.stop();
    // A cycle already under way finishes before the database closes.
    for (let i = 0; i < 100 && engine['cycling']; i++) await new Promise((res) => setTimeout(res, 50));
    await sim.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
