// The doctor against the simulator: a wallet with its derived key passes every
// check; a wrong key, no wallet, a drifting venue clock and an unreachable
// host each fail with a sentence that names the fix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { SimPool, manualClock } from '../sim/helpers.js';
import { doctor, formatChecks } from '../../src/exec/doctor.js';
import { l1Headers } from '../../src/exec/auth.js';
import { loadWallet } from '../../src/exec/wallet.js';

const pool = new SimPool();
let wallClob: string;
let epochClob: string;
const pk = generatePrivateKey();
let raw: { apiKey: string; secret: string; passphrase: string };

beforeAll(async () => {
  const a = await pool.start({ seed: 'doctor', markets: 50, clock: 'wall', ...manualClock(1000, 1) });
  wallClob = a.urls.clob;
  const b = await pool.start({ seed: 'doctor-epoch', markets: 50, clock: 'epoch', ...manualClock(1000, 1) });
  epochClob = b.urls.clob;
  const account = privateKeyToAccount(pk);
  raw = (await (await fetch(`${wallClob}/auth/api-key`, { method: 'POST', headers: await l1Headers(account, Math.floor(Date.now() / 1000)) })).json()) as typeof raw;
}, 60_000);
afterAll(() => pool.stopAll());

describe('doctor', () => {
  it('passes every check for a wallet whose configured key is the derived one, and prints no secret', async () => {
    const w = loadWallet({ POLY_PRIVATE_KEY: pk, POLY_API_KEY: raw.apiKey, POLY_API_SECRET: raw.secret, POLY_API_PASSPHRASE: raw.passphrase });
    const checks = await doctor(wallClob, w);
    expect(checks.map((c) => [c.name, c.ok])).toEqual([['reach', true], ['version', true], ['clock', true], ['wallet', true], ['api-key', true], ['balance', true], ['allowance', true]]);
    const text = formatChecks(checks);
    for (const s of [pk.slice(2), raw.secret, raw.passphrase]) expect(text).not.toContain(s);
  });

  it('names the fix for a key not bound to the signer, a missing wallet, a drifting clock and an unreachable host', async () => {
    const other = loadWallet({ POLY_PRIVATE_KEY: generatePrivateKey(), POLY_API_KEY: raw.apiKey, POLY_API_SECRET: raw.secret, POLY_API_PASSPHRASE: raw.passphrase });
    const c1 = await doctor(wallClob, other);
    expect(c1.find((c) => c.name === 'api-key')?.text).toMatch(/no API key can be derived .* create one/);
    const c2 = await doctor(wallClob, undefined);
    expect(c2.at(-1)).toMatchObject({ name: 'wallet', ok: false });
    expect(c2.at(-1)!.text).toMatch(/POLY_PRIVATE_KEY/);
    const c3 = await doctor(epochClob, undefined);
    expect(c3.find((c) => c.name === 'clock')).toMatchObject({ ok: false });
    expect(c3.find((c) => c.name === 'clock')!.text).toMatch(/NTP/);
    const c4 = await doctor('http://127.0.0.1:9', undefined);
    expect(c4).toEqual([{ name: 'reach', ok: false, text: expect.stringMatching(/cannot be reached/) }]);
  });
});
