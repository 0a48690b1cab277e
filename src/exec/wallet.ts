// Where live credentials come from: the environment or a key file readable by
// its owner only (mode 0600 or stricter). Nothing here writes them anywhere;
// every value is held as a Secret so that printing a wallet prints masks.
import { readFileSync, statSync } from 'node:fs';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { getAddress, isAddress } from 'viem';
import { Secret } from './secret.js';
import { deepFreeze } from '../frozen.js';

/** 0 EOA, 1 Polymarket proxy, 2 Gnosis Safe, 3 deposit wallet (ERC-1271 / ERC-7739). */
export type SignatureType = 0 | 1 | 2 | 3;
export const SIGNATURE_TYPES: Record<string, SignatureType> = deepFreeze({ eoa: 0, proxy: 1, safe: 2, 'deposit-wallet': 3 });

export interface ApiCreds {
  key: string;
  secret: Secret;
  passphrase: Secret;
}

export interface Wallet {
  /** The EOA (or session key) that signs. */
  account: PrivateKeyAccount;
  signer: `0x${string}`;
  /** The address that holds funds and is the order's maker (the signer itself for an EOA). */
  funder: `0x${string}`;
  signatureType: SignatureType;
  privateKey: Secret;
  creds: ApiCreds | undefined;
}

export const ENV = deepFreeze({
  key: 'POLY_PRIVATE_KEY',
  keyFile: 'POLY_KEY_FILE',
  funder: 'POLY_FUNDER',
  sigType: 'POLY_SIGNATURE_TYPE',
  apiKey: 'POLY_API_KEY',
  apiSecret: 'POLY_API_SECRET',
  passphrase: 'POLY_API_PASSPHRASE',
} as const);

export class WalletError extends Error {}

interface RawCreds {
  privateKey?: string;
  funder?: string;
  signatureType?: string | number;
  apiKey?: string;
  apiSecret?: string;
  passphrase?: string;
}

/**
 * Reads a key file: JSON with privateKey, and optionally funder,
 * signatureType, apiKey, apiSecret, passphrase. Refuses a file any other user
 * can read or write, naming the fix.
 */
export function readKeyFile(path: string): RawCreds {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new WalletError(`key file ${path} cannot be read`);
  }
  if (!st.isFile()) throw new WalletError(`key file ${path} is not a regular file`);
  if ((st.mode & 0o077) !== 0) throw new WalletError(`key file ${path} is readable by others (mode ${(st.mode & 0o777).toString(8)}); run: chmod 600 ${path}`);
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) throw new WalletError(`key file ${path} belongs to another user`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // Never echo the content: it is the secret.
    throw new WalletError(`key file ${path} is not valid JSON`);
  }
  if (!parsed || typeof parsed !== 'object') throw new WalletError(`key file ${path} must hold a JSON object`);
  return parsed as RawCreds;
}

function parseSigType(v: string | number | undefined): SignatureType {
  if (v === undefined || v === '') return 0;
  const named = typeof v === 'string' ? SIGNATURE_TYPES[v.toLowerCase()] : undefined;
  if (named !== undefined) return named;
  const n = Number(v);
  if (n === 0 || n === 1 || n === 2 || n === 3) return n;
  throw new WalletError(`signature type must be 0-3 or eoa/proxy/safe/deposit-wallet`);
}

/** Loads the wallet from the environment, then a key file (env values win). Undefined when neither names a key. */
export function loadWallet(env: NodeJS.ProcessEnv = process.env): Wallet | undefined {
  const file = env[ENV.keyFile] ? readKeyFile(env[ENV.keyFile]!) : {};
  const pick = (e: string, f: unknown): string | undefined => (env[e] !== undefined && env[e] !== '' ? env[e] : typeof f === 'string' || typeof f === 'number' ? String(f) : undefined);
  const pk = pick(ENV.key, file.privateKey);
  if (!pk) return undefined;
  const hex = (pk.startsWith('0x') ? pk : `0x${pk}`) as `0x${string}`;
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) throw new WalletError('private key must be 32 bytes of hex');
  const account = privateKeyToAccount(hex);
  const signatureType = parseSigType(pick(ENV.sigType, file.signatureType));
  const funderText = pick(ENV.funder, file.funder);
  if (funderText !== undefined && !isAddress(funderText)) throw new WalletError('funder must be a 0x address');
  if (signatureType !== 0 && funderText === undefined) throw new WalletError('a proxy, safe or deposit wallet needs its funder address (POLY_FUNDER)');
  const funder = funderText ? getAddress(funderText) : account.address;
  const apiKey = pick(ENV.apiKey, file.apiKey);
  const apiSecret = pick(ENV.apiSecret, file.apiSecret);
  const passphrase = pick(ENV.passphrase, file.passphrase);
  const some = [apiKey, apiSecret, passphrase].filter(Boolean).length;
  if (some > 0 && some < 3) throw new WalletError('API credentials need all three: key, secret and passphrase');
  return {
    account,
    signer: account.address,
    funder,
    signatureType,
    privateKey: new Secret(hex),
    creds: apiKey && apiSecret && passphrase ? { key: apiKey, secret: new Secret(apiSecret), passphrase: new Secret(passphrase) } : undefined,
  };
}

/** What may be shown about a wallet: addresses and type, never a secret. */
export function describeWallet(w: Wallet): string {
  const kind = ['EOA', 'proxy', 'safe', 'deposit wallet'][w.signatureType];
  return `${kind} ${w.funder}${w.funder !== w.signer ? ` (signer ${w.signer})` : ''}${w.creds ? `, API key ${w.creds.key.slice(0, 8)}…` : ', no API key'}`;
}
