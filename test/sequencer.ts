// Longest files first. Two forks pull files from one queue, so a slow file that
// starts last (a crash loop, the soak, a tmux session) becomes the whole run's
// tail. Vitest orders by the durations in its cache, but a clean checkout has no
// cache and falls back to file size, which says nothing about waiting on timers
// and child processes. test/timings.json holds measured seconds per file
// (`npm run test:timings` rewrites it); with neither, a file counts as quick.
//
// TEST_FILE_SEED=N runs the files in a random order fixed by N instead, to
// find a file that depends on what another left behind in a shared worker.
// (vitest's --sequence.shuffle also shuffles the tests inside each file, and
// many files here are stories whose tests build on each other; and a custom
// sequencer never sees vitest's files-only shuffle option.)
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

function timings(): Record<string, number> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(new URL('./timings.json', import.meta.url), 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, number>) : {};
  } catch {
    return {};
  }
}

/** Fisher–Yates with a small seeded generator (mulberry32): the same seed gives the same order. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seed = process.env['TEST_FILE_SEED'];
    if (seed !== undefined && seed !== '') {
      this.ctx.logger.log(`test files in random order: TEST_FILE_SEED=${seed}`);
      return seededShuffle(files, Number(seed) || 0);
    }
    const known = timings();
    const root = this.ctx.config.root;
    const cache = this.ctx.cache;
    const seconds = (f: TestSpecification): number => {
      const rel = relative(root, f.moduleId).split('\\').join('/');
      const cached = cache.getFileTestResults(`${f.project.name}:${rel}`);
      return cached ? cached.duration / 1000 : (known[rel] ?? 0);
    };
    return [...files].map((f) => ({ f, s: seconds(f) })).sort((a, b) => b.s - a.s).map((x) => x.f);
  }
}
