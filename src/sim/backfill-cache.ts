// A simulator backfill of 90 days is ~10,000 resolved markets and 1.7 M price
// points: several seconds of CPU to generate and classify, the same every time
// for the same seed and options. When POLYCONSOLE_BACKFILL_CACHE names a
// directory, the generated backfill (what the simulator serves) and its
// resolved markets (what in-process backtests read) are kept there
// (v8-serialized, maps and typed arrays intact) and later loads of the same
// backfill read them instead. The key
// covers everything the result depends on that a caller passes (seed, epoch,
// templates, options, the embedded taxonomy); it does not cover the generator's
// code, so the directory is meant to live for one build — the test command
// gives each run a fresh one, so every backtest test file and every spawned
// `polyconsole backtest` share one generation per backfill.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { dataPath } from '../paths.js';
import { loadTemplates } from './world.js';
import { generateBackfill, type Backfill, type BackfillOptions, type BackfillSource } from './history.js';
import { loadBackfill } from './resolved-history.js';
import type { ResolvedMarket } from '../backtest/types.js';
import { systemWall } from '../clock.js';

export const BACKFILL_CACHE_ENV = 'POLYCONSOLE_BACKFILL_CACHE';

/** The cache file name for one backfill: a hash of its inputs. */
export function backfillKey(source: BackfillSource, opts: BackfillOptions): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ seed: String(source.seed), epochMs: source.epochMs, templates: source.templates, opts }));
  h.update(readFileSync(dataPath('taxonomy.json')));
  return h.digest('hex').slice(0, 32);
}

/** A lock older than this is from a process that died generating; it is ignored. */
const STALE_LOCK_MS = 120_000;

function readCached<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return deserialize(readFileSync(file)) as T;
  } catch {
    return undefined; // a torn or foreign file: regenerate and overwrite it
  }
}

function lockAge(lock: string): number {
  try {
    return systemWall() - statSync(lock).mtimeMs; // file stamps are on this machine's clock
  } catch {
    return Infinity;
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** loadBackfill with the embedded taxonomy, through the cache directory when one is set. */
export function loadBackfillCached(source: BackfillSource, opts: BackfillOptions = {}, dir = process.env[BACKFILL_CACHE_ENV]): ResolvedMarket[] {
  return cached(dir, `backfill-${backfillKey(source, opts)}.v8`, () => loadBackfill(source, opts));
}

/** generateBackfill, through the cache directory when one is set (the simulator serves the result). */
export function generateBackfillCached(source: BackfillSource, opts: BackfillOptions = {}, dir = process.env[BACKFILL_CACHE_ENV]): Backfill {
  return cached(dir, `generated-${backfillKey(source, opts)}.v8`, () => generateBackfill(source, opts));
}

function cached<T>(dir: string | undefined, name: string, make: () => T): T {
  if (!dir) return make();
  const file = join(dir, name);
  const hit = readCached<T>(file);
  if (hit) return hit;
  // One process generates, the others (test forks, spawned CLIs) wait for its
  // file instead of generating the same backfill at the same time.
  const lock = `${file}.lock`;
  let owner = false;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
    owner = true;
  } catch {
    while (!existsSync(file) && lockAge(lock) < STALE_LOCK_MS) Atomics.wait(pause, 0, 0, 100);
    const ready = readCached<T>(file);
    if (ready) return ready;
  }
  try {
    const value = make();
    try {
      // Write then rename: a concurrent reader sees the whole file or none.
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, serialize(value));
      renameSync(tmp, file);
    } catch {
      // The cache is an optimisation; a read-only or full disk costs only time.
    }
    return value;
  } finally {
    if (owner) {
      try {
        unlinkSync(lock);
      } catch {
        // already gone
      }
    }
  }
}

/** `polyconsole backtest --source sim`: the backfill of a seed at the templates' epoch (90 days), cached. */
export function simBackfillHistory(seed: string, bias: number): { markets: ResolvedMarket[]; what: string } {
  const templates = loadTemplates();
  const markets = loadBackfillCached({ seed, epochMs: Date.parse(templates.epoch), templates }, { longshotBias: bias });
  return { markets, what: `simulator backfill (seed ${seed}, 90 days before ${templates.epoch}${bias ? `, longshot bias ${bias}` : ', calibrated'})` };
}
