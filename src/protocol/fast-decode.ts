// A hand-written fast path for the three hot event shapes (book, current
// price_change, last_trade_price). It returns undefined for anything it does not
// fully accept, and the zod schemas in market-channel.ts then decide and name
// the failing field. test/protocol/fast-decode.test.ts checks that whenever this
// accepts, zod accepts too and produces the same value.
import type { BookEvent, Level, MarketEvent, PriceChange, PriceChangeEvent, TradeEvent } from './events.js';
import { parseMillis, parsePrice, parseSize } from './units.js';

type Obj = Record<string, unknown>;

function str(v: unknown): v is string {
  return typeof v === 'string';
}

function levels(v: unknown): Level[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: Level[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const l = v[i] as Obj | null;
    if (typeof l !== 'object' || l === null) return undefined;
    const p = l['price'];
    const s = l['size'];
    if (!str(p) || !str(s)) return undefined;
    const price = parsePrice(p);
    const size = parseSize(s);
    if (price === undefined || size === undefined) return undefined;
    out[i] = { price, size };
  }
  return out;
}

function millis(v: unknown): number | undefined {
  return str(v) || typeof v === 'number' ? parseMillis(v) : undefined;
}

function optPrice(v: unknown): number | undefined | null {
  if (v === undefined || v === null || v === '') return undefined;
  if (!str(v)) return null;
  const p = parsePrice(v);
  return p === undefined ? null : p;
}

function book(o: Obj): BookEvent | undefined {
  const asset = o['asset_id'];
  const market = o['market'];
  const hash = o['hash'];
  if (!str(asset) || asset.length === 0 || !str(market) || (hash !== undefined && !str(hash))) return undefined;
  const ts = millis(o['timestamp']);
  if (ts === undefined) return undefined;
  const bids = levels(o['bids']);
  const asks = levels(o['asks']);
  if (!bids || !asks) return undefined;
  const ltp = optPrice(o['last_trade_price']);
  if (ltp === null) return undefined;
  const out: BookEvent = { type: 'book', asset, market, ts, bids, asks, hash: hash ?? '' };
  if (ltp !== undefined) out.lastTradePrice = ltp;
  return out;
}

function priceChange(o: Obj): PriceChangeEvent | undefined {
  const market = o['market'];
  const list = o['price_changes'];
  if (!str(market) || !Array.isArray(list)) return undefined;
  const ts = millis(o['timestamp']);
  if (ts === undefined) return undefined;
  const changes: PriceChange[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const e = list[i] as Obj | null;
    if (typeof e !== 'object' || e === null) return undefined;
    const asset = e['asset_id'];
    const p = e['price'];
    const s = e['size'];
    const side = e['side'];
    const hash = e['hash'];
    if (!str(asset) || asset.length === 0 || !str(p) || !str(s) || (side !== 'BUY' && side !== 'SELL')) return undefined;
    if (hash !== undefined && !str(hash)) return undefined;
    const price = parsePrice(p);
    const size = parseSize(s);
    if (price === undefined || size === undefined) return undefined;
    const bestBid = optPrice(e['best_bid']);
    const bestAsk = optPrice(e['best_ask']);
    if (bestBid === null || bestAsk === null) return undefined;
    const c: PriceChange = { asset, price, size, side };
    if (hash !== undefined) c.hash = hash;
    if (bestBid !== undefined) c.bestBid = bestBid;
    if (bestAsk !== undefined) c.bestAsk = bestAsk;
    changes[i] = c;
  }
  return { type: 'price_change', market, ts, changes };
}

function trade(o: Obj): TradeEvent | undefined {
  const asset = o['asset_id'];
  const market = o['market'];
  const p = o['price'];
  const s = o['size'];
  const side = o['side'];
  const bps = o['fee_rate_bps'];
  if (!str(asset) || asset.length === 0 || !str(market) || !str(p) || !str(s) || (side !== 'BUY' && side !== 'SELL')) return undefined;
  if (bps !== undefined && !str(bps)) return undefined;
  const ts = millis(o['timestamp']);
  const price = parsePrice(p);
  const size = parseSize(s);
  if (ts === undefined || price === undefined || size === undefined) return undefined;
  const out: TradeEvent = { type: 'last_trade_price', asset, market, price, size, side, ts };
  if (bps !== undefined && bps !== '') {
    const n = Number(bps);
    if (Number.isFinite(n)) out.feeRateBps = n;
  }
  return out;
}

/** Returns the decoded event, or undefined to let the zod schemas decide. */
export function fastDecode(o: Obj): MarketEvent | undefined {
  switch (o['event_type']) {
    case 'book':
      return book(o);
    case 'price_change':
      return 'price_changes' in o ? priceChange(o) : undefined;
    case 'last_trade_price':
      return trade(o);
    default:
      return undefined;
  }
}
