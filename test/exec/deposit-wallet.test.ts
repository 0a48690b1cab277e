// Deposit wallets (signature type 3) end to end on the simulator: the owner key
// creates the API key for the wallet's address (L1), orders carry the ERC-7739
// envelope and the desk recovers the owner from it; a key derived for the bare
// EOA gets the venue's "signer has to be the address of the API KEY", and a
// plain EOA maker on a deposit-wallet-only venue gets "use the deposit wallet
// flow". The doctor sees the wallet's key as bound.
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
import { doctor } from '../../src/exec/doctor.js';
import { loadWallet, type SignatureType } from '../../src/exec/wallet.js';
import type { OrderIntent, TickSize } from '../../src/exec/orders.js';

const pool = new SimPool();
let sim: Simulator;
let clob: string;
let market: SimMarket;
const pk = generatePrivateKey();
const owner = privateKeyToAccount(pk);
let wallet: `0x${string}`;
const dir = tempDir('pc-dw-');

async function key(address: `0x${string}`) {
  const r = await fetch(`${clob}/auth/api-key`, { method: 'POST', headers: await l1Headers(owner, Math.floor(Date.now() / 1000), 0, address) });
  expect(r.status).toBe(200);
  return (await r.json()) as { apiKey: string; secret: string; passphrase: string };
}

function trader(raw: { apiKey: string; secret: string; passphrase: string }, funder: `0x${string}`, signatureType: SignatureType, address: `0x${string}`, db: string) {
  const creds = { key: raw.apiKey, secret: new Secret(raw.secret), passphrase: new Secret(raw.passphrase) };
  return new LiveTrader({ account: owner, funder, signatureType, apiKey: raw.apiKey, venue: new Venue({ clob, address, creds }), journal: new LiveJournal(openDatabase(join(dir, db)).db) });
}

function intent(): OrderIntent {
  const b = sim.exchange.book(market.tokenIds[0])!;
  return { tokenId: market.tokenIds[0], side: 'BUY', price: ((b.bestBid! - 2 * market.tick) / PRICE_SCALE).toFixed(4), size: '5', tick: String(market.tick / PRICE_SCALE) as TickSize, negRisk: market.negRisk, version: 2 };
}

beforeAll(async () => {
  let urls;
  ({ sim, urls } = await pool.start({ seed: 'deposit-wallet', markets: 100, clock: 'wall', ...manualClock(60_000, 20), desk: { depositWalletOnly: true } }));
  clob = urls.clob;
  for (let i = 0; i < 5; i++) sim.stepOnce();
  market = sim.world.markets.find((m) => {
    const b = sim.exchange.book(m.tokenIds[0]);
    return !m.closed && b?.bestBid !== undefined && b.bestBid > 10 * m.tick;
  })!;
  const r = await fetch(`${clob}/sim/deposit-wallet`, { method: 'POST', body: JSON.stringify({ owner: owner.address }) });
  wallet = ((await r.json()) as { wallet: `0x${string}` }).wallet;
}, 60_000);
afterAll(() => pool.stopAll());

describe('deposit wallet (signature type 3)', () => {
  it('the owner creates the wallet key; an ERC-7739 order is verified and booked; doctor passes', async () => {
    const raw = await key(wallet);
    const t = trader(raw, wallet, 3, wallet, 'a.db');
    const p = await t.place(intent(), 'GTC');
    expect(p.error).toBeUndefined();
    expect(p.state).toBe('LIVE');
    expect(sim.desk.orders.get(p.hash)?.maker).toBe(wallet.toLowerCase());
    await t.cancelAll();
    const w = loadWallet({ POLY_PRIVATE_KEY: pk, POLY_SIGNATURE_TYPE: 'deposit-wallet', POLY_FUNDER: wallet, POLY_API_KEY: raw.apiKey, POLY_API_SECRET: raw.secret, POLY_API_PASSPHRASE: raw.passphrase })!;
    const checks = await doctor(clob, w);
    // The test stepped the sim clock minutes ahead of the wall, so only the clock check may fail.
    expect(checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['clock']);
    expect(checks.find((c) => c.name === 'api-key')?.text).toContain(`bound to ${wallet}`);
  });

  it("a key for the bare EOA: the venue's signer-not-key refusal; a plain EOA maker: use the deposit wallet flow", async () => {
    const eoaKey = await key(owner.address);
    const a = trader(eoaKey, wallet, 3, owner.address, 'b.db');
    const p1 = await a.place(intent(), 'GTC');
    expect(p1.error?.kind).toBe('signer-not-key');
    const b = trader(eoaKey, owner.address, 0, owner.address, 'c.db');
    const p2 = await b.place(intent(), 'GTC');
    expect(p2.error?.kind).toBe('deposit-wallet-required');
    expect(p2.error?.venueText).toBe('maker address not allowed, please use the deposit wallet flow');
  });

  it('an envelope signed by a key that does not own the wallet is an invalid signature', async () => {
    const raw = (await fetch(`${clob}/auth/derive-api-key`, { headers: await l1Headers(owner, Math.floor(Date.now() / 1000), 0, wallet) }).then((r) => r.json())) as { apiKey: string; secret: string; passphrase: string };
    const stranger = privateKeyToAccount(generatePrivateKey());
    const creds = { key: raw.apiKey, secret: new Secret(raw.secret), passphrase: new Secret(raw.passphrase) };
    const t = new LiveTrader({ account: stranger, funder: wallet, signatureType: 3, apiKey: raw.apiKey, venue: new Venue({ clob, address: wallet, creds }), journal: new LiveJournal(openDatabase(join(dir, 'd.db')).db) });
    const p = await t.place(intent(), 'GTC');
    expect(p.error?.venueText).toBe('invalid signature');
  });
});
