// Serialising simulator state into the venue's wire shapes (all numbers as strings).
import { createHash } from 'node:crypto';
import { OrderBook } from '../book/order-book.js';
import { PRICE_SCALE } from '../protocol/units.js';
import type { SimEvent, SimMarket } from './world-types.js';

export function fmtPrice(units: number): string {
  return String(units / PRICE_SCALE);
}

export function fmtSize(size: number): string {
  return String(Math.round(size * 100) / 100);
}

export interface WireLevel {
  price: string;
  size: string;
}

/** Levels in the venue's order: bids ascending, asks descending (best last). */
export function wireLevels(book: OrderBook): { bids: WireLevel[]; asks: WireLevel[] } {
  const bids: WireLevel[] = new Array(book.bidPx.length);
  for (let i = 0; i < book.bidPx.length; i++) bids[i] = { price: fmtPrice(book.bidPx[i]!), size: fmtSize(book.bidSz[i]!) };
  const asks: WireLevel[] = new Array(book.askPx.length);
  for (let i = 0; i < book.askPx.length; i++) asks[i] = { price: fmtPrice(book.askPx[i]!), size: fmtSize(book.askSz[i]!) };
  return { bids, asks };
}

export type HashMode = 'sha1' | 'fast';

/**
 * The REST /book summary of a token. Its hash is the venue's 2025 formula
 * (SHA-1 of the summary with hash "", research §1.8) or, in 'fast' mode, a
 * cheaper digest of the same fields — both change exactly when the book does.
 */
export function restBook(m: SimMarket, book: OrderBook, mode: HashMode): Record<string, unknown> {
  const { bids, asks } = wireLevels(book);
  const summary = {
    market: m.conditionId,
    asset_id: book.asset,
    timestamp: String(book.updateTs),
    hash: '',
    bids,
    asks,
    min_order_size: String(m.minOrderSize),
    tick_size: fmtPrice(m.tick),
    neg_risk: m.negRisk,
  };
  summary.hash = bookDigest(book, summary, mode);
  return { ...summary, last_trade_price: book.lastTradePrice !== undefined ? fmtPrice(book.lastTradePrice) : '' };
}

/** The hash a book would carry now (cached per book version by the exchange). */
export function bookDigest(book: OrderBook, summary: object | undefined, mode: HashMode): string {
  if (mode === 'sha1') {
    return createHash('sha1')
      .update(JSON.stringify(summary ?? { market: book.market, asset_id: book.asset, timestamp: String(book.updateTs), hash: '', ...wireLevels(book) }))
      .digest('hex');
  }
  // FNV-1a over prices, sizes and timestamp, widened to 40 hex chars.
  let h1 = 0x811c9dc5 ^ book.updateTs;
  let h2 = 0x01000193 ^ (book.updateTs / 4294967296);
  const mix = (v: number) => {
    h1 = Math.imul(h1 ^ v, 16777619);
    h2 = Math.imul(h2 ^ (v >>> 3), 2246822519);
  };
  for (let i = 0; i < book.bidPx.length; i++) (mix(book.bidPx[i]!), mix(Math.round(book.bidSz[i]! * 100)));
  mix(-1);
  for (let i = 0; i < book.askPx.length; i++) (mix(book.askPx[i]!), mix(Math.round(book.askSz[i]! * 100)));
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return hex(h1) + hex(h2) + hex(h1 ^ h2) + hex(Math.imul(h1, 31) ^ h2) + hex(h2 * 7 + h1);
}

const toIso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A Gamma /markets object as the venue serves it (JSON-encoded string arrays). */
export function gammaMarket(m: SimMarket, ev: SimEvent, prices: [number, number], bestBid: number | undefined, bestAsk: number | undefined, withTags: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: m.id,
    question: m.question,
    conditionId: m.conditionId,
    slug: m.slug,
    endDate: toIso(m.endMs),
    startDate: toIso(m.createdMs),
    description: m.description,
    outcomes: JSON.stringify(m.outcomes),
    outcomePrices: JSON.stringify(prices.map((p) => fmtPrice(p))),
    volume: String(m.volume),
    volumeNum: m.volume,
    liquidity: String(Math.round(m.depth * 12 * 50) / 100),
    liquidityNum: Math.round(m.depth * 12 * 50) / 100,
    active: true,
    closed: m.closed,
    questionID: m.questionId,
    clobTokenIds: JSON.stringify(m.tokenIds),
    enableOrderBook: true,
    acceptingOrders: !m.closed,
    orderPriceMinTickSize: m.tick / PRICE_SCALE,
    orderMinSize: m.minOrderSize,
    negRisk: m.negRisk,
    feesEnabled: m.feeRate > 0,
    feeSchedule: { exponent: 1, rate: m.feeRate, rebateRate: m.rebateRate, takerOnly: true },
    bestBid: bestBid !== undefined ? bestBid / PRICE_SCALE : 0,
    bestAsk: bestAsk !== undefined ? bestAsk / PRICE_SCALE : 1,
    spread: bestBid !== undefined && bestAsk !== undefined ? (bestAsk - bestBid) / PRICE_SCALE : 1,
    lastTradePrice: prices[0] / PRICE_SCALE,
    updatedAt: toIso(m.closedMs ?? m.createdMs),
    events: [
      {
        id: ev.id,
        ticker: ev.slug,
        slug: ev.slug,
        title: ev.title,
        negRisk: ev.negRisk,
        ...(ev.negRisk ? { negRiskAugmented: ev.augmented } : {}),
        ...(withTags ? { tags: ev.tags.map((t, i) => ({ id: String(100 + i), label: t, slug: t.toLowerCase().replace(/\W+/g, '-') })) } : {}),
      },
    ],
  };
  if (m.negRisk && ev.negRiskMarketId) out['negRiskMarketID'] = ev.negRiskMarketId;
  if (m.groupItemTitle) out['groupItemTitle'] = m.groupItemTitle;
  if (m.closed && m.closedMs !== undefined) {
    out['closedTime'] = new Date(m.closedMs).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '+00');
    out['umaResolutionStatus'] = 'resolved';
  }
  return out;
}

export function gammaEvent(ev: SimEvent, markets: Record<string, unknown>[], volume: number, closed: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: ev.id,
    ticker: ev.slug,
    slug: ev.slug,
    title: ev.title,
    description: ev.description,
    startDate: toIso(ev.createdMs),
    endDate: toIso(ev.endMs),
    active: true,
    closed,
    negRisk: ev.negRisk,
    volume,
    liquidity: markets.reduce((s, m) => s + Number(m['liquidityNum'] ?? 0), 0),
    markets,
    tags: ev.tags.map((t, i) => ({ id: String(100 + i), label: t, slug: t.toLowerCase().replace(/\W+/g, '-') })),
  };
  if (ev.negRisk) {
    out['negRiskAugmented'] = ev.augmented;
    if (ev.negRiskMarketId) out['negRiskMarketID'] = ev.negRiskMarketId;
  }
  return out;
}
