// Determinism (DESIGN §5): same seed, same options, clock held until the first
// subscription, same first frame → the same first 10,000 wire events, byte for byte.
import { afterAll, expect, it } from 'vitest';
import type { SimOptions } from '../../src/sim/simulator.js';
import { SimPool, waitFor, type WsClient } from './helpers.js';

const pool = new SimPool();
afterAll(() => pool.stopAll());

const N = 10_000;
const base = { markets: 240, speed: 60, rate: 8_000, stepMs: 5, clockStart: 'first-subscribe' } satisfies Partial<SimOptions>;

async function firstEvents(seed: string): Promise<{ assets: string[]; client: WsClient }> {
  const { sim, urls } = await pool.start({ seed, ...base });
  const assets = sim.world.markets.flatMap((m) => m.tokenIds).slice(0, 480);
  const client = await pool.client(urls.ws);
  client.send({ type: 'market', assets_ids: assets, initial_dump: true });
  return { assets, client };
}

it('the same seed gives byte-identical first 10,000 events; another seed differs', async () => {
  const runs = await Promise.all([firstEvents('det-A'), firstEvents('det-A'), firstEvents('det-B')]);
  expect(runs[0].assets).toEqual(runs[1].assets);
  await waitFor(() => runs.every((r) => r.client.events.length >= N), 20_000, `${N} events on each connection`);
  const [a, b, other] = runs.map((r) => r.client.events.slice(0, N).map((e) => JSON.stringify(e)));
  expect(runs.every((r) => r.client.garbage === 0)).toBe(true);
  // Not only snapshots: the window covers live flow too.
  expect(a!.filter((s) => s.includes('"event_type":"price_change"')).length).toBeGreaterThan(2_000);
  const firstDiff = a!.findIndex((s, i) => s !== b![i]);
  expect(firstDiff, firstDiff >= 0 ? `first difference at event ${firstDiff}:\n${a![firstDiff]}\n${b![firstDiff]}` : '').toBe(-1);
  expect(a).toEqual(b);
  expect(other).not.toEqual(a);
  expect(other!.filter((s, i) => s === a![i]).length).toBe(0);
});
