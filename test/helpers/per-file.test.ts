// PerFile keys values to the running test file: the same file gets the same
// value back (at collection and in tests alike), a new file starts empty.
import { describe, expect, it } from 'vitest';
import { PerFile } from './per-file.js';

const cache = new PerFile<{ n: number }>();
let made = 0;
const atCollection = cache.get('k', () => ({ n: ++made }));

describe('PerFile', () => {
  it('knows which file runs, at collection and in a test, and builds once per key', () => {
    expect(expect.getState().testPath).toMatch(/per-file\.test\.ts$/);
    expect(cache.get('k', () => ({ n: ++made }))).toBe(atCollection);
    expect(cache.get('other', () => ({ n: ++made })).n).toBe(2);
    expect(made).toBe(2);
  });

  it("forgets another file's values", () => {
    const state = expect.getState();
    const here = state.testPath;
    expect.setState({ testPath: '/elsewhere/other.test.ts' });
    try {
      expect(cache.get('k', () => ({ n: 99 })).n).toBe(99);
    } finally {
      expect.setState({ testPath: here });
    }
    expect(cache.get('k', () => ({ n: 100 })).n).toBe(100);
  });
});
