// Fault injection and pacing (DESIGN §5): garbage frames are counted exactly,
// and with rateLimit '429' an exceeded window answers 429 with Retry-After.
import { afterEach, expect, it } from 'vitest';
import { SimPool, getJson, waitFor } from './helpers.js';

const pool = new SimPool();
afterEach(() => pool.stopAll());

it('garbage frames fail JSON.parse and their count equals stats().injected.garbage', async () => {
  const { sim, urls } = await pool.start({ seed: 'faults-garbage', markets: 200, speed: 600, rate: 4_000, stepMs: 5, faults: { garbage: 0.05 } });
  const assets = sim.world.markets.flatMap((m) => m.tokenIds);
  const c = await pool.client(urls.ws);
  c.send({ type: 'market', assets_ids: assets, initial_dump: true });
  await waitFor(() => c.garbage >= 3 && c.frames.length >= 100, 10_000, 'garbage frames');

  // Stop the flow for this connection, then a PING/PONG barrier: every frame sent before is in.
  c.send({ operation: 'unsubscribe', assets_ids: assets });
  await c.barrier();
  const stats = sim.stats() as { injected: { garbage: number }; ws: { framesSent: number } };
  expect(c.garbage).toBe(stats.injected.garbage);
  expect(c.frames.length).toBe(stats.ws.framesSent);
  // About 5% of the live frames; the snapshot frames and PONGs are never corrupted.
  const live = c.frames.filter((f) => f.text !== 'PONG').length - Math.ceil(assets.length / 200);
  expect(c.garbage / live).toBeGreaterThan(0.01);
  expect(c.garbage / live).toBeLessThan(0.15);
  expect(c.frames.filter((f) => f.text === 'PONG').every((f) => !f.garbage)).toBe(true);
  for (const f of c.frames.filter((x) => x.garbage)) expect(f.text.length).toBeGreaterThan(0);
  // Nothing else arrives once unsubscribed.
  const n = c.frames.length;
  const steps = (sim.stats() as { steps: number }).steps;
  await waitFor(() => (sim.stats() as { steps: number }).steps >= steps + 20, 2_000, '20 more steps');
  await c.barrier();
  expect(c.frames.slice(n).map((f) => f.text)).toEqual(['PONG']);
});

it("rateLimit '429': past 300 /markets requests in the window some answers are 429 with Retry-After", async () => {
  const { sim, urls } = await pool.start({ seed: 'faults-429', markets: 200, rateLimit: '429' });
  const answers = await Promise.all(Array.from({ length: 340 }, () => getJson(`${urls.gamma}/markets?limit=1`)));
  const limited = answers.filter((a) => a.status === 429);
  const served = answers.filter((a) => a.status === 200);
  expect(limited.length + served.length).toBe(340);
  expect(limited.length).toBeGreaterThan(0);
  // The documented /markets budget is 300 per 10 s; all 340 arrive well within one window.
  expect(served.length).toBe(300);
  for (const a of limited) {
    const retry = a.headers.get('retry-after');
    expect(retry).toMatch(/^\d+$/);
    expect(Number(retry)).toBeGreaterThanOrEqual(1);
    expect(Number(retry)).toBeLessThanOrEqual(10);
  }
  expect((sim.stats() as { injected: { rateLimited: number } }).injected.rateLimited).toBe(limited.length);
  // Other buckets are paced separately.
  expect((await getJson(`${urls.gamma}/events?limit=1`)).status).toBe(200);
  const token = sim.world.markets[0]!.tokenIds[0];
  expect((await getJson(`${urls.clob}/book?token_id=${token}`)).status).toBe(200);
});
