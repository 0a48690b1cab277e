// Per-file CPU time of this worker process (tests, hooks and the file's own
// imports), appended as a JSON line to the file named by CPU_TIMINGS. Loaded as
// a setup file only when that variable is set (vitest.config.ts); the timings
// reporter sums the lines. Child processes a test starts are not counted.
import { appendFileSync } from 'node:fs';
import { afterAll } from 'vitest';

const start = process.cpuUsage();
afterAll((suite) => {
  const used = process.cpuUsage(start);
  const out = process.env['CPU_TIMINGS'];
  const file = (suite as { filepath?: string }).filepath;
  if (out && file) appendFileSync(out, JSON.stringify({ file, cpuMs: (used.user + used.system) / 1000 }) + '\n');
});
