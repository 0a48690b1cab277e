// Background retraining in a real worker_threads worker (the compiled
// dist/src/model/train-worker.js, built by `npm run build`): triggers, the
// zero-copy transfer, the atomic swap, expiry, and the engine thread's
// event-loop delay while a retrain runs.
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultFeatureSpec } from '../../src/model/features.js';
import { predict, trainModel, type ScorerModel } from '../../src/model/model.js';
import { Retrainer } from '../../src/model/retrainer.js';
import { ROOT } from '../helpers/paths.js';
import { synthetic } from './helpers.js';
import { wallMs } from '../../src/clock.js';

const workerFile = join(ROOT, 'dist', 'src', 'model', 'train-worker.js');
const spec = defaultFeatureSpec();
const open: Retrainer[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
});

function retrainer(over: Partial<ConstructorParameters<typeof Retrainer>[0]> = {}) {
  const r = new Retrainer({ featureHash: spec.hash, width: spec.width, workerFile, everyOutcomes: 500, everyMs: 3_600_000, minEvents: 100, seed: 1, ...over });
  open.push(r);
  return r;
}

function feed(r: Retrainer, s: ReturnType<typeof synthetic>, from = 0, to = s.n) {
  for (let i = from; i < to; i++) r.add(s.x.subarray(i * s.d, (i + 1) * s.d), s.mid[i]!, s.y[i] as 0 | 1, s.resolvedMs[i]!, s.atMs[i]!, `e${s.event[i]}`);
}

