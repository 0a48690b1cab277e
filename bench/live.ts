// The console as `polyconsole run` starts it on the simulator, but in-process
// and on a temp FILE database: Simulator + Engine + App (paper off by default),
// strategies validated, streaming. For benches that need the real steady state.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '../src/app.js';
import { DEFAULTS } from '../src/config.js';
import { Engine } from '../src/engine.js';
import { historyOf, validateStrategies } from '../src/plugins/validation.js';
import { openDatabase, type DB } from '../src/persist/db.js';
import { Simulator } from '../src/sim/simulator.js';

export interface Live {
  sim: Simulator;
  engine: Engine;
  app: App;
  db: DB;
  stop(): Promise<void>;
}

export interface LiveOptions {
  markets?: number;
  /** Most a warm-up may take before giving up on "all hot books fresh". */
  warmupMs?: number;
}

/** Starts the console on the simulator with the CLI defaults (2,000 markets, rate 1,500, speed 60) and waits until its books are fresh. */
export async function startLive(opts: LiveOptions = {}): Promise<Live> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-live-'));
  const { db } = openDatabase(join(dir, 'polyconsole.db'));
  const sim = new Simulator({ seed: DEFAULTS.seed, markets: opts.markets ?? DEFAULTS.markets, speed: DEFAULTS.speed, rate: DEFAULTS.simRate, backfill: true });
  const urls = await sim.start();
  const engine = new Engine({ kind: 'SIM', gammaUrl: urls.gamma, clobUrl: urls.clob, wsUrl: urls.ws }, db, { shardSize: DEFAULTS.shardSize, hotCap: DEFAULTS.hotCap, checkpointEvery: DEFAULTS.checkpointEvery });
  const app = new App(engine, { paper: { enabled: false, initialCash: DEFAULTS.paperCash } });
  const validated = validateStrategies(app, historyOf(engine.source, db, sim.world.epochMs));
  await engine.start();
  await validated;
  const deadline = performance.now() + (opts.warmupMs ?? 20_000);
  for (;;) {
    const b = engine.books.counts();
    if ((b.total > 0 && b.fresh >= 0.98 * b.total) || performance.now() > deadline) break;
    await sleep(100);
  }
  return {
    sim,
    engine,
    app,
    db,
    stop: async () => {
      await engine.stop();
      await sim.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Replaces `obj[key]` (a method) with a wrapper that adds the process CPU time
 * and wall time spent inside each call to `acc`. Returns the undo.
 */
export function timeMethod<T extends object>(obj: T, key: keyof T & string, acc: { cpuUs: number; wallMs: number; calls: number }): () => void {
  const original = obj[key] as unknown as (...a: unknown[]) => unknown;
  const wrapped = function (this: unknown, ...a: unknown[]) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    try {
      return original.apply(this, a);
    } finally {
      const c = process.cpuUsage(c0);
      acc.cpuUs += c.user + c.system;
      acc.wallMs += performance.now() - t0;
      acc.calls++;
    }
  };
  (obj as Record<string, unknown>)[key] = wrapped;
  return () => {
    (obj as Record<string, unknown>)[key] = original;
  };
}
