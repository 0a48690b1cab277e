// Layouts that use the terminal, through the real binary in tmux: one session
// resized through the sizes operators have. From 100×30 every pane is on
// screen (80×100 stacks them); at 80×24 one pane with tabs. No line is wider
// than the terminal, the frame reaches the footer row, and hidden rows are
// announced in the pane title.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CLI, tempDir } from '../helpers/paths.js';
import { HAS_TMUX, Tmux } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait.js';

const TITLES = ['1 Shards', '2 OFI', '3 Signals', '4 Clusters', '5 Portfolio'];

describe.skipIf(!HAS_TMUX)('layouts from 80×24 to 200×50 and 80×100', { timeout: 240_000 }, () => {
  let t: Tmux | undefined;
  afterEach(() => t?.kill());

  it('every size: the right panes, nothing wider than the terminal, no empty rows under the frame', async () => {
    t = new Tmux(120, 40);
    t.start(`env CI=false TERM=xterm-256color node ${CLI} run --markets 300 --db ${join(tempDir(), 'layouts.db')}; echo "EXIT=$?"; sleep 30`);
    await t.waitForText('● open');
    for (const [cols, rows] of [
      [100, 30],
      [160, 48],
      [200, 50],
      [80, 100],
      [80, 24],
      [120, 40],
    ] as const) {
      t.resize(cols, rows);
      const all = cols >= 100 || rows >= 60;
      const size = `${cols}×${rows}`;
      const check = (screen: string) => {
        const lines = screen.replace(/\n$/, '').split('\n');
        return {
          screen,
          fits: lines.every((l) => [...l].length <= cols),
          // The footer sits on the last row but one (Ink 6 must stay below the terminal height).
          lastUsed: lines.map((l) => l.trim() !== '').lastIndexOf(true),
          panes: all ? TITLES.every((x) => screen.includes(x)) : /1 Shards\s*│\s*2 OFI/.test(screen),
        };
      };
      let got = check(t.capture());
      // The redraw after a resize takes a frame or two: wait for it, then assert on what is shown.
      await waitFor(() => ((got = check(t!.capture())), got.fits && got.panes && got.lastUsed >= rows - 3), { what: size, timeoutMs: 20_000 }).catch(() => undefined);
      expect(got.fits, size).toBe(true);
      expect(got.panes, `${size}:\n${got.screen}`).toBe(true);
      expect(got.lastUsed, `${size}:\n${got.screen}`).toBeGreaterThanOrEqual(rows - 3);
      // Once order flow fills the OFI pane beyond its rows, its title says how many are hidden.
      if (cols === 100 && rows === 30) await t.waitForText(/2 OFI \+\d+ more/);
    }
    t.keys('q');
    expect(await t.waitForText(/EXIT=\d+/)).toContain('EXIT=0');
  });
});
