// A decoded string cut from a frame keeps the whole frame alive in V8. Books
// outlive their frames, so what they keep (asset, market, hash) must be copies.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BookCache } from '../../src/book/book-cache.js';
import { decodeFrame } from '../../src/protocol/market-channel.js';
import { internKey, ownKey, ownString } from '../../src/protocol/own-string.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1e6;
}

const MARKET = `0x${'ab'.repeat(32)}`;
const FRAMES = 60;
/** Changes for an asset nobody tracks: they only make the frame big (~200 KB). */
const PADDING = Array.from({ length: 2000 }, (_, k) => ({ asset_id: '9'.repeat(70), price: '0.5', size: String(k + 1), side: 'BUY', hash: 'f'.repeat(40), best_bid: '0.5', best_ask: '0.51' }));

/** One frame: a first book for a new asset, then a big price_change that also moves that asset's book. */
function frame(i: number): Buffer {
  const asset = String(10n ** 70n + BigInt(i));
  const book = { event_type: 'book', asset_id: asset, market: MARKET, timestamp: String(1_700_000_000_000 + i), hash: `${i}`.padStart(40, 'c'), bids: [{ price: '0.40', size: '10' }], asks: [{ price: '0.60', size: '10' }] };
  const change = { asset_id: asset, price: '0.41', size: '5', side: 'BUY', hash: `${i}`.padStart(40, 'd'), best_bid: '0.41', best_ask: '0.6' };
  const pc = { event_type: 'price_change', market: MARKET, timestamp: String(1_700_000_000_001 + i), price_changes: [...PADDING, change] };
  return Buffer.from(JSON.stringify([book, pc]));
}

describe('books keep nothing of the frames they were built from', () => {
  it('ownString, ownKey and internKey return an equal string, whatever its characters', () => {
    const frameText = `{"hash":"${'e'.repeat(40)}","q":"${'€'.repeat(20)}\ud800${'é'.repeat(20)}"}`;
    const slice = frameText.slice(9, 49);
    const wide = frameText.slice(56, 97);
    expect(wide).toHaveLength(41);
    for (const own of [ownString, ownKey, internKey]) {
      expect(own(slice)).toBe(slice);
      expect(own(wide)).toBe(wide);
      expect(own(frameText.slice(75))).toBe(frameText.slice(75));
      expect(own('short')).toBe('short');
    }
  });

  it(`${FRAMES} frames of ~200 KB: the books they leave hold under 3 MB (the last frame and scratch at most), not the frames (26 MB held before)`, () => {
    const buffers = Array.from({ length: FRAMES }, (_, i) => frame(i));
    const frameMb = buffers.reduce((n, b) => n + b.length, 0) / 1e6;
    expect(frameMb).toBeGreaterThan(10);
    const cache = new BookCache();
    const before = heapMb();
    for (const b of buffers) {
      // As the shard does: a string per frame, dropped after decoding.
      const d = decodeFrame(b.toString());
      expect(d.errors).toEqual([]);
      for (const ev of d.events) cache.apply(ev, 0);
    }
    const held = heapMb() - before;
    const books = [...Array(FRAMES).keys()].map((i) => cache.get(String(10n ** 70n + BigInt(i))));
    expect(books.every((book) => book?.state === 'fresh' && book.bestBid === 4100 && book.market === MARKET)).toBe(true);
    expect(books[7]!.hash).toBe('7'.padStart(40, 'd'));
    expect(held).toBeLessThan(3);
  });
});
