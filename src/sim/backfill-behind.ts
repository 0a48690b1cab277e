// The simulator's backfill off the serving thread: generating 90 days of
// resolved markets takes seconds of CPU, and the console's UI shares the
// simulator's thread. Compiled (dist), a worker thread generates it; running
// from sources (tests), it is generated inline through the backfill cache.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { generateBackfillCached } from './backfill-cache.js';
import type { Backfill, BackfillOptions, BackfillSource } from './history.js';

export interface BackfillJob {
  source: BackfillSource;
  options: BackfillOptions;
}

/** The backfill of `source`; an abort (the simulator stopping) ends a worker still generating. */
export function generateBackfillBehind(source: BackfillSource, options: BackfillOptions = {}, signal?: AbortSignal): Promise<Backfill> {
  const workerFile = fileURLToPath(new URL('./backfill-worker.js', import.meta.url));
  if (!import.meta.url.endsWith('.js') || !existsSync(workerFile)) {
    return new Promise((resolve, reject) =>
      setImmediate(() => {
        try {
          resolve(generateBackfillCached(source, options));
        } catch (err) {
          reject(err as Error);
        }
      }),
    );
  }
  return new Promise((resolve, reject) => {
    const job: BackfillJob = { source: { seed: source.seed, epochMs: source.epochMs, templates: source.templates }, options };
    const w = new Worker(workerFile, { workerData: job });
    w.unref();
    signal?.addEventListener('abort', () => void w.terminate(), { once: true });
    w.once('message', (m: { backfill?: Backfill; error?: string }) => (m.backfill ? resolve(m.backfill) : reject(new Error(m.error ?? 'backfill worker failed'))));
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`backfill worker exited with code ${code}`)));
  });
}
