// Only changed cells are written, and the terminal still ends up showing exactly
// the last frame: hundreds of random frames through DiffStdout into a real
// terminal (tmux), then the screen is compared line by line with the frame.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../helpers/paths.js';
import { HAS_TMUX, Tmux } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait.js';

const DRIVER = join(ROOT, 'dist', 'bench', 'screen-driver.js');

describe.skipIf(!HAS_TMUX)('changed cells only, never a stale line', { timeout: 120_000 }, () => {
  let t: Tmux | undefined;
  afterEach(() => t?.kill());

  for (const [cols, rows, seed] of [
    [80, 24, 1],
    [120, 40, 2],
    [200, 50, 3],
  ] as const) {
    it(`${cols}×${rows}: after 400 random frames the screen is the last frame`, async () => {
      const expected = join(tempDir(), 'expected.txt');
      t = new Tmux(cols, rows);
      // The driver is started only once tmux has the window at its size.
      t.start(`sleep 0.3; env TERM=xterm-256color node ${DRIVER} 400 ${seed} ${expected}`);
      await waitFor(() => existsSync(expected), { what: 'driver done', timeoutMs: 60_000 });
      const want = readFileSync(expected, 'utf8').split('\n');
      let got: string[] = [];
      try {
        await waitFor(
          () => {
            got = t!.capture().split('\n').map((l) => l.trimEnd());
            return want.every((l, i) => got[i] === l) && got.slice(want.length).every((l) => l === '');
          },
          { what: 'screen equals the last frame', timeoutMs: 10_000 },
        );
      } catch {
        expect(got.slice(0, want.length).join('\n')).toBe(want.join('\n'));
        expect(got.slice(want.length).filter((l) => l !== '')).toEqual([]);
      }
    });
  }
});
