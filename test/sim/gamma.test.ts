// Gamma REST as the venue serves it (research §2): /markets offset paging with
// limit capped at 100 and offset > 10000 → 422, closed defaulting to false,
// JSON-encoded string arrays, keyset pages, /events with nested markets and tags.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sim/simulator.js';
import { SimPool, allOpenMarkets, getJson, manualClock, type Json } from './helpers.js';

const pool = new SimPool();
let sim: Simulator;
let gamma: string;

beforeAll(async () => {
  // Frozen clock (no WS client ever subscribes): the catalog cannot change between pages.
  ({ sim, urls: { gamma } } = await pool.start({ seed: 'gamma-1', markets: 400, ...manualClock(60_000, 5) }));
});
afterAll(() => pool.stopAll());

const openIds = () => sim.world.markets.filter((m) => !m.closed).map((m) => m.id);

function expectStringArray(text: unknown, len?: number): string[] {
  expect(typeof text).toBe('string');
  const arr = JSON.parse(text as string) as unknown;
  expect(Array.isArray(arr)).toBe(true);
  for (const x of arr as unknown[]) expect(typeof x).toBe('string');
  if (len !== undefined) expect(arr).toHaveLength(len);
  return arr as string[];
}

function expectMarketShape(m: Json): void {
  expect(typeof m.id).toBe('string');
  expect(typeof m.question).toBe('string');
  expect(m.conditionId).toMatch(/^0x[0-9a-f]{64}$/);
  expect(typeof m.slug).toBe('string');
  expectStringArray(m.outcomes, 2);
  const prices = expectStringArray(m.outcomePrices, 2);
  for (const p of prices) expect(Number.isFinite(Number(p))).toBe(true);
  const tokens = expectStringArray(m.clobTokenIds, 2);
  for (const t of tokens) expect(t).toMatch(/^\d+$/);
  expect(typeof m.volume).toBe('string');
  expect(typeof m.volumeNum).toBe('number');
  expect(Number(m.volume)).toBe(m.volumeNum);
  expect(typeof m.liquidity).toBe('string');
  expect(typeof m.liquidityNum).toBe('number');
  expect(Number(m.liquidity)).toBe(m.liquidityNum);
  expect(typeof m.closed).toBe('boolean');
  expect(typeof m.active).toBe('boolean');
  expect(typeof m.negRisk).toBe('boolean');
  expect(m.endDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  for (const k of ['bestBid', 'bestAsk', 'spread', 'lastTradePrice', 'orderPriceMinTickSize', 'orderMinSize']) expect(typeof m[k]).toBe('number');
  if (m.negRisk) expect(m.negRiskMarketID).toMatch(/^0x[0-9a-f]{64}$/);
  else expect(m).not.toHaveProperty('negRiskMarketID');
  expect(Array.isArray(m.events)).toBe(true);
  expect(m.events.length).toBeGreaterThan(0);
}

describe('GET /markets (offset paging)', () => {
  it('returns a JSON array of markets in the venue field shapes', async () => {
    const { status, body, headers } = await getJson(`${gamma}/markets?limit=50`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/application\/json/);
    expect(Array.isArray(body)).toBe(true);
    expect(body).toHaveLength(50);
    for (const m of body) expectMarketShape(m);
    // The whole catalog has both negRisk and plain markets, all in the same shapes.
    const all = await allOpenMarkets(gamma);
    expect(all.some((m) => m.negRisk)).toBe(true);
    expect(all.some((m) => !m.negRisk)).toBe(true);
    for (const m of all) expectMarketShape(m);
  });

  it('silently caps limit at 100', async () => {
    const { status, body } = await getJson(`${gamma}/markets?limit=500`);
    expect(status).toBe(200);
    expect(body).toHaveLength(100);
    const big = await getJson(`${gamma}/markets?limit=100000`);
    expect(big.body).toHaveLength(100);
  });

  it('offset paging visits every open market exactly once', async () => {
    const seen = (await allOpenMarkets(gamma)).map((m) => m.id as string);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(openIds()));
    expect(seen.length).toBe((sim.stats() as Json).open);
  });

  it('rejects offset > 10000 with 422 and accepts offset = 10000', async () => {
    const bad = await getJson(`${gamma}/markets?offset=10001`);
    expect(bad.status).toBe(422);
    const edge = await getJson(`${gamma}/markets?offset=10000`);
    expect(edge.status).toBe(200);
    expect(edge.body).toEqual([]);
  });

  it('looks markets up by repeated id and by /markets/{id}', async () => {
    const ids = openIds().slice(5, 12);
    const { body } = await getJson(`${gamma}/markets?${ids.map((i) => `id=${i}`).join('&')}`);
    expect(body.map((m: Json) => m.id).sort()).toEqual([...ids].sort());
    const one = await getJson(`${gamma}/markets/${ids[0]}`);
    expect(one.status).toBe(200);
    expect(one.body.id).toBe(ids[0]);
    expect(Array.isArray(one.body)).toBe(false);
    expect((await getJson(`${gamma}/markets/999999999`)).status).toBe(404);
  });
});

