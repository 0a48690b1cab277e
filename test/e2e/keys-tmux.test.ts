// Keys that arrive together, through a real pty: a burst in one write, a
// pasted filter with its Enter, an arrow split across two writes, two
// sequences joined in one, a cluster's markets and a market URL copied through
// OSC 52, and an SSH drop (SIGHUP) that is audited and exits 0.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CLI, tempDir } from '../helpers/paths.js';
import { HAS_TMUX, Tmux } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait.js';

const run = (db: string) => `env CI=false TERM=xterm-256color node ${CLI} run --markets 300 --sim-history-days 14 --db ${db}; echo "EXIT=$?"; sleep 30`;

describe.skipIf(!HAS_TMUX)('every key heard, through a real pty', { timeout: 180_000 }, () => {
  let t: Tmux | undefined;
  afterEach(() => t?.kill());

  it('bursts, a paste with Enter, split and joined escape sequences: each key in order', async () => {
    t = new Tmux(100, 30);
    t.start(run(join(tempDir(), 'keys.db')));
    await t.waitForText('RUNNING');
    // Two keys in one write: 5 focuses Portfolio, Tab moves on to Shards.
    t.paste('5\t');
    await t.waitForText('▸ 1 Shards');
    // Every shard open that the pane has room for (at 100×30 the screen line leaves two rows, '+1 more').
    const shards = await t.waitForText(/● open[\s\S]*● open/);
    const last = Number(/(\d+) conn/.exec(shards)?.[1]) - 1;
    expect(last).toBeGreaterThanOrEqual(1);
    // An End key split across two writes (ESC [ then F) still selects the last shard.
    t.bytes('1b', '5b');
    t.bytes('46');
    await t.waitForText(new RegExp(`›\\s*${last} ● open`));
    // Home and Down joined in one write: the second shard.
    t.paste('\u001b[H\u001b[B');
    await t.waitForText(/›\s*1 ● open/);
    // A burst of k from key repeat: back at the top, no "no such key".
    t.paste('kkk');
    const top = await t.waitForText(/›\s*0 ● open/);
    expect(top).not.toContain('no such key');
    // A pasted filter with its Enter: OFI focused, filter typed and kept.
    t.paste('2/zzqq\r');
    const filtered = await t.waitForText('/zzqq (0 of');
    expect(filtered).not.toContain('Enter keeps the filter');
    t.keys('q');
    expect(await t.waitForText(/EXIT=\d+/)).toContain('EXIT=0');
  });

  it('Enter on a cluster lists its markets; u puts the selected market’s polymarket.com URL on the clipboard through OSC 52, c its id', async () => {
    t = new Tmux(160, 48);
    t.start(run(join(tempDir(), 'cluster.db')));
    // With set-clipboard on, tmux keeps what an OSC 52 write asks for in a paste buffer.
    t.option('set-clipboard', 'on');
    // The first scan batch lists clusters with their counts.
    await t.waitForText(/4 Clusters \+?\d*[\s\S]*\d+ (event|series|ladder|single)/, 120_000);
    t.paste('4\r');
    const detail = await t.waitForText(/Cluster C-[0-9a-f]{8}[\s\S]*rule: [\s\S]*›\s+\d\.\d+/);
    expect(detail).toMatch(/price outcome\s+tie\s+conf market/);
    t.paste('ju');
    const footer = await t.waitForText(/copied URL https:\/\/polymarket\.com\/event\/|has no usable slug/);
    expect(footer).toContain('copied URL https://polymarket.com/event/');
    const url = await waitFor(() => t!.buffer(), { what: 'clipboard buffer', timeoutMs: 10_000 });
    expect(url).toMatch(/^https:\/\/polymarket\.com\/event\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)?$/);
    t.keys('c');
    await t.waitForText(/copied market id \S+/);
    await waitFor(() => t!.buffer() !== url, { what: 'id on the clipboard', timeoutMs: 10_000 });
    expect(t.buffer()).toMatch(/^[!-~]+$/);
    t.keys('q');
    expect(await t.waitForText(/EXIT=\d+/)).toContain('EXIT=0');
  });

  it('SIGHUP (the SSH connection drops): audited, checkpointed, exit 0', async () => {
    const dir = tempDir();
    const db = join(dir, 'hup.db');
    const exitFile = join(dir, 'exit');
    t = new Tmux(100, 30);
    // The shell ignores the hang-up so it can report the console's exit status.
    t.start(`sh -c 'trap "" HUP; env CI=false TERM=xterm-256color node ${CLI} run --markets 300 --sim-history-days 14 --db ${db}; echo $? > ${exitFile}'`);
    await t.waitForText(/books [1-9]\d*\/\d+/);
    t.kill(); // the terminal goes away: every process on it gets SIGHUP
    t = undefined;
    await waitFor(() => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '', { what: 'console exited', timeoutMs: 60_000 });
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
    const conn = new Database(db, { readonly: true });
    try {
      const rows = conn.prepare("SELECT action, detail FROM operator_actions WHERE action = 'hangup'").all() as { action: string; detail: string }[];
      expect(rows).toHaveLength(1);
      expect(rows[0]!.detail).toContain('SIGHUP');
      // The shutdown checkpointed the trackers (as q does).
      expect((conn.prepare('SELECT COUNT(*) AS n FROM tracker_state').get() as { n: number }).n).toBeGreaterThan(0);
    } finally {
      conn.close();
    }
  });
});
