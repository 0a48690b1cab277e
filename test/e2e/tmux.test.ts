// The real binary in tmux, as an operator over SSH: 100×30 (a common
// default) and the full walk at 120×40 → 80×24 (the smallest layout we promise).
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CLI, tempDir } from '../helpers/paths.js';
import { HAS_TMUX, Tmux } from '../helpers/tmux.js';
import { KEY_BINDINGS, keyLabel } from '../../components/keys.js';

const run = (db: string) => `env CI=false TERM=xterm-256color node ${CLI} run --markets 300 --sim-history-days 14 --db ${db}; echo "EXIT=$?"; sleep 30`;

describe.skipIf(!HAS_TMUX)('console in tmux', { timeout: 180_000 }, () => {
  let t: Tmux | undefined;
  afterEach(() => t?.kill());

  it('100×30: shows open shards, pauses on p, and exits 0 on q with the terminal restored', async () => {
    t = new Tmux(100, 30);
    t.start(run(join(tempDir(), 'e2e.db')));
    await t.waitForText('RUNNING');
    t.keys('1');
    const screen = await t.waitForText('● open');
    expect(screen).toContain('1 Shards');
    t.keys('p');
    await t.waitForText('PAUSED');
    t.keys('q');
    const after = await t.waitForText(/EXIT=\d+/);
    expect(after).toContain('EXIT=0');
    expect(after).not.toContain('Shards');
  });

  it('NO_COLOR=1: no colour sequences at all, and every state still has its glyph and word', async () => {
    t = new Tmux(100, 30);
    t.start(`env CI=false NO_COLOR=1 TERM=xterm-256color node ${CLI} run --markets 300 --sim-history-days 14 --db ${join(tempDir(), 'nocolor.db')}; echo "EXIT=$?"; sleep 30`);
    await t.waitForText('RUNNING');
    t.keys('1');
    await t.waitForText('● open');
    const raw = t.captureEscapes();
    // Foreground/background colour SGR codes (30–37, 90–97, 40–47, 38;5;…) must not appear.
    expect(raw).not.toMatch(/\u001b\[[0-9;]*(3[0-8]|9[0-7]|4[0-8])(;[0-9;]*)?m/);
    expect(raw).toContain('▶ RUNNING');
    expect(raw).toMatch(/● open/);
    t.keys('q');
    await t.waitForText(/EXIT=\d+/);
  });

  it('120×40 → 80×24: all panes, +, Tab, resize to the compact layout, ? lists every key, q restores the terminal', async () => {
    t = new Tmux(120, 40);
    t.start(run(join(tempDir(), 'e2e-wide.db')));
    const wide = await t.waitForText('● open');
    for (const title of ['1 Shards', '2 OFI', '3 Signals', '4 Clusters', '5 Portfolio']) expect(wide).toContain(title);
    t.keys('p');
    await t.waitForText('PAUSED');
    t.keys('p');
    await t.waitForText('RUNNING');
    t.keys('t');
    await t.waitForText('Turn paper trading ON?');
    t.keys('y');
    await t.waitForText('● PAPER ON');
    t.keys('+');
    await t.waitForText('batch 200/');
    t.keys('Tab');
    await t.waitForText('▸ 4 Clusters');
    t.resize(80, 24);
    const compact = await t.waitForText(/1 Shards\s*│\s*2 OFI/);
    expect(compact).toContain('▸ 4 Clusters');
    expect(compact).not.toContain('5 Portfolio paper');
    // No leftovers from the wide frame: nothing beyond 80 columns, at most 23 lines used.
    expect(compact.split('\n').every((l) => [...l].length <= 80)).toBe(true);
    t.keys('?');
    let page = await t.waitForText('Keys —');
    let help = page;
    // The help pages with PgDn; each page says what is hidden below it.
    for (let i = 0; i < 20 && /\+\d+ more below/.test(page); i++) {
      t.keys('PageDown');
      page = await t.waitForText(new RegExp(`↑ (?!${/↑ (\d+) above/.exec(page)?.[1] ?? 'x'} )\\d+ above`));
      help += page;
    }
    for (const b of KEY_BINDINGS) expect(help).toContain(b.help.slice(0, 20));
    for (const b of KEY_BINDINGS) expect(help).toContain(keyLabel(b));
    t.keys('Escape');
    await t.waitForText('▸ 4 Clusters');
    t.keys('q');
    const after = await t.waitForText(/EXIT=\d+/);
    expect(after).toContain('EXIT=0');
    expect(after).not.toContain('Clusters');
  });
});
if (!HAS_TMUX) console.warn('tmux not found: end-to-end console test skipped');
