// Per-file CPU time of this worker process (tests, hooks and the file's own
// imports), and what the file left running (timers, sockets, servers, handles
// that outlive it in a shared worker), appended as a JSON line to the file
// named by CPU_TIMINGS. Loaded as a setup file only when that variable is set
// (vitest.config.ts); the timings reporter sums the lines. Child processes a
// test starts are not counted.
import { appendFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';

const count = (names: string[]) => names.reduce<Record<string, number>>((m, n) => ((m[n] = (m[n] ?? 0) + 1), m), {});
const start = process.cpuUsage();
// Counted inside a hook, as at the end: the runner's own hook timer is in both.
let before: Record<string, number> = {};
beforeAll(() => {
  before = count(process.getActiveResourcesInfo());
});

afterAll(async (suite) => {
  const used = process.cpuUsage(start);
  // Let closes already under way finish before counting what is left.
  await new Promise((r) => setTimeout(r, 50));
  const after = count(process.getActiveResourcesInfo());
  const left: Record<string, number> = {};
  for (const [k, n] of Object.entries(after)) if (n > (before[k] ?? 0)) left[k] = n - (before[k] ?? 0);
  const out = process.env['CPU_TIMINGS'];
  const file = (suite as { filepath?: string }).filepath;
  if (out && file) appendFileSync(out, JSON.stringify({ file, cpuMs: (used.user + used.system) / 1000, left }) + '\n');
});
