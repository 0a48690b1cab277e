// A market-channel client nobody here wrote (@nevuamarkets/poly-websockets, its
// own book cache: replace on `book`, apply `price_change`, nothing on
// `tick_size_change`) pointed at the simulator's WebSocket origin. Its cached
// books must equal REST /book after tick size changes and trades.
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SimPool, manualClock, postJson, waitFor, type Json } from './helpers.js';

const VENUE_WS = 'wss://ws-subscriptions-clob.polymarket.com/ws/market';
const pool = new SimPool();

interface Cache {
  getBookEntry(asset: string): { bids: { price: string; size: string }[]; asks: { price: string; size: string }[] } | null;
}
interface Manager {
  addSubscriptions(ids: string[]): Promise<void>;
  clearState(): Promise<void>;
  bookCache: Cache;
}

/**
 * Loads the library with its hard-coded venue URL redirected to `wsUrl`: the
 * library's `require('ws')` gets a subclass that swaps that one URL; nothing
 * else about the socket changes. The module cache is restored afterwards.
 */
function loadRedirected(wsUrl: string): new (handlers: Record<string, unknown>, opts?: Record<string, unknown>) => Manager {
  const req = createRequire(import.meta.url);
  const libPath = req.resolve('@nevuamarkets/poly-websockets');
  const wsPath = createRequire(libPath).resolve('ws');
  const RealWs = createRequire(libPath)('ws') as typeof WebSocket;
  class Redirected extends RealWs {
    constructor(url: string, ...rest: unknown[]) {
      super(url === VENUE_WS ? wsUrl : url, ...(rest as []));
    }
  }
  const cached = req.cache[wsPath]!;
  const original = cached.exports;
  for (const k of Object.keys(req.cache)) if (k.includes('poly-websockets')) delete req.cache[k];
  cached.exports = Redirected;
  try {
    return (req(libPath) as { WSSubscriptionManager: new (h: Record<string, unknown>, o?: Record<string, unknown>) => Manager }).WSSubscriptionManager;
  } finally {
    cached.exports = original;
  }
}

const key = (levels: { price: string; size: string }[]) =>
  levels
    .map((l) => `${Number(l.price)}:${Number(l.size)}`)
    .sort()
    .join(',');

afterAll(() => pool.stopAll());

describe('@nevuamarkets/poly-websockets against the simulator', () => {
  it('its book cache equals REST /book after every step, including tick size changes', async () => {
    const { sim, urls } = await pool.start({ seed: 'poly-ws', markets: 200, ...manualClock(120_000, 30) });
    const Manager = loadRedirected(urls.ws);
    let ticks = 0;
    let books = 0;
    const errors: string[] = [];
    const manager = new Manager(
      {
        onBook: async (evs: Json[]) => void (books += evs.length),
        onTickSizeChange: async (evs: Json[]) => void (ticks += evs.length),
        onError: async (e: Error) => void errors.push(e.message),
      },
      { pendingFlushIntervalMs: 20 },
    );
    try {
      // One subscription holds at most 500 assets: the core world's (as before the real-shaped catalog) and the first catalog markets after them.
      const assets = sim.world.markets
        .filter((m) => !m.closed)
        .flatMap((m) => m.tokenIds)
        .slice(0, 500);
      await manager.addSubscriptions(assets);
      await waitFor(() => assets.every((a) => manager.bookCache.getBookEntry(a)), 30_000, 'initial books in the cache');
      let compared = 0;
      let ticksChecked = 0;
      const mismatches: string[] = [];
      for (let step = 0; step < 300 && (step < 40 || ticksChecked < 2); step++) {
        const ticksBefore = ticks;
        sim.stepOnce();
        const live = assets.filter((a) => sim.exchange.book(a));
        const rest = new Map<string, Json>();
        for (let i = 0; i < live.length; i += 200) {
          const { body } = await postJson(`${urls.clob}/books`, live.slice(i, i + 200).map((token_id) => ({ token_id })));
          for (const b of body as Json[]) rest.set(b.asset_id, b);
        }
        const same = (a: string) => {
          const c = manager.bookCache.getBookEntry(a);
          const r = rest.get(a)!;
          return c !== null && key(c.bids) === key(r.bids) && key(c.asks) === key(r.asks);
        };
        // The frames of this step are in flight; wait for the cache to settle on REST.
        try {
          await waitFor(() => live.every(same), 5_000, `cache = REST after step ${step}`);
        } catch {
          mismatches.push(...live.filter((a) => !same(a)).map((a) => `${a.slice(0, 8)}… step ${step}`));
          break;
        }
        compared += live.length;
        if (ticks > ticksBefore) ticksChecked++;
      }
      expect(errors).toEqual([]);
      expect(ticksChecked).toBeGreaterThanOrEqual(2);
      expect(books).toBeGreaterThan(assets.length);
      expect(compared).toBeGreaterThan(10_000);
      expect(mismatches).toEqual([]);
    } finally {
      await manager.clearState();
    }
  }, 240_000);
});
