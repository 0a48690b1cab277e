// The trading desk's faults from the flag text (`--faults` on `polyconsole
// sim`, `--sim-faults` on `run`): each item goes through the parser into a
// running simulator and shows on the wire — an answer never sent, an answer
// sent late, a fill that fails on chain, the user socket dropped, order posts
// refused with 429/403/425/503, the exchange version flipping.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Simulator, SimOptions } from '../../src/sim/simulator.js';
import type { SimMarket } from '../../src/sim/world-types.js';
import { parseFaults, FAULTS_HELP } from '../../src/sim/faults.js';
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
import { UserChannel } from '../../src/exec/user-ws.js';
import type { ApiCreds } from '../../src/exec/wallet.js';
import type { OrderIntent, TickSize } from '../../src/exec/orders.js';

const pool = new SimPool();
const dir = tempDir('pc-fault-flags-');
const channels: UserChannel[] = [];
let n = 0;
afterEach(async () => {
  for (const c of channels.splice(0)) c.close();
  await pool.stopAll();
});
afterAll(() => pool.stopAll());

interface Desk {
  sim: Simulator;
  clob: string;
  userUrl: string;
  market: SimMarket;
  creds: ApiCreds;
  address: string;
  trader: LiveTrader;
  intent(at: 'rest' | 'cross'): OrderIntent;
}

/** A small simulator whose faults come from `flags` exactly as the CLI passes them, and a trader on it. */
async function deskWith(flags: string, extra: Partial<SimOptions> = {}, deadlineMs = 3_000): Promise<Desk> {
  const account = privateKeyToAccount(generatePrivateKey());
  const { sim, urls } = await pool.start({ seed: `fault-flags-${n}`, markets: 40, ...manualClock(60_000, 20), faults: parseFaults(flags), ...extra });
  for (let i = 0; i < 3; i++) sim.stepOnce();
  const market = sim.world.markets.find((m) => {
    const b = sim.exchange.book(m.tokenIds[0]);
    return !m.closed && b?.bestBid !== undefined && b.bestAsk !== undefined && b.bestBid > 10 * m.tick && b.bestAsk < PRICE_SCALE - 10 * m.tick;
  })!;
  const raw = (await (await fetch(`${urls.clob}/auth/api-key`, { method: 'POST', headers: await l1Headers(account, Math.floor(Date.now() / 1000)) })).json()) as { apiKey: string; secret: string; passphrase: string };
  const creds = { key: raw.apiKey, secret: new Secret(raw.secret), passphrase: new Secret(raw.passphrase) };
  const { db } = openDatabase(join(dir, `${n++}.db`));
  const trader = new LiveTrader({ account, funder: account.address, signatureType: 0, apiKey: creds.key, venue: new Venue({ clob: urls.clob, address: account.address, creds, deadlineMs }), journal: new LiveJournal(db) });
  const intent = (at: 'rest' | 'cross'): OrderIntent => {
    const b = sim.exchange.book(market.tokenIds[0])!;
    const units = at === 'rest' ? b.bestBid! - 3 * market.tick : b.bestAsk!;
    return { tokenId: market.tokenIds[0], side: 'BUY', price: (units / PRICE_SCALE).toFixed(4), size: '5', tick: String(market.tick / PRICE_SCALE) as TickSize, negRisk: market.negRisk, version: 2 };
  };
  return { sim, address: account.address, clob: urls.clob, userUrl: urls.ws.replace(/\/ws\/market$/, '/ws/user'), market, creds, trader, intent };
}

