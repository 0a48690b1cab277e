// Startup tells the truth, in tmux: a first frame within a second, carrying
// the configured PAPER state; validation runs behind the UI (which answers
// keys meanwhile) with its progress shown; `--live` never shows SIM.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { CLI, tempDir } from '../helpers/paths.js';
import { HAS_TMUX, Tmux } from '../helpers/tmux.js';

describe.skipIf(!HAS_TMUX)('startup in tmux', () => {
  let t: Tmux | undefined;
  afterEach(() => t?.kill());

  it('--paper: the first frame appears within 1 s and already says PAPER ON; validation progress shows while the UI answers keys', async () => {
    t = new Tmux(120, 40);
    const started = Date.now();
    t.start(`env CI=false TERM=xterm-256color node ${CLI} run --paper --markets 2000 --db ${join(tempDir(), 'startup.db')}; echo "EXIT=$?"; sleep 30`);
    const first = await t.waitForText(/PAPER (ON|OFF)/, 5_000);
    const firstMs = Date.now() - started;
    expect(first).toContain('PAPER ON');
    expect(first).not.toContain('PAPER OFF');
    // Generous for a busy machine: the frame itself is written before any heavy work.
    expect(firstMs).toBeLessThan(1_500);
    // Every frame until validation ends says PAPER ON (never the placeholder OFF).
    const frames: string[] = [];
    let sawValidating = false;
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      const f = t.capture();
      frames.push(f);
      if (/validat/.test(f)) sawValidating = true;
      if (sawValidating && /books \d+\/\d+/.test(f) && !/validat/.test(f)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(sawValidating).toBe(true);
    for (const f of frames.filter((x) => /PAPER/.test(x))) expect(f).not.toContain('PAPER OFF');
    // The UI answers while validation runs behind it.
    t.keys('?');
    await t.waitForText('Keys —', 10_000);
    t.keys('Escape');
    t.keys('q');
    expect(await t.waitForText(/EXIT=\d+/, 30_000)).toContain('EXIT=0');
  }, 90_000);

  it('--live never shows SIM, not even in its first frame (no network here: it says so and keeps LIVE)', async () => {
    t = new Tmux(120, 40);
    // Loopback only: the "venue" is a closed port on 127.0.0.1.
    const dir = tempDir();
    const config = join(dir, 'live.json');
    writeFileSync(config, JSON.stringify({ gammaUrl: 'http://127.0.0.1:9', clobUrl: 'http://127.0.0.1:9', wsUrl: 'ws://127.0.0.1:9' }));
    t.start(`env CI=false TERM=xterm-256color node ${CLI} run --live --config ${config} --db ${join(dir, 'live.db')}; echo "EXIT=$?"; sleep 30`);
    const seen: string[] = [];
    const until = Date.now() + 6_000;
    while (Date.now() < until) {
      seen.push(t.capture());
      await new Promise((r) => setTimeout(r, 50));
    }
    const frames = seen.filter((s) => s.trim());
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames) expect(f).not.toMatch(/◇ SIM|\bSIM\b/);
    expect(frames.some((f) => f.includes('◆ POLYMARKET'))).toBe(true);
    t.keys('q');
    await t.waitForText(/EXIT=\d+/, 30_000);
  }, 60_000);
});
