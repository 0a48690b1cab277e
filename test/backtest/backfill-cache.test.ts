// The backfill cache returns exactly what generating would, keyed by every input.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backfillKey, loadBackfillCached } from '../../src/sim/backfill-cache.js';
import { loadBackfill } from '../../src/sim/resolved-history.js';
import { loadTemplates } from '../../src/sim/world.js';
import { tempDir } from '../helpers/paths.js';

const templates = loadTemplates();
const source = { seed: 'cache', epochMs: Date.parse(templates.epoch), templates };
const small = { days: 4, familiesPerDay: 10 };

describe('loadBackfillCached', () => {
  it('the first load writes, the second reads the same markets (typed arrays intact)', () => {
    const dir = tempDir('pc-bfc-');
    const first = loadBackfillCached(source, small, dir);
    expect(readdirSync(dir)).toEqual([`backfill-${backfillKey(source, small)}.v8`]);
    const second = loadBackfillCached(source, small, dir);
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    expect(second[0]!.t).toBeInstanceOf(Int32Array);
    expect(second[0]!.p).toBeInstanceOf(Uint16Array);
    expect(first).toEqual(loadBackfill(source, small));
  });

  it('keys on seed and options; a torn file is regenerated', () => {
    expect(backfillKey(source, small)).not.toBe(backfillKey({ ...source, seed: 'other' }, small));
    expect(backfillKey(source, small)).not.toBe(backfillKey(source, { ...small, longshotBias: 0.2 }));
    expect(backfillKey(source, small)).toBe(backfillKey({ ...source }, { ...small }));
    const dir = tempDir('pc-bfc-');
    writeFileSync(join(dir, `backfill-${backfillKey(source, small)}.v8`), 'not v8');
    expect(loadBackfillCached(source, small, dir)).toEqual(loadBackfill(source, small));
  });

  it('without a directory it just generates', () => {
    expect(loadBackfillCached(source, small, '')).toEqual(loadBackfill(source, small));
  });
});

describe('loadBackfillCached across processes', () => {
  it('a second process waits for the first one\'s file instead of generating the same backfill', async () => {
    const dir = tempDir('pc-bfc-');
    const file = join(dir, `backfill-${backfillKey(source, small)}.v8`);
    // Someone else holds the lock and is "generating": our call must wait for their file.
    writeFileSync(`${file}.lock`, '1');
    const theirs = loadBackfill(source, small);
    theirs[0]!.question = 'written by the lock holder';
    const { serialize } = await import('node:v8');
    // The wait is synchronous (loads are), so the lock holder writes from another thread.
    const { Worker } = await import('node:worker_threads');
    const w = new Worker(`setTimeout(() => require('node:fs').writeFileSync(${JSON.stringify(file)}, Buffer.from(require('node:worker_threads').workerData)), 300)`, { eval: true, workerData: serialize(theirs) });
    const got = loadBackfillCached(source, small, dir);
    await w.terminate();
    expect(got[0]!.question).toBe('written by the lock holder');
  });
});
