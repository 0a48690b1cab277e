// Serialising simulator state into the venue's wire shapes (all numbers as strings).
import { createHash } from 'node:crypto';
import type { SimBook } from './sim-book.js';
import { PRICE_SCALE } from '../protocol/units.js';
import type { WireBook, WireLevel } from '../protocol/events.js';
import type { SimMarket } from './world-types.js';

export function fmtPrice(units: number): string {
  return String(units / PRICE_SCALE);
}

export function fmtSize(size: number): string {
  return String(Math.round(size * 100) / 100);
}

/** Levels in the venue's order: bids ascending, asks descending (best last). */
export function wireLevels(book: SimBook): { bids: WireLevel[]; asks: WireLevel[] } {
  const bids: WireLevel[] = [];
  const asks: WireLevel[] = [];
  book.forEachWire((side, price, size) => (side === 'BUY' ? bids : asks).push({ price: fmtPrice(price), size: fmtSize(size) }));
  return { bids, asks };
}

export type HashMode = 'sha1' | 'fast';

/**
 * The REST /book summary of a token with "hash" still empty, keys in the order
 * the venue serves them. The official SDKs hash the object exactly as received
 * (clob-client `generateOrderBookSummaryHash` stringifies the parsed response;
 * py-clob-client-v2 builds the same ten keys), so key order is part of the hash.
 */
export function bookSummary(m: SimMarket, book: SimBook): Record<string, unknown> & { hash: string } {
  const { bids, asks } = wireLevels(book);
  return {
    market: m.conditionId,
    asset_id: book.asset,
    timestamp: String(book.updateTs),
    hash: '',
    bids,
    asks,
    min_order_size: String(m.minOrderSize),
    tick_size: fmtPrice(m.tick),
    neg_risk: m.negRisk,
    last_trade_price: book.lastTradePrice !== undefined ? fmtPrice(book.lastTradePrice) : '',
  };
}

/**
 * The REST /book summary of a token. Its hash is the SDKs' ten-field formula
 * (SHA-1 of the compact summary with hash "", last_trade_price included) or, in
 * 'fast' mode, a cheaper digest of the same fields — both change exactly when
 * the summary does.
 */
export function restBook(m: SimMarket, book: SimBook, mode: HashMode): Record<string, unknown> {
  const summary = bookSummary(m, book);
  summary.hash = bookDigest(book, summary, mode);
  return summary;
}

/** The hash a book's summary carries (the exchange caches it per book version). */
export function bookDigest(book: SimBook, summary: object, mode: HashMode): string {
  if (mode === 'sha1') return createHash('sha1').update(JSON.stringify(summary)).digest('hex');
  // FNV-1a over prices, sizes, last trade, tick and timestamp, widened to 40 hex chars.
  let h1 = 0x811c9dc5 ^ book.updateTs;
  let h2 = 0x01000193 ^ (book.updateTs / 4294967296);
  const mix = (v: number) => {
    h1 = Math.imul(h1 ^ v, 16777619);
    h2 = Math.imul(h2 ^ (v >>> 3), 2246822519);
  };
  let onAsks = false;
  book.forEachWire((side, price, size) => {
    if (side === 'SELL' && !onAsks) {
      onAsks = true;
      mix(-1);
    }
    mix(price);
    mix(Math.round(size * 100));
  });
  if (!onAsks) mix(-1);
  mix(book.lastTradePrice ?? -2);
  mix(book.tick);
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return hex(h1) + hex(h2) + hex(h1 ^ h2) + hex(Math.imul(h1, 31) ^ h2) + hex(h2 * 7 + h1);
}

/** A market-channel `book` event (initial dump, after trades and tick changes); same hash as REST /book. */
export function wsBook(m: SimMarket, book: SimBook, hash: string): WireBook {
  const { bids, asks } = wireLevels(book);
  return {
    event_type: 'book',
    market: m.conditionId,
    asset_id: book.asset,
    timestamp: String(book.updateTs),
    hash,
    bids,
    asks,
    last_trade_price: book.lastTradePrice !== undefined ? fmtPrice(book.lastTradePrice) : '',
  };
}
