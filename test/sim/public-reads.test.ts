// The rest of the public surface: separate origins (a CLOB path on the Gamma
// origin answers as Gamma would, and the reverse), Gamma lookups by slug, tags
// and search, the documented Gamma filters, and the CLOB's parameter checks,
// limits and error texts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sim/simulator.js';
import { SimPool, getJson, manualClock, postJson, type Json } from './helpers.js';

const pool = new SimPool();
let sim: Simulator;
let gamma: string;
let clob: string;
let ws: string;

beforeAll(async () => {
  let urls;
  ({ sim, urls } = await pool.start({ seed: 'public-reads', markets: 400, ...manualClock(600_000, 40) }));
  ({ gamma, clob, ws } = urls);
  for (let i = 0; i < 10; i++) sim.stepOnce();
}, 60_000);
afterAll(() => pool.stopAll());

/** Every open market through offset paging with the given extra query. */
async function allMarkets(query: string): Promise<Json[]> {
  const out: Json[] = [];
  for (let offset = 0; offset < 5000; offset += 100) {
    const { status, body } = await getJson(`${gamma}/markets?limit=100&offset=${offset}${query ? `&${query}` : ''}`);
    expect(status).toBe(200);
    out.push(...body);
    if (body.length < 100) break;
  }
  return out;
}

