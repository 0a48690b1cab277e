// Longest files first. Two forks pull files from one queue, so a slow file that
// starts last (a crash loop, the soak, a tmux session) becomes the whole run's
// tail. Vitest orders by the durations in its cache, but a clean checkout has no
// cache and falls back to file size, which says nothing about waiting on timers
// and child processes. test/timings.json holds measured seconds per file
// (`npm run test:timings` rewrites it); with neither, a file counts as quick.
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

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
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
