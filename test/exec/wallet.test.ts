// Credentials come only from the environment or an owner-only key file, and
// every way of turning them into text shows a mask.
import { describe, expect, it } from 'vitest';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect, format } from 'node:util';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { Secret, REDACTED, redact } from '../../src/exec/secret.js';
import { describeWallet, loadWallet, WalletError } from '../../src/exec/wallet.js';
import { tempDir } from '../helpers/paths.js';

const pk = generatePrivateKey();
const apiSecret = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=';
const passphrase = 'f00dfeedcafebabe0123456789abcdef';

function everyRendering(x: unknown): string {
  return [String(x), `${x}`, JSON.stringify(x), inspect(x, { depth: 10, showHidden: true }), format('%s %o %O %j', x, x, x, x)].join('\n');
}

describe('Secret', () => {
  it('renders as a mask through String, templates, JSON, inspect and format, and reveals only on request', () => {
    const s = new Secret(passphrase);
    const text = everyRendering({ s, nested: { s } });
    expect(text).not.toContain(passphrase);
    expect(text).toContain(REDACTED);
    expect(s.reveal()).toBe(passphrase);
  });

  it('redact() removes raw and base64 forms from text', () => {
    const s = new Secret(passphrase);
    const line = `a ${passphrase} b ${Buffer.from(passphrase).toString('base64')} c`;
    expect(redact(line, [s])).toBe(`a ${REDACTED} b ${REDACTED} c`);
  });
});

describe('loadWallet', () => {
  it('reads key and API credentials from the environment; printing the wallet shows no secret', () => {
    const w = loadWallet({ POLY_PRIVATE_KEY: pk, POLY_API_KEY: 'k-1', POLY_API_SECRET: apiSecret, POLY_API_PASSPHRASE: passphrase })!;
    expect(w.signer).toBe(privateKeyToAccount(pk).address);
    expect(w.funder).toBe(w.signer);
    expect(w.signatureType).toBe(0);
    expect(w.creds!.secret.reveal()).toBe(apiSecret);
    const text = everyRendering(w) + describeWallet(w);
    for (const needle of [pk, pk.slice(2), apiSecret, passphrase]) expect(text).not.toContain(needle);
  });

  it('returns undefined with no key anywhere, and refuses half a credential set', () => {
    expect(loadWallet({})).toBeUndefined();
    expect(() => loadWallet({ POLY_PRIVATE_KEY: pk, POLY_API_KEY: 'k' })).toThrow(/all three/);
    expect(() => loadWallet({ POLY_PRIVATE_KEY: '0x1234' })).toThrow(/32 bytes/);
    expect(() => loadWallet({ POLY_PRIVATE_KEY: pk, POLY_SIGNATURE_TYPE: 'deposit-wallet' })).toThrow(/funder/);
  });

  it('reads a 0600 key file and refuses one others can read, without echoing its content', () => {
    const dir = tempDir('pc-wallet-');
    const file = join(dir, 'key.json');
    const funder = privateKeyToAccount(generatePrivateKey()).address;
    writeFileSync(file, JSON.stringify({ privateKey: pk, signatureType: 'deposit-wallet', funder, apiKey: 'k', apiSecret, passphrase }));
    chmodSync(file, 0o644);
    let err: unknown;
    try {
      loadWallet({ POLY_KEY_FILE: file });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WalletError);
    expect((err as Error).message).toMatch(/chmod 600/);
    expect((err as Error).message).not.toContain(pk.slice(2));
    chmodSync(file, 0o600);
    const w = loadWallet({ POLY_KEY_FILE: file })!;
    expect(w.signatureType).toBe(3);
    expect(w.funder).toBe(funder);
    writeFileSync(file, `{"privateKey": "${pk}"`);
    chmodSync(file, 0o600);
    expect(() => loadWallet({ POLY_KEY_FILE: file })).toThrow(/not valid JSON$/);
  });
});
