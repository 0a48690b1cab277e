import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';
import { PROCESS_TESTS, SOAK_TESTS } from './test/suites.js';

// The fast loop: every in-process test file, none that starts a process or runs a soak (test/suites.ts).
export default mergeConfig(base, defineConfig({ test: { exclude: [...configDefaults.exclude, ...PROCESS_TESTS, ...SOAK_TESTS] } }));
