// `polyconsole sim` prints a reference-data origin whose Binance-shaped prices
// are the same hidden BTC path its up/down windows settle on; --no-crypto runs
// the plain seeded world without it.
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/paths.js';
import { exited, killGroup, startProcess } from '../helpers/proc.js';
import { waitFor } from '../helpers/wait.js';

async function run(args: string[], check: (out: string) => Promise<void>): Promise<void> {
  const child = startProcess(process.execPath, [CLI, 'sim', '--port', '0', '--seed', '3', '--markets', '100', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  try {
    await waitFor(() => /stats\s+http/.test(out), { timeoutMs: 60_000, what: 'URLs' });
    await check(out);
  } finally {
    killGroup(child, 'SIGTERM');
    await exited(child);
  }
}

describe('polyconsole sim reference data', () => {
  it('prints the refdata origin; its ticker answers BTCUSDT and rejects a symbol it does not list, as Binance does', async () => {
    await run([], async (out) => {
      const url = /refdata\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      expect(url).toBeDefined();
      const ok = await fetch(`${url}/api/v3/ticker/price?symbols=${encodeURIComponent('["BTCUSDT","ETHUSDT"]')}`);
      const rows = (await ok.json()) as Array<{ symbol: string; price: string }>;
      expect(rows.map((r) => r.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
      expect(Number(rows[0]!.price)).toBeGreaterThan(0);
      const bad = await fetch(`${url}/api/v3/ticker/price?symbols=${encodeURIComponent('["BTCUSDT","HYPEUSDT"]')}`);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ code: -1121 });
    });
  }, 90_000);

  it('--no-crypto prints no refdata origin', async () => {
    await run(['--no-crypto'], async (out) => {
      expect(out).not.toMatch(/refdata/);
    });
  }, 90_000);
});