describe('separate origins', () => {
  it('Gamma, CLOB and WebSocket listen on three different ports', () => {
    const ports = [gamma, clob, ws].map((u) => new URL(u).port);
    expect(new Set(ports).size).toBe(3);
    expect(new URL(ws).pathname).toBe('/ws/market');
  });

  it('GET /markets is a Gamma array on the Gamma origin and a CLOB cursor page on the CLOB origin', async () => {
    const g = (await getJson(`${gamma}/markets?limit=5`)).body;
    expect(Array.isArray(g)).toBe(true);
    expect(g[0].conditionId).toMatch(/^0x[0-9a-f]{64}$/);
    const c = (await getJson(`${clob}/markets`)).body;
    expect(Object.keys(c).sort()).toEqual(['count', 'data', 'limit', 'next_cursor']);
    expect(c.next_cursor).toBe('MTAw');
    expect(c.data[0].condition_id).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('each origin answers only its own paths', async () => {
    const token = sim.world.markets.find((m) => !m.closed)!.tokenIds[0];
    expect((await getJson(`${gamma}/book?token_id=${token}`)).status).toBe(404);
    expect((await getJson(`${clob}/events?limit=1`)).status).toBe(404);
    expect((await getJson(`${clob}/public-search?q=will`)).status).toBe(404);
    expect((await getJson(`${clob}/book?token_id=${token}`)).status).toBe(200);
  });
});

describe('Gamma lookups, tags and search', () => {
  it('/markets/slug/{slug} and /events/slug/{slug} return the object; unknown slugs 404', async () => {
    const m = (await getJson(`${gamma}/markets?limit=3`)).body[2];
    const bySlug = await getJson(`${gamma}/markets/slug/${m.slug}`);
    expect(bySlug.status).toBe(200);
    expect(bySlug.body.id).toBe(m.id);
    const ev = bySlug.body.events[0];
    const evBySlug = await getJson(`${gamma}/events/slug/${ev.slug}`);
    expect(evBySlug.body.id).toBe(ev.id);
    expect(evBySlug.body.markets.map((x: Json) => x.id)).toContain(m.id);
    expect((await getJson(`${gamma}/markets/slug/no-such-market`)).status).toBe(404);
    expect((await getJson(`${gamma}/events/slug/no-such-event`)).status).toBe(404);
  });

  it('/tags lists every tag once with a global id; /tags/{id} and /tags/slug/{slug} find it', async () => {
    const tags = (await getJson(`${gamma}/tags?limit=1000`)).body as Json[];
    const labels = new Set(sim.world.events.flatMap((e) => e.tags));
    expect(tags.map((t) => t.label).sort()).toEqual([...labels].sort());
    expect(new Set(tags.map((t) => t.id)).size).toBe(tags.length);
    expect((await getJson(`${gamma}/tags?limit=3&offset=2`)).body.map((t: Json) => t.id)).toEqual(tags.slice(2, 5).map((t) => t.id));
    expect((await getJson(`${gamma}/tags/${tags[0]!.id}`)).body.label).toBe(tags[0]!.label);
    expect((await getJson(`${gamma}/tags/slug/${tags[1]!.slug}`)).body.id).toBe(tags[1]!.id);
    // The same label carries the same id on every event.
    const events = (await getJson(`${gamma}/events?limit=100`)).body as Json[];
    const byLabel = new Map(tags.map((t) => [t.label, t.id]));
    for (const e of events) for (const t of e.tags) expect(t.id).toBe(byLabel.get(t.label));
  });

  it('/public-search finds open events by title words; q is required', async () => {
    const ev = sim.world.events.find((e) => e.markets.every((i) => !sim.world.markets[i]!.closed))!;
    const word = ev.title.split(/\s+/).sort((a, b) => b.length - a.length)[0]!;
    const r = (await getJson(`${gamma}/public-search?q=${encodeURIComponent(word)}&limit_per_type=50`)).body;
    expect(r.events.map((e: Json) => e.id)).toContain(ev.id);
    for (const e of r.events) {
      const text = [e.title, ...e.markets.map((m: Json) => m.question)].join(' ').toLowerCase();
      expect(text).toContain(word.toLowerCase());
    }
    expect(r.pagination.totalResults).toBeGreaterThanOrEqual(r.events.length);
    expect((await getJson(`${gamma}/public-search`)).status).toBe(422);
  });
});

describe('Gamma filters', () => {
  it('liquidity_num_min/max and volume_num_min/max bound liquidityNum and volumeNum', async () => {
    const all = await allMarkets('');
    const liq = all.map((m) => m.liquidityNum).sort((a, b) => a - b);
    const vol = all.map((m) => m.volumeNum).sort((a, b) => a - b);
    const [lo, hi] = [liq[Math.floor(liq.length / 4)], liq[Math.floor((3 * liq.length) / 4)]];
    const inLiq = await allMarkets(`liquidity_num_min=${lo}&liquidity_num_max=${hi}`);
    expect(inLiq.length).toBe(all.filter((m) => m.liquidityNum >= lo && m.liquidityNum <= hi).length);
    expect(inLiq.length).toBeLessThan(all.length);
    const vmin = vol[Math.floor(vol.length / 2)];
    const inVol = await allMarkets(`volume_num_min=${vmin}`);
    expect(inVol.length).toBe(all.filter((m) => m.volumeNum >= vmin).length);
    expect((await getJson(`${gamma}/markets?liquidity_num_min=abc`)).status).toBe(422);
  });

  it('start_date_min/max and end_date_min/max bound startDate and endDate', async () => {
    const all = await allMarkets('');
    const ends = all.map((m) => Date.parse(m.endDate)).sort((a, b) => a - b);
    const cut = new Date(ends[Math.floor(ends.length / 2)]!).toISOString();
    const before = await allMarkets(`end_date_max=${cut}`);
    expect(before.length).toBe(all.filter((m) => Date.parse(m.endDate) <= Date.parse(cut)).length);
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(all.length);
    const starts = all.map((m) => Date.parse(m.startDate)).sort((a, b) => a - b);
    const scut = new Date(starts[Math.floor(starts.length / 2)]!).toISOString();
    const after = await allMarkets(`start_date_min=${scut}`);
    expect(after.length).toBe(all.filter((m) => Date.parse(m.startDate) >= Date.parse(scut)).length);
    expect((await getJson(`${gamma}/markets?end_date_max=notadate`)).status).toBe(422);
  });

  it('tag_id, tag_slug and exclude_tag_id select by the event tags; include_tag adds tags', async () => {
    const tags = (await getJson(`${gamma}/tags?limit=1000`)).body as Json[];
    const all = await allMarkets('include_tag=true');
    expect(all.every((m) => Array.isArray(m.tags))).toBe(true);
    const tag = tags.find((t) => {
      const n = all.filter((m) => m.tags.some((x: Json) => x.id === t.id)).length;
      return n > 5 && n < all.length / 2;
    })!;
    const want = all.filter((m) => m.tags.some((x: Json) => x.id === tag.id)).map((m) => m.id);
    expect((await allMarkets(`tag_id=${tag.id}`)).map((m) => m.id)).toEqual(want);
    expect((await allMarkets(`tag_slug=${tag.slug}`)).map((m) => m.id)).toEqual(want);
    expect((await allMarkets(`exclude_tag_id=${tag.id}`)).length).toBe(all.length - want.length);
    expect(await allMarkets('tag_id=999999999')).toEqual([]);
    const evs = (await getJson(`${gamma}/events?limit=500&tag_id=${tag.id}`)).body as Json[];
    expect(evs.length).toBeGreaterThan(0);
    for (const e of evs) expect(e.tags.map((t: Json) => t.id)).toContain(tag.id);
  });

  it('active, archived, question_ids and comma-joined condition_ids / id / clob_token_ids', async () => {
    const page = (await getJson(`${gamma}/markets?limit=4`)).body as Json[];
    expect((await allMarkets('active=true')).length).toBe((await allMarkets('')).length);
    expect(await allMarkets('active=false')).toEqual([]);
    expect(await allMarkets('archived=true')).toEqual([]);
    const byCond = (await getJson(`${gamma}/markets?condition_ids=${page.map((m) => m.conditionId).join(',')}`)).body;
    expect(byCond.map((m: Json) => m.id)).toEqual(page.map((m) => m.id));
    const byId = (await getJson(`${gamma}/markets?id=${page.map((m) => m.id).join(',')}`)).body;
    expect(byId.map((m: Json) => m.id)).toEqual(page.map((m) => m.id));
    const tokens = page.map((m) => JSON.parse(m.clobTokenIds)[1]);
    expect((await getJson(`${gamma}/markets?clob_token_ids=${tokens.join(',')}`)).body.map((m: Json) => m.id)).toEqual(page.map((m) => m.id));
    const byQ = (await getJson(`${gamma}/markets?question_ids=${page[1]!.questionID}`)).body;
    expect(byQ.map((m: Json) => m.id)).toEqual([page[1]!.id]);
  });

  it('order=volume24hr sorts by the 24 h volume the objects show', async () => {
    const r = (await getJson(`${gamma}/markets?limit=100&order=volume24hr&ascending=false`)).body as Json[];
    const v = r.map((m) => m.volume24hr);
    expect([...v].sort((a, b) => b - a)).toEqual(v);
    expect(v[0]).toBeGreaterThan(0);
    for (const m of r) {
      expect(m.volume24hr).toBeLessThanOrEqual(m.volume1wk + 1e-6);
      expect(m.volume1wk).toBeLessThanOrEqual(m.volume1mo + 1e-6);
      expect(m.volume1mo).toBeLessThanOrEqual(m.volume1yr + 1e-6);
      expect(m.volume1yr).toBeLessThanOrEqual(m.volumeNum + 1e-6);
    }
  });
});

describe('CLOB parameters, limits and error texts', () => {
  const open = () => sim.world.markets.find((m) => !m.closed && sim.exchange.book(m.tokenIds[0]))!;

  it('token-id reads: 400 "Invalid token id" for malformed ids, 404 "No orderbook exists…" for unknown ones', async () => {
    for (const path of ['book', 'price', 'midpoint', 'spread', 'last-trade-price']) {
      const bad = await getJson(`${clob}/${path}?token_id=abc&side=BUY`);
      expect(bad).toMatchObject({ status: 400, body: { error: 'Invalid token id' } });
      const unknown = await getJson(`${clob}/${path}?token_id=12345678901234567890&side=BUY`);
      expect(unknown).toMatchObject({ status: 404, body: { error: 'No orderbook exists for the requested token id' } });
    }
    expect((await getJson(`${clob}/price?token_id=${open().tokenIds[0]}&side=UP`)).body).toEqual({ error: 'Invalid side' });
  });

  it('/tick-size, /neg-risk and /fee-rate take the token as query or path and answer for resolved markets too', async () => {
    const m = open();
    for (const t of m.tokenIds) {
      expect((await getJson(`${clob}/tick-size?token_id=${t}`)).body).toEqual({ minimum_tick_size: m.tick / 10_000 });
      expect((await getJson(`${clob}/tick-size/${t}`)).body).toEqual({ minimum_tick_size: m.tick / 10_000 });
      expect((await getJson(`${clob}/neg-risk/${t}`)).body).toEqual({ neg_risk: m.negRisk });
      expect((await getJson(`${clob}/fee-rate/${t}`)).body).toEqual({ base_fee: Math.round(m.feeRate * 10_000) });
    }
    expect((await getJson(`${clob}/version`)).body).toEqual({ version: 2 });
  });

  it('POST /batch-prices-history serves up to 20 series equal to the single reads; 21 is refused', async () => {
    const tokens = sim.world.markets.filter((m) => !m.closed).slice(0, 21).map((m) => m.tokenIds[0]);
    const r = await postJson(`${clob}/batch-prices-history`, { markets: tokens.slice(0, 20), interval: '1d', fidelity: 10 });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.history)).toEqual(tokens.slice(0, 20));
    for (const t of tokens.slice(0, 3)) {
      const single = (await getJson(`${clob}/prices-history?market=${t}&interval=1d&fidelity=10`)).body.history;
      expect(r.body.history[t]).toEqual(single);
    }
    const over = await postJson(`${clob}/batch-prices-history`, { markets: tokens });
    expect(over.status).toBe(400);
    expect((await getJson(`${clob}/prices-history?market=${tokens[0]}&interval=2y`)).status).toBe(400);
  });

  it('GET /prices and /midpoints take comma-joined token_ids like the POST forms', async () => {
    const ts = sim.world.markets.filter((m) => !m.closed && sim.exchange.book(m.tokenIds[0])).slice(0, 3).map((m) => m.tokenIds[0]);
    const get = (await getJson(`${clob}/prices?token_ids=${ts.join(',')}&sides=BUY,BUY,BUY`)).body;
    const post = (await postJson(`${clob}/prices`, ts.map((token_id) => ({ token_id, side: 'BUY' })))).body;
    expect(get).toEqual(post);
    const mids = (await getJson(`${clob}/midpoints?token_ids=${ts.join(',')}`)).body;
    expect(mids).toEqual((await postJson(`${clob}/midpoints`, ts.map((token_id) => ({ token_id })))).body);
  });
});
