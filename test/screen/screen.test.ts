// The whole-market screen: its pace (inside the documented /prices limit, never
// below its floor), its decoding of hostile answers, and a real pass over a
// simulator's every open token on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodePrices, fetchPrices, pricesBody } from '../../src/feed/clob-prices.js';
import { RestClient } from '../../src/feed/rest-client.js';
import { DEFAULT_SCREEN, PRICES_LIMIT_PER_10S, Screen, screenBudget } from '../../src/screen/screen.js';
import { screenUniverse } from '../../src/screen/screen-loop.js';
import { Simulator } from '../../src/sim/simulator.js';
import { simCatalog } from '../../src/sim/catalog.js';
import { waitFor } from '../helpers/wait.js';
import { systemWall } from '../../src/clock.js';

describe('screenBudget', () => {
  const o = { chunk: 250, share: 0.5, floorPer10s: 20, targetAgeMs: 20_000 };
  it('paces to cover the universe within the target age: 100,000 tokens = 400 pages → 200 per 10 s', () => {
    expect(screenBudget(100_000, o)).toBe(200);
  });
  it('never above the share of the documented limit (500 × 0.5 = 250), even for a million tokens', () => {
    expect(screenBudget(1_000_000, o)).toBe(250);
    expect(screenBudget(1_000_000, { ...o, share: 1 })).toBe(PRICES_LIMIT_PER_10S);
  });
  it('never below its floor: a tiny universe, or a full back-off after 429s', () => {
    expect(screenBudget(10, o)).toBe(20);
    expect(screenBudget(100_000, o, 0)).toBe(20);
    expect(screenBudget(100_000, o, 0.25)).toBe(62);
  });
});

describe('decodePrices', () => {
  const asked = new Set(['1', '2', '3', '4', '5']);
  it('reads BUY as the best bid and SELL as the best ask, in 0.0001 units', () => {
    const r = decodePrices({ '1': { BUY: '0.45', SELL: '0.46' }, '2': { SELL: '0.9' } }, asked);
    expect(r.prices.get('1')).toEqual({ bid: 4500, ask: 4600 });
    expect(r.prices.get('2')).toEqual({ bid: undefined, ask: 9000 });
    expect(r.rejected).toBe(0);
  });
  it('drops and counts what it did not ask for, crossed quotes, prices off the grid or outside (0, 1), and non-objects', () => {
    const r = decodePrices({ '9': { BUY: '0.1' }, '1': { BUY: '0.6', SELL: '0.5' }, '2': { BUY: '1.5' }, '3': { BUY: 'NaN' }, '4': 'x', '5': { BUY: '0.123456' } }, asked);
    expect(r.prices.size).toBe(0);
    expect(r.rejected).toBe(6);
    expect(decodePrices([1, 2], asked).rejected).toBe(1);
    expect(decodePrices('<html>', asked).prices.size).toBe(0);
  });
  it('asks for both sides of every token', () => {
    expect(pricesBody(['7'])).toEqual([
      { token_id: '7', side: 'BUY' },
      { token_id: '7', side: 'SELL' },
    ]);
  });
});

describe('against a hostile server', () => {
  let server: Server;
  let url = '';
  let hits = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const items = JSON.parse(body) as unknown[];
        if (items.length > 20) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'Payload exceeds the limit' }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"1": {"BUY": "0.4", "SELL": "\\u001b[31m0.5"}, "2": {"BUY": "0.2", "SELL": "0.3"}}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('halves the chunk on "Payload exceeds the limit" and keeps only well-formed prices', async () => {
    const rest = new RestClient({ maxRetries: 0 });
    const tokens = Array.from({ length: 40 }, (_, i) => String(i + 1));
    expect(await fetchPrices(rest, url, tokens)).toMatchObject({ ok: false, tooLarge: true });
    const screen = new Screen(rest, url, systemWall, { chunk: 40 });
    screen.setUniverse(tokens);
    screen.tick();
    await waitFor(() => screen.failures >= 1 && screen.o.chunk <= 20, { what: 'chunk halved' });
    await waitFor(() => { screen.tick(); return screen.get('2'); }, { what: 'a page answered' });
    expect(screen.get('2')).toMatchObject({ bid: 2000, ask: 3000 });
    // The escape sequence never becomes a price.
    expect(screen.get('1')).toBeUndefined();
    expect(screen.rejected).toBeGreaterThan(0);
  });
});

describe('a full pass over a simulator on loopback', () => {
  let sim: Simulator;
  let clob = '';
  beforeAll(async () => {
    sim = new Simulator({ seed: 'screen-pass', markets: 1_500, speed: 1, rate: 50, clockStart: 'manual' });
    clob = (await sim.start()).clob;
  });
  afterAll(() => sim.stop());

  it('prices every open token at the venue best bid and ask, inside the documented limit, and reports the age bound', async () => {
    const rest = new RestClient();
    const screen = new Screen(rest, clob, systemWall, { chunk: 100 });
    const universe = screenUniverse(simCatalog(sim));
    expect(universe.length).toBeGreaterThan(2_000);
    screen.setUniverse(universe);
    const started = Date.now();
    await waitFor(() => { screen.tick(); return screen.sweeps >= 1 && screen.stats(Date.now()).screened >= universe.length - 50; }, { timeoutMs: 60_000, what: 'one full pass' });
    const s = screen.stats(Date.now());
    // Pace: 3,000+ tokens in pages of 100 → ≥ 30 pages; budget aims at 20 s → ≥ 20 per 10 s, and never over 250.
    expect(s.budgetPer10s).toBeGreaterThanOrEqual(DEFAULT_SCREEN.floorPer10s);
    expect(s.budgetPer10s).toBeLessThanOrEqual(PRICES_LIMIT_PER_10S * DEFAULT_SCREEN.share);
    expect(s.requests).toBeLessThanOrEqual(s.budgetPer10s * Math.ceil((Date.now() - started + 1) / 10_000));
    expect(rest.counters.rateLimited).toBe(0);
    expect(s.ageMs).toBeGreaterThanOrEqual(0);
    expect(s.ageMs).toBeLessThanOrEqual(Date.now() - started);
    let checked = 0;
    for (const t of universe) {
      const e = screen.get(t);
      const b = sim.exchange.book(t);
      if (!e || !b) continue;
      expect(e.bid).toBe(b.bidPx.at(-1));
      expect(e.ask).toBe(b.askPx.at(-1));
      checked++;
    }
    expect(checked).toBeGreaterThan(universe.length - 50);
    // A screened view is flagged and one level deep: it can nominate, never size a trade.
    const v = screen.view(universe[0]!, Date.now())!;
    expect(v.screened).toBe(true);
    expect(v.askPx.length).toBeLessThanOrEqual(1);
    expect(screen.view(universe[0]!, Date.now() + DEFAULT_SCREEN.maxAgeMs + 1)).toBeUndefined();
  });
});
