// `polyconsole resolve --catalog FILE [--json]`: the resolver over a saved
// Gamma dump. One JSON line per market with --json (times in epoch ms), else a
// short table of the mapped crypto markets and the unmapped ones with reasons.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { sanitize } from '../text/sanitize.js';
import { decodeRefMarket } from './gamma-input.js';
import { resolveMarket, type ResolvedRule } from './resolve.js';

export class ResolveInputError extends Error {
  override name = 'ResolveInputError';
}

const MAX_FILE = 512 * 1024 * 1024;

/** Market objects from a dump: an array of markets, {markets: […]}, or events with nested markets. */
export function marketsOfDump(value: unknown): unknown[] | undefined {
  const list = Array.isArray(value) ? value : value && typeof value === 'object' && Array.isArray((value as { markets?: unknown }).markets) ? (value as { markets: unknown[] }).markets : undefined;
  if (!list) return undefined;
  const out: unknown[] = [];
  for (const item of list) {
    const nested = item && typeof item === 'object' && !('conditionId' in item) && Array.isArray((item as { markets?: unknown }).markets) ? (item as { markets: unknown[] }).markets : undefined;
    if (nested) out.push(...nested);
    else out.push(item);
  }
  return out;
}

export function readDump(path: string): unknown[] {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new ResolveInputError(`catalog ${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (buf.length > MAX_FILE) throw new ResolveInputError(`catalog ${path}: larger than ${MAX_FILE >> 20} MB`);
  if (buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf, { maxOutputLength: MAX_FILE });
    } catch (e) {
      throw new ResolveInputError(`catalog ${path}: bad gzip (${sanitize((e as Error).message, 120)})`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw new ResolveInputError(`catalog ${path}: not JSON (${sanitize((e as Error).message, 120)})`);
  }
  const markets = marketsOfDump(value);
  if (!markets) throw new ResolveInputError(`catalog ${path}: expected a JSON array of markets, {"markets": [...]}, or events with markets`);
  return markets;
}

export interface ResolveLine {
  id: string;
  conditionId: string;
  status: 'mapped' | 'unmapped';
  asset: string | null;
  kind: string | null;
  strike: number | null;
  strikeHigh?: number;
  windowStart: number | null;
  resolvesAt: number | null;
  source: string | null;
  series?: string;
  reason: string | null;
}

export function lineOf(id: string, conditionId: string, r: ResolvedRule): ResolveLine {
  if (r.status === 'unmapped') {
    return { id, conditionId, status: 'unmapped', asset: null, kind: null, strike: null, windowStart: null, resolvesAt: null, source: null, reason: r.crypto ? r.reason : 'not a crypto market' };
  }
  return {
    id,
    conditionId,
    status: 'mapped',
    asset: r.asset,
    kind: r.kind,
    strike: r.strike,
    ...(r.strikeHigh !== undefined ? { strikeHigh: r.strikeHigh } : {}),
    windowStart: r.windowStart,
    resolvesAt: r.resolvesAt,
    source: r.source,
    ...(r.series ? { series: r.series } : {}),
    reason: null,
  };
}

export interface ResolveSummary {
  markets: number;
  mapped: number;
  unmappedCrypto: number;
  notCrypto: number;
  rejected: number;
}

/** Resolves every market of a dump; emits one line each. Undecodable items are skipped, counted and reported on warn. */
export function resolveDump(items: unknown[], json: boolean, out: (s: string) => void, warn: (s: string) => void): ResolveSummary {
  const sum: ResolveSummary = { markets: 0, mapped: 0, unmappedCrypto: 0, notCrypto: 0, rejected: 0 };
  items.forEach((item, i) => {
    const d = decodeRefMarket(item);
    if (!d.ok) {
      sum.rejected++;
      if (sum.rejected <= 5) warn(sanitize(`item ${i}: ${d.error}`, 200));
      return;
    }
    sum.markets++;
    const r = resolveMarket(d.value);
    if (r.status === 'mapped') sum.mapped++;
    else if (r.crypto) sum.unmappedCrypto++;
    else sum.notCrypto++;
    const line = lineOf(sanitize(d.value.id, 100), sanitize(d.value.conditionId, 100), r);
    if (json) out(JSON.stringify(line));
    else if (r.status === 'mapped') {
      const strike = r.strike === null ? 'start' : r.strikeHigh !== undefined ? `${r.strike}–${r.strikeHigh}` : String(r.strike);
      const from = r.windowStart === null ? '' : `${new Date(r.windowStart).toISOString().slice(0, 16)}Z → `;
      out(`${line.id.padEnd(10)} ${r.asset.padEnd(5)} ${r.kind.padEnd(6)} ${strike.padEnd(16)} ${from}${new Date(r.resolvesAt).toISOString().slice(0, 16)}Z  ${r.source}${r.series ? ' ' + r.series : ''}  ${sanitize(d.value.question, 70)}`);
    } else if (r.crypto) out(`${line.id.padEnd(10)} unmapped: ${r.reason}  (${sanitize(d.value.question, 70)})`);
  });
  if (sum.rejected > 5) warn(`${sum.rejected - 5} more items rejected`);
  if (!json) out(`${sum.markets} markets: ${sum.mapped} crypto mapped, ${sum.unmappedCrypto} crypto unmapped (reasons above), ${sum.notCrypto} not crypto${sum.rejected ? `, ${sum.rejected} rejected` : ''}`);
  return sum;
}
