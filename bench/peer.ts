// The published @nevuamarkets/poly-websockets book cache against
// ours, on the same recorded simulator frames, in the same run: messages per
// second and memory held by the books.
//
// The package exports only WSSubscriptionManager; its OrderBookCache is an
// internal module a user reaches only through the manager's message handler.
// So the peer is measured twice:
// - as published: frames (Buffers, as `ws` delivers them) into the manager's
//   own 'message' handler on a stand-in socket, no user handlers registered.
//   This is what the goal is judged against;
// - bare: JSON.parse + the internal OrderBookCache methods only, no library
//   plumbing (a stricter ceiling: the least work the peer's design needs).
// Ours goes the same way a frame goes in the console: Buffer → string →
// decodeFrame (validated) → BookCache.apply.
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { BookCache } from '../src/book/book-cache.js';
import { decodeFrame } from '../src/protocol/market-channel.js';
import { recordFrames } from './frames.js';
import { measure, measureAsync, type Figure } from './harness.js';

interface PeerCache {
  replaceBook(e: unknown): void;
  upsertPriceChange(e: unknown): void;
}

interface PeerManager {
  wsClient: unknown;
  status: string;
  subscribedAssetIds: Set<string>;
  setupEventHandlers(): void;
  clearState(): Promise<void>;
}

interface Peer {
  Cache: new () => PeerCache;
  Manager: new (handlers: object) => PeerManager;
}

const require = createRequire(import.meta.url);

function loadPeer(): Peer | undefined {
  try {
    return {
      Cache: (require('@nevuamarkets/poly-websockets/dist/modules/OrderBookCache.js') as { OrderBookCache: Peer['Cache'] }).OrderBookCache,
      Manager: (require('@nevuamarkets/poly-websockets') as { WSSubscriptionManager: Peer['Manager'] }).WSSubscriptionManager,
    };
  } catch {
    return undefined;
  }
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

/** A socket stand-in: open, accepts sends, and hands back the manager's message listener. */
class StandInSocket extends EventEmitter {
  readonly readyState = 1; // ws.OPEN
  send(): void {}
  close(): void {}
  messageListener(): (data: Buffer) => Promise<void> {
    return this.listeners('message')[0] as (data: Buffer) => Promise<void>;
  }
}

export async function peerSuite(runs: number): Promise<Figure[]> {
  const peer = loadPeer();
  if (!peer) return [{ suite: 'peer', name: '@nevuamarkets/poly-websockets not installed (npm ci installs it as a dev dependency)', unit: '', median: 0, min: 0, max: 0 }];
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
  const buffers = frames.map((f) => Buffer.from(f));
  const tokens = recorded.tokens;

  const publishedRun = async () => {
    const mgr = new peer.Manager({});
    const socket = new StandInSocket();
    mgr.wsClient = socket;
    mgr.status = 'connected';
    for (const t of tokens) mgr.subscribedAssetIds.add(t);
    mgr.setupEventHandlers();
    const onMessage = socket.messageListener();
    const t0 = performance.now();
    // ws emits a socket read's frames back to back without awaiting the
    // handler; the promises settle in the microtask turn that follows.
    let pending: Promise<void>[] = [];
    for (const b of buffers) {
      pending.push(onMessage(b));
      if (pending.length === 64) {
        await Promise.all(pending);
        pending = [];
      }
    }
    await Promise.all(pending);
    const rate = (events * 1000) / (performance.now() - t0);
    await mgr.clearState();
    return rate;
  };
  const bareRun = () => {
    const cache = new peer.Cache();
    const t0 = performance.now();
    for (const f of frames) {
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
    for (const t of tokens) books.track(t);
    const t0 = performance.now();
    for (const b of buffers) {
      const d = decodeFrame(b.toString());
      for (const ev of d.events) books.apply(ev, 0);
    }
    return { rate: (events * 1000) / (performance.now() - t0), cache: books };
  };
  const published = await measureAsync(runs, publishedRun);
  const bare = measure(runs, () => bareRun().rate);
  const ours = measure(runs, () => oursRun().rate);
  // Memory held by the books after the same stream.
  const base = heapMb();
  const keepPeer = bareRun().cache;
  const peerMb = heapMb() - base;
  void keepPeer;
  const base2 = heapMb();
  const keepOurs = oursRun().cache;
  const oursMb = heapMb() - base2;
  void keepOurs;
  return [
    { suite: 'peer', name: `poly-websockets as published: WSSubscriptionManager message handler (book, price_change), ${tokens.length} books`, unit: 'events/s', ...published },
    { suite: 'peer', name: 'poly-websockets bare: JSON.parse + internal OrderBookCache only', unit: 'events/s', ...bare },
    { suite: 'peer', name: 'polyconsole: Buffer → decode (validated) → apply', unit: 'events/s', ...ours, ceiling: 'peer', ratio: ours.median / published.median, goal: '≥ 2× the peer as published', met: ours.median >= 2 * published.median },
    { suite: 'peer', name: 'polyconsole against the bare cache', unit: 'events/s', ...ours, ceiling: 'bare', ratio: ours.median / bare.median },
    { suite: 'peer', name: 'poly-websockets books held', unit: 'MB', median: peerMb, min: peerMb, max: peerMb },
    { suite: 'peer', name: 'polyconsole books held', unit: 'MB', median: oursMb, min: oursMb, max: oursMb, ceiling: 'peer', ratio: oursMb / Math.max(0.01, peerMb) },
  ];
}
