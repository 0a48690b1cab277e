// Small valid frames of every market-channel event type, shaped like the real
// captures in shared/fixtures/polymarket (all numbers as strings). Built in so
// the fuzz and differential tests run even when the fixtures folder is absent.

export const ASSET_YES = '94022367472047775158269173293876979533288470167463650966689320774843018181757';
export const ASSET_NO = '3329029450753225654467003002742946394863848082479209219558348197750220015613';
export const MARKET = '0x2f1ab0ffaf465c4acd76b9a4a1f8980db26bfae7d248a6bb289350586028307e';

export const bookSample = {
  event_type: 'book',
  market: MARKET,
  asset_id: ASSET_YES,
  timestamp: '1761179883493',
  hash: 'f2bdf6bab7473bb8b9925aae72cee9242400db0a',
  // Wire order as seen in real captures: bids ascending, asks descending.
  bids: [
    { price: '0.01', size: '110000' },
    { price: '0.32', size: '448.56' },
    { price: '0.33', size: '152.17' },
  ],
  asks: [
    { price: '0.92', size: '12' },
    { price: '0.37', size: '100' },
    { price: '0.34', size: '914.14' },
  ],
  last_trade_price: '0.33',
};

export const priceChangeSample = {
  event_type: 'price_change',
  market: MARKET,
  price_changes: [
    { asset_id: ASSET_NO, price: '0.08', size: '0', side: 'BUY', hash: 'eb10ffd5c6ab383af860ca60a1ceb6e59b7a53ef', best_bid: '0.66', best_ask: '0.67' },
    { asset_id: ASSET_YES, price: '0.92', size: '0', side: 'SELL', hash: 'b9ee8c0d2cc9a436dc6e70692b6882b881434d7b', best_bid: '0.33', best_ask: '0.34' },
  ],
  timestamp: '1761179949036',
};

export const legacyPriceChangeSample = {
  event_type: 'price_change',
  asset_id: ASSET_YES,
  market: MARKET,
  hash: 'bf32b3746fff40c76c98021b7f3f07261169dd26',
  timestamp: '1729084877448',
  changes: [
    { price: '0.6', side: 'BUY', size: '3300' },
    { price: '0.5', side: 'BUY', size: '3400' },
  ],
};

export const flatPriceChangeSample = {
  event_type: 'price_change',
  asset_id: ASSET_YES,
  market: MARKET,
  hash: 'bf32b3746fff40c76c98021b7f3f07261169dd26',
  price: '0.514',
  side: 'SELL',
  size: '21574.08',
  timestamp: '1723967931411',
};

export const tradeSample = {
  event_type: 'last_trade_price',
  asset_id: ASSET_YES,
  market: MARKET,
  fee_rate_bps: '0',
  price: '0.491',
  side: 'SELL',
  size: '85.36',
  timestamp: '1724564136087',
};

export const tickSizeSample = {
  event_type: 'tick_size_change',
  asset_id: ASSET_YES,
  market: MARKET,
  old_tick_size: '0.01',
  new_tick_size: '0.001',
  timestamp: '1739068041853',
};

export const bestBidAskSample = {
  event_type: 'best_bid_ask',
  market: MARKET,
  asset_id: ASSET_YES,
  best_bid: '0.73',
  best_ask: '0.77',
  spread: '0.04',
  timestamp: '1766789469958',
};

export const newMarketSample = {
  event_type: 'new_market',
  id: '1031769',
  question: 'Will NVIDIA (NVDA) close above $240 end of January?',
  market: MARKET,
  slug: 'nvda-above-240-on-january-30-2026',
  assets_ids: [ASSET_YES, ASSET_NO],
  outcomes: ['Yes', 'No'],
  event_message: { id: '125819', ticker: 'nvda', slug: 'nvda', title: 'NVDA above ___?', description: '' },
  timestamp: '1766790415550',
  tags: ['stocks'],
};

export const marketResolvedSample = {
  event_type: 'market_resolved',
  id: '1031769',
  market: MARKET,
  assets_ids: [ASSET_YES, ASSET_NO],
  winning_asset_id: ASSET_YES,
  winning_outcome: 'Yes',
  timestamp: '1766790415550',
  tags: ['stocks'],
};

/** One valid frame per event type and price_change form. */
export const ALL_SAMPLES: readonly Record<string, unknown>[] = [
  bookSample,
  priceChangeSample,
  legacyPriceChangeSample,
  flatPriceChangeSample,
  tradeSample,
  tickSizeSample,
  bestBidAskSample,
  newMarketSample,
  marketResolvedSample,
];

/** The three shapes fast-decode.ts handles. */
export const HOT_SAMPLES: readonly Record<string, unknown>[] = [bookSample, priceChangeSample, tradeSample];

/** The shapes the frame scanner reads itself. */
export const SCANNED_SAMPLES: readonly Record<string, unknown>[] = [...HOT_SAMPLES, bestBidAskSample];

/** mulberry32: a tiny seeded PRNG so fuzz runs are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
