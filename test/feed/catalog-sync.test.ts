// Catalog sync against the simulator: keyset pages, offset fallback, and an
// incremental refresh that fetches only what changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Simulator } from '../../src/sim/simulator.js';
import { CatalogSync } from '../../src/feed/catalog-sync.js';
import { RestClient, type RestLike } from '../../src/feed/rest-client.js';
import type { Decoded } from '../../src/protocol/errors.js';
import type { CatalogMarket } from '../../src/protocol/gamma.js';
import { deepFreeze } from '../../src/frozen.js';

let sim: Simulator;
let gamma = '';

beforeAll(async () => {
  sim = new Simulator({ seed: 'cat', markets: 450, speed: 3600, rate: 200, clockStart: 'manual' });
  gamma = (await sim.start()).gamma;
});
afterAll(() => sim.stop());

describe('CatalogSync', () => {
  it('a full sync by keyset pages gets every open market once, validated', async () => {
    const sync = new CatalogSync(new RestClient(), gamma);
    expect(await sync.fullSync()).toBe(true);
    expect(sync.progress.mode).toBe('keyset');
    expect(sync.markets.size).toBe(sim.world.markets.filter((m) => !m.closed).length);
    expect(sync.progress.pages).toBe(Math.ceil(sync.markets.size / 100));
    expect(sync.progress.rejected).toBe(0);
  });

  it('falls back to offset paging when the keyset endpoint does not exist', async () => {
    // A proxy that 404s /markets/keyset and forwards the rest.
    const proxy: Server = createServer(async (req, res) => {
      if (req.url?.startsWith('/markets/keyset')) {
        res.writeHead(404);
        return res.end('{"error":"not found"}');
      }
      const r = await fetch(`${gamma}${req.url}`);
      res.writeHead(r.status, { 'content-type': 'application/json' });
      res.end(await r.text());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    try {
      const sync = new CatalogSync(new RestClient(), `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
      expect(await sync.fullSync()).toBe(true);
      expect(sync.progress.mode).toBe('offset');
      expect(sync.markets.size).toBe(sim.world.markets.filter((m) => !m.closed).length);
    } finally {
      proxy.close();
    }
  });

  it('an incremental refresh returns only markets that changed (resolved or new) since the last sync', async () => {
    const sync = new CatalogSync(new RestClient(), gamma);
    await sync.fullSync();
    expect(await sync.refresh()).toEqual([]);
    // Move the world a few sim hours: up/down windows resolve and respawn.
    for (let i = 0; i < 200; i++) sim.stepOnce();
    sim.exchange.out.length = 0;
    const changed = await sync.refresh();
    expect(changed.length).toBeGreaterThan(0);
    const resolved = sim.world.markets.filter((m) => m.closed).map((m) => m.id);
    const created = sim.world.markets.filter((m) => m.createdMs > sim.world.epochMs).map((m) => m.id);
    for (const m of changed) expect([...resolved, ...created]).toContain(m.id);
    expect(changed.filter((m) => m.closed).length).toBe(resolved.length);
  });

  it('a client serving the same frozen answers (a compiled replay) has each market decoded once: the next sync gets the same frozen objects, rejects included', async () => {
    // The simulator's answers, fetched once and frozen; one item damaged (no id).
    const live = new RestClient();
    const bodies = new Map<string, unknown>();
    const memo = new WeakMap<object, Decoded<CatalogMarket>>();
    const served: RestLike = {
      ...live,
      counters: live.counters,
      budget: () => [],
      budgetShareLeft: () => 1,
      postJson: (u, b) => live.postJson(u, b),
      decodedMarkets: memo,
      async getJson(url) {
        if (!bodies.has(url)) {
          const r = await live.getJson(url);
          if (!r.ok) return r;
          const body = r.body as { markets: Array<Record<string, unknown>> };
          if (bodies.size === 0) delete body.markets[0]!.id;
          bodies.set(url, deepFreeze(body));
        }
        return { ok: true, status: 200, body: bodies.get(url) };
      },
    };
    const a = new CatalogSync(served, gamma);
    const b = new CatalogSync(served, gamma);
    expect(await a.fullSync()).toBe(true);
    expect(await b.fullSync()).toBe(true);
    expect(a.progress.rejected).toBe(1);
    expect(b.progress.rejected).toBe(1);
    expect(b.markets.size).toBe(a.markets.size);
    for (const [id, m] of a.markets) {
      expect(b.markets.get(id)).toBe(m);
      expect(Object.isFrozen(m) && Object.isFrozen(m.tokenIds)).toBe(true);
    }
    // A client without the memo decodes afresh: equal markets, not the same objects.
    const c = new CatalogSync(new RestClient(), gamma);
    await c.fullSync();
    const [id, m] = [...a.markets][0]!;
    expect(c.markets.get(id)).toEqual(m);
    expect(c.markets.get(id)).not.toBe(m);
  });

  it('an unreachable host ends the sync with a readable error, not an exception', async () => {
    const sync = new CatalogSync(new RestClient({ maxRetries: 0, timeoutMs: 300 }), 'http://127.0.0.1:1');
    expect(await sync.fullSync()).toBe(false);
    expect(sync.progress.phase).toBe('error');
    expect(sync.progress.error).toMatch(/unreachable/);
  });
});