describe('desk fault flags', () => {
  it('the parser knows every desk item, says which one is bad, and refuses refusal shares over 1', () => {
    expect(parseFaults('lostack=0.1,lateack=3000,ghost=0.3,userdrop=30,http429=0.1,http403=0.1,http425=0.1,http503=0.1,versionflip=120')).toEqual({
      lostack: 0.1,
      lateack: 3000,
      ghost: 0.3,
      userdrop: 30,
      http429: 0.1,
      http403: 0.1,
      http425: 0.1,
      http503: 0.1,
      versionflip: 120,
    });
    expect(() => parseFaults('ghost=1.5')).toThrow(/ghost is a fraction/);
    expect(() => parseFaults('http418=0.1')).toThrow(/bad fault "http418=0.1": expected one of .*lostack=RATE/);
    expect(() => parseFaults('http429=0.6,http503=0.6')).toThrow(/more than every order post/);
    for (const k of ['lostack', 'lateack', 'ghost', 'userdrop', 'http429', 'http403', 'http425', 'http503', 'versionflip']) expect(FAULTS_HELP).toContain(`${k}=`);
  });

  it('lostack=1: the order is booked but its answer never comes; the trader keeps it SENT', async () => {
    const d = await deskWith('lostack=1', {}, 500);
    const p = await d.trader.place(d.intent('rest'), 'GTC');
    expect(p.state).toBe('SENT');
    expect(d.sim.desk.orders.get(p.hash)?.status).toBe('LIVE');
  });

  it('lateack=700: the answer arrives no sooner than 700 ms after the order was booked', async () => {
    const d = await deskWith('lateack=700');
    const t0 = performance.now();
    const p = await d.trader.place(d.intent('rest'), 'GTC');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(690);
    expect(p.state).toBe('LIVE');
  });

  it('ghost=1: every fill is MATCHED, then FAILED and reversed', async () => {
    const d = await deskWith('ghost=1', { desk: { mineMs: 100, confirmMs: 300 } });
    const before = d.sim.desk.account(d.address).balance;
    const p = await d.trader.place(d.intent('cross'), 'FAK');
    expect(p.state).toBe('MATCHED');
    await waitFor(() => d.sim.desk.counts.failedSettlements > 0, { what: 'a failed settlement', timeoutMs: 10_000 });
    expect(d.sim.desk.trades.every((t) => t.status === 'FAILED' || t.status === 'MATCHED' || t.status === 'MINED')).toBe(true);
    await waitFor(() => d.sim.desk.trades.every((t) => t.status === 'FAILED'), { what: 'all reversed', timeoutMs: 10_000 });
    expect(d.sim.desk.account(d.address).balance).toBe(before);
  });

  it('userdrop=0.4: the user socket is dropped and the client reports the gap', async () => {
    const d = await deskWith('userdrop=0.4');
    const gaps: string[] = [];
    const ch = new UserChannel({ url: d.userUrl, creds: d.creds, markets: [d.market.conditionId], onEvent: () => {}, onGap: (g) => gaps.push(g) });
    channels.push(ch);
    await ch.open();
    await waitFor(() => gaps.length > 0, { what: 'a gap', timeoutMs: 10_000 });
    expect((d.sim.stats() as { injected: { userDrops: number } }).injected.userDrops).toBeGreaterThan(0);
  });

  it('http429/403/425/503 shares: order posts are refused with each status in about its share, reads are not', async () => {
    const d = await deskWith('http429=0.25,http403=0.25,http425=0.25,http503=0.25');
    const statuses = new Map<number, number>();
    for (let i = 0; i < 60; i++) {
      const r = await fetch(`${d.clob}/order`, { method: 'POST', body: '{}' });
      await r.text();
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
    expect([...statuses.keys()].sort()).toEqual([403, 425, 429, 503]);
    for (const c of statuses.values()) expect(c).toBeGreaterThan(3);
    const p = await d.trader.place(d.intent('rest'), 'GTC');
    expect(p.state).toBe('REJECTED');
    // A bare 503 (no CANCEL_ONLY/POST_ONLY type) is a plain refusal.
    expect(['rate-limited', 'geo-blocked', 'restarting', 'rejected']).toContain(p.error?.kind);
    expect((await fetch(`${d.clob}/version`)).status).toBe(200);
  });

  it('versionflip=0.4: /version flips from 2 to 3 and an order signed for the old version is refused', async () => {
    const d = await deskWith('versionflip=0.4');
    const version = async () => ((await (await fetch(`${d.clob}/version`)).json()) as { version: number }).version;
    expect(await version()).toBe(2);
    await waitFor(async () => (await version()) === 3, { what: 'version 3', timeoutMs: 10_000 });
    d.sim.stopFaults();
    const p = await d.trader.place(d.intent('rest'), 'GTC');
    expect(p.error?.kind).toBe('version-mismatch');
    expect((d.sim.stats() as { injected: { versionFlips: number } }).injected.versionFlips).toBeGreaterThan(0);
  });
});
