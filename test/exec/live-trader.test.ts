// The live order path against the simulator's trading desk, with real SQLite
// files and a real loopback proxy in front of the CLOB origin: orders are in
// the journal before they are on the wire, a lost answer is resolved by
// reconciliation, unknown venue orders halt, HALT blocks posting and clears the
// book, a stopped heartbeat lets the venue cancel, failed settlements are
// reversed, and no secret reaches the database file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Simulator } from '../../src/sim/simulator.js';
import type { SimMarket } from '../../src/sim/world-types.js';
import { PRICE_SCALE } from '../../src/protocol/units.js';
import { SimPool, manualClock } from '../sim/helpers.js';
import { tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { openDatabase } from '../../src/persist/db.js';
import { LiveJournal } from '../../src/persist/live-journal.js';
import { LiveTrader } from '../../src/exec/trader.js';
import { Venue } from '../../src/exec/venue.js';
import { l1Headers } from '../../src/exec/auth.js';
import { Secret } from '../../src/exec/secret.js';
import type { ApiCreds } from '../../src/exec/wallet.js';
import type { OrderIntent, TickSize } from '../../src/exec/orders.js';

const pool = new SimPool();
let sim: Simulator;
let clob: string;
let market: SimMarket;
const pk = generatePrivateKey();
const account = privateKeyToAccount(pk);
let creds: ApiCreds;
let rawCreds: { apiKey: string; secret: string; passphrase: string };
const dir = tempDir('pc-live-');
let proxy: Server;
let proxyUrl: string;
/** What the proxy does with the next POST /order: check the journal, delay the answer. */
const proxyCtl: { journalSeen: boolean[]; delayMs: number; dbPath?: string } = { journalSeen: [], delayMs: 0 };

/** A BUY `ticksFromTouch` below the best bid (resting), or with 'take' at the best ask (marketable). */
function intent(side: 'BUY' | 'SELL', ticksFromTouch: number | 'take', size = '5'): OrderIntent {
  const book = sim.exchange.book(market.tokenIds[0])!;
  const units = ticksFromTouch === 'take' ? (side === 'BUY' ? book.bestAsk! : book.bestBid!) : side === 'BUY' ? book.bestBid! - ticksFromTouch * market.tick : book.bestAsk! + ticksFromTouch * market.tick;
  return { tokenId: market.tokenIds[0], side, price: (units / PRICE_SCALE).toFixed(4), size, tick: String(market.tick / PRICE_SCALE) as TickSize, negRisk: market.negRisk, version: 2 };
}

function trader(dbFile: string, clobUrl = proxyUrl, deadlineMs = 5000) {
  const { db } = openDatabase(join(dir, dbFile));
  const journal = new LiveJournal(db);
  const venue = new Venue({ clob: clobUrl, address: account.address, creds, deadlineMs });
  const t = new LiveTrader({ account, funder: account.address, signatureType: 0, apiKey: creds.key, venue, journal, heartbeatEveryMs: 200 });
  return { db, journal, venue, t };
}

beforeAll(async () => {
  let urls;
  ({ sim, urls } = await pool.start({ seed: 'live-trader', markets: 120, ...manualClock(60_000, 20), desk: { startingBalance: 1000, mineMs: 200, confirmMs: 500 } }));
  clob = urls.clob;
  for (let i = 0; i < 5; i++) sim.stepOnce();
  market = sim.world.markets.find((m) => {
    const b = sim.exchange.book(m.tokenIds[0]);
    return !m.closed && b?.bestBid !== undefined && b.bestAsk !== undefined && b.bestBid > 10 * m.tick && b.bestAsk < PRICE_SCALE - 10 * m.tick;
  })!;
  const h = await l1Headers(account, Math.floor(Date.now() / 1000), 0);
  const r = await fetch(`${clob}/auth/api-key`, { method: 'POST', headers: h });
  rawCreds = (await r.json()) as typeof rawCreds;
  creds = { key: rawCreds.apiKey, secret: new Secret(rawCreds.secret), passphrase: new Secret(rawCreds.passphrase) };
  // A loopback proxy that, when an order arrives, looks in the journal file for it.
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST' && req.url === '/order' && proxyCtl.dbPath) {
        const salt = String(JSON.parse(body.toString()).order.salt);
        const ro = new Database(proxyCtl.dbPath, { readonly: true });
        const row = ro.prepare('SELECT state FROM live_orders WHERE salt = ?').get(salt) as { state: string } | undefined;
        ro.close();
        proxyCtl.journalSeen.push(row?.state === 'SENT');
      }
      const up = new URL(clob);
      const fwd = request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers }, (r2) => {
        const out: Buffer[] = [];
        r2.on('data', (c) => out.push(c));
        r2.on('end', () => {
          const send = () => {
            if (res.destroyed) return;
            res.writeHead(r2.statusCode ?? 502, { 'content-type': 'application/json' });
            res.end(Buffer.concat(out));
          };
          if (proxyCtl.delayMs && req.method === 'POST' && req.url === '/order') setTimeout(send, proxyCtl.delayMs);
          else send();
        });
      });
      fwd.on('error', () => res.destroy());
      fwd.end(body);
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
  await pool.stopAll();
});

