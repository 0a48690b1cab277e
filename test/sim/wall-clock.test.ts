// Wall-clock mode: the world starts at the current wall time, so /time, book
// timestamps and market dates look live to a client checking staleness against
// its own clock; epoch mode keeps the templates' fixed date (deterministic catalogs).
import { afterAll, describe, expect, it } from 'vitest';
import { SimPool, getJson, type Json } from './helpers.js';

const pool = new SimPool();
afterAll(() => pool.stopAll());

describe('simulator clock', () => {
  it("clock 'wall' at speed 1: /time, book timestamps and open markets' end dates agree with the wall clock", async () => {
    const before = Date.now();
    const { sim, urls } = await pool.start({ seed: 'wall', markets: 200, speed: 1, rate: 50, clock: 'wall' });
    expect(sim.world.epochMs).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    const time = (await getJson(`${urls.clob}/time`)).body as number;
    expect(Math.abs(time - Date.now() / 1000)).toBeLessThan(5);
    const token = sim.world.markets.find((m) => !m.closed)!.tokenIds[0];
    const book = (await getJson(`${urls.clob}/book?token_id=${token}`)).body;
    expect(Math.abs(Number(book.timestamp) - Date.now())).toBeLessThan(5_000);
    const markets = (await getJson(`${urls.gamma}/markets?limit=100`)).body as Json[];
    for (const m of markets) expect(Date.parse(m.endDate)).toBeGreaterThan(Date.now() - 5_000);
  });

  it("clock 'epoch' (the class default) starts at the templates' epoch, the same for every run", async () => {
    const a = await pool.start({ seed: 'epoch', markets: 100 });
    const b = await pool.start({ seed: 'epoch', markets: 100 });
    expect(a.sim.world.epochMs).toBe(Date.parse(a.sim.world.templates.epoch));
    expect(b.sim.world.epochMs).toBe(a.sim.world.epochMs);
  });
});
