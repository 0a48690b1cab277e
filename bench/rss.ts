// Memory at 30,000 subscribed tokens (goal: process RSS < 600 MB): the engine's
// BookCache tracking 30,000 tokens with 6–12-level books a side, and the
// SignalHub registering their 15,000 markets and fed through the BookCache
// listener as SignalsLoop wires it, then busy: 10 level changes and 2 trades per
// token over 60 s of clock. Runs in its own process (bench/run.ts forks one per
// suite), so the RSS is this state's and Node's, not an earlier suite's.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BookCache } from '../src/book/book-cache.js';
import type { BookEvent, Level, PriceChangeEvent, TradeEvent } from '../src/protocol/events.js';
import { SignalHub } from '../src/signals/hub.js';
import { once, withGoal, type Figure } from './harness.js';

const MARKETS = 15_000;
const TOKENS = 2 * MARKETS;
const T0 = 1_761_179_949_036;

function gcFn(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return () => {};
  }
}

function mem() {
  const m = process.memoryUsage();
  return { rss: m.rss / 1e6, heap: m.heapUsed / 1e6, external: m.external / 1e6, arrayBuffers: m.arrayBuffers / 1e6 };
}

/** Deterministic pseudo-random integers. */
function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % n);
}

function book(asset: string, market: string, r: (n: number) => number, ts: number): BookEvent {
  const mid = 1_000 + r(80) * 100; // 0.10–0.90
  const levels = (dir: 1 | -1): Level[] => Array.from({ length: 6 + r(7) }, (_, k) => ({ price: mid + dir * (k + 1) * 100, size: 10 + r(5_000) }));
  return { type: 'book', asset, market, ts, bids: levels(-1), asks: levels(1), hash: r(1e9).toString(16).padStart(40, '0') };
}

export function rssSuite(_runs: number): Figure[] {
  const gc = gcFn();
  const collect = () => {
    gc();
    gc();
  };
  collect();
  const base = mem();
  const r = lcg(12);
  // Ids as the venue spells them: 77-digit token ids, 0x + 64-hex condition ids.
  const ids = Array.from({ length: TOKENS }, (_, k) => String(10n ** 76n + BigInt(k) * 7_919n));
  const markets = Array.from({ length: MARKETS }, (_, m) => '0x' + (m * 2_654_435_761).toString(16).padStart(64, '0'));
  collect();
  const withIds = mem();

  const books = new BookCache();
  const hub = new SignalHub();
  let now = T0;
  books.onUpdate((b, kind) => hub.onBook(b, kind, now));
  for (let m = 0; m < MARKETS; m++) {
    books.track(ids[2 * m]!, markets[m]);
    books.track(ids[2 * m + 1]!, markets[m]);
    hub.registerMarket(markets[m]!, ids[2 * m]!, ids[2 * m + 1]!);
  }
  for (let k = 0; k < TOKENS; k++) books.apply(book(ids[k]!, markets[k >> 1]!, r, T0), (now += 0.1));
  // 60 s of activity: each step one level change on every token (grouped by market, as the venue sends), trades sprinkled.
  const steps = 10;
  for (let s = 0; s < steps; s++) {
    for (let m = 0; m < MARKETS; m++) {
      now += 60_000 / steps / MARKETS;
      const changes = [0, 1].map((j) => {
        const b = books.get(ids[2 * m + j]!)!;
        const side = r(2) ? 'BUY' : 'SELL';
        const top = side === 'BUY' ? b.bestBid! : b.bestAsk!;
        return { asset: b.asset, price: top + (side === 'BUY' ? -100 : 100) * r(3), size: r(4) ? 10 + r(5_000) : 0, side } as const;
      });
      const ev: PriceChangeEvent = { type: 'price_change', market: markets[m]!, ts: T0 + s + 1, changes: [...changes] };
      books.apply(ev, now);
      if (s % 5 === 0) {
        for (let j = 0; j < 2; j++) {
          const t: TradeEvent = { type: 'last_trade_price', asset: ids[2 * m + j]!, market: markets[m]!, price: books.get(ids[2 * m + j]!)!.bestAsk ?? 5_000, size: 5 + r(200), side: r(2) ? 'BUY' : 'SELL', ts: T0 + s };
          books.apply(t, now);
          hub.onTrade(t, now);
        }
      }
    }
  }
  const busy = mem();
  collect();
  const after = mem();
  const counts = books.counts();
  if (counts.total !== TOKENS) throw new Error(`expected ${TOKENS} books, have ${counts.total}`);
  let levels = 0;
  for (const b of books.books.values()) levels += b.bidPx.length + b.askPx.length;
  const perToken = ((after.heap + after.arrayBuffers - withIds.heap - withIds.arrayBuffers) * 1e6) / TOKENS;
  const out: Figure[] = [
    withGoal({ suite: 'rss', name: `process RSS, BookCache 30,000 tokens (${counts.fresh.toLocaleString('en-US')} fresh, ${levels.toLocaleString('en-US')} levels) + SignalHub 15,000 markets, after gc`, unit: 'MB', ...once(after.rss) }, '<', 600, '< 600 MB'),
    { suite: 'rss', name: '  same, before the forced gc (as a running process would carry it)', unit: 'MB', ...once(busy.rss) },
    { suite: 'rss', name: '  process RSS before building (Node + modules, after gc)', unit: 'MB', ...once(base.rss) },
    { suite: 'rss', name: '  V8 heap used, after', unit: 'MB', ...once(after.heap) },
    { suite: 'rss', name: '  ArrayBuffers (typed arrays), after', unit: 'MB', ...once(after.arrayBuffers) },
    { suite: 'rss', name: '  books + signals per token (heap + ArrayBuffers delta, ids excluded)', unit: 'bytes', ...once(perToken) },
    { suite: 'rss', name: '  SignalHub typed arrays (hub.bytes)', unit: 'MB', ...once(hub.bytes / 1e6) },
  ];
  return out;
}
