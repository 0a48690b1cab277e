// The CLOB's two authentication levels.
// L1 (creating or deriving an API key): an EIP-712 ClobAuth signature by the key.
// L2 (everything else authenticated): HMAC-SHA256 keyed by the base64 API
// secret over timestamp + METHOD + path + the exact body bytes, url-safe base64.
import { createHmac } from 'node:crypto';
import type { LocalAccount } from 'viem';
import { CHAIN_ID } from './contracts.js';
import type { ApiCreds } from './wallet.js';
import { deepFreeze } from '../frozen.js';

export const CLOB_AUTH_MESSAGE = 'This message attests that I control the given wallet';
export const CLOB_AUTH_DOMAIN = deepFreeze({ name: 'ClobAuthDomain', version: '1', chainId: CHAIN_ID } as const);
export const CLOB_AUTH_TYPES = deepFreeze({
  ClobAuth: [
    { name: 'address', type: 'address' },
    { name: 'timestamp', type: 'string' },
    { name: 'nonce', type: 'uint256' },
    { name: 'message', type: 'string' },
  ],
} as const);

export function clobAuthMessage(address: `0x${string}`, timestampS: number, nonce: number) {
  return { address, timestamp: String(timestampS), nonce: BigInt(nonce), message: CLOB_AUTH_MESSAGE };
}

/** L1 headers; `address` is the account the key is for (a deposit wallet is signed for by its owner key). */
export async function l1Headers(account: LocalAccount, timestampS: number, nonce = 0, address: `0x${string}` = account.address): Promise<Record<string, string>> {
  const sig = await account.signTypedData({ domain: CLOB_AUTH_DOMAIN, types: CLOB_AUTH_TYPES, primaryType: 'ClobAuth', message: clobAuthMessage(address, timestampS, nonce) });
  return { POLY_ADDRESS: address, POLY_SIGNATURE: sig, POLY_TIMESTAMP: String(timestampS), POLY_NONCE: String(nonce) };
}

/** The L2 signature: url-safe base64 (padding kept) of HMAC-SHA256(base64 secret, ts+METHOD+path+body). */
export function hmacSignature(secretB64: string, timestampS: number, method: string, requestPath: string, body?: string): string {
  const key = Buffer.from(secretB64.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  const mac = createHmac('sha256', key).update(`${timestampS}${method}${requestPath}${body ?? ''}`).digest('base64');
  return mac.replace(/\+/g, '-').replace(/\//g, '_');
}

export function l2Headers(address: `0x${string}`, creds: ApiCreds, timestampS: number, method: string, requestPath: string, body?: string): Record<string, string> {
  return {
    POLY_ADDRESS: address,
    POLY_SIGNATURE: hmacSignature(creds.secret.reveal(), timestampS, method, requestPath, body),
    POLY_TIMESTAMP: String(timestampS),
    POLY_API_KEY: creds.key,
    POLY_PASSPHRASE: creds.passphrase.reveal(),
  };
}
