// Book apply: BookCache.apply of events decoded beforehand from recorded
// simulator frames (4,000 tokens: the initial dump of book snapshots, then
// price changes, trades and the odd tick size change), as a ratio to raw
// JSON.parse of the same frames in the same run. Decode + apply is shown too.
import { BookCache } from '../src/book/book-cache.js';
import { decodeFrame } from '../src/protocol/market-channel.js';
import type { MarketEvent } from '../src/protocol/events.js';
import { recordFrames } from './frames.js';
import { measure, type Figure } from './harness.js';

export async function bookSuite(runs: number): Promise<Figure[]> {
  const rec = await recordFrames(2000, 100, 40_000);
  const events: MarketEvent[] = [];
  for (const f of rec.frames) events.push(...decodeFrame(f).events);
  const changes = events.reduce((n, e) => n + (e.type === 'price_change' ? e.changes.length : 0), 0);
  const fresh = () => {
    const books = new BookCache();
    for (const t of rec.tokens) books.track(t);
    return books;
  };
  const perSec = (n: number, ms: number) => (n * 1000) / ms;
  let applied = 0;
  const run = (fn: (books: BookCache) => void) => () => {
    const books = fresh();
    const t0 = performance.now();
    fn(books);
    const ms = performance.now() - t0;
    applied = books.stats.applied;
    return perSec(events.length, ms);
  };
  const applyAll = run((books) => {
    for (let i = 0; i < events.length; i++) books.apply(events[i]!, 0);
  });
  const decodeApply = run((books) => {
    for (const f of rec.frames) for (const ev of decodeFrame(f).events) books.apply(ev, 0);
  });
  const parse = () => {
    const t0 = performance.now();
    for (const f of rec.frames) JSON.parse(f);
    return perSec(events.length, performance.now() - t0);
  };
  // One discarded pass of each (JIT), then the timed runs interleaved per kind.
  parse();
  applyAll();
  decodeApply();
  const ceiling = measure(runs, parse);
  const apply = measure(runs, applyAll);
  const both = measure(runs, decodeApply);
  const label = `${events.length.toLocaleString('en-US')} events (${changes.toLocaleString('en-US')} level changes), ${rec.tokens.length.toLocaleString('en-US')} books`;
  return [
    { suite: 'book', name: `JSON.parse of the same frames (ceiling), ${label}`, unit: 'events/s', ...ceiling },
    { suite: 'book', name: `BookCache.apply, pre-decoded (${applied.toLocaleString('en-US')} levels applied)`, unit: 'events/s', ...apply, ceiling: 'JSON.parse', ratio: apply.median / ceiling.median },
    { suite: 'book', name: 'decodeFrame + BookCache.apply', unit: 'events/s', ...both, ceiling: 'JSON.parse', ratio: both.median / ceiling.median },
  ];
}
