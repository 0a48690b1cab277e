// Generates a backfill for the simulator (see backfill-behind.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { generateBackfillCached } from './backfill-cache.js';
import type { BackfillJob } from './backfill-behind.js';

const port = parentPort;
if (port) {
  try {
    const job = workerData as BackfillJob;
    port.postMessage({ backfill: generateBackfillCached(job.source, job.options) });
  } catch (err) {
    port.postMessage({ error: (err as Error).message });
  }
}
