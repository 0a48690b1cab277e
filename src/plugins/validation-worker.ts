// Strategy verdicts off the UI thread (see validation.ts), and, when asked, the
// scorer's starting history from the same read (see history-behind.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { resolvedHistory, strategyVerdicts, verdictsOf, type HistorySource } from './validation.js';
import { historyLabel, sampleBuffers, scorerHistoryOf, type ScorerHistoryOptions } from './scorer-history.js';

const port = parentPort;
const progress = (line: string) => port?.postMessage({ type: 'progress', line });
const fail = (err: unknown) => port?.postMessage({ type: 'error', message: (err as Error).message });
if (port) {
  const data = workerData as HistorySource | { from: HistorySource; scorer: ScorerHistoryOptions };
  if ('scorer' in data) {
    const { from, scorer } = data;
    resolvedHistory(from, progress).then((markets) => {
      port.postMessage({ type: 'done', result: verdictsOf(markets, from, progress) ?? null });
      const h = markets.length ? scorerHistoryOf(markets, historyLabel(from, markets.length), scorer) : undefined;
      port.postMessage({ type: 'scorer', result: h ?? null }, h ? sampleBuffers(h.samples) : []);
    }, fail);
  } else strategyVerdicts(data, progress).then((result) => port.postMessage({ type: 'done', result: result ?? null }), fail);
}
