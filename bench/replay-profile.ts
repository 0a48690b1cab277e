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

/** Runs `fn` under the CPU profiler; returns each stage's share of the samples (0–1). */
export function profileStages(fn: () => Promise<void>): Promise<Record<Stage, number>> {
  return profileBy(fn, STAGES, stageOf);
}

/** Same, with the caller's stages: `classify` names the stage of a sample from its source file and function. */
export async function profileBy<K extends string>(fn: () => unknown, stages: readonly K[], classify: (url: string, fn: string) => K): Promise<Record<K, number>> {
  const s = new Session();
  s.connect();
  await s.post('Profiler.enable');
  await s.post('Profiler.setSamplingInterval', { interval: 200 });
  await s.post('Profiler.start');
  let profile: { nodes: ProfileNode[] };
  try {
    await fn();
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
