// The user channel end to end: our client authenticates on the simulator's
// /ws/user, sees PLACEMENT and CANCELLATION for its orders and a fill go
// MATCHED → MINED → CONFIRMED, is refused with a wrong secret, and reports a
// gap when the venue drops the socket (nothing is replayed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Simulator } from '../../src/sim/simulator.js';
import type { SimMarket } from '../../src/sim/world-types.js';
import { PRICE_SCALE } from '../../src/protocol/units.js';
import { SimPool, manualClock } from '../sim/helpers.js';
import { tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { join } from 'node:path';
import { openDatabase } from '../../src/persist/db.js';
import { LiveJournal } from '../../src/persist/live-journal.js';
import { LiveTrader } from '../../src/exec/trader.js';
import { Venue } from '../../src/exec/venue.js';
import { l1Headers } from '../../src/exec/auth.js';
import { Secret } from '../../src/exec/secret.js';
import { UserChannel, redactedAuthFrame } from '../../src/exec/user-ws.js';
import type { ReceivedUserEvent } from '../../src/protocol/events.js';
import type { ApiCreds } from '../../src/exec/wallet.js';
import type { TickSize } from '../../src/exec/orders.js';

const pool = new SimPool();
let sim: Simulator;
let userUrl: string;
let market: SimMarket;
const account = privateKeyToAccount(generatePrivateKey());
let creds: ApiCreds;
let trader: LiveTrader;
const channels: UserChannel[] = [];

beforeAll(async () => {
  let urls;
  ({ sim, urls } = await pool.start({ seed: 'user-channel', markets: 120, ...manualClock(60_000, 20), desk: { mineMs: 200, confirmMs: 500 } }));
  userUrl = urls.ws.replace(/\/ws\/market$/, '/ws/user');
  for (let i = 0; i < 5; i++) sim.stepOnce();
  market = sim.world.markets.find((m) => {
    const b = sim.exchange.book(m.tokenIds[0]);
    return !m.closed && b?.bestBid !== undefined && b.bestAsk !== undefined && b.bestBid > 10 * m.tick && b.bestAsk < PRICE_SCALE - 10 * m.tick;
  })!;
  const raw = (await (await fetch(`${urls.clob}/auth/api-key`, { method: 'POST', headers: await l1Headers(account, Math.floor(Date.now() / 1000)) })).json()) as { apiKey: string; secret: string; passphrase: string };
  creds = { key: raw.apiKey, secret: new Secret(raw.secret), passphrase: new Secret(raw.passphrase) };
  const { db } = openDatabase(join(tempDir('pc-user-'), 'j.db'));
  trader = new LiveTrader({ account, funder: account.address, signatureType: 0, apiKey: creds.key, venue: new Venue({ clob: urls.clob, address: account.address, creds }), journal: new LiveJournal(db) });
}, 60_000);
afterAll(async () => {
  for (const c of channels) c.close();
  await pool.stopAll();
});

function intent(units: number) {
  return { tokenId: market.tokenIds[0], side: 'BUY' as const, price: (units / PRICE_SCALE).toFixed(4), size: '5', tick: String(market.tick / PRICE_SCALE) as TickSize, negRisk: market.negRisk, version: 2 as const };
}

describe('user channel', () => {
  it('delivers order placement, cancellation and a fill through to CONFIRMED', async () => {
    const events: ReceivedUserEvent[] = [];
    const gaps: string[] = [];
    const ch = new UserChannel({ url: userUrl, creds, markets: [market.conditionId], onEvent: (e) => events.push(e), onGap: (g) => gaps.push(g) });
    channels.push(ch);
    await ch.open();
    await waitFor(() => sim.userWs.counts.refused === 0 && sim.userWs.wss.clients.size === 1, { what: 'connected' });
    const book = sim.exchange.book(market.tokenIds[0])!;
    const rest = await trader.place(intent(book.bestBid! - 3 * market.tick), 'GTC');
    await waitFor(() => events.some((e) => e.event_type === 'order' && e.id === rest.hash && e.type === 'PLACEMENT'), { what: 'PLACEMENT' });
    await trader.cancel(rest.hash);
    await waitFor(() => events.some((e) => e.id === rest.hash && e.type === 'CANCELLATION'), { what: 'CANCELLATION' });
    const fill = await trader.place(intent(book.bestAsk!), 'FAK');
    expect(fill.state).toBe('MATCHED');
    const statuses = () => events.filter((e) => e.event_type === 'trade' && e.taker_order_id === fill.hash).map((e) => e.status);
    await waitFor(() => statuses().includes('CONFIRMED'), { what: 'CONFIRMED', timeoutMs: 10_000 });
    expect(statuses().filter((s, i, a) => a.indexOf(s) === i)).toEqual(['MATCHED', 'MINED', 'CONFIRMED']);
    expect(gaps).toEqual([]);
  });

  it('a wrong secret is refused; the redacted frame for recordings holds no secret', async () => {
    const gaps: string[] = [];
    const bad = new UserChannel({ url: userUrl, creds: { ...creds, secret: new Secret('d3Jvbmc=') }, markets: [], onEvent: () => undefined, onGap: (g) => gaps.push(g) });
    channels.push(bad);
    await bad.open();
    await waitFor(() => gaps.length > 0, { what: 'refusal' });
    expect(gaps[0]).toMatch(/1008 UNAUTHORIZED/);
    const rec = redactedAuthFrame(creds, []);
    expect(rec).not.toContain(creds.secret.reveal());
    expect(rec).not.toContain(creds.passphrase.reveal());
  });

  it('a dropped socket is reported as a gap (the venue replays nothing)', async () => {
    const gaps: string[] = [];
    const ch = new UserChannel({ url: userUrl, creds, markets: [], onEvent: () => undefined, onGap: (g) => gaps.push(g) });
    channels.push(ch);
    await ch.open();
    await waitFor(() => sim.userWs.wss.clients.size >= 1, { what: 'connected' });
    await new Promise((r) => setTimeout(r, 100));
    expect(sim.userWs.dropAll()).toBeGreaterThan(0);
    await waitFor(() => gaps.length > 0, { what: 'gap' });
    expect(gaps[0]).toMatch(/closed/);
  });
});
