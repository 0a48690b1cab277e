// Which test files the fast unit loop (`npm run test:unit`) leaves out: those
// that start processes (the built CLI, a child node, tmux) and those that run
// for a fixed stretch of time (soaks). `npm test` runs everything.
// test/suites.test.ts checks that every file starting a process is listed here.

/** Files that start processes. */
export const PROCESS_TESTS: readonly string[] = [
  'test/e2e/**',
  'test/alerts/crash.test.ts',
  'test/alerts/headless.test.ts',
  'test/alerts/secrets.test.ts',
  'test/components/widest-line.test.ts',
  'test/exec/live-process.test.ts',
  'test/feed/hostile-venue.test.ts',
  'test/helpers/proc.test.ts',
  'test/persist/crash.test.ts',
  'test/persist/open-guard.test.ts',
  'test/persist/write-failure.test.ts',
  'test/refdata/resolve-cli.test.ts',
  'test/replay/compiled.test.ts',
  'test/replay/replay.test.ts',
  'test/replay/segments.test.ts',
  'test/replay/sweep.test.ts',
  'test/scan/catalog-cli.test.ts',
];

/** Files that run for a fixed stretch of (simulated) time. */
export const SOAK_TESTS: readonly string[] = ['test/soak/**', 'test/e2e/paper-run.test.ts', 'test/screen/recall.test.ts'];
