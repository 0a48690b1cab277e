// The simulator's crypto option: off by default (seeded worlds unchanged, no
// extra origin); on, a reference-data origin quoting the same paths the world's
// up/down windows settle on, answering Binance's klines-from-startTime query
// without reading past the venue clock, and gone after stop().
import { afterEach, describe, expect, it } from 'vitest';
import { Simulator } from '../../src/sim/simulator.js';
import { BinanceSpot } from '../../src/refdata/providers/binance.js';
import { venueMs } from '../../src/clock.js';

let sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.stop()));
  sims = [];
});

const make = (crypto?: boolean) => {
  const s = new Simulator({ seed: 'wiring', markets: 300, speed: 1, rate: 10, clockStart: 'manual', ...(crypto === undefined ? {} : { crypto }) });
  sims.push(s);
  return s;
};

describe('Simulator crypto option', () => {
  it('off by default: no paths, no reference-data origin, the same catalog as the crypto world', async () => {
    const plain = make();
    const urls = await plain.start();
    expect(plain.cryptoPaths).toBeUndefined();
    expect(urls.refdata).toBeUndefined();
    const crypto = make(true);
    expect(crypto.world.markets.map((m) => m.question)).toEqual(plain.world.markets.map((m) => m.question));
  });

  it('on: paths start a day before the world; the candle at a window start opens at the path price there; the forming candle ends at the venue clock', async () => {
    const sim = make(true);
    const urls = await sim.start();
    const paths = sim.cryptoPaths!;
    expect(paths.epochMs).toBe(sim.world.epochMs - 86_400_000);
    const now = sim.exchange.now;
    const start = Math.floor(now / 900_000) * 900_000;
    const spot = new BinanceSpot(urls.refdata!, () => venueMs(sim.exchange.now));
    const o = await spot.openAt('BTCUSDT', start);
    expect(o).toEqual({ ok: true, price: Number(paths.price('BTC', start)!.toPrecision(8)) });
    // A minute that has not begun has no candle: no price from the future.
    expect(await spot.openAt('BTCUSDT', Math.floor(now / 60_000) * 60_000 + 60_000)).toEqual({ ok: true, price: undefined });
    const res = await fetch(`${urls.refdata}/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${start}&limit=1000`);
    const rows = (await res.json()) as Array<[number, string, string, string, string]>;
    expect(rows[0]![0]).toBe(start);
    const last = rows[rows.length - 1]!;
    expect(last[0]).toBe(Math.floor(now / 60_000) * 60_000);
    expect(Number(last[4])).toBe(Number(paths.price('BTC', now)!.toPrecision(8)));
    await sim.stop();
    await expect(fetch(`${urls.refdata}/api/v3/ping`)).rejects.toThrow();
  });
});
