// One read of the venue's resolved history for both consumers at start-up: the
// strategy verdicts and the learned scorer's training set. Reading it is most
// of the cost (thousands of closed markets and their price series over HTTP),
// so a console reads it once, in one worker thread, and hands each consumer its
// result: the verdicts first, then the scorer's sample columns (transferred, not
// copied). Tests running the sources do it inline.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { resolvedHistory, verdictsOf, type HistorySource, type ValidationSummary } from './validation.js';
import { historyLabel, scorerHistoryOf, type ScorerHistory, type ScorerHistoryOptions } from './scorer-history.js';

export interface HistoryBehind {
  /** The strategy verdicts; call with the progress sink (validateStrategies passes its own). */
  strategies: (progress: (line: string) => void) => Promise<ValidationSummary | undefined>;
  scorer: Promise<ScorerHistory | undefined>;
}

type WorkerMsg =
  | { type: 'progress'; line: string }
  | { type: 'done'; result: ValidationSummary | null }
  | { type: 'scorer'; result: ScorerHistory | null }
  | { type: 'error'; message: string };

/** Reads `from` once (in a worker when running compiled) and derives both results from the same markets. */
export function historyBehind(from: HistorySource, scorer: ScorerHistoryOptions = {}): HistoryBehind {
  let progress: (line: string) => void = () => {};
  const sink = (line: string) => progress(line);
  let resolveV!: (v: ValidationSummary | undefined) => void;
  let rejectV!: (e: Error) => void;
  let resolveS!: (s: ScorerHistory | undefined) => void;
  let rejectS!: (e: Error) => void;
  const verdicts = new Promise<ValidationSummary | undefined>((res, rej) => ((resolveV = res), (rejectV = rej)));
  const scored = new Promise<ScorerHistory | undefined>((res, rej) => ((resolveS = res), (rejectS = rej)));
  const fail = (e: Error) => {
    rejectV(e);
    rejectS(e);
  };
  const workerFile = fileURLToPath(new URL('./validation-worker.js', import.meta.url));
  const portable = from.kind === 'db' ? ({ kind: 'db-file', path: from.db.name } as const) : from;
  if (!import.meta.url.endsWith('.js') || !existsSync(workerFile) || (from.kind === 'db' && (from.db.memory || !existsSync(from.db.name)))) {
    setImmediate(() => {
      resolvedHistory(from, sink).then((markets) => {
        resolveV(verdictsOf(markets, from, sink));
        resolveS(markets.length ? scorerHistoryOf(markets, historyLabel(from, markets.length), scorer) : undefined);
      }, fail);
    });
  } else {
    const w = new Worker(workerFile, { workerData: { from: portable, scorer: { ...scorer, strategies: undefined } } });
    w.unref();
    w.on('message', (m: WorkerMsg) => {
      if (m.type === 'progress') sink(m.line);
      else if (m.type === 'done') resolveV(m.result ?? undefined);
      else if (m.type === 'scorer') resolveS(m.result ?? undefined);
      else fail(new Error(m.message));
    });
    w.on('error', fail);
    w.on('exit', (code) => {
      // Whatever has not arrived by now never will.
      const why = new Error(`history worker exited with code ${code}`);
      if (code === 0) {
        resolveV(undefined);
        resolveS(undefined);
      } else fail(why);
    });
  }
  return {
    strategies: (p) => {
      progress = p;
      return verdicts;
    },
    scorer: scored,
  };
}
