import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/sequencer.js';

// The slow files (soak, crash, end-to-end) mostly wait on timers, sockets and
// child processes, so two forks on a two-core machine overlap them with the
// CPU-bound files instead of queueing everything behind the soak. Deadlines in
// the tests are sized for a loaded host, not for an idle one. The slowest files
// start first (test/sequencer.ts) so none of them is left running alone at the end.
export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    minWorkers: 1,
    env: { CI: 'false', NODE_ENV: 'test' },
    sequence: { sequencer: SlowFirstSequencer },
  },
});
