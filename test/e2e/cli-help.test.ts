// Each command's --help lists only the flags that command reads, every one described.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { CLI } from '../helpers/paths.js';

const help = (cmd: string) => spawnSync(process.execPath, [CLI, cmd, '--help'], { encoding: 'utf8', timeout: 30_000 }).stdout;

describe('per-command --help', { timeout: 120_000 }, () => {
  for (const cmd of ['run', 'sim', 'scan', 'clusters', 'categorize', 'backtest', 'record', 'replay', 'resolve', 'status']) {
    it(`${cmd}: every option has a description`, () => {
      const text = help(cmd);
      expect(text).toContain('Options:');
      // An option line with no text between its name and its [type] has no description.
      const bare = text.split('\n').filter((l) => /^\s+--[a-z-]+\s+\[/.test(l));
      expect(bare, text).toEqual([]);
    });
  }

  for (const cmd of ['scan', 'clusters', 'categorize', 'record']) {
    it(`${cmd}: no console-only flags (--hz, --paper, --headless, --telegram-…)`, () => {
      const text = help(cmd);
      expect(text).toContain('--db');
      for (const flag of ['--hz', '--paper', '--headless', '--status-every', '--telegram-chat-ids', '--alert-modes']) expect(text).not.toContain(flag);
    });
  }

  it('run lists the console and alert flags', () => {
    const text = help('run');
    for (const flag of ['--hz', '--paper', '--headless', '--alert-modes', '--db', '--live']) expect(text).toContain(flag);
  });
});
