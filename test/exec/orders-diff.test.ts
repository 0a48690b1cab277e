// Orders signed here against the official V2 client's order builder
// (@polymarket/clob-client-v2, pinned): the same random orders across
// signature types, neg-risk on and off and exchange versions 2 and 3 must give
// the same struct, signature, hash and POST body, byte for byte. The official
// builder draws its salt from Math.random and its timestamp from Date.now; both
// are pinned per order so that the two sides sign the same message. Tick size,
// signature type, neg-risk and exchange version cycle through all 96
// combinations (so the default 200 orders cover each twice); price, size,
// side, order type and builder are random. ORDER_DIFF_COUNT raises the count
// (npm run test:long).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OrderBuilder, Side, createL1Headers, createL2Headers, orderToJsonV2, type TickSize as OfficialTick } from '@polymarket/clob-client-v2';
import { createWalletClient, custom, hashTypedData, recoverTypedDataAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { polygon } from 'viem/chains';
import { Rng } from '../../src/rng.js';
import { ORDER_FIELDS, ORDER_TYPE, TICK_SIZES, buildSignedOrder, orderDomain, orderHash, orderPayload, type OrderIntent, type OrderType, type TickSize } from '../../src/exec/orders.js';
import { hmacSignature, l1Headers, l2Headers } from '../../src/exec/auth.js';
import type { SignatureType } from '../../src/exec/wallet.js';
import { Secret } from '../../src/exec/secret.js';

const COUNT = Number(process.env.ORDER_DIFF_COUNT ?? 200);
const rng = new Rng('orders-diff');
const hex32 = () => `0x${Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(rng.next() * 16)]).join('')}`;
const keys = Array.from({ length: 4 }, () => privateKeyToAccount(hex32() as `0x${string}`));
const noNetwork = custom({ request: async () => { throw new Error('network used while signing'); } });

afterEach(() => vi.restoreAllMocks());

/** Order `i` on the grid: the i-th combination of tick, signature type, neg-risk and version; random price index, size in hundredths, side, type. */
function randomCase(i: number) {
  const tick = TICK_SIZES[Math.floor(i / 16) % TICK_SIZES.length]! as TickSize;
  const steps = Math.round(1 / Number(tick));
  const k = 1 + Math.floor(rng.next() * (steps - 1));
  const tickDp = tick.split('.')[1]!.length;
  const price = (k * Number(tick)).toFixed(tickDp);
  const centi = 1 + Math.floor(rng.next() ** 3 * 5_000_000);
  const size = (centi / 100).toFixed(2).replace(/\.?0+$/, '');
  const sigType = (i % 4) as SignatureType;
  const negRisk = Math.floor(i / 4) % 2 === 1;
  const version = Math.floor(i / 8) % 2 === 0 ? 2 : 3;
  const side = rng.next() < 0.5 ? 'BUY' : 'SELL';
  const tokenId = BigInt(hex32()).toString();
  const builder = rng.next() < 0.3 ? (hex32() as `0x${string}`) : undefined;
  const orderType = (['GTC', 'GTD', 'FOK', 'FAK'] as OrderType[])[Math.floor(rng.next() * 4)]!;
  return { tick, price, size, sigType, negRisk, version: version as 2 | 3, side: side as 'BUY' | 'SELL', tokenId, builder, orderType };
}

describe('order signing is byte-identical to @polymarket/clob-client-v2', () => {
  it(`${COUNT} random orders: struct, signature, hash and POST body`, async () => {
    const seen = { sig: new Set<number>(), neg: 0, v3: 0, combos: new Set<string>() };
    for (let i = 0; i < COUNT; i++) {
      // Yield now and then so the test runner's worker can report (long runs otherwise time out its RPC).
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 0));
      const c = randomCase(i);
      const account = keys[i % keys.length]!;
      const funder = c.sigType === 0 ? account.address : keys[(i + 1) % keys.length]!.address;
      const wallet = createWalletClient({ account, chain: polygon, transport: noNetwork });
      const official = new OrderBuilder(wallet as never, 137, c.sigType, c.sigType === 0 ? undefined : funder);
      const r = 0.05 + rng.next() * 0.9;
      const now = 1_780_000_000_000 + i * 997;
      vi.spyOn(Math, 'random').mockReturnValue(r);
      vi.spyOn(Date, 'now').mockReturnValue(now);
      const expiration = c.orderType === 'GTD' ? Math.floor(now / 1000) + 600 : undefined;
      const theirs = await official.buildOrder(
        { tokenID: c.tokenId, price: Number(c.price), size: Number(c.size), side: c.side === 'BUY' ? Side.BUY : Side.SELL, ...(c.builder ? { builderCode: c.builder } : {}), ...(expiration ? { expiration } : {}) },
        { tickSize: c.tick as OfficialTick, negRisk: c.negRisk },
        c.version,
      );
      vi.restoreAllMocks();
      const intent: OrderIntent = { tokenId: c.tokenId, side: c.side, price: c.price, size: c.size, tick: c.tick, negRisk: c.negRisk, version: c.version, ...(c.builder ? { builder: c.builder } : {}) };
      const ours = await buildSignedOrder(intent, { account, funder, signatureType: c.sigType }, { salt: String(Math.round(r * now)), timestampMs: now, expiration: expiration ?? 0 });
      const label = JSON.stringify(c);
      expect(JSON.stringify(ours), label).toBe(JSON.stringify({ ...theirs, side: theirs.side === Side.BUY ? 'BUY' : 'SELL' }));
      const postOnly = (c.orderType === 'GTC' || c.orderType === 'GTD') && rng.next() < 0.3;
      expect(orderPayload(ours, 'owner-key', c.orderType, postOnly), label).toBe(JSON.stringify(orderToJsonV2(theirs as never, 'owner-key', c.orderType as never, postOnly)));
      seen.sig.add(c.sigType);
      if (c.negRisk) seen.neg++;
      if (c.version === 3) seen.v3++;
      seen.combos.add(`${c.tick}/${c.sigType}/${c.negRisk}/${c.version}`);
      // Every tenth order: the hash is the EIP-712 digest under the version's domain and the signer recovers.
      if (i % 10 !== 0) continue;
      const typed = { domain: orderDomain(c.version, c.negRisk), types: { Order: ORDER_FIELDS }, primaryType: 'Order' as const, message: { ...ours, side: c.side === 'BUY' ? 0 : 1, salt: BigInt(ours.salt), tokenId: BigInt(ours.tokenId), makerAmount: BigInt(ours.makerAmount), takerAmount: BigInt(ours.takerAmount), timestamp: BigInt(ours.timestamp) } };
      expect(orderHash(ours, c.version, c.negRisk)).toBe(hashTypedData(typed));
      if (c.sigType !== 3) expect(await recoverTypedDataAddress({ ...typed, signature: ours.signature })).toBe(account.address);
    }
    expect([...seen.sig].sort()).toEqual(COUNT >= 4 ? [0, 1, 2, 3] : [...seen.sig].sort());
    expect(seen.neg).toBeGreaterThan(COUNT * 0.4);
    expect(seen.v3).toBeGreaterThan(COUNT * 0.2);
    expect(seen.combos.size).toBe(Math.min(COUNT, TICK_SIZES.length * 4 * 2 * 2));
  }, Math.max(120_000, COUNT * 300));

  it('the deposit-wallet envelope carries the 186-byte Order type string', () => {
    expect(ORDER_TYPE.length).toBe(186);
  });
});

