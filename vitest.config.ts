import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/sequencer.js';

// The slow files (soak, crash, end-to-end) mostly wait on timers, sockets and
// child processes, so two forks on a two-core machine overlap them with the
// CPU-bound files instead of queueing everything behind the soak. Deadlines in
// the tests are sized for a loaded host, not for an idle one. The slowest files
// start first (test/sequencer.ts) so none of them is left running alone at the end.
//
// Test files share their worker (isolation off): a fork imports the source once
// and runs file after file, instead of a fresh process and module graph per
// file. That is safe because nothing in the console keeps state at module level
// that one file could leave for the next (test/module-state.test.ts), and tests
// restore what they stub. It is one project on purpose: vitest runs projects
// whose isolation is off one after another, which would idle a core at the end
// of each. `npm run test:unit` is this config without the process-starting and
// soak files (vitest.unit.config.ts, test/suites.ts).
export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ['test/global-setup.ts'],
    setupFiles: process.env['CPU_TIMINGS'] ? ['test/helpers/cpu-timing.ts'] : [],
    pool: 'forks',
    isolate: false,
    maxWorkers: 2,
    minWorkers: 1,
    env: { CI: 'false', NODE_ENV: 'test' },
    sequence: { sequencer: SlowFirstSequencer },
  },
});
