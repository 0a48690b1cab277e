// The venue's order-book hash: SHA-1 of the compact JSON of the book summary with
// "hash" set to "" (research/polymarket-protocol.md §1.8). Field sets changed over
// time; each formula is kept so captures of every era can be checked.
import { createHash } from 'node:crypto';
import type { WireLevel } from './events.js';

export interface WireBookSummary {
  market: string;
  asset_id: string;
  timestamp: string | number;
  hash?: string;
  bids: WireLevel[];
  asks: WireLevel[];
  min_order_size?: string;
  tick_size?: string;
  neg_risk?: boolean;
  last_trade_price?: string;
}

/** 2024 – mid-2025: six keys. */
export function bookHashV1(b: WireBookSummary): string {
  return sha1(JSON.stringify({ market: b.market, asset_id: b.asset_id, timestamp: String(b.timestamp), hash: '', bids: b.bids, asks: b.asks }));
}

/** The nine keys of the 2025 summary, in the venue's order (hash blanked). */
function summaryV2(b: WireBookSummary) {
  return {
    market: b.market,
    asset_id: b.asset_id,
    timestamp: String(b.timestamp),
    hash: '',
    bids: b.bids,
    asks: b.asks,
    min_order_size: b.min_order_size,
    tick_size: b.tick_size,
    neg_risk: b.neg_risk,
  };
}

/** From 2025-07-23: min_order_size, tick_size and neg_risk appended (REST /book). */
export function bookHashV2(b: WireBookSummary): string {
  return sha1(JSON.stringify(summaryV2(b)));
}

/**
 * From about Dec 2025: last_trade_price appended as a tenth key — what both
 * official SDKs compute (clob-client `generateOrderBookSummaryHash` over the
 * REST summary as served; py-clob-client-v2 `generate_orderbook_summary_hash`).
 */
export function bookHashV3(b: WireBookSummary): string {
  return sha1(JSON.stringify({ ...summaryV2(b), last_trade_price: b.last_trade_price }));
}

/** Returns the name of the formula that reproduces `b.hash`, or undefined. */
export function matchingHashFormula(b: WireBookSummary): 'v1' | 'v2' | 'v3' | undefined {
  if (!b.hash) return undefined;
  const hasV2Fields = b.min_order_size !== undefined || b.tick_size !== undefined || b.neg_risk !== undefined;
  if (hasV2Fields && b.last_trade_price !== undefined && bookHashV3(b) === b.hash) return 'v3';
  if (hasV2Fields && bookHashV2(b) === b.hash) return 'v2';
  if (bookHashV1(b) === b.hash) return 'v1';
  return undefined;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