describe('live trader against the simulator', () => {
  it('journals every order (with its hash) before it reaches the venue; the venue id is the hash', async () => {
    const { t, journal, db } = trader('a.db');
    proxyCtl.dbPath = join(dir, 'a.db');
    proxyCtl.journalSeen = [];
    const placed = [];
    for (const k of [2, 3, 4]) placed.push(await t.place(intent('BUY', k), 'GTC'));
    expect(proxyCtl.journalSeen).toEqual([true, true, true]);
    for (const p of placed) {
      expect(p.state).toBe('LIVE');
      expect(sim.desk.orders.get(p.hash)?.status).toBe('LIVE');
      expect(journal.get(p.hash)?.state).toBe('LIVE');
    }
    await t.cancelAll();
    expect([...sim.desk.orders.values()].filter((o) => o.status === 'LIVE')).toEqual([]);
    db.close();
    proxyCtl.dbPath = undefined;
  });

  it('an answer lost to the deadline leaves the order SENT; reconciliation finds it live on the venue', async () => {
    const { t, journal, db } = trader('b.db', proxyUrl, 300);
    proxyCtl.delayMs = 1500;
    const p = await t.place(intent('BUY', 3), 'GTC');
    proxyCtl.delayMs = 0;
    expect(p.state).toBe('SENT');
    expect(p.error?.kind).toBe('timeout');
    await waitFor(() => sim.desk.orders.get(p.hash)?.status === 'LIVE', { what: 'order booked' });
    const r = await t.reconcile();
    expect(r.problems).toEqual([]);
    expect(journal.get(p.hash)?.state).toBe('LIVE');
    await t.cancelAll();
    expect(journal.get(p.hash)?.state).toBe('CANCELED');
    db.close();
  });

  it('an open order the journal never wrote halts trading and names it; the halt persists across a restart', async () => {
    const a = trader('c.db');
    const b = trader('c-other.db');
    const stray = await b.t.place(intent('BUY', 5), 'GTC');
    expect(stray.state).toBe('LIVE');
    const r = await a.t.reconcile();
    expect(r.problems[0]).toContain(stray.hash.slice(0, 12));
    expect(a.t.haltReason).toMatch(/^reconciliation: the venue holds an open order/);
    // Halting cancelled everything of the key, the stray order included.
    await waitFor(() => sim.desk.orders.get(stray.hash)?.status === 'CANCELED', { what: 'cancel-all after halt' });
    a.db.close();
    const again = trader('c.db');
    expect(again.t.haltReason).toMatch(/^reconciliation/);
    const sentBefore = again.venue.sent['POST /order'] ?? 0;
    await expect(again.t.place(intent('BUY', 3), 'GTC')).rejects.toThrow(/halted/);
    expect(again.venue.sent['POST /order'] ?? 0).toBe(sentBefore);
    again.journal.clearHalt();
    again.db.close();
    b.db.close();
  });

  it('HALT: no POST after it, no open order 2 s after it', async () => {
    const { t, venue, db } = trader('d.db');
    for (const k of [2, 3, 4, 5]) await t.place(intent('BUY', k), 'GTC');
    expect([...sim.desk.orders.values()].filter((o) => o.status === 'LIVE').length).toBe(4);
    const haltAt = Date.now();
    const done = t.halt('operator pressed x');
    const posts = venue.sent['POST /order'];
    await expect(t.place(intent('BUY', 2), 'GTC')).rejects.toThrow(/halted/);
    expect(venue.sent['POST /order']).toBe(posts);
    await done;
    await waitFor(() => [...sim.desk.orders.values()].every((o) => o.status !== 'LIVE'), { what: 'no open orders', timeoutMs: 2000 });
    expect(Date.now() - haltAt).toBeLessThan(2000);
    db.close();
  });

  it('a stopped heartbeat (a frozen engine) lets the venue cancel every order at its deadline', async () => {
    sim.desk.opts.heartbeatMs = 1000;
    const { t, db, journal } = trader('e.db');
    t.startHeartbeat();
    await waitFor(() => sim.desk.heartbeatRunning(creds.key), { what: 'heartbeat chain' });
    const p = await t.place(intent('BUY', 3), 'GTC');
    expect(p.state).toBe('LIVE');
    await new Promise((r) => setTimeout(r, 1500));
    expect(sim.desk.orders.get(p.hash)?.status).toBe('LIVE');
    // Freeze: the process stops beating without saying anything.
    t.stopHeartbeat();
    const stoppedAt = Date.now();
    await waitFor(() => sim.desk.orders.get(p.hash)?.status === 'CANCELED', { what: 'venue cancel', timeoutMs: 5000 });
    expect(Date.now() - stoppedAt).toBeLessThan(1000 + 1500);
    await t.reconcile();
    expect(journal.get(p.hash)?.state).toBe('CANCELED');
    sim.desk.opts.heartbeatMs = 10_000;
    db.close();
  });

  it('fills settle MATCHED → CONFIRMED and become sellable; failed settlements are reversed', async () => {
    const { t, journal, db } = trader('f.db');
    const buy = await t.place(intent('BUY', 'take'), 'FAK');
    expect(buy.state).toBe('MATCHED');
    await t.reconcile();
    expect(journal.sellable(market.tokenIds[0])).toBe(0);
    await waitFor(async () => (await t.reconcile(), journal.positions().get(market.tokenIds[0])?.confirmed === 5), { what: 'confirmed', timeoutMs: 10_000 });
    expect(journal.sellable(market.tokenIds[0])).toBe(5);
    sim.desk.opts.ghostRate = 1;
    const ghost = await t.place(intent('BUY', 'take'), 'FAK');
    expect(ghost.state).toBe('MATCHED');
    let reversed = 0;
    await waitFor(async () => {
      reversed += (await t.reconcile()).reversed;
      return reversed > 0;
    }, { what: 'reversal', timeoutMs: 10_000 });
    sim.desk.opts.ghostRate = 0;
    const pos = journal.positions().get(market.tokenIds[0])!;
    expect(pos).toEqual({ confirmed: 5, pending: 0 });
    const failed = db.prepare("SELECT COUNT(*) AS n, SUM(reversed) AS r FROM live_fills WHERE status = 'FAILED'").get() as { n: number; r: number };
    expect(failed.n).toBeGreaterThan(0);
    expect(failed.r).toBe(failed.n);
    db.close();
  });

  it('per-order and per-day notional limits refuse before signing; three failed settlements halt', async () => {
    const { journal, db } = trader('g.db');
    const venue = new Venue({ clob, address: account.address, creds });
    const px = Number(intent('BUY', 3).price);
    // Caps sized from the price: 5 shares fit one order, 20 do not; two orders of 5 break the day.
    const t = new LiveTrader({ account, funder: account.address, signatureType: 0, apiKey: creds.key, venue, journal, limits: { perOrderUsd: px * 7, perDayUsd: px * 8 } });
    await expect(t.place(intent('BUY', 3, '20'), 'GTC')).rejects.toThrow(/per-order limit/);
    expect(venue.sent['POST /order']).toBeUndefined();
    const ok = await t.place(intent('BUY', 3, '5'), 'GTC');
    expect(ok.state).toBe('LIVE');
    expect(journal.notionalSince(0)).toBeCloseTo(px * 5, 6);
    await expect(t.place(intent('BUY', 3, '5'), 'GTC')).rejects.toThrow(/daily limit/);
    expect(venue.sent['POST /order']).toBe(1);
    await t.cancelAll();
    sim.desk.opts.ghostRate = 1;
    const g = new LiveTrader({ account, funder: account.address, signatureType: 0, apiKey: creds.key, venue, journal });
    for (let i = 0; i < 3; i++) expect((await g.place(intent('BUY', 'take'), 'FAK')).state).toBe('MATCHED');
    sim.desk.opts.ghostRate = 0;
    // (This key's earlier trades belong to other journals, so reconciliation also names those.)
    await waitFor(async () => (await g.reconcile()).problems.some((p) => /^3 fills failed to settle in the last 10 minutes$/.test(p)), { what: 'failed settlements named', timeoutMs: 10_000 });
    expect(g.haltReason).toMatch(/^reconciliation: /);
    expect(journal.halt()).toBeDefined();
    journal.clearHalt();
    db.close();
  });

  it('no secret (private key, API secret, passphrase; raw or base64) is in any database file', () => {
    const needles = [pk, pk.slice(2), rawCreds.secret, rawCreds.passphrase, Buffer.from(rawCreds.secret).toString('base64'), Buffer.from(rawCreds.passphrase).toString('base64')];
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      const text = readFileSync(join(dir, f)).toString('latin1');
      for (const n of needles) expect(text.includes(n), `${f} holds a secret`).toBe(false);
    }
  });
});
