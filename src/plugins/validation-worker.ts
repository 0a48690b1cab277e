// The strategy backtest off the UI thread (see validation.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { strategyVerdicts, type HistorySource } from './validation.js';

const port = parentPort;
if (port) {
  strategyVerdicts(workerData as HistorySource, (line) => port.postMessage({ type: 'progress', line })).then(
    (result) => port.postMessage({ type: 'done', result: result ?? null }),
    (err: unknown) => port.postMessage({ type: 'error', message: (err as Error).message }),
  );
}
