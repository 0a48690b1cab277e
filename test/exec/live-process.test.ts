// A real trading process against the simulator (built code in dist/): it
// stops itself with SIGKILL at each named point of an order's lifecycle
// (journaled before the post, posted before the answer was recorded, acked,
// partly filled, cancel requested, cancel acknowledged), a few times each,
// and is restarted — zero duplicate orders and zero live orders the journal
// does not know; SIGSTOPped while holding orders — the venue cancels them
// within its heartbeat deadline, and on SIGCONT the process halts instead of
// trading on.
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
/** Kills per lifecycle point: a few by default, 20 under test:long (CRASH_ROUNDS). */
const RUNS = Number(process.env.LIVE_KILL_RUNS ?? (process.env.CRASH_ROUNDS ? 20 : 2));
const POINTS = ['journaled', 'posted', 'acked', 'partial', 'cancel-requested', 'cancel-acked'] as const;
type Point = (typeof POINTS)[number];
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

function spawnChild(db: string, mode: 'loop' | 'hold' | 'check' | 'point', who = { pk, raw }, killAt?: Point): { child: ChildProcess; lines: Array<Record<string, unknown>> } {
  const b = sim.exchange.book(market.tokenIds[0])!;
  // For the partly filled case: the whole best ask level plus 5 shares, at the best ask.
  const cross = { CROSS_PRICE: (b.bestAsk! / PRICE_SCALE).toFixed(4), CROSS_SIZE: (Math.round(b.bestAskSize * 100) / 100 + 5).toFixed(2) };
  const child = startProcess(process.execPath, [CHILD], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, CLOB: clob, PK: who.pk, API_KEY: who.raw.apiKey, API_SECRET: who.raw.secret, API_PASSPHRASE: who.raw.passphrase, DB: db, MODE: mode, ...(killAt ? { KILL_AT: killAt, ...cross } : {}), TOKEN: market.tokenIds[0], PRICE: ((b.bestBid! - 4 * market.tick) / PRICE_SCALE).toFixed(4), TICK: String(market.tick / PRICE_SCALE), NEGRISK: market.negRisk ? '1' : '0' },
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
  it(`SIGKILL at each lifecycle point × ${RUNS}: no duplicate and no unknown live order after restart`, async () => {
    const db = join(tempDir('pc-crash-'), 'live.db');
    const killed: Array<{ point: Point; hash: string }> = [];
    for (const point of POINTS) {
      for (let run = 0; run < RUNS; run++) {
        const { child, lines } = spawnChild(db, 'point', { pk, raw }, point);
        await exited(child);
        // The restart reconciled everything the previous kill left behind.
        expect(lines.find((l) => l.event === 'reconciled')?.problems).toEqual([]);
        expect(child.signalCode).toBe('SIGKILL');
        const kill = lines.find((l) => l.event === 'kill');
        expect(kill).toMatchObject({ point });
        expect(String(kill!.hash)).toMatch(/^0x[0-9a-f]{64}$/);
        killed.push({ point, hash: String(kill!.hash) });
      }
    }
    const { child, lines } = spawnChild(db, 'check');
    await exited(child);
    const rec = lines.find((l) => l.event === 'reconciled')!;
    expect(rec.problems).toEqual([]);
    const j = new Database(db, { readonly: true });
    const rows = j.prepare('SELECT hash, state, size_matched AS matched FROM live_orders').all() as { hash: string; state: string; matched: string }[];
    j.close();
    const mine = [...sim.desk.orders.values()].filter((o) => o.owner === raw.apiKey);
    const journaled = new Map(rows.map((r) => [r.hash, r]));
    // Every order the venue ever booked for this key is in the journal, once; the live ones are LIVE there.
    for (const o of mine) {
      expect(journaled.has(o.id)).toBe(true);
      if (o.status === 'LIVE') expect(journaled.get(o.id)!.state).toBe('LIVE');
    }
    expect(new Set(mine.map((o) => o.id)).size).toBe(mine.length);
    expect(rows.filter((r) => r.state === 'SENT' || r.state === 'JOURNALED')).toEqual([]);
    // What each point leaves, once reconciled: never posted → NOT_FOUND; booked → LIVE with what
    // matched; a cancel the venue acknowledged → CANCELED; a cancel in flight → either, agreeing with the venue.
    for (const k of killed) {
      const row = journaled.get(k.hash)!;
      const venue = sim.desk.orders.get(k.hash);
      expect(row).toBeDefined();
      if (k.point === 'journaled') {
        expect(venue).toBeUndefined();
        expect(row.state).toBe('NOT_FOUND');
      } else if (k.point === 'posted' || k.point === 'acked') {
        expect(venue?.status).toBe('LIVE');
        expect(row.state).toBe('LIVE');
      } else if (k.point === 'partial') {
        expect(venue!.matched).toBeGreaterThan(0);
        expect(row.state).toBe('LIVE');
        expect(Number(row.matched)).toBe(venue!.matched);
      } else if (k.point === 'cancel-acked') {
        expect(venue?.status).toBe('CANCELED');
        expect(row.state).toBe('CANCELED');
      } else {
        expect(row.state).toBe(venue!.status === 'LIVE' ? 'LIVE' : 'CANCELED');
      }
    }
    process.stdout.write(`crash: ${killed.length} kills (${POINTS.length} points × ${RUNS}), ${rows.length} journaled, ${mine.length} booked, ${mine.filter((o) => o.status === 'LIVE').length} live, ${rows.filter((r) => r.state === 'NOT_FOUND').length} never reached the venue\n`);
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
