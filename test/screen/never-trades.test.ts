// Screened prices never trade: a candidate found on the screen reaches the
// queue as "screened, unconfirmed", with no edge and no size, the paper desk's
// gater never re-decides it, and the operator's execute refuses it.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { openDatabase } from '../../src/persist/db.js';
import { App } from '../../src/app.js';
import { EngineStore } from '../../store/engine-store.js';
import { candidateItem } from '../../src/screen/screen-loop.js';
import type { ArbOpportunity } from '../../src/arb/types.js';
import { market } from '../arb/helpers.js';
import { wallMs } from '../../src/clock.js';

const NOW = 1_800_000_000_000;

const opp: ArbOpportunity = {
  id: 'binary:m1:buy-both',
  kind: 'binary',
  relation: 'buy-both',
  marketIds: ['m1'],
  eventIds: ['e1'],
  legs: [
    { marketId: 'm1', tokenId: 'm1-yes', side: 'BUY', outcome: 'YES', price: 4000, vwap: 4000, size: 1000, fee: 0 },
    { marketId: 'm1', tokenId: 'm1-no', side: 'BUY', outcome: 'NO', price: 5000, vwap: 5000, size: 1000, fee: 0 },
  ],
  edge: 0.1,
  topEdge: 0.1,
  size: 1000,
  profit: 100,
  capital: 900,
  confidence: 1,
  autoTradable: true,
  paperGrade: true,
  reason: 'YES + NO asks below $1',
  firstSeen: NOW,
  cycles: 1,
} as unknown as ArbOpportunity;

describe('screened candidates in the queue', () => {
  it('show "screened, unconfirmed", carry no edge or size, are never gated ready, and cannot be executed', () => {
    const { db } = openDatabase(':memory:');
    const engine = new Engine({ kind: 'SIM', gammaUrl: 'http://127.0.0.1:1', clobUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' }, db, {}, () => wallMs(NOW));
    const app = new App(engine, { paper: { enabled: true }, collector: false });
    const store = new EngineStore(app, { hz: 5, now: () => wallMs(NOW) });
    const item = candidateItem(opp, NOW, () => 'Will it?');
    expect(item).toMatchObject({ gate: 'screened, unconfirmed', autoTradable: false, screened: true });
    expect(item.edge).toBeUndefined();
    expect(item.size).toBeUndefined();
    expect(item.legs).toBeUndefined();
    app.queue.upsert(item);
    app.queue.regate();
    const queued = app.queue.get(item.key)!;
    expect(queued.gate).toBe('screened, unconfirmed');
    expect(queued.exec).toBeUndefined();
    expect(app.paper.row(queued)).toBeUndefined();
    expect(store.actions.execute(item.key)).toMatch(/cannot be traded/);
    // Its priority sits below every confirmed arbitrage row (0.5 and up).
    expect(queued.priority).toBeLessThan(0.5);
    db.close();
  });
});

describe('the strategy scan over the screen', () => {
  it('stage 1 reads screened mids in place of the catalog price; no recent two-sided screen leaves the catalog price', () => {
    const { db } = openDatabase(':memory:');
    const engine = new Engine({ kind: 'SIM', gammaUrl: 'http://127.0.0.1:1', clobUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' }, db, {}, () => wallMs(NOW));
    const app = new App(engine, { collector: false });
    const m = market('Will it?', { id: 'm1', outcomePrices: [5000, 5000] });
    const screen = app.screen!.screen;
    expect(app.scan.screenPrices!(m)).toBeUndefined();
    screen.record('m1-yes', { bid: 1200, ask: 1400 }, NOW - 1_000);
    expect(app.scan.screenPrices!(m)).toBeUndefined(); // the NO token is not screened yet
    screen.record('m1-no', { bid: 8600, ask: 8800 }, NOW - 1_000);
    expect(app.scan.screenPrices!(m)).toMatchObject({ id: 'm1', outcomePrices: [1300, 8700], bestBid: 1200, bestAsk: 1400 });
    // The catalog's own market is not modified.
    expect(m.outcomePrices).toEqual([5000, 5000]);
    screen.record('m1-no', { bid: 8600, ask: 8800 }, NOW - screen.o.maxAgeMs - 1);
    expect(app.scan.screenPrices!(m)).toBeUndefined();
    screen.record('m1-no', { bid: undefined, ask: 8800 }, NOW);
    expect(app.scan.screenPrices!(m)).toBeUndefined();
    db.close();
  });

  it('a mid that moves by 5 cents or more between two screens is a spike', () => {
    const { db } = openDatabase(':memory:');
    const engine = new Engine({ kind: 'SIM', gammaUrl: 'http://127.0.0.1:1', clobUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' }, db, {}, () => wallMs(NOW));
    const screen = new App(engine, { collector: false }).screen!.screen;
    screen.record('t', { bid: 4000, ask: 4200 }, NOW - 2);
    screen.record('t', { bid: 4400, ask: 4600 }, NOW - 1);
    expect(screen.spikes.has('t')).toBe(false);
    screen.record('t', { bid: 4900, ask: 5100 }, NOW);
    expect(screen.spikes.get('t')).toBe(NOW);
    db.close();
  });
});
