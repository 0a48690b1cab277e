// CLOB REST as the venue serves it (research §1.7–1.8, §3): /book with string
// numbers, best level last and a SHA-1 hash over the ten-field summary,
// POST /books with a payload limit, and /prices-history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sim/simulator.js';
import { SimPool, bestOf, bookHash, getJson, manualClock, postJson, waitFor, type Json } from './helpers.js';

const pool = new SimPool();
let sim: Simulator;
let clob: string;
let gamma: string;
let markets: Json[];

beforeAll(async () => {
  ({ sim, urls: { clob, gamma } } = await pool.start({ seed: 'clob-1', markets: 250, maxBooks: 50, ...manualClock(60_000, 5) }));
  markets = (await getJson(`${gamma}/markets?limit=60`)).body;
});
afterAll(() => pool.stopAll());

const decimal = /^(0|[1-9]\d*)?(\.\d+)?$/;

function expectBookShape(b: Json, token: string, market: Json): void {
  expect(b.asset_id).toBe(token);
  expect(b.market).toBe(market.conditionId);
  expect(b.timestamp).toMatch(/^\d{13}$/);
  expect(b.hash).toMatch(/^[0-9a-f]{40}$/);
  expect(b.min_order_size).toMatch(decimal);
  expect(b.tick_size).toMatch(decimal);
  expect(typeof b.neg_risk).toBe('boolean');
  expect(b.neg_risk).toBe(market.negRisk);
  expect(Number(b.tick_size)).toBe(market.orderPriceMinTickSize);
  expect(Array.isArray(b.bids)).toBe(true);
  expect(Array.isArray(b.asks)).toBe(true);
  expect(b.bids.length).toBeGreaterThan(0);
  expect(b.asks.length).toBeGreaterThan(0);
  const tick = Number(b.tick_size);
  for (const l of [...b.bids, ...b.asks]) {
    expect(typeof l.price).toBe('string');
    expect(typeof l.size).toBe('string');
    expect(l.price).toMatch(decimal);
    expect(l.size).toMatch(decimal);
    expect(Number(l.size)).toBeGreaterThan(0);
    const steps = Number(l.price) / tick;
    expect(Math.abs(steps - Math.round(steps))).toBeLessThan(1e-6);
  }
  // Bids ascending and asks descending: the best level is the last element.
  const bp = b.bids.map((l: Json) => Number(l.price));
  const ap = b.asks.map((l: Json) => Number(l.price));
  for (let i = 1; i < bp.length; i++) expect(bp[i]).toBeGreaterThan(bp[i - 1]);
  for (let i = 1; i < ap.length; i++) expect(ap[i]).toBeLessThan(ap[i - 1]);
  expect(bp[bp.length - 1]).toBeLessThan(ap[ap.length - 1]);
  expect(b.hash).toBe(bookHash(b));
}

describe('GET /book', () => {
  it("serves venue-shaped books whose hash is SHA-1 of the compact ten-field summary (last_trade_price included, as the official SDKs hash)", async () => {
    for (const m of markets.slice(0, 30)) {
      const tokens = JSON.parse(m.clobTokenIds) as string[];
      for (const t of tokens) {
        const { status, body } = await getJson(`${clob}/book?token_id=${t}`);
        expect(status).toBe(200);
        expectBookShape(body, t, m);
      }
    }
  });

  it('quotes YES and NO books as mirrors (YES bid + NO ask = 1) on markets without a planted YES+NO gap', async () => {
    const planted = new Set(sim.world.planted.filter((p) => p.kind === 'binary').flatMap((p) => p.marketIds));
    let checked = 0;
    for (const m of markets) {
      if (planted.has(m.id)) continue;
      const [yes, no] = JSON.parse(m.clobTokenIds) as string[];
      const y = bestOf((await getJson(`${clob}/book?token_id=${yes}`)).body);
      const n = bestOf((await getJson(`${clob}/book?token_id=${no}`)).body);
      expect(y.bid! + n.ask!).toBeCloseTo(1, 9);
      expect(y.ask! + n.bid!).toBeCloseTo(1, 9);
      // Gamma's top of book is the YES book's.
      expect(m.bestBid).toBeCloseTo(y.bid!, 9);
      expect(m.bestAsk).toBeCloseTo(y.ask!, 9);
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('answers 400 "Invalid token id" for a malformed or missing token and 404 for an unknown numeric one', async () => {
    const bad = await getJson(`${clob}/book?token_id=not-a-token`);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'Invalid token id' });
    const missing = await getJson(`${clob}/book`);
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: 'Invalid token id' });
    const unknown = await getJson(`${clob}/book?token_id=12345678901234567890`);
    expect(unknown.status).toBe(404);
    expect(typeof unknown.body.error).toBe('string');
  });
});