describe('closed markets', () => {
  it('closed defaults to false; closed=true lists resolved markets; id lookups return either', async () => {
    // A separate world whose clock we run forward by hand until up/down windows resolve.
    const { sim: s, urls } = await pool.start({ seed: 'gamma-closed', markets: 300, ...manualClock(3_600_000, 3) });
    for (let i = 0; i < 4; i++) s.stepOnce();
    const closed = s.world.markets.filter((m) => m.closed);
    expect(closed.length).toBeGreaterThan(0);

    const dflt = await allOpenMarkets(urls.gamma);
    expect(dflt.every((m) => m.closed === false)).toBe(true);
    expect(dflt.length).toBe(s.world.markets.length - closed.length);

    const explicitFalse = await getJson(`${urls.gamma}/markets?closed=false&limit=100`);
    expect(explicitFalse.body.every((m: Json) => m.closed === false)).toBe(true);

    const onlyClosed = await getJson(`${urls.gamma}/markets?closed=true&limit=100`);
    expect(onlyClosed.status).toBe(200);
    expect(onlyClosed.body.length).toBe(Math.min(100, closed.length));
    for (const m of onlyClosed.body) {
      expect(m.closed).toBe(true);
      expect(['["1","0"]', '["0","1"]']).toContain(m.outcomePrices);
      expect(m.closedTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00$/);
    }

    const byId = await getJson(`${urls.gamma}/markets?id=${closed[0]!.id}`);
    expect(byId.body).toHaveLength(1);
    expect(byId.body[0].closed).toBe(true);
  });
});

describe('GET /markets/keyset', () => {
  it('pages with next_cursor/after_cursor, visits every open market once, last page has no next_cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const url = `${gamma}/markets/keyset?limit=100${cursor ? `&after_cursor=${encodeURIComponent(cursor)}` : ''}`;
      const { status, body } = await getJson(url);
      expect(status).toBe(200);
      expect(Array.isArray(body)).toBe(false);
      expect(Array.isArray(body.markets)).toBe(true);
      for (const m of body.markets) expectMarketShape(m);
      seen.push(...body.markets.map((m: Json) => m.id));
      pages++;
      if (!('next_cursor' in body)) break;
      expect(typeof body.next_cursor).toBe('string');
      expect(body.markets).toHaveLength(100);
      cursor = body.next_cursor;
      expect(pages).toBeLessThan(50);
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(openIds()));
    expect(pages).toBe(Math.ceil(openIds().length / 100));
  });

  it('caps limit at 100', async () => {
    const { body } = await getJson(`${gamma}/markets/keyset?limit=500`);
    expect(body.markets).toHaveLength(100);
    expect(typeof body.next_cursor).toBe('string');
  });

  it('rejects offset with 422', async () => {
    const { status, body } = await getJson(`${gamma}/markets/keyset?offset=0`);
    expect(status).toBe(422);
    expect(JSON.stringify(body)).toMatch(/offset is not allowed on keyset endpoints/);
  });
});

function expectEventShape(e: Json): void {
  expect(typeof e.id).toBe('string');
  expect(typeof e.title).toBe('string');
  expect(typeof e.slug).toBe('string');
  expect(typeof e.negRisk).toBe('boolean');
  expect(typeof e.volume).toBe('number');
  expect(typeof e.liquidity).toBe('number');
  expect(Array.isArray(e.tags)).toBe(true);
  expect(e.tags.length).toBeGreaterThan(0);
  for (const t of e.tags) {
    expect(typeof t.id).toBe('string');
    expect(typeof t.label).toBe('string');
    expect(typeof t.slug).toBe('string');
  }
  expect(Array.isArray(e.markets)).toBe(true);
  expect(e.markets.length).toBeGreaterThan(0);
  for (const m of e.markets) {
    expectMarketShape(m);
    expect(m.negRisk).toBe(e.negRisk);
    expect(m.events[0].id).toBe(e.id);
  }
  if (e.negRisk) {
    expect(e.negRiskMarketID).toMatch(/^0x[0-9a-f]{64}$/);
    for (const m of e.markets) expect(m.negRiskMarketID).toBe(e.negRiskMarketID);
  } else expect(e).not.toHaveProperty('negRiskMarketID');
}

describe('GET /events and /events/keyset', () => {
  async function allEvents(): Promise<Json[]> {
    const out: Json[] = [];
    for (let offset = 0; ; offset += 100) {
      const { status, body } = await getJson(`${gamma}/events?limit=100&offset=${offset}`);
      expect(status).toBe(200);
      expect(Array.isArray(body)).toBe(true);
      out.push(...body);
      if (body.length < 100) return out;
    }
  }

  it('returns events with nested markets and tags; negRisk events carry negRiskMarketID', async () => {
    const events = await allEvents();
    expect(events.length).toBe(sim.world.events.length);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    for (const e of events) expectEventShape(e);
    expect(events.some((e) => e.negRisk)).toBe(true);
    expect(events.some((e) => !e.negRisk)).toBe(true);
    // Every open market sits in exactly one event.
    const nested = events.flatMap((e) => e.markets.map((m: Json) => m.id as string));
    expect(new Set(nested).size).toBe(nested.length);
    expect(new Set(nested)).toEqual(new Set(openIds()));
  });

  it('rejects offset > 10000 on /events', async () => {
    expect((await getJson(`${gamma}/events?offset=10001`)).status).toBe(422);
  });

  it('keyset pages visit every event once and the last page omits next_cursor; offset → 422', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const { status, body } = await getJson(`${gamma}/events/keyset?limit=50${cursor ? `&after_cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(status).toBe(200);
      expect(Array.isArray(body.events)).toBe(true);
      for (const e of body.events) expectEventShape(e);
      seen.push(...body.events.map((e: Json) => e.id));
      if (!('next_cursor' in body)) break;
      cursor = body.next_cursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(sim.world.events.length);
    const bad = await getJson(`${gamma}/events/keyset?offset=5`);
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toMatch(/offset is not allowed on keyset endpoints/);
  });
});
