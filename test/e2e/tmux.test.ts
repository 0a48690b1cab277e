// The real binary in a 100×30 tmux window: open shards, pause, quit with 0.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CLI, tempDir } from '../helpers/paths.js';
import { HAS_TMUX, Tmux } from '../helpers/tmux.js';

describe.skipIf(!HAS_TMUX)('console in tmux', () => {
  let t: Tmux | undefined;
  afterEach(() => t?.kill());

  it('shows open shards, pauses on p, and exits 0 on q with the terminal restored', async () => {
    const db = join(tempDir(), 'e2e.db');
    t = new Tmux(100, 30);
    t.start(`env CI=false TERM=xterm-256color node ${CLI} run --markets 300 --db ${db}; echo "EXIT=$?"; sleep 30`);
    const screen = await t.waitForText('● open');
    expect(screen).toContain('RUNNING');
    t.keys('p');
    await t.waitForText('PAUSED');
    t.keys('q');
    const after = await t.waitForText(/EXIT=\d+/);
    expect(after).toContain('EXIT=0');
    // Alternate screen left: the console's panes are gone from the restored screen.
    expect(after).not.toContain('Shards (');
  });
});
if (!HAS_TMUX) console.warn('tmux not found: end-to-end console test skipped');
