// Where replay time goes: an in-process CPU profile (the same sampler as
// `node --cpu-prof`), self time grouped by pipeline stage from each sample's
// source file.
import { Session } from 'node:inspector/promises';

export const STAGES = ['decode', 'compiled read', 'books', 'signals', 'scan', 'arbitrage', 'paper', 'engine + plugins', 'GC', 'other'] as const;
export type Stage = (typeof STAGES)[number];

function stageOf(url: string, fn: string): Stage {
  if (fn === '(garbage collector)') return 'GC';
  if (/\/src\/protocol\//.test(url)) return 'decode';
  if (/\/src\/replay\/compiled/.test(url)) return 'compiled read';
  if (/\/src\/book\//.test(url)) return 'books';
  if (/\/src\/signals\/|\/live\/signals-loop/.test(url)) return 'signals';
  if (/\/src\/scan\/|\/live\/scan-loop/.test(url)) return 'scan';
  if (/\/src\/arb\/|\/live\/arb-loop/.test(url)) return 'arbitrage';
  if (/\/src\/paper\/|\/live\/paper-loop/.test(url)) return 'paper';
  if (/\/src\//.test(url)) return 'engine + plugins';
  return 'other';
}

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string };
  hitCount?: number;
}

/**
 * Runs `fn` under the CPU profiler; returns each stage's share of the samples
 * (0–1). `fn` gets a `start` to call where the measured part begins (a
 * replay's frame loop, after start-up); sampling starts there.
 */
export function profileStages(fn: (start: () => void) => Promise<void>): Promise<Record<Stage, number>> {
  return profileBy(fn, STAGES, stageOf, true);
}

/** Same, with the caller's stages: `classify` names the stage of a sample from its source file and function. */
export async function profileBy<K extends string>(fn: (start: () => void) => unknown, stages: readonly K[], classify: (url: string, fn: string) => K, deferred = false): Promise<Record<K, number>> {
  const s = new Session();
  s.connect();
  await s.post('Profiler.enable');
  await s.post('Profiler.setSamplingInterval', { interval: 200 });
  // An in-process session dispatches synchronously: sampling starts at the call.
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    void s.post('Profiler.start');
  };
  if (!deferred) start();
  let profile: { nodes: ProfileNode[] };
  try {
    await fn(start);
    if (!started) throw new Error('profileBy: fn finished without starting the profile');
  } finally {
    profile = ((await s.post('Profiler.stop')) as { profile: { nodes: ProfileNode[] } }).profile;
    s.disconnect();
  }
  const out = Object.fromEntries(stages.map((k) => [k, 0])) as Record<K, number>;
  let total = 0;
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    if (!hits || n.callFrame.functionName === '(idle)') continue;
    out[classify(n.callFrame.url, n.callFrame.functionName)] += hits;
    total += hits;
  }
  for (const k of stages) out[k] = total ? out[k] / total : 0;
  return out;
}
