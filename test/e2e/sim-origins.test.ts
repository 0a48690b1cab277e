// `polyconsole sim` as a real client meets it: three origins (Gamma, CLOB,
// WebSocket) on their own ports, the CLOB's own /markets cursor form, and a
// clock that starts at the wall time.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { CLI } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';

describe('polyconsole sim origins', () => {
  it('prints three origins on distinct ports; CLOB /markets ends with LTE=; /time is the wall clock', async () => {
    const child = spawn(process.execPath, [CLI, 'sim', '--port', '0', '--seed', '3', '--markets', '100'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const done = new Promise((r) => child.once('exit', r));
    try {
      const ws = await waitFor(() => /ws\s+(ws:\/\/127\.0\.0\.1:\d+\/ws\/market)/.exec(out)?.[1], { timeoutMs: 60_000, what: 'URLs' });
      const gamma = /gamma\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      const clob = /clob\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      expect(new Set([gamma, clob, ws].map((u) => new URL(u).port)).size).toBe(3);
      const markets = (await (await fetch(`${gamma}/markets?limit=5`)).json()) as unknown[];
      expect(markets).toHaveLength(5);
      // 100 core markets plus the real-shaped catalog: two pages, the cursor's end marker on the last.
      type Page = { data: unknown[]; next_cursor: string };
      const first = (await (await fetch(`${clob}/markets`)).json()) as Page;
      expect(first.data).toHaveLength(100);
      expect(first.next_cursor).toBe(Buffer.from('100').toString('base64'));
      const last = (await (await fetch(`${clob}/markets?next_cursor=${first.next_cursor}`)).json()) as Page;
      expect(last.next_cursor).toBe('LTE=');
      expect(last.data.length).toBeGreaterThan(0);
      expect(last.data.length).toBeLessThan(100);
      const time = (await (await fetch(`${clob}/time`)).json()) as number;
      expect(Math.abs(time - Date.now() / 1000)).toBeLessThan(10);
      expect((await fetch(`${gamma}/book?token_id=1`)).status).toBe(404);
    } finally {
      child.kill('SIGTERM');
      await done;
    }
  });
});
