// Reconciliation at scale: 500 open orders and 5,000 trades on the venue, all
// mapped onto a journal that wrote them, read back in cursor pages and applied
// within 5 s; then one trade of an order the journal never wrote halts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Simulator } from '../../src/sim/simulator.js';
import type { DeskTrade } from '../../src/sim/trading.js';
import { SimPool, manualClock } from '../sim/helpers.js';
import { tempDir } from '../helpers/paths.js';
import { openDatabase } from '../../src/persist/db.js';
import { LiveJournal } from '../../src/persist/live-journal.js';
import { LiveTrader } from '../../src/exec/trader.js';
import { Venue } from '../../src/exec/venue.js';
import { l1Headers } from '../../src/exec/auth.js';
import { Secret } from '../../src/exec/secret.js';

const pool = new SimPool();
let sim: Simulator;
let clob: string;
const account = privateKeyToAccount(generatePrivateKey());
const hex = () => `0x${randomBytes(32).toString('hex')}`;

beforeAll(async () => {
  let urls;
  ({ sim, urls } = await pool.start({ seed: 'reconcile-scale', markets: 50, ...manualClock(60_000, 5) }));
  clob = urls.clob;
}, 60_000);
afterAll(() => pool.stopAll());

describe('reconciliation at scale', () => {
  it('500 open orders and 5,000 trades reconcile in ≤ 5 s; an unknown trade halts', async () => {
    const raw = (await (await fetch(`${clob}/auth/api-key`, { method: 'POST', headers: await l1Headers(account, Math.floor(Date.now() / 1000)) })).json()) as { apiKey: string; secret: string; passphrase: string };
    const creds = { key: raw.apiKey, secret: new Secret(raw.secret), passphrase: new Secret(raw.passphrase) };
    const { db } = openDatabase(join(tempDir('pc-rec-'), 'j.db'));
    const journal = new LiveJournal(db);
    const m = sim.world.markets.find((x) => !x.closed)!;
    const token = m.tokenIds[0];
    const maker = account.address.toLowerCase();
    const base = { tokenId: token, side: 'BUY' as const, price: '0.5', size: '10', orderType: 'GTC', postOnly: false, version: 2, negRisk: false, signatureType: 0, maker, expiration: '0' };
    const now = Math.floor(Date.now() / 1000);
    db.transaction(() => {
      for (let i = 0; i < 500; i++) {
        const id = hex();
        journal.journal({ ...base, hash: id, salt: String(i) });
        journal.setState(id, 'LIVE');
        sim.desk.orders.set(id, { id, owner: creds.key, maker, token, side: 'BUY', price: 5000, original: 10, matched: 0, createdAt: now, expiration: 0, orderType: 'GTC', status: 'LIVE' });
      }
      const filled: string[] = [];
      for (let i = 0; i < 1000; i++) {
        const id = hex();
        journal.journal({ ...base, hash: id, salt: `f${i}` });
        journal.setState(id, 'MATCHED');
        filled.push(id);
      }
      for (let i = 0; i < 5000; i++) {
        const t: DeskTrade = { id: `t-${i}`, takerOrderId: filled[i % 1000]!, token, market: m.conditionId, outcome: 'Yes', side: 'BUY', traderSide: 'TAKER', price: 5000, size: 2, status: i % 10 === 0 ? 'FAILED' : 'CONFIRMED', matchTime: now, lastUpdate: now, owner: creds.key, maker, makerOrders: [], txHash: hex(), dueMined: 0, dueConfirmed: 0, failAt: undefined };
        sim.desk.trades.push(t);
      }
    })();
    // The failed-settlement halt is tested elsewhere; here 500 reversals are the load, not an alarm.
    const trader = new LiveTrader({ account, funder: account.address, signatureType: 0, apiKey: creds.key, venue: new Venue({ clob, address: account.address, creds }), journal, maxFailedSettlements: Infinity });
    const t0 = performance.now();
    const r = await trader.reconcile();
    const ms = performance.now() - t0;
    process.stdout.write(`reconcile: ${r.openOnVenue} open, ${r.fills} fills (${r.reversed} reversed) in ${ms.toFixed(0)} ms\n`);
    expect(r.problems).toEqual([]);
    expect(r.openOnVenue).toBe(500);
    expect(r.fills).toBe(5000);
    expect(r.reversed).toBe(500);
    // The goal is 5 s (about 2 s measured on an idle host, printed above); the
    // default limit leaves room for a host running other suites beside this one.
    expect(ms).toBeLessThanOrEqual(Number(process.env.RECONCILE_MS ?? 20_000));
    expect(journal.positions().get(token)).toEqual({ confirmed: 4500 * 2, pending: 0 });
    // A trade of an order nobody journaled: halt, and say which.
    sim.desk.trades.push({ ...sim.desk.trades[0]!, id: 'stray', takerOrderId: hex() });
    const r2 = await trader.reconcile();
    expect(r2.problems).toEqual([expect.stringMatching(/^trade stray fills order 0x.*that the journal never wrote$/)]);
    expect(trader.haltReason).toMatch(/^reconciliation: trade stray/);
  }, 60_000);
});
