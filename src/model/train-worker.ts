// The retrain off the engine's thread: receives the sample buffers (transferred,
// not copied), fits, and sends back the model's weights and the same buffers
// (transferred again), so the engine keeps appending to them without a copy.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { trainModel, type SampleSet, type TrainOptions } from './model.js';

/** One retrain: the sample columns (transferred) and the fit's options. */
export interface TrainRequest extends SampleSet {
  id: number;
  opts: TrainOptions;
}

// Lowest priority for this thread only (Linux nice values are per thread): the
// engine's thread wins whenever the two compete for a core.
try {
  setPriority(19);
} catch {
  // not permitted or not supported: the retrain still runs
}

const port = parentPort;
port?.on('message', (m: TrainRequest) => {
  const bufs = [m.x.buffer, m.mid.buffer, m.y.buffer, m.resolvedMs.buffer, m.atMs.buffer, m.event.buffer] as ArrayBuffer[];
  try {
    const s: SampleSet = { n: m.n, d: m.d, x: m.x.subarray(0, m.n * m.d), mid: m.mid.subarray(0, m.n), y: m.y.subarray(0, m.n), resolvedMs: m.resolvedMs.subarray(0, m.n), atMs: m.atMs.subarray(0, m.n), event: m.event.subarray(0, m.n) };
    const model = trainModel(s, m.opts);
    const w = Float64Array.from(model.w);
    port.postMessage({ id: m.id, ok: true, model: { ...model, w }, x: m.x, mid: m.mid, y: m.y, resolvedMs: m.resolvedMs, atMs: m.atMs, event: m.event }, [w.buffer, ...bufs]);
  } catch (err) {
    port.postMessage({ id: m.id, ok: false, message: (err as Error).message, x: m.x, mid: m.mid, y: m.y, resolvedMs: m.resolvedMs, atMs: m.atMs, event: m.event }, bufs);
  }
});