describe('auth headers match the official header builders', () => {
  it('HMAC golden vector from the official client tests', () => {
    expect(hmacSignature('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', 1000000, 'test-sign', '/orders', '{"hash": "0x123"}')).toBe('ZwAdJKvoYRlEKDkNMwd5BuwNNtg93kNaR_oU2HrfVvc=');
  });

  it('L2 headers over 200 random bodies, methods and url-safe secrets', async () => {
    const account = keys[0]!;
    const wallet = createWalletClient({ account, chain: polygon, transport: noNetwork });
    for (let i = 0; i < 200; i++) {
      const secret = Buffer.from(hex32().slice(2), 'hex').toString('base64url');
      const creds = { key: `k-${i}`, secret: new Secret(secret), passphrase: new Secret(`p-${i}`) };
      const method = ['GET', 'POST', 'DELETE'][i % 3]!;
      const body = method === 'GET' ? undefined : JSON.stringify({ orderID: hex32(), n: i, s: 'é' });
      const ts = 1_780_000_000 + i;
      const theirs = await createL2Headers(wallet as never, { key: creds.key, secret, passphrase: `p-${i}` }, { method, requestPath: '/order', ...(body !== undefined ? { body } : {}) }, ts);
      expect(l2Headers(account.address, creds, ts, method, '/order', body)).toEqual(theirs);
    }
  });

  it('L1 headers (ClobAuth EIP-712) equal the official ones', async () => {
    for (const account of keys) {
      const wallet = createWalletClient({ account, chain: polygon, transport: noNetwork });
      for (const nonce of [0, 7]) expect(await l1Headers(account, 1_780_000_123, nonce)).toEqual(await createL1Headers(wallet as never, 137, nonce, 1_780_000_123));
    }
  });
});
