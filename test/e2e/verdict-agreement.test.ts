// The console's headless lines and `scan --json` on the same simulator seed
// agree on each strategy's verdict (both backtest the same resolved history),
// and a REJECTED strategy is IGNORE with no edge in both.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CLI, tempDir } from '../helpers/paths.js';
import { endAll, killGroup, runAsync, startProcess } from '../helpers/proc.js';
import { waitFor } from '../helpers/wait.js';

const cli = (args: string[], timeout = 180_000) => runAsync(process.execPath, [CLI, ...args], { timeout, env: { ...process.env, CI: 'false' } });

const verdictIn = (reasoning: string) => (/\bVALIDATED\b/.test(reasoning) ? 'VALIDATED' : /\bREJECTED\b/.test(reasoning) ? 'REJECTED' : /\bUNPROVEN\b/.test(reasoning) ? 'UNPROVEN' : '?');

describe('console and scan --json agree', () => {
  it('same seed: every strategy both report carries the same verdict; REJECTED rows are IGNORE with no edge', async () => {
    const scanOut = await cli(['scan', '--json', '--seed', '7', '--markets', '600', '--batch-size', '300']);
    expect(scanOut.status, scanOut.stderr).toBe(0);
    const review = (JSON.parse(scanOut.stdout) as { review_queue: { pair_id: string; priority: number; reasoning: string }[] }).review_queue;
    const fromScan = new Map<string, string>();
    for (const r of review) {
      const strategy = r.pair_id.split('|')[1]!;
      const v = verdictIn(r.reasoning);
      expect(v).not.toBe('?');
      fromScan.set(strategy, v);
      if (v === 'REJECTED') expect(r.priority).toBeLessThan(0.6);
      if (v !== 'VALIDATED') expect(r.reasoning).toMatch(/no edge \((REJECTED|UNPROVEN)\)|no entry price/);
    }
    // The console runs until its validation has ended and two status lines have followed (rows re-tier at once), then is stopped.
    const child = startProcess(process.execPath, [CLI, 'run', '--headless', '--seed', '7', '--markets', '600', '--duration', '600', '--status-every', '2', '--db', join(tempDir(), 'agree.db')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'false' } });
    const run = { stdout: '', stderr: '' };
    child.stdout!.on('data', (d) => (run.stdout += d));
    child.stderr!.on('data', (d) => (run.stderr += d));
    const closed = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
    const statuses = () => run.stdout.split('\n').filter((l) => l.startsWith('{"type":"status"')).length;
    let atValidation: number | undefined;
    try {
      await waitFor(
        () => {
          if (atValidation === undefined && /strategies validated on|every strategy is UNPROVEN/.test(run.stderr)) atValidation = statuses();
          return atValidation !== undefined && statuses() >= atValidation + 2;
        },
        { what: 'strategy validation to end in the console', timeoutMs: 400_000, everyMs: 500 },
      );
      killGroup(child, 'SIGTERM');
      expect(await closed, run.stderr).toBe(0);
    } finally {
      await endAll();
    }
    // The last line per signal key is its current state (rows re-tier when the backtest ends).
    const last = new Map<string, Record<string, unknown>>();
    for (const l of run.stdout.trim().split('\n')) {
      const o = JSON.parse(l) as Record<string, unknown>;
      if (o['type'] === 'signal' && o['kind'] === 'strategy') last.set(String(o['key']), o);
    }
    expect(run.stderr).toMatch(/strategies validated on \d+ resolved markets \(sim\)/);
    const fromConsole = new Map<string, string>();
    for (const o of last.values()) {
      expect(o).toHaveProperty('verdict');
      fromConsole.set(String(o['label']), String(o['verdict']));
      if (o['verdict'] !== 'VALIDATED') {
        expect(o['edge']).toBeNull();
        expect(o['size']).toBe(0);
      }
      if (o['verdict'] === 'REJECTED') expect(o['tier']).toBe('IGNORE');
    }
    const both = [...fromScan.keys()].filter((k) => fromConsole.has(k));
    expect(both.length).toBeGreaterThan(0);
    for (const k of both) expect(fromConsole.get(k), k).toBe(fromScan.get(k));
  }, 600_000);
});

