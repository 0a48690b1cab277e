// The supervised live session against the simulator's trading desk: orders
// that pass the paper desk's gates reach the venue through the executor seam
// (one copy of the gates); each HALT source persists the halt, cancels all and
// stops the heartbeat — clock drift against the venue's /time, a user channel
// gone silent behind a frozen loopback proxy, a persisted halt that survives a
// restart, and an unreadable halt row that counts as halted.
import { wallMs } from '../../src/clock.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, Socket, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Simulator } from '../../src/sim/simulator.js';
import type { SimMarket } from '../../src/sim/world-types.js';
import { PRICE_SCALE } from '../../src/protocol/units.js';
import { SimPool, manualClock } from '../sim/helpers.js';
import { tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { openDatabase, type DB } from '../../src/persist/db.js';
import { loadWallet } from '../../src/exec/wallet.js';
import { LiveSession, abbreviate, confirmPhrase, orderTypeOf, priceText, tickOf, type LiveSessionOptions } from '../../src/plugins/live-session.js';
import { book, harness, market as paperMarket, T0 } from '../paper/helpers.js';

const pool = new SimPool();
let sim: Simulator;
let clob: string;
let userUrl: string;
let market: SimMarket;
const dir = tempDir('pc-live-session-');
const sessions: LiveSession[] = [];
const dbs: DB[] = [];

beforeAll(async () => {
  let urls;
  ({ sim, urls } = await pool.start({ seed: 'live-session', markets: 120, ...manualClock(60_000, 20), desk: { startingBalance: 1000, mineMs: 200, confirmMs: 400 } }));
  clob = urls.clob;
  userUrl = urls.ws.replace(/\/ws\/market$/, '/ws/user');
  for (let i = 0; i < 5; i++) sim.stepOnce();
  market = sim.world.markets.find((m) => {
    const b = sim.exchange.book(m.tokenIds[0]);
    return !m.closed && b?.bestBid !== undefined && b.bestAsk !== undefined && b.bestBid > 10 * m.tick && b.bestAsk < PRICE_SCALE - 10 * m.tick;
  })!;
}, 60_000);
afterEach(() => {
  for (const s of sessions.splice(0)) s.close();
});
afterAll(async () => {
  for (const d of dbs) d.close();
  await pool.stopAll();
});

/** A fresh account (its API key is derived or created by the session with an L1 signature). */
function wallet() {
  return loadWallet({ POLY_PRIVATE_KEY: generatePrivateKey() })!;
}

function db(name: string): DB {
  const { db } = openDatabase(join(dir, name));
  dbs.push(db);
  return db;
}

async function open(extra: Partial<LiveSessionOptions> & { db: DB; wallet?: ReturnType<typeof wallet> }): Promise<LiveSession> {
  const s = await LiveSession.open({
    wallet: extra.wallet ?? wallet(),
    clob,
    userWsUrl: userUrl,
    limits: { perOrderUsd: 50, perDayUsd: 200 },
    negRiskOf: (id) => sim.world.markets.find((m) => m.id === id || m.conditionId === id)?.negRisk,
    now: () => wallMs(sim.exchange.now),
    heartbeatEveryMs: 200,
    pingMs: 100,
    silenceMs: 800,
    ...extra,
  });
  sessions.push(s);
  return s;
}

/** Open orders the venue holds for a session's key. */
async function venueOpen(s: LiveSession): Promise<number> {
  const r = await s.venue.call<{ data: unknown[] }>('GET', '/data/orders', undefined, { next_cursor: 'MA==' });
  return r.data.length;
}

/** A resting BUY 4 ticks under the bid, through the session's trader. */
async function rest(s: LiveSession) {
  const b = sim.exchange.book(market.tokenIds[0])!;
  const tick = tickOf(market.tick)!;
  return s.trader.place({ tokenId: market.tokenIds[0], side: 'BUY', price: priceText(b.bestBid! - 4 * market.tick, tick), size: '5', tick, negRisk: market.negRisk, version: s.version }, 'GTC');
}

describe('pure parts', () => {
  it('names the wallet, maps plan types and prices to the venue', () => {
    expect(abbreviate('0x1234567890abcdef1234567890abcdef12345678')).toBe('0x1234…5678');
    expect(confirmPhrase('0x1234567890abcdef1234567890abcdef12ABcdEF')).toBe('live abcdef');
    expect(orderTypeOf('limit-GTC')).toBe('GTC');
    expect(orderTypeOf('limit-IOC')).toBe('FAK');
    expect(orderTypeOf('market')).toBe('FAK');
    expect(tickOf(100)).toBe('0.01');
    expect(tickOf(25)).toBe('0.0025');
    expect(tickOf(7)).toBeUndefined();
    expect(priceText(4700, '0.01')).toBe('0.47');
    expect(priceText(4725, '0.0025')).toBe('0.4725');
  });
});

describe('live session against the simulator desk', () => {
  it('an order that passes the paper gates reaches the venue through the executor', async () => {
    const s = await open({ db: db('seam.db') });
    expect(s.halted).toBeUndefined();
    const ob = sim.exchange.book(market.tokenIds[0])!;
    const levels = (side: 'BUY' | 'SELL') => ob.prices(side).slice(0, 5).map((price) => [price / PRICE_SCALE, 1000] as [number, number]);
    const m = paperMarket({ id: market.id, conditionId: market.conditionId, tokenIds: market.tokenIds, tickSize: market.tick, negRisk: market.negRisk, minOrderSize: market.minOrderSize });
    const h = harness([m], { [market.tokenIds[0]]: book(levels('SELL'), levels('BUY')) }, { maxSpread: 1, minDepthUsd: 0, maxTokenPct: 0.2, maxEventPct: 0.2 });
    h.trader.setExecutor(s.executor());
    expect(h.trader.executorKind).toBe('live');
    const limit = ob.bestBid! - 4 * market.tick;
    const r = h.trader.submit({ tokenId: market.tokenIds[0], side: 'BUY', type: 'limit', tif: 'GTC', size: 5, limit, reason: 'test' }, T0);
    expect(r.ok).toBe(true);
    expect(r.fills).toHaveLength(0);
    await waitFor(() => s.view().orders.some((o) => o.state === 'live'), { what: 'order live at the venue' });
    expect(await venueOpen(s)).toBe(1);
    // The paper ledger did not move: the order went to the venue, not the broker.
    expect(h.trader.portfolioPane().orders).toBe(0);
    // A gate still refuses first: a size over the paper notional cap never reaches the trader.
    const big = h.trader.submit({ tokenId: market.tokenIds[0], side: 'BUY', type: 'limit', tif: 'GTC', size: 5000, limit, reason: 'test' }, T0);
    expect(big.ok).toBe(false);
    expect(s.view().orders).toHaveLength(1);
    // The per-order live cap (50 USDC) refuses before signing, and says so.
    h.trader.submit({ tokenId: market.tokenIds[0], side: 'BUY', type: 'limit', tif: 'GTC', size: Math.ceil(60 / (limit / PRICE_SCALE)), limit, reason: 'test' }, T0);
    await waitFor(() => s.view().refusals.some((x) => /per-order limit/.test(x.text)), { what: 'per-order refusal' });
    expect(s.view().orders).toHaveLength(1);
  });

  it('clock drift beyond the bound halts at start: persisted, no heartbeat, nothing posted', async () => {
    const d = db('drift.db');
    const w = wallet();
    const s = await open({ db: d, wallet: w, now: () => wallMs(sim.exchange.now - 30_000), maxDriftMs: 5000 });
    expect(s.halted).toMatch(/clock drift: this machine is 3[01] s behind/);
    expect(s.trader.heartbeatRunning).toBe(false);
    await expect(rest(s)).rejects.toThrow(/halted/);
    expect(s.view().halted).toMatch(/clock drift/);
    // In step with the venue: no halt.
    const ok = await open({ db: db('drift-ok.db') });
    expect(ok.halted).toBeUndefined();
    expect(Math.abs(ok.view().clockDriftMs!)).toBeLessThan(1500);
    // The halt survives a restart with a correct clock: only the operator clears it.
    s.close();
    const again = await open({ db: d, wallet: w });
    expect(again.halted).toMatch(/clock drift/);
    expect(again.trader.heartbeatRunning).toBe(false);
  });

  it('a user channel gone silent halts: cancel-all reaches the venue and the heartbeat stops', async () => {
    // A loopback TCP proxy in front of /ws/user that can freeze: bytes stop flowing both ways.
    let frozen = false;
    const socks: Socket[] = [];
    const target = new URL(userUrl);
    const proxy: Server = createServer((c) => {
      const up = new Socket();
      socks.push(c, up);
      up.connect(Number(target.port), target.hostname);
      c.on('data', (b) => {
        if (!frozen) up.write(b);
      });
      up.on('data', (b) => {
        if (!frozen) c.write(b);
      });
      c.on('error', () => up.destroy());
      up.on('error', () => c.destroy());
      c.on('close', () => up.destroy());
      up.on('close', () => c.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const port = (proxy.address() as AddressInfo).port;
      const d = db('silence.db');
      const s = await open({ db: d, userWsUrl: `ws://127.0.0.1:${port}/ws/user`, silenceMs: 800, pingMs: 100 });
      expect(s.halted).toBeUndefined();
      await rest(s);
      expect(await venueOpen(s)).toBe(1);
      // Pings are answered while the path flows: well past the deadline, no halt.
      await new Promise((r) => setTimeout(r, 1200));
      expect(s.halted).toBeUndefined();
      frozen = true;
      await waitFor(() => s.halted !== undefined, { what: 'silence halt', timeoutMs: 10_000 });
      expect(s.halted).toMatch(/user channel silent/);
      expect(s.trader.heartbeatRunning).toBe(false);
      await waitFor(async () => (await venueOpen(s)) === 0, { what: 'orders cancelled' });
      expect(JSON.parse((d.prepare("SELECT value FROM live_state WHERE key = 'halt'").get() as { value: string }).value).reason).toMatch(/silent/);
    } finally {
      for (const x of socks) x.destroy();
      await new Promise((r) => proxy.close(r));
    }
  });

  it('three fills that fail on chain halt trading; each is reversed (not held)', async () => {
    const { sim: ghostSim, urls } = await pool.start({ seed: 'live-ghost', markets: 80, ...manualClock(60_000, 10), desk: { startingBalance: 1000, mineMs: 100, confirmMs: 200, ghostRate: 1 } });
    for (let i = 0; i < 3; i++) ghostSim.stepOnce();
    const m = ghostSim.world.markets.find((x) => {
      const b = ghostSim.exchange.book(x.tokenIds[0]);
      return !x.closed && b?.bestAsk !== undefined && b.bestAsk < PRICE_SCALE - 10 * x.tick && b.bestAsk > 10 * x.tick;
    })!;
    const s = await open({ db: db('ghost.db'), clob: urls.clob, userWsUrl: urls.ws.replace(/\/ws\/market$/, '/ws/user'), now: () => wallMs(ghostSim.exchange.now), negRiskOf: () => m.negRisk });
    const tick = tickOf(m.tick)!;
    for (let i = 0; i < 3 && !s.halted; i++) {
      const ask = ghostSim.exchange.book(m.tokenIds[0])!.bestAsk!;
      await s.trader.place({ tokenId: m.tokenIds[0], side: 'BUY', price: priceText(ask, tick), size: '5', tick, negRisk: m.negRisk, version: s.version }, 'FAK');
    }
    await waitFor(() => s.halted !== undefined, { what: 'failed-settlement halt', timeoutMs: 15_000 });
    expect(s.halted).toMatch(/3 fills failed to settle/);
    const v = s.view();
    expect(v.fills.filter((f) => f.settlement === 'FAILED' && f.reversed).length).toBeGreaterThanOrEqual(3);
    expect(s.journal.positions().get(m.tokenIds[0])?.confirmed ?? 0).toBe(0);
    expect(s.trader.heartbeatRunning).toBe(false);
  });

  it('an operator halt cancels all and stops the heartbeat; an unreadable saved halt counts as halted', async () => {
    const d = db('x.db');
    const w = wallet();
    const s = await open({ db: d, wallet: w });
    await rest(s);
    await s.halt('operator (x)');
    expect(await venueOpen(s)).toBe(0);
    expect(s.trader.heartbeatRunning).toBe(false);
    s.close();
    d.prepare("UPDATE live_state SET value = '{not json' WHERE key = 'halt'").run();
    const again = await open({ db: d, wallet: w });
    expect(again.halted).toMatch(/unreadable/);
    expect(again.trader.heartbeatRunning).toBe(false);
  });
});
