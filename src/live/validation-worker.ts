// The strategy backtest off the UI thread (see validation.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { strategyVerdicts, type HistorySource } from './validation.js';

const port = parentPort;
if (port) {
  try {
    const result = strategyVerdicts(workerData as HistorySource, (line) => port.postMessage({ type: 'progress', line }));
    port.postMessage({ type: 'done', result: result ?? null });
  } catch (err) {
    port.postMessage({ type: 'error', message: (err as Error).message });
  }
}
