// A real trading process against the simulator (built code in dist/): killed
// with SIGKILL at random points of its order lifecycle, 20 times, then
// restarted — zero duplicate orders and zero live orders the journal does not
// know; SIGSTOPped while holding orders — the venue cancels them within its
// heartbeat deadline, and on SIGCONT the process halts instead of trading on.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { ChildProcess } from 'node:child_process';
import type { Simulator } from '../../src/sim/simulator.js';
import type { SimMarket } from '../../src/sim/world-types.js';
import { PRICE_SCALE } from '../../src/protocol/units.js';
import { SimPool, manualClock } from '../sim/helpers.js';
import { ROOT, tempDir } from '../helpers/paths.js';
import { endAll, exited, killGroup, startProcess } from '../helpers/proc.js';
import { waitFor } from '../helpers/wait.js';
import { l1Headers } from '../../src/exec/auth.js';

const CHILD = join(ROOT, 'test', 'exec', 'live-child.mjs');
const BUILT = existsSync(join(ROOT, 'dist', 'src', 'exec', 'trader.js'));
const RUNS = Number(process.env.CRASH_ROUNDS ?? 20);
const pool = new SimPool();
let sim: Simulator;
let clob: string;
let market: SimMarket;
const pk = generatePrivateKey();
const account = privateKeyToAccount(pk);
let raw: { apiKey: string; secret: string; passphrase: string };
// The SIGSTOP case uses its own account: the crash runs leave orders on the first key, which a new journal rightly refuses to trade beside.
const pk2 = generatePrivateKey();
const account2 = privateKeyToAccount(pk2);
let raw2: typeof raw;

beforeAll(async () => {
  let urls;
  ({ sim, urls } = await pool.start({ seed: 'live-process', markets: 80, ...manualClock(60_000, 10), desk: { startingBalance: 1_000_000 } }));
  clob = urls.clob;
  for (let i = 0; i < 5; i++) sim.stepOnce();
  market = sim.world.markets.find((m) => {
    const b = sim.exchange.book(m.tokenIds[0]);
    return !m.closed && b?.bestBid !== undefined && b.bestBid > 10 * m.tick;
  })!;
  raw = (await (await fetch(`${clob}/auth/api-key`, { method: 'POST', headers: await l1Headers(account, Math.floor(Date.now() / 1000)) })).json()) as typeof raw;
  raw2 = (await (await fetch(`${clob}/auth/api-key`, { method: 'POST', headers: await l1Headers(account2, Math.floor(Date.now() / 1000)) })).json()) as typeof raw;
}, 60_000);
afterEach(() => endAll());
afterAll(() => pool.stopAll());

function spawnChild(db: string, mode: 'loop' | 'hold' | 'check', who = { pk, raw }): { child: ChildProcess; lines: Array<Record<string, unknown>> } {
  const b = sim.exchange.book(market.tokenIds[0])!;
  const child = startProcess(process.execPath, [CHILD], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, CLOB: clob, PK: who.pk, API_KEY: who.raw.apiKey, API_SECRET: who.raw.secret, API_PASSPHRASE: who.raw.passphrase, DB: db, MODE: mode, TOKEN: market.tokenIds[0], PRICE: ((b.bestBid! - 4 * market.tick) / PRICE_SCALE).toFixed(4), TICK: String(market.tick / PRICE_SCALE), NEGRISK: market.negRisk ? '1' : '0' },
  });
  const lines: Array<Record<string, unknown>> = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    try {
      lines.push(JSON.parse(l) as Record<string, unknown>);
    } catch {
      lines.push({ event: 'text', text: l });
    }
  });
  return { child, lines };
}

describe.skipIf(!BUILT)('a live trading process', () => {
  it(`SIGKILL at random lifecycle points × ${RUNS}: no duplicate and no unknown live order after restart`, async () => {
    const db = join(tempDir('pc-crash-'), 'live.db');
    for (let run = 0; run < RUNS; run++) {
      const { child, lines } = spawnChild(db, 'loop');
      await waitFor(() => lines.find((l) => l.event === 'reconciled'), { what: 'reconciled', timeoutMs: 30_000 });
      expect(lines.find((l) => l.event === 'reconciled')!.problems).toEqual([]);
      const placedBefore = lines.filter((l) => l.event === 'placed').length;
      // Let it get into the loop, then kill it at a random point.
      await waitFor(() => lines.filter((l) => l.event === 'placed').length > placedBefore + (run % 3), { what: 'placing', timeoutMs: 30_000 });
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 40)));
      killGroup(child, 'SIGKILL');
      await exited(child);
    }
    const { child, lines } = spawnChild(db, 'check');
    await exited(child);
    const rec = lines.find((l) => l.event === 'reconciled')!;
    expect(rec.problems).toEqual([]);
    const j = new Database(db, { readonly: true });
    const rows = j.prepare('SELECT hash, state FROM live_orders').all() as { hash: string; state: string }[];
    j.close();
    const mine = [...sim.desk.orders.values()].filter((o) => o.owner === raw.apiKey);
    const journaled = new Map(rows.map((r) => [r.hash, r.state]));
    // Every order the venue ever booked for this key is in the journal, once; the live ones are LIVE there.
    for (const o of mine) {
      expect(journaled.has(o.id)).toBe(true);
      if (o.status === 'LIVE') expect(journaled.get(o.id)).toBe('LIVE');
    }
    expect(new Set(mine.map((o) => o.id)).size).toBe(mine.length);
    expect(rows.filter((r) => r.state === 'SENT' || r.state === 'JOURNALED')).toEqual([]);
    process.stdout.write(`crash: ${RUNS} kills, ${rows.length} journaled, ${mine.length} booked, ${mine.filter((o) => o.status === 'LIVE').length} live, ${rows.filter((r) => r.state === 'NOT_FOUND').length} never reached the venue\n`);
  }, 600_000);

  it('SIGSTOP: the venue cancels its orders within the heartbeat deadline; on SIGCONT it halts', async () => {
    sim.desk.opts.heartbeatMs = 2000;
    const db = join(tempDir('pc-stop-'), 'live.db');
    const { child, lines } = spawnChild(db, 'hold', { pk: pk2, raw: raw2 });
    await waitFor(() => lines.find((l) => l.event === 'ready'), { what: 'ready', timeoutMs: 30_000 });
    const live = () => [...sim.desk.orders.values()].filter((o) => o.owner === raw2.apiKey && o.status === 'LIVE').length;
    expect(live()).toBe(3);
    process.kill(child.pid!, 'SIGSTOP');
    const stoppedAt = Date.now();
    await waitFor(() => live() === 0, { what: 'venue cancel', timeoutMs: 10_000 });
    const took = Date.now() - stoppedAt;
    expect(took).toBeLessThan(2000 + 1000);
    process.kill(child.pid!, 'SIGCONT');
    await waitFor(() => lines.find((l) => l.event === 'halt'), { what: 'halt after SIGCONT', timeoutMs: 10_000 });
    expect(String(lines.find((l) => l.event === 'halt')!.reason)).toMatch(/heartbeat/);
    sim.desk.opts.heartbeatMs = 10_000;
  }, 120_000);
});
