// Pre-flight before live trading: each check either passes or says in one
// plain sentence what is wrong and how to fix it. Read-only: it derives the
// API key (an L1 signature, no order) and reads balances; it never posts.
import { l1Headers } from './auth.js';
import { classify, sanitize, Venue, VenueError } from './venue.js';
import type { Wallet } from './wallet.js';
import { systemWall, type WallNow } from '../clock.js';
import { deepFreeze } from '../frozen.js';

export interface Check {
  name: string;
  ok: boolean;
  /** What was found (pass) or what is wrong and the fix (fail). */
  text: string;
}

export const KNOWN_VERSIONS = deepFreeze([2, 3]);
const MAX_DRIFT_S = 5;

async function get(url: string, init: RequestInit = {}, timeoutMs = 5000): Promise<{ status: number; text: string }> {
  const r = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  return { status: r.status, text: await r.text() };
}

export async function doctor(clob: string, wallet: Wallet | undefined, now: WallNow = systemWall): Promise<Check[]> {
  const out: Check[] = [];
  const add = (name: string, ok: boolean, text: string) => out.push({ name, ok, text });
  try {
    const r = await get(`${clob}/ok`);
    if (r.status === 200) add('reach', true, `CLOB at ${clob} answers`);
    else if (classify(r.status, r.text) === 'geo-blocked') add('reach', false, `the CLOB refuses this network (HTTP ${r.status}, a geographic block); trade from an allowed jurisdiction`);
    else add('reach', false, `the CLOB answered HTTP ${r.status} to /ok; check the --clob URL`);
  } catch (err) {
    add('reach', false, `the CLOB at ${clob} cannot be reached (${sanitize((err as Error).message, 80)}); check the network and the URL`);
    return out;
  }
  try {
    const v = JSON.parse((await get(`${clob}/version`)).text) as { version?: unknown };
    const ver = Number(v.version ?? 2);
    add('version', KNOWN_VERSIONS.includes(ver), KNOWN_VERSIONS.includes(ver) ? `exchange version ${ver}` : `the exchange reports version ${ver}, which this build cannot sign; upgrade polyconsole`);
  } catch {
    add('version', false, 'the exchange did not say its version (/version); retry later');
  }
  try {
    const t0 = now();
    const server = Number((await get(`${clob}/time`)).text);
    const drift = server - (t0 + now()) / 2000;
    add('clock', Math.abs(drift) <= MAX_DRIFT_S, Math.abs(drift) <= MAX_DRIFT_S ? `clock within ${Math.abs(drift).toFixed(1)} s of the venue` : `this machine's clock is ${drift > 0 ? 'behind' : 'ahead of'} the venue by ${Math.abs(drift).toFixed(0)} s; enable NTP time sync`);
  } catch {
    add('clock', false, 'the venue time (/time) could not be read');
  }
  if (!wallet) {
    add('wallet', false, 'no wallet: set POLY_PRIVATE_KEY, or POLY_KEY_FILE to a JSON key file with mode 0600');
    return out;
  }
  const kinds = ['EOA', 'proxy', 'Gnosis Safe', 'deposit wallet'];
  if (wallet.signatureType === 0) add('wallet', true, `EOA ${wallet.signer}; accounts created since May 2026 must use their deposit wallet (POLY_SIGNATURE_TYPE=deposit-wallet, POLY_FUNDER=its address)`);
  else add('wallet', wallet.funder !== wallet.signer, wallet.funder !== wallet.signer ? `${kinds[wallet.signatureType]} ${wallet.funder}, signed by ${wallet.signer}` : `a ${kinds[wallet.signatureType]} needs its own address as POLY_FUNDER, not the signing key's`);
  // Derive the key bound to the address that will sign orders: a key derived for the wrong address is the commonest 2026 failure.
  const bound = wallet.signatureType === 3 ? wallet.funder : wallet.signer;
  try {
    const h = await l1Headers(wallet.account, Math.floor(now() / 1000), 0, bound);
    const r = await get(`${clob}/auth/derive-api-key`, { headers: h });
    const body = JSON.parse(r.text) as { apiKey?: string; error?: string };
    if (r.status !== 200 || !body.apiKey) add('api-key', false, `no API key can be derived for ${bound} (${sanitize(body.error ?? String(r.status), 80)}); create one with the L1 flow for that address`);
    else if (wallet.creds && wallet.creds.key !== body.apiKey) add('api-key', false, `the configured API key is not the one bound to ${bound}; the venue will answer "the order signer address has to be the address of the API KEY" — use the derived key`);
    else if (!wallet.creds) add('api-key', false, `an API key exists for ${bound} but none is configured; set POLY_API_KEY, POLY_API_SECRET and POLY_API_PASSPHRASE`);
    else add('api-key', true, `API key ${body.apiKey.slice(0, 8)}… is bound to ${bound}`);
  } catch (err) {
    add('api-key', false, `deriving the API key failed (${sanitize((err as Error).message, 80)})`);
  }
  if (wallet.creds && out.every((c) => c.name !== 'api-key' || c.ok)) {
    try {
      const venue = new Venue({ clob, address: bound, creds: wallet.creds });
      const b = await venue.call<{ balance: string; allowances?: Record<string, string> }>('GET', '/balance-allowance', undefined, { asset_type: 'COLLATERAL', signature_type: String(wallet.signatureType) });
      const usdc = Number(b.balance) / 1e6;
      const zero = Object.entries(b.allowances ?? {}).filter(([, v]) => v === '0').map(([k]) => k);
      add('balance', usdc > 0, usdc > 0 ? `${usdc.toFixed(2)} USDC available` : 'the wallet holds no collateral; deposit before trading');
      add('allowance', zero.length === 0 && Object.keys(b.allowances ?? {}).length > 0, zero.length === 0 ? 'exchange allowances set' : `no allowance for ${zero.join(', ')}; approve the exchanges (and the neg-risk adapter) from the wallet`);
    } catch (err) {
      add('balance', false, err instanceof VenueError ? `balance could not be read: ${err.kind} (${err.venueText})` : 'balance could not be read');
    }
  }
  return out;
}

/** One line per check, for the terminal. */
export function formatChecks(checks: Check[]): string {
  return checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(9)} ${c.text}`).join('\n');
}
