// `polyconsole sim`: standalone, prints its URLs; --export-truth writes the ground truth.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, tempDir } from '../helpers/paths.js';
import { exited, killGroup, startProcess } from '../helpers/proc.js';
import { waitFor } from '../helpers/wait.js';

describe('polyconsole sim', () => {
  it('--export-truth writes {seed, markets, planted} for that seed and market count, the same every time', () => {
    const dir = tempDir();
    const run = (name: string) => spawnSync(process.execPath, [CLI, 'sim', '--seed', '42', '--markets', '300', '--no-real-catalog', '--export-truth', join(dir, name), '--no-serve'], { encoding: 'utf8' });
    expect(run('a.json').status).toBe(0);
    expect(run('b.json').status).toBe(0);
    const a = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'));
    expect(a.seed).toBe('42');
    expect(a.markets).toHaveLength(300);
    expect(Object.keys(a.markets[0]).sort()).toEqual(['category', 'conditionId', 'eventId', 'id', 'negRisk', 'question', 'tokenIds']);
    expect(new Set(a.planted.map((p: { kind: string }) => p.kind))).toEqual(new Set(['binary', 'negrisk', 'implication', 'duplicate']));
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe(readFileSync(join(dir, 'a.json'), 'utf8'));
  });

  it('runs standalone on a port, prints its URLs, and serves Gamma', async () => {
    const child = startProcess(process.execPath, [CLI, 'sim', '--port', '0', '--seed', '3', '--markets', '100'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    try {
      const gamma = await waitFor(() => /gamma\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1], { timeoutMs: 60_000, what: 'URLs' });
      expect(out).toMatch(/ws\s+ws:\/\/127\.0\.0\.1:\d+\/ws\/market/);
      const markets = (await (await fetch(`${gamma}/markets?limit=5`)).json()) as unknown[];
      expect(markets).toHaveLength(5);
    } finally {
      killGroup(child, 'SIGTERM');
      await exited(child);
    }
  });

  it('rejects a bad fault list with one line naming the item', () => {
    const r = spawnSync(process.execPath, [CLI, 'sim', '--faults', 'drop=20,boom=1'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      'polyconsole: --faults: bad fault "boom=1": expected one of drop=S, stall=S, garbage=RATE, reorder=RATE, slowrest=MS (public feed); lostack=RATE, lateack=MS, ghost=RATE, userdrop=S, http429=RATE, http403=RATE, http425=RATE, http503=RATE, versionflip=S (trading desk)',
    );
  });
});
