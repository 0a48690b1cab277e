// The stream is self-consistent and agrees with REST (research §1.6–1.8):
// applying `book` and `price_change` events to a simple local map reproduces
// each entry's best_bid/best_ask and the REST /book levels, and each entry's
// hash is the /book hash of that token after the change.
//
// The simulator's clock is driven by hand (one step, then a PING/PONG barrier,
// then POST /books), so "no intervening change" holds exactly, with no races.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sim/simulator.js';
import { LocalBooks, SimPool, bookHash, manualClock, postJson, type Json, type WsClient } from './helpers.js';

const pool = new SimPool();

interface Result {
  steps: number;
  changes: number;
  bestChecks: number;
  bestMismatches: string[];
  levelChecks: number;
  levelMismatches: string[];
  hashChecks: number;
  hashMismatches: string[];
  restHashMismatches: string[];
  tsRegressions: string[];
  tickChanges: number;
}

const res: Result = {
  steps: 0,
  changes: 0,
  bestChecks: 0,
  bestMismatches: [],
  levelChecks: 0,
  levelMismatches: [],
  hashChecks: 0,
  hashMismatches: [],
  restHashMismatches: [],
  tsRegressions: [],
  tickChanges: 0,
};

function levelsKey(levels: Map<string, string> | { price: string; size: string }[]): string {
  const entries = levels instanceof Map ? [...levels.entries()] : levels.map((l) => [l.price, l.size] as [string, string]);
  return entries
    .map(([p, s]) => `${Number(p)}:${Number(s)}`)
    .sort()
    .join(',');
}

async function scenario(sim: Simulator, clob: string, c: WsClient, steps: number): Promise<void> {
  const local = new LocalBooks();
  const stale = new Set<string>();
  const lastTs = new Map<string, number>();
  let cursor = 0;
  const drain = (touched: Map<string, string>) => {
    for (; cursor < c.frames.length; cursor++) {
      for (const e of c.frames[cursor]!.events ?? []) {
        const ts = Number(e.timestamp);
        for (const a of e.event_type === 'price_change' ? e.price_changes.map((x: Json) => x.asset_id) : [e.asset_id]) {
          if (ts < (lastTs.get(a) ?? 0)) res.tsRegressions.push(`${e.event_type} ${a} ${ts} < ${lastTs.get(a)}`);
          lastTs.set(a, ts);
        }
        if (e.event_type === 'book') {
          local.applyBook(e);
          stale.delete(e.asset_id);
        } else if (e.event_type === 'tick_size_change') {
          // The book must be resynced after a tick change (research §1.8).
          res.tickChanges++;
          stale.add(e.asset_id);
          touched.set(e.asset_id, '');
        } else if (e.event_type === 'price_change') {
          for (const x of e.price_changes) local.applyChange(x);
          for (const x of e.price_changes) {
            res.changes++;
            touched.set(x.asset_id, x.hash);
            if (stale.has(x.asset_id)) continue;
            const best = local.best(x.asset_id)!;
            res.bestChecks++;
            if (Number(best.bid) !== Number(x.best_bid) || Number(best.ask) !== Number(x.best_ask)) {
              res.bestMismatches.push(`${x.asset_id.slice(0, 8)}… ts ${e.timestamp}: entry ${x.best_bid}/${x.best_ask}, local ${best.bid}/${best.ask}`);
            }
          }
        }
      }
    }
  };
  for (let step = 0; step < steps; step++) {
    sim.stepOnce();
    await c.barrier();
    const touched = new Map<string, string>();
    drain(touched);
    res.steps++;
    if (!touched.size) continue;
    const ids = [...touched.keys()];
    const { status, body } = await postJson(`${clob}/books`, ids.map((t) => ({ token_id: t })));
    expect(status).toBe(200);
    const rest = new Map<string, Json>(body.map((b: Json) => [b.asset_id, b]));
    for (const [asset, hash] of touched) {
      const b = rest.get(asset);
      if (!b) {
        local.books.delete(asset); // resolved during the step
        continue;
      }
      if (b.hash !== bookHash(b)) res.restHashMismatches.push(asset);
      if (stale.has(asset)) {
        local.applyBook(b);
        stale.delete(asset);
        continue;
      }
      const mine = local.books.get(asset)!;
      res.levelChecks++;
      if (levelsKey(mine.bids) !== levelsKey(b.bids) || levelsKey(mine.asks) !== levelsKey(b.asks)) {
        res.levelMismatches.push(`${asset.slice(0, 8)}… step ${step}`);
      }
      if (hash) {
        res.hashChecks++;
        if (hash !== b.hash) res.hashMismatches.push(`${asset.slice(0, 8)}… step ${step}: last entry hash ${hash}, /book hash ${b.hash} (ts ${b.timestamp})`);
      }
    }
  }
}

beforeAll(async () => {
  const { sim, urls } = await pool.start({ seed: 'consistency-1', markets: 220, ...manualClock(30_000, 25) });
  // One subscription holds at most 500 assets: the core world's 440, then the first real-shaped catalog markets.
  const assets = sim.world.markets.flatMap((m) => m.tokenIds).slice(0, 500);
  expect(assets.length).toBe(500);
  const c = await pool.client(urls.ws);
  c.send({ type: 'market', assets_ids: assets, initial_dump: true });
  await c.barrier();
  expect(c.eventsOf('book')).toHaveLength(assets.length);
  await scenario(sim, urls.clob, c, 150);
}, 30_000);
afterAll(() => pool.stopAll());

describe('stream vs local book vs REST', () => {
  it('every price_change best_bid/best_ask equals the local book built from the stream', () => {
    expect(res.changes).toBeGreaterThan(3_000);
    expect(res.bestChecks).toBeGreaterThan(3_000);
    expect(res.bestMismatches.slice(0, 5)).toEqual([]);
  });

  it('the local book equals REST /book after every step, and timestamps never go backwards', () => {
    expect(res.levelChecks).toBeGreaterThan(1_000);
    expect(res.levelMismatches.slice(0, 5)).toEqual([]);
    expect(res.restHashMismatches).toEqual([]);
    expect(res.tsRegressions.slice(0, 5)).toEqual([]);
  });

  // Regression (fixed): src/sim/exchange.ts hashOf caches the hash per (updateTs, levelCount), so a second change to the same book within one step (same timestamp, same number of levels, e.g. a trade followed by a requote) is stamped with the previous, stale hash.
  it('each token’s last price_change hash equals its /book hash when nothing changed in between', () => {
    expect(res.hashChecks).toBeGreaterThan(1_000);
    expect(res.hashMismatches.slice(0, 5)).toEqual([]);
  });
});
