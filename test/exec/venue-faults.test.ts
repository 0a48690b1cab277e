// The desk's fault knobs against the live trader: a lost answer and a late
// answer leave the order SENT until reconciliation finds it booked; 429 is a
// refusal that does not halt; a Cloudflare 403 page, cancel-only and a
// version flip are classified, and the first two halt trading.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Simulator } from '../../src/sim/simulator.js';
import type { SimMarket } from '../../src/sim/world-types.js';
import { PRICE_SCALE } from '../../src/protocol/units.js';
import { SimPool, manualClock } from '../sim/helpers.js';
import { tempDir } from '../helpers/paths.js';
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
const account = privateKeyToAccount(generatePrivateKey());
let creds: ApiCreds;
const dir = tempDir('pc-faults-');
let n = 0;

function fresh(deadlineMs = 3000) {
  const { db } = openDatabase(join(dir, `${n++}.db`));
  const journal = new LiveJournal(db);
  return { journal, t: new LiveTrader({ account, funder: account.address, signatureType: 0, apiKey: creds.key, venue: new Venue({ clob, address: account.address, creds, deadlineMs }), journal }) };
}

function intent(): OrderIntent {
  const b = sim.exchange.book(market.tokenIds[0])!;
  return { tokenId: market.tokenIds[0], side: 'BUY', price: ((b.bestBid! - 3 * market.tick) / PRICE_SCALE).toFixed(4), size: '5', tick: String(market.tick / PRICE_SCALE) as TickSize, negRisk: market.negRisk, version: 2 };
}

beforeAll(async () => {
  let urls;
  ({ sim, urls } = await pool.start({ seed: 'desk-faults', markets: 100, ...manualClock(60_000, 20) }));
  clob = urls.clob;
  for (let i = 0; i < 5; i++) sim.stepOnce();
  market = sim.world.markets.find((m) => {
    const b = sim.exchange.book(m.tokenIds[0]);
    return !m.closed && b?.bestBid !== undefined && b.bestBid > 10 * m.tick;
  })!;
  const raw = (await (await fetch(`${clob}/auth/api-key`, { method: 'POST', headers: await l1Headers(account, Math.floor(Date.now() / 1000)) })).json()) as { apiKey: string; secret: string; passphrase: string };
  creds = { key: raw.apiKey, secret: new Secret(raw.secret), passphrase: new Secret(raw.passphrase) };
}, 60_000);
afterAll(() => pool.stopAll());

describe('desk faults', () => {
  it('lost and late answers: the order stays SENT, reconciliation finds it booked', async () => {
    for (const faults of [{ lostAckRate: 1 }, { lateAckMs: 1500 }]) {
      sim.desk.opts.faults = faults;
      const { t, journal } = fresh(400);
      const p = await t.place(intent(), 'GTC');
      sim.desk.opts.faults = {};
      expect(p.state).toBe('SENT');
      expect(['network', 'timeout']).toContain(p.error?.kind);
      expect(sim.desk.orders.get(p.hash)?.status).toBe('LIVE');
      const r = await t.reconcile();
      expect(r.problems).toEqual([]);
      expect(journal.get(p.hash)?.state).toBe('LIVE');
      await t.cancelAll();
    }
  });

  it('429 is a refusal that does not halt; a Cloudflare 403 page and cancel-only halt', async () => {
    sim.desk.opts.faults = { refuse: { status: 429, rate: 1 } };
    const a = fresh();
    const p1 = await a.t.place(intent(), 'GTC');
    expect(p1).toMatchObject({ state: 'REJECTED' });
    expect(p1.error?.kind).toBe('rate-limited');
    expect(a.t.haltReason).toBeUndefined();
    sim.desk.opts.faults = { refuse: { status: 403, rate: 1 } };
    const b = fresh();
    const p2 = await b.t.place(intent(), 'GTC');
    expect(p2.error?.kind).toBe('geo-blocked');
    expect(b.t.haltReason).toMatch(/refused/);
    expect(b.journal.halt()).toBeDefined();
    sim.desk.opts.faults = { restriction: 'CANCEL_ONLY' };
    const c = fresh();
    const p3 = await c.t.place(intent(), 'GTC');
    expect(p3.error?.kind).toBe('cancel-only');
    expect(c.t.haltReason).toBeDefined();
    sim.desk.opts.faults = {};
  });

  it('a version flip: orders signed for the old version are refused as order_version_mismatch', async () => {
    sim.desk.version = 3;
    expect(await (await fetch(`${clob}/version`)).json()).toEqual({ version: 3 });
    const { t, journal } = fresh();
    const p = await t.place(intent(), 'GTC');
    expect(p.error?.kind).toBe('version-mismatch');
    expect(journal.get(p.hash)?.state).toBe('REJECTED');
    const ok = await t.place({ ...intent(), version: 3 }, 'GTC');
    expect(ok.state).toBe('LIVE');
    await t.cancelAll();
    sim.desk.version = 2;
  });
});
