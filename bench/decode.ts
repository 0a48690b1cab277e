// Decode per message type, as a ratio to raw JSON.parse of the same frames.
import { decodeFrame } from '../src/protocol/market-channel.js';
import { measure, throughput, type Figure } from './harness.js';

function frames(): Record<string, string[]> {
  const asset = (i: number) => String(10n ** 76n + BigInt(i));
  const market = '0x' + 'ab'.repeat(32);
  const pc: string[] = [];
  const trade: string[] = [];
  const book: string[] = [];
  const bba: string[] = [];
  const mixed: string[] = [];
  for (let i = 0; i < 200; i++) {
    const p = (0.3 + (i % 40) / 100).toFixed(2);
    pc.push(JSON.stringify({ event_type: 'price_change', market, timestamp: String(1761179949036 + i), price_changes: [
      { asset_id: asset(i), price: p, size: String(100 + i), side: 'BUY', hash: 'b'.repeat(40), best_bid: p, best_ask: '0.99' },
      { asset_id: asset(i + 1), price: (1 - Number(p)).toFixed(2), size: String(100 + i), side: 'SELL', hash: 'c'.repeat(40), best_bid: '0.01', best_ask: (1 - Number(p)).toFixed(2) },
    ] }));
    trade.push(JSON.stringify({ event_type: 'last_trade_price', asset_id: asset(i), market, price: p, size: '25.5', side: i % 2 ? 'BUY' : 'SELL', timestamp: String(1761179949036 + i), fee_rate_bps: '0' }));
    const levels = (base: number, dir: number) => Array.from({ length: 12 }, (_, k) => ({ price: (base + dir * k * 0.01).toFixed(2), size: String(50 * (k + 1)) }));
    book.push(JSON.stringify({ event_type: 'book', asset_id: asset(i), market, timestamp: String(1761179949036 + i), hash: 'd'.repeat(40), bids: levels(0.3, 1).reverse(), asks: levels(0.9, -1) }));
    bba.push(JSON.stringify({ event_type: 'best_bid_ask', market, asset_id: asset(i), best_bid: p, best_ask: '0.99', spread: (0.99 - Number(p)).toFixed(2), timestamp: String(1761179949036 + i) }));
    // What a trade brings in one frame, in the venue's key order: the trade (with its
    // transaction hash), the level change, the new top of book and the new book.
    mixed.push(`[${[
      JSON.stringify({ asset_id: asset(i), event_type: 'last_trade_price', fee_rate_bps: '0', market, price: p, side: 'BUY', size: '25.5', timestamp: String(1761179949036 + i), transaction_hash: '0x' + 'e'.repeat(64) }),
      pc[i],
      bba[i],
      book[i],
    ].join(',')}]`);
  }
  return { price_change: pc, last_trade_price: trade, book, best_bid_ask: bba, 'trade+change+bba+book array': mixed };
}

export function decodeSuite(runs: number): Figure[] {
  const out: Figure[] = [];
  for (const [type, list] of Object.entries(frames())) {
    const ceiling = measure(runs, () => throughput(list, (s) => JSON.parse(s)));
    const ours = measure(runs, () => throughput(list, decodeFrame));
    out.push({ suite: 'decode', name: `${type} JSON.parse (ceiling)`, unit: 'msg/s', ...ceiling });
    out.push({ suite: 'decode', name: `${type} decodeFrame`, unit: 'msg/s', ...ours, ceiling: 'JSON.parse', ratio: ours.median / ceiling.median });
  }
  return out;
}