describe('POST /books', () => {
  it('returns an array of books equal to the single /book answers', async () => {
    const tokens = markets.slice(0, 10).flatMap((m) => JSON.parse(m.clobTokenIds) as string[]);
    const { status, body } = await postJson(`${clob}/books`, tokens.map((t) => ({ token_id: t })));
    expect(status).toBe(200);
    expect(Array.isArray(body)).toBe(true);
    expect(body).toHaveLength(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const single = (await getJson(`${clob}/book?token_id=${tokens[i]}`)).body;
      const b = body.find((x: Json) => x.asset_id === tokens[i]);
      expect(b).toEqual(single);
      expect(b.hash).toBe(bookHash(b));
    }
  });

  it('rejects more ids than maxBooks with 400 {"error":"Payload exceeds the limit"}', async () => {
    const tokens = markets.flatMap((m) => JSON.parse(m.clobTokenIds) as string[]);
    expect(tokens.length).toBeGreaterThan(51);
    const atLimit = await postJson(`${clob}/books`, tokens.slice(0, 50).map((t) => ({ token_id: t })));
    expect(atLimit.status).toBe(200);
    expect(atLimit.body).toHaveLength(50);
    const over = await postJson(`${clob}/books`, tokens.slice(0, 51).map((t) => ({ token_id: t })));
    expect(over.status).toBe(400);
    expect(over.body).toEqual({ error: 'Payload exceeds the limit' });
  });
});

describe('GET /prices-history', () => {
  it('returns {history:[{t,p}]} for a YES token once the sim has run', async () => {
    // A running clock at high speed: 10 sim minutes (one sample) every 0.1 s of wall time.
    const { sim: s, urls } = await pool.start({ seed: 'history-1', markets: 200, speed: 6000, rate: 200 });
    const m = s.world.markets.find((x) => !x.closed && x.endMs - s.exchange.now > 30 * 86_400_000)!;
    const [yes, no] = m.tokenIds;
    const body = await waitFor(
      async () => {
        const r = await getJson(`${urls.clob}/prices-history?market=${yes}`);
        return r.status === 200 && r.body.history.length >= 4 ? r.body : undefined;
      },
      10_000,
      'four history points',
    );
    expect(Object.keys(body)).toEqual(['history']);
    let lastT = -Infinity;
    for (const pt of body.history) {
      expect(Object.keys(pt).sort()).toEqual(['p', 't']);
      expect(Number.isInteger(pt.t)).toBe(true);
      expect(pt.t).toBeGreaterThan(1_600_000_000); // unix seconds, not ms
      expect(pt.t).toBeLessThan(10_000_000_000);
      expect(pt.t).toBeGreaterThan(lastT);
      lastT = pt.t;
      expect(typeof pt.p).toBe('number');
      expect(pt.p).toBeGreaterThanOrEqual(0);
      expect(pt.p).toBeLessThanOrEqual(1);
    }
    // The NO token's history is the complement of the YES token's.
    const noHist = (await getJson(`${urls.clob}/prices-history?market=${no}&endTs=${lastT}`)).body.history;
    const yesHist = (await getJson(`${urls.clob}/prices-history?market=${yes}&endTs=${lastT}`)).body.history;
    expect(noHist.map((x: Json) => x.t)).toEqual(yesHist.map((x: Json) => x.t));
    noHist.forEach((x: Json, i: number) => expect(x.p + yesHist[i].p).toBeCloseTo(1, 4));
    // startTs/endTs bound the window.
    const mid = yesHist[1].t;
    const bounded = (await getJson(`${urls.clob}/prices-history?market=${yes}&startTs=${mid}&endTs=${lastT}`)).body.history;
    expect(bounded.length).toBe(yesHist.length - 1);
    expect(bounded.every((x: Json) => x.t >= mid && x.t <= lastT)).toBe(true);
  });
});
