// The scorer's starting history off the UI thread (see scorer-history.ts): the
// sample columns go back transferred, not copied.
import { parentPort, workerData } from 'node:worker_threads';
import { sampleBuffers, scorerHistory, type ScorerHistoryOptions } from './scorer-history.js';
import type { HistorySource } from './validation.js';

const port = parentPort;
if (port) {
  const { from, o } = workerData as { from: HistorySource; o: ScorerHistoryOptions };
  scorerHistory(from, o).then(
    (result) => port.postMessage({ type: 'done', result: result ?? null }, result ? sampleBuffers(result.samples) : []),
    (err: unknown) => port.postMessage({ type: 'error', message: (err as Error).message }),
  );
}
