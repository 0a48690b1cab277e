// Batch price reads for the whole-market screen: POST /prices asks for the best
// bid (side BUY) and best ask (side SELL) of many tokens at once. The venue
// documents no maximum batch, only a "Payload exceeds the limit" 400, so the
// chunk halves on that answer and is remembered. Every price is validated at
// this edge (a plain decimal on the 0.0001 grid, strictly inside (0, 1)).
import type { RestLike } from './rest-client.js';
import { parsePrice } from '../protocol/units.js';

export interface TopOfBook {
  /** Best bid, 0.0001 units (undefined: no bids). */
  bid: number | undefined;
  /** Best ask, 0.0001 units (undefined: no asks). */
  ask: number | undefined;
}

export type PricesResult = { ok: true; prices: Map<string, TopOfBook>; rejected: number } | { ok: false; error: string; tooLarge: boolean };

/** The wire body for the best bid and ask of each token. */
export function pricesBody(tokens: readonly string[]): { token_id: string; side: 'BUY' | 'SELL' }[] {
  const out: { token_id: string; side: 'BUY' | 'SELL' }[] = [];
  for (const t of tokens) out.push({ token_id: t, side: 'BUY' }, { token_id: t, side: 'SELL' });
  return out;
}

function price(v: unknown): number | undefined | null {
  if (v === undefined) return undefined;
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v : null;
  if (text === null) return null;
  const p = parsePrice(text);
  if (p === undefined || p <= 0 || p >= 10_000) return null;
  return p;
}

/**
 * Decodes `{"<token>": {"BUY": "0.45", "SELL": "0.46"}}` for the tokens asked.
 * Tokens not asked for, and malformed entries, are dropped and counted; a token
 * missing from the answer has no book (the venue omits it) and is left out.
 */
export function decodePrices(body: unknown, asked: ReadonlySet<string>): { prices: Map<string, TopOfBook>; rejected: number } {
  const prices = new Map<string, TopOfBook>();
  let rejected = 0;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { prices, rejected: 1 };
  for (const [token, sides] of Object.entries(body as Record<string, unknown>)) {
    if (!asked.has(token) || typeof sides !== 'object' || sides === null) {
      rejected++;
      continue;
    }
    const s = sides as Record<string, unknown>;
    const bid = price(s['BUY']);
    const ask = price(s['SELL']);
    if (bid === null || ask === null || (bid !== undefined && ask !== undefined && bid >= ask)) {
      rejected++;
      continue;
    }
    prices.set(token, { bid, ask });
  }
  return { prices, rejected };
}

/** One POST /prices for `tokens` (both sides each). Never throws. */
export async function fetchPrices(rest: RestLike, clobUrl: string, tokens: readonly string[]): Promise<PricesResult> {
  const r = await rest.postJson(`${clobUrl}/prices`, pricesBody(tokens));
  if (!r.ok) return { ok: false, error: r.error, tooLarge: r.status === 400 && /payload exceeds the limit/i.test(r.error) };
  const { prices, rejected } = decodePrices(r.body, new Set(tokens));
  return { ok: true, prices, rejected };
}
