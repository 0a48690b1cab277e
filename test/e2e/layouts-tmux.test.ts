// Layouts that use the terminal, through the real binary in tmux: one session
// resized through the sizes operators have. From 100×30 every pane is on
// screen (80×100 stacks them); at 80×24 one pane with tabs. No line is wider
// than the terminal, the frame reaches the footer row, hidden rows are
// announced in the pane title, wider terminals add columns, and no text is cut
// while empty columns remain beside it.
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
    t.start(`env CI=false TERM=xterm-256color node ${CLI} run --markets 300 --sim-history-days 14 --db ${join(tempDir(), 'layouts.db')}; echo "EXIT=$?"; sleep 30`);
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
      // Wider terminals show more columns: the queue's verdict, depth and age (and its category at 200),
      // both OFI windows, the clusters' rule (and distinct count), the positions' fees and realised P&L.
      if (cols >= 160) {
        const want = [/edge\s+verdict\s+size\s+depth\s+ofi\s+conf\s+age gate/, /ofi 30s\s+ofi 5m/, /mkts( uniq)? rule\s+conf summary/, /unreal\.\s+fees\s+realised side/];
        if (cols >= 200) want.push(/strategy\/rel\s+category\s+side/, /mkts uniq rule/);
        const screen = await waitFor(() => {
          const s = t!.capture();
          return want.every((re) => re.test(s)) ? s : '';
        }, { what: `${size} wide columns`, timeoutMs: 20_000 }).catch(() => t!.capture());
        for (const re of want) expect(screen, `${size}: ${re}\n${screen}`).toMatch(re);
      }
      // No pane row cuts its title while empty columns remain beside it: a cut title ends in '…'
      // (after a letter; '$…' is catalog text), so '…' followed by 3+ blanks to the border had room.
      const cut = t.capture().split('\n').flatMap((line) => line.split('│').slice(1, -1)).filter((cell) => /[^\s$]…\s{3,}$/.test(cell));
      expect(cut, `${size}: a title cut with room to spare`).toEqual([]);
    }
    t.keys('q');
    expect(await t.waitForText(/EXIT=\d+/)).toContain('EXIT=0');
  });
});
