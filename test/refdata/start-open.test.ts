// The price at an up/down window's start: a spot sample taken seconds after
// the start only stands in until the loop reads the 1-minute candle open at the
// start itself, which replaces it (the rule settles on the price at the start).
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { RefDataLoop } from '../../src/plugins/refdata-loop.js';
import { SignalQueue } from '../../src/plugins/queue.js';
import { CryptoPaths } from '../../src/sim/crypto-paths.js';
import { RefDataServer } from '../../src/sim/refdata-server.js';
import { venueMs, wallMs } from '../../src/clock.js';

let server: RefDataServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const MIN = 60_000;

describe('window start price', () => {
  it('a sample 3 s after the start is replaced by the candle open at the start, in the same refresh, with one lookup', async () => {
    const start = Date.parse('2026-02-03T19:15:00Z');
    let venue = start - 30_000;
    const paths = new CryptoPaths(7, start - 6 * 3_600_000);
    server = new RefDataServer({ paths, now: () => venue, missingRate: 0 });
    const url = await server.start();
    // The loop reads only the venue clock, the wall clock and the rankers of the engine here.
    const engine = { venueNow: () => venueMs(venue), now: () => wallMs(venue), rankers: [], catalog: { markets: new Map() }, books: new Map() } as unknown as Engine;
    const loop = new RefDataLoop(engine, new SignalQueue(), { binanceUrl: url });
    loop.rules.set('m-ud', { status: 'mapped', asset: 'BTC', kind: 'updown', strike: null, windowStart: start, resolvesAt: start + 15 * MIN, source: 'chainlink' });

    await loop.refresh();
    expect(loop.fair.get('m-ud')?.fair).toMatchObject({ status: 'neutral', reason: expect.stringContaining('window not open') });

    venue = start + 3_000;
    await loop.refresh();
    const f = loop.fair.get('m-ud')!.fair;
    if (f.status !== 'priced') throw new Error(`not priced: ${JSON.stringify(f)}`);
    const open = Number(paths.price('BTC', start)!.toPrecision(8));
    expect(open).not.toBe(Number(paths.price('BTC', start + 3_000)!.toPrecision(8)));
    expect(f.inputs.startPrice).toBe(open);
    expect(loop.startLookups).toBe(1);

    // Exact now: later refreshes ask no more.
    venue = start + 20_000;
    await loop.refresh();
    expect(loop.startLookups).toBe(1);
    const g = loop.fair.get('m-ud')!.fair;
    expect(g.status === 'priced' && g.inputs.startPrice).toBe(open);
  });
});