describe('Retrainer', () => {
  it('retrains every N outcomes in the worker; the arrays move there and back; the model is the one a direct fit gives', async () => {
    const s = synthetic({ events: 400, signal: 1, seed: 'rt' });
    const r = retrainer({ everyOutcomes: 300 });
    feed(r, s, 0, 299);
    expect(r.due()).toBe(false);
    feed(r, s, 299, s.n);
    expect(r.due()).toBe(true);
    const before = r.rowsBuffer!;
    const p = r.maybeRetrain()!;
    expect(before.byteLength).toBe(0); // transferred (detached here), not copied
    expect(r.rowsBuffer).toBeUndefined();
    expect(r.status().training).toBe(true);
    r.add(s.x.subarray(0, s.d), 0.5, 1, 0, 0, 'late'); // arrives mid-retrain: kept, appended after
    const m = (await p)!;
    expect(r.current).toBe(m);
    expect(r.rowsBuffer!.byteLength).toBeGreaterThan(0);
    expect(r.status()).toMatchObject({ rows: s.n + 1, trainedRows: s.n, training: false, retrains: 1, expired: false });
    const direct = trainModel(s, { featureHash: spec.hash, nowMs: 0, seed: 1 });
    expect(m.hash).toBe(direct.hash);
    expect(r.score(s.x.subarray(0, s.d), s.mid[0]!)).toBe(predict(direct, s.x, s.mid[0]!, 0));
  });

  it('retrains after M minutes with fewer outcomes; a model past its expiry is not used', async () => {
    let now = 1_000_000;
    const s = synthetic({ events: 200, signal: 1, seed: 'rt-m' });
    const r = retrainer({ everyOutcomes: 10_000, everyMs: 60_000, expiryMs: 120_000, now: () => wallMs(now) });
    feed(r, s);
    expect(r.due()).toBe(false);
    now += 60_000;
    expect(r.due()).toBe(true);
    await r.maybeRetrain();
    const x = s.x.subarray(0, s.d);
    expect(r.score(x, 0.3)).toBeTypeOf('number');
    now += 119_999;
    expect(r.status().ageMs).toBe(119_999);
    expect(r.score(x, 0.3)).toBeTypeOf('number');
    now += 1;
    expect(r.score(x, 0.3)).toBeUndefined();
    expect(r.status().expired).toBe(true);
  });

  it('keeps a sliding window of the most recent rows', async () => {
    const s = synthetic({ events: 1500, signal: 1, seed: 'win' });
    const r = retrainer({ maxRows: 2048 });
    feed(r, s);
    expect(s.n).toBeGreaterThan(2048);
    expect(r.status().rows).toBeLessThanOrEqual(2048);
    expect(r.status().rows).toBeGreaterThan(1024);
    const m = (await r.retrain())!;
    expect(m.rows).toBe(r.status().rows);
    // The kept rows are the latest: the model's newest outcome is the data's newest.
    expect(m.trainedUpToMs).toBe(Math.max(...s.resolvedMs));
  });

  it('too few events: no model, said why', async () => {
    const r = retrainer({ minEvents: 1000 });
    feed(r, synthetic({ events: 50, signal: 0, seed: 'few' }));
    expect(await r.retrain()).toBeUndefined();
    expect(r.status().lastError).toMatch(/50 events < 1000/);
  });

  it('event-loop delay p99 rises ≤ 5 ms while a large retrain runs; every score during it comes from a whole model', async () => {
    const s = synthetic({ events: 12_000, signal: 1, seed: 'big' });
    const r = retrainer({ everyOutcomes: 1 });
    feed(r, s);
    await r.retrain();
    const old = r.current!;
    feed(r, synthetic({ events: 3000, signal: 1, seed: 'more' }));
    const x = s.x.subarray(0, s.d);
    const mid = s.mid[0]!;
    const scores = new Set<number>();
    // The engine's thread keeps scoring on a 1 ms timer throughout.
    const tick = setInterval(() => scores.add(r.score(x, mid)!), 1);
    const p99During = async (work: () => Promise<unknown>) => {
      const h = monitorEventLoopDelay({ resolution: 1 });
      h.enable();
      const t0 = performance.now();
      await work();
      const ms = performance.now() - t0;
      h.disable();
      return { p99: h.percentile(99) / 1e6, ms };
    };
    try {
      const base = await p99During(() => new Promise((res) => setTimeout(res, 1500)));
      const models: ScorerModel[] = [old];
      let excess = Infinity;
      // A regression (training on this thread) adds hundreds of ms on every try; a busy host's
      // scheduler adds a few ms now and then, so the bound must hold on one of three tries.
      for (let attempt = 0; attempt < 3 && excess > 5; attempt++) {
        if (attempt > 0) feed(r, synthetic({ events: 500, signal: 1, seed: `again-${attempt}` }));
        let next: ScorerModel | undefined;
        const during = await p99During(async () => (next = await r.retrain()));
        // Control: a second thread that only spins for as long, with nothing shared.
        // On an oversubscribed machine the OS scheduler alone delays the loop this much.
        const control = await p99During(() => spin(during.ms));
        const spare = loadavg()[0]! < cpus().length - 1;
        console.log(
          `retrain of ${r.status().trainedRows} rows × ${spec.width} features: ${during.ms.toFixed(0)} ms in the worker; event-loop delay p99 ${base.p99.toFixed(2)} ms idle → ${during.p99.toFixed(2)} ms during (spinning control thread: ${control.p99.toFixed(2)} ms; load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`,
        );
        expect(during.ms).toBeGreaterThan(100); // a real retrain was measured
        expect(next!.hash).not.toBe(models.at(-1)!.hash);
        models.push(next!);
        // With a core to spare the bound is absolute; on a saturated machine the retrain may add ≤ 5 ms over what any busy thread costs.
        excess = during.p99 - (spare ? base.p99 : Math.max(base.p99, control.p99));
      }
      expect(excess).toBeLessThanOrEqual(5);
      scores.add(r.score(x, mid)!);
      const allowed = new Set(models.map((m) => predict(m, x, mid)));
      for (const v of scores) expect(allowed.has(v)).toBe(true);
      expect(scores.size).toBe(allowed.size);
    } finally {
      clearInterval(tick);
    }
  }, 120_000);
});

async function spin(ms: number): Promise<void> {
  const w = new Worker(`const { parentPort, workerData } = require('node:worker_threads'); const t = Date.now(); let x = 0; while (Date.now() - t < workerData) x += Math.sqrt(x + 1); parentPort.postMessage(x);`, { eval: true, workerData: ms });
  try {
    await new Promise((res, rej) => {
      w.once('message', res);
      w.once('error', rej);
    });
  } finally {
    await w.terminate();
  }
}
