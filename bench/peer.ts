// Issue 12 §3: the published @nevuamarkets/poly-websockets book cache against
// ours, on the same recorded simulator frames, in the same run: messages per
// second (parse + apply) and memory held by the books.
import { createRequire } from 'node:module';
import { BookCache } from '../src/book/book-cache.js';
import { decodeFrame } from '../src/protocol/market-channel.js';
import { recordFrames } from './frames.js';
import { measure, type Figure } from './harness.js';

interface PeerCache {
  replaceBook(e: unknown): void;
  upsertPriceChange(e: unknown): void;
}

const require = createRequire(import.meta.url);

function loadPeer(): (new () => PeerCache) | undefined {
  try {
    return (require('@nevuamarkets/poly-websockets/dist/modules/OrderBookCache.js') as { OrderBookCache: new () => PeerCache }).OrderBookCache;
  } catch {
    return undefined;
  }
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

export async function peerSuite(runs: number): Promise<Figure[]> {
  const Peer = loadPeer();
  if (!Peer) return [{ suite: 'peer', name: '@nevuamarkets/poly-websockets not installed (npm ci installs it as a dev dependency)', unit: '', median: 0, min: 0, max: 0 }];
  const recorded = await recordFrames(2000, 300, 30_000);
  // Same work for both: only the shapes the peer's book cache handles (book,
  // price_change); the peer ignores trades, which we would otherwise decode.
  const frames: string[] = [];
  let events = 0;
  for (const f of recorded.frames) {
    const v = JSON.parse(f) as unknown;
    const kept = ((Array.isArray(v) ? v : [v]) as { event_type: string }[]).filter((e) => e.event_type === 'book' || e.event_type === 'price_change');
    if (!kept.length) continue;
    events += kept.length;
    frames.push(JSON.stringify(kept.length === 1 ? kept[0] : kept));
  }
  const rec = { frames, tokens: recorded.tokens };
  const peerRun = () => {
    const cache = new Peer();
    const t0 = performance.now();
    for (const f of rec.frames) {
      const v = JSON.parse(f) as unknown;
      for (const e of (Array.isArray(v) ? v : [v]) as { event_type: string }[]) {
        if (e.event_type === 'book') cache.replaceBook(e);
        else if (e.event_type === 'price_change') {
          try {
            cache.upsertPriceChange(e);
          } catch {
            // a change for a book it has not seen: the peer throws
          }
        }
      }
    }
    return { rate: (events * 1000) / (performance.now() - t0), cache };
  };
  const oursRun = () => {
    const books = new BookCache();
    for (const t of rec.tokens) books.track(t);
    const t0 = performance.now();
    for (const f of rec.frames) {
      const d = decodeFrame(f);
      for (const ev of d.events) books.apply(ev, 0);
    }
    return { rate: (events * 1000) / (performance.now() - t0), cache: books };
  };
  const peer = measure(runs, () => peerRun().rate);
  const ours = measure(runs, () => oursRun().rate);
  // Memory held by the books after the same stream.
  const base = heapMb();
  const keepPeer = peerRun().cache;
  const peerMb = heapMb() - base;
  void keepPeer;
  const base2 = heapMb();
  const keepOurs = oursRun().cache;
  const oursMb = heapMb() - base2;
  void keepOurs;
  return [
    { suite: 'peer', name: `poly-websockets OrderBookCache: parse + apply (book, price_change), ${rec.tokens.length} books`, unit: 'events/s', ...peer },
    { suite: 'peer', name: 'polyconsole: decode (validated) + apply', unit: 'events/s', ...ours, ceiling: 'peer', ratio: ours.median / peer.median, goal: '≥ 2× the peer', met: ours.median >= 2 * peer.median },
    { suite: 'peer', name: 'poly-websockets books held', unit: 'MB', median: peerMb, min: peerMb, max: peerMb },
    { suite: 'peer', name: 'polyconsole books held', unit: 'MB', median: oursMb, min: oursMb, max: oursMb, ceiling: 'peer', ratio: oursMb / Math.max(0.01, peerMb) },
  ];
}
