// Small builders for signal tests: books with a chosen top, trades.
import { OrderBook } from '../../src/book/order-book.js';
import type { Side, TradeEvent } from '../../src/protocol/events.js';

export const T0 = 1_700_000_000_000;

export function book(asset: string, market: string, bid: [number, number] | null, ask: [number, number] | null): OrderBook {
  const b = new OrderBook(asset);
  b.market = market;
  setTop(b, bid, ask);
  b.state = 'fresh';
  return b;
}

/** Replaces the book with a one-level-per-side book. */
export function setTop(b: OrderBook, bid: [number, number] | null, ask: [number, number] | null): OrderBook {
  b.replace(bid ? [{ price: bid[0], size: bid[1] }] : [], ask ? [{ price: ask[0], size: ask[1] }] : []);
  return b;
}

export function trade(asset: string, side: Side, price: number, size: number, ts = 0, market = 'm1'): TradeEvent {
  return { type: 'last_trade_price', asset, market, price, size, side, ts };
}
