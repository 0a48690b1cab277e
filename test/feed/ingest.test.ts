// Overload: memory stays bounded. Frames beyond the time budget queue; past the
// byte cap the queue is shed, counted, visible, and the affected shards resynced.
import { describe, expect, it } from 'vitest';
import { Ingestor } from '../../src/feed/ingest.js';
import type { Shard } from '../../src/feed/shard.js';
import type { MarketEvent } from '../../src/protocol/events.js';
import { wallMs } from '../../src/clock.js';

const shard = (id: number) => ({ id, assets: new Set([`a${id}`]) }) as unknown as Shard;
const frame = (i: number) => JSON.stringify({ event_type: 'last_trade_price', asset_id: 'a1', market: 'm', price: '0.5', size: String(i + 1), side: 'BUY', timestamp: String(1_000 + i) });

describe('Ingestor', () => {
  it('applies frames inline while the turn has budget, in order', () => {
    const seen: number[] = [];
    // A budget no busy host can exhaust: this case is about order, not timing.
    const ing = new Ingestor((evs) => evs.forEach((e) => seen.push((e as Extract<MarketEvent, { type: 'last_trade_price' }>).size)), () => {}, { budgetMs: 60_000 });
    for (let i = 0; i < 5; i++) ing.push(frame(i), shard(1));
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(ing.backlog).toBe(0);
  });

  it('past the time budget frames queue and drain in later turns, still in order', async () => {
    const seen: number[] = [];
    const ing = new Ingestor((evs) => evs.forEach((e) => seen.push((e as Extract<MarketEvent, { type: 'last_trade_price' }>).size)), () => {}, { budgetMs: 0 });
    for (let i = 0; i < 50; i++) ing.push(frame(i), shard(1));
    expect(ing.backlog).toBeGreaterThan(0);
    expect(ing.counters.queued).toBeGreaterThan(0);
    while (ing.backlog) await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('past the byte cap the queue is shed: counted, OVERLOAD visible, shards handed back for resync, memory bounded', () => {
    let now = 1_000;
    const shedShards: number[][] = [];
    const ing = new Ingestor(() => {}, (s) => shedShards.push([...s].map((x) => x.id)), { budgetMs: 0, maxQueuedBytes: 2_000, overloadHoldMs: 10_000, now: () => wallMs(now) });
    for (let i = 0; i < 100; i++) ing.push(frame(i), shard(i % 3));
    expect(ing.counters.overloads).toBeGreaterThan(0);
    expect(ing.counters.shedFrames).toBeGreaterThan(0);
    expect(ing.overloaded).toBe(true);
    expect(ing.counters.maxQueuedBytes).toBeLessThanOrEqual(2_000 + frame(99).length);
    expect(new Set(shedShards.flat())).toEqual(new Set([0, 1, 2]));
    now += 10_001;
    expect(ing.overloaded).toBe(false);
  });

  it('a frame that cannot be decoded is counted and reported as lost for its shard', () => {
    const lost: string[] = [];
    const ing = new Ingestor(() => {}, () => {}, {}, (s, msg) => lost.push(`${(s as unknown as { id: number }).id}: ${msg}`));
    ing.push('{"event_type":"book","asset_id":', shard(7));
    expect(ing.counters.rejectedFrames).toBe(1);
    expect(lost[0]).toMatch(/^7: invalid JSON/);
  });
});
