// Orders against the live book: market and limit, IOC and resting, partial
// fills, maker vs taker fees, positions with average cost, realised P&L,
// no shorting, baskets all-or-none, and every write committed.
import { describe, expect, it } from 'vitest';
import { harness, book, market, setLevels, ledgerInvariants, one, rows, T0 } from './helpers.js';
import type { TradeEvent } from '../../src/protocol/events.js';
import type { ArbOpportunity } from '../../src/arb/types.js';

const WIDE = { maxTokenPct: 1, maxEventPct: 1, maxGrossPct: 1, maxNotionalUsd: 100_000, maxSpread: 1 };
const crypto = { rate: 0.07, exponent: 1, takerOnly: true, rebateRate: 0.2 };

function setup(extra = {}) {
  const m = market({ id: 'mk', fee: crypto });
  const yes = book(
    [
      [0.5, 100],
      [0.51, 50],
      [0.53, 200],
    ],
    [
      [0.48, 80],
      [0.47, 100],
    ],
  );
  const no = book([[0.52, 300]], [[0.5, 300]]);
  return { ...harness([m], { 'mk-yes': yes, 'mk-no': no }, { ...WIDE, ...extra }), yes, no, m };
}

const trade = (asset: string, price: number, size: number, side: 'BUY' | 'SELL'): TradeEvent => ({ type: 'last_trade_price', asset, market: '0xcondmk', price, size, side, ts: T0 });

describe('paper broker', () => {
  it('market BUY walks the asks: 180 shares → 100 @ 0.50 + 50 @ 0.51 + 30 @ 0.53, fee per fill, cash exact', () => {
    const { trader, db } = setup({ slippage: 0.05 });
    const r = trader.submit({ tokenId: 'mk-yes', side: 'BUY', type: 'market', size: 180, reason: 'test' }, T0);
    expect(r.ok).toBe(true);
    expect(r.status).toBe('filled');
    expect(r.fills.map((f) => [f.price, f.size, f.liquidity])).toEqual([
      [5000, 100, 'taker'],
      [5100, 50, 'taker'],
      [5300, 30, 'taker'],
    ]);
    // fees: 100×0.07×0.25 = 1.75; 50×0.07×0.51×0.49 = 0.87465; 30×0.07×0.53×0.47 = 0.52311
    expect(r.fills.map((f) => f.feeMicros)).toEqual([1_750_000, 874_650, 523_110]);
    expect(r.avgPrice).toBeCloseTo((100 * 5000 + 50 * 5100 + 30 * 5300) / 180, 9);
    const cost = 50_000_000 + 25_500_000 + 15_900_000;
    const fees = 1_750_000 + 874_650 + 523_110;
    expect(trader.broker.cashMicros).toBe(10_000_000_000 - cost - fees);
    const pos = trader.broker.positions.get('mk-yes')!;
    expect(pos.shares).toBe(180);
    expect(pos.costMicros).toBe(cost);
    // committed: orders, fills, ledger (deposit + 3 buys + 3 fees), positions
    expect(one<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM fills').n).toBe(3);
    expect(rows<{ kind: string }>(db, 'SELECT kind FROM cash_ledger ORDER BY id').map((x) => x.kind)).toEqual(['deposit', 'buy', 'fee', 'buy', 'fee', 'buy', 'fee']);
    const inv = ledgerInvariants(db);
    expect(inv.last).toBe(inv.sum);
    expect(inv.mismatched).toBe(0);
  });

  it('a market order stops at the slippage ceiling (best 0.50 + 0.02): 180 → 150 filled, partial', () => {
    const { trader } = setup();
    const r = trader.submit({ tokenId: 'mk-yes', side: 'BUY', type: 'market', size: 180, reason: 'test' }, T0);
    expect(r.status).toBe('partial');
    expect(r.filled).toBe(150);
    expect(Math.max(...r.fills.map((f) => f.price))).toBe(5100);
  });

  it('partial fill: limit IOC BUY 200 @ 0.51 fills 150, the rest is canceled', () => {
    const { trader, db } = setup();
    const r = trader.submit({ tokenId: 'mk-yes', side: 'BUY', type: 'limit', tif: 'IOC', limit: 5100, size: 200, reason: 'ioc' }, T0);
    expect(r.status).toBe('partial');
    expect(r.filled).toBe(150);
    expect(r.resting).toBe(0);
    expect(trader.broker.resting.size).toBe(0);
    expect(one<{ status: string }>(db, 'SELECT status FROM orders').status).toBe('partial');
  });

  it('limit GTC: the marketable part fills as taker, the rest rests; a maker fill pays no fee', () => {
    const { trader, db } = setup();
    const r = trader.submit({ tokenId: 'mk-yes', side: 'BUY', type: 'limit', tif: 'GTC', limit: 5000, size: 160, reason: 'gtc' }, T0);
    expect(r.status).toBe('open');
    expect(r.filled).toBe(100);
    expect(r.resting).toBe(60);
    expect(trader.broker.reservedMicros()).toBe(30_000_000);
    // A trade AT our price does not fill us (queue ahead of us).
    expect(trader.onTrade(trade('mk-yes', 5000, 40, 'SELL'), T0 + 1)).toEqual([]);
    // A trade THROUGH our price (0.49 < 0.50) does: up to its size, at our limit, no fee.
    const f = trader.onTrade(trade('mk-yes', 4900, 40, 'SELL'), T0 + 2);
    expect(f.map((x) => [x.price, x.size, x.feeMicros, x.liquidity])).toEqual([[5000, 40, 0, 'maker']]);
    expect(trader.broker.resting.get(r.orderIds[0]!)!.filled).toBe(140);
    const fees = rows<{ fee_micros: number; liquidity: string }>(db, "SELECT fee_micros, liquidity FROM fills WHERE liquidity = 'maker'");
    expect(fees).toEqual([{ fee_micros: 0, liquidity: 'maker' }]);
  });

  it('resting BUY fills when the best ask moves strictly through it, up to the size offered below the limit', () => {
    const { trader, yes, db } = setup();
    const r = trader.submit({ tokenId: 'mk-yes', side: 'BUY', type: 'limit', limit: 4900, size: 50, reason: 'gtc' }, T0);
    expect(r.status).toBe('open');
    expect(r.filled).toBe(0);
    setLevels(yes, [[0.49, 100]], [[0.47, 10]]); // ask AT the limit: nothing
    expect(trader.onBook('mk-yes', T0 + 1)).toEqual([]);
    setLevels(yes, [[0.48, 30], [0.5, 100]], [[0.47, 10]]); // 30 offered below 0.49
    const f = trader.onBook('mk-yes', T0 + 2);
    expect(f.map((x) => [x.price, x.size, x.feeMicros])).toEqual([[4900, 30, 0]]);
    setLevels(yes, [[0.45, 500]], [[0.44, 10]]);
    expect(trader.onBook('mk-yes', T0 + 3).map((x) => x.size)).toEqual([20]);
    expect(trader.broker.resting.size).toBe(0);
    expect(one<{ status: string }>(db, 'SELECT status FROM orders').status).toBe('filled');
    expect(trader.broker.cashMicros).toBe(10_000_000_000 - 24_500_000);
  });

  it('SELL books realised P&L against average cost; selling what we do not hold is refused (no shorting)', () => {
    const { trader, db } = setup();
    trader.submit({ tokenId: 'mk-yes', side: 'BUY', type: 'limit', tif: 'IOC', limit: 5000, size: 100, reason: 'buy' }, T0);
    const s = trader.submit({ tokenId: 'mk-yes', side: 'SELL', type: 'market', size: 60, reason: 'sell' }, T0 + 1);
    expect(s.fills.map((f) => [f.price, f.size])).toEqual([[4800, 60]]);
    const pos = trader.broker.positions.get('mk-yes')!;
    expect(pos.shares).toBe(40);
    expect(pos.costMicros).toBe(20_000_000);
    // 60 × (0.48 − 0.50) = −1.20
    expect(pos.realizedMicros).toBe(-1_200_000);
    const short = trader.submit({ tokenId: 'mk-yes', side: 'SELL', type: 'market', size: 41, reason: 'too many' }, T0 + 2);
    expect(short.ok).toBe(false);
    expect(short.gate).toBe('no-short');
    const never = trader.submit({ tokenId: 'mk-no', side: 'SELL', type: 'market', size: 10, reason: 'short NO' }, T0 + 3);
    expect(never.gate).toBe('no-short');
    expect(one<{ n: number }>(db, "SELECT COUNT(*) AS n FROM orders WHERE status = 'refused' AND reason LIKE 'no-short:%'").n).toBe(2);
    // cash = initial + realised − fees − open cost basis, to the micro-dollar
    const b = trader.broker;
    expect(b.cashMicros).toBe(10_000_000_000 + b.realizedMicros - b.feesMicros - pos.costMicros);
  });

  it('marks at the executable bid: unrealised P&L = shares × bid − cost', () => {
    const { trader } = setup();
    trader.submit({ tokenId: 'mk-yes', side: 'BUY', type: 'limit', tif: 'IOC', limit: 5000, size: 100, reason: 'buy' }, T0);
    const s = trader.summary();
    expect(s.unrealized).toBe(-2); // 100 × (0.48 − 0.50)
    expect(s.equity).toBeCloseTo(10_000 - 1.75 - 2, 6);
    expect(s.fees).toBe(1.75);
    expect(s.open).toBe(1);
    expect(s.orders).toBe(1);
    expect(s.fills).toBe(1);
    const pane = trader.portfolioPane();
    expect(pane.positions[0]).toMatchObject({ tokenId: 'mk-yes', question: 'Question mk?', outcome: 'Yes', shares: 100, avgCost: 0.5, mark: 0.48, unrealized: -2 });
    expect(pane.lastFill).toBe('BUY 100 Yes @ 0.5000 (taker, fee $1.75) — buy');
    expect(pane.breaker).toMatchObject({ state: 'ARMED', resumePending: false });
    expect(pane.rows.map((r) => r.label)).toEqual(['paper', 'cash', 'equity', 'realised', 'unrealised', 'fees paid', 'open', 'breaker']);
  });

  it('fillJson is one JSON line with the outcome label, question, price and fee in dollars', () => {
    const { trader } = setup();
    const r = trader.submit({ tokenId: 'mk-yes', side: 'BUY', type: 'market', size: 100, reason: 'why' }, T0);
    const line = JSON.parse(trader.fillJson(r.fills[0]!));
    expect(line).toEqual({ type: 'fill', ts: T0, tokenId: 'mk-yes', marketId: 'mk', outcome: 'Yes', question: 'Question mk?', side: 'BUY', price: 0.5, size: 100, fee: 1.75, liquidity: 'taker', orderId: r.orderIds[0], reason: 'why' });
  });
});

describe('arbitrage basket: all legs within the slippage ceiling, or none', () => {
  function opp(legs: [string, number, number][], size: number, edge = 0.04): ArbOpportunity {
    return {
      id: 'b1',
      kind: 'binary',
      relation: 'buy-both',
      marketIds: ['mk'],
      eventIds: ['e-mk'],
      legs: legs.map(([tokenId, price, sz]) => ({ marketId: 'mk', tokenId, side: 'BUY', outcome: tokenId.endsWith('yes') ? 'YES' : 'NO', price, vwap: price, size: sz, fee: 0 })),
      edge,
      topEdge: edge,
      size,
      capital: size,
      profit: edge * size,
      confidence: 1,
      paperGrade: false,
      autoTradable: true,
      reason: 'test',
      seenAt: T0,
      firstSeen: T0,
      cycles: 1,
    };
  }

  function arbSetup() {
    const m = market({ id: 'ab' });
    const yes = book([[0.48, 100], [0.5, 100]], [[0.46, 100]]);
    const no = book([[0.46, 40], [0.49, 100]], [[0.44, 100]]);
    const h = harness([m], { 'ab-yes': yes, 'ab-no': no }, { ...WIDE, maxDepthShare: 1 });
    return { ...h, yes, no };
  }

  it('both legs fill inside their ceilings, sized to the thinnest leg → one transaction, equal sets', () => {
    const { trader, db } = arbSetup();
    // The scanner saw 60 sets; NO has only 40 inside its ceiling 0.47: 40 sets on both legs.
    const o = opp([['ab-yes', 4800, 60], ['ab-no', 4600, 60]], 60, 0.06);
    o.legs.forEach((l) => (l.marketId = 'ab'));
    const r = trader.execute(o, T0);
    expect(r.ok).toBe(true);
    expect(r.fills.map((f) => [f.tokenId, f.price, f.size])).toEqual([
      ['ab-yes', 4800, 40],
      ['ab-no', 4600, 40],
    ]);
    expect(rows<{ basket_id: string }>(db, 'SELECT basket_id FROM orders').map((x) => x.basket_id)).toEqual(['arb:b1', 'arb:b1']);
    expect(r.kellyExplain).toContain('basket buy-both');
    expect(r.kellyExplain).toContain('bound by depth NO 100%');
  });

  it('one leg moved past its slippage ceiling → nothing fills, the refusal is recorded', () => {
    const { trader, db, no } = arbSetup();
    setLevels(no, [[0.49, 100]], [[0.44, 100]]); // NO's best ask is now 0.49 > ceiling 0.46 + 0.01
    const o = opp([['ab-yes', 4800, 40], ['ab-no', 4600, 40]], 40, 0.06);
    o.legs.forEach((l) => (l.marketId = 'ab'));
    const r = trader.execute(o, T0);
    expect(r.ok).toBe(false);
    expect(r.gate).toBe('slippage');
    expect(one<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM fills').n).toBe(0);
    expect(trader.broker.positions.size).toBe(0);
    expect(one<{ reason: string }>(db, "SELECT reason FROM orders WHERE status = 'refused'").reason).toMatch(/^slippage: leg NO: 0\.00 shares within ceiling 0\.4700/);
  });

  it('a bundle whose edge is gone at the fill prices is refused', () => {
    const { trader, yes } = arbSetup();
    setLevels(yes, [[0.54, 100]], [[0.46, 100]]); // YES moved up: 0.54 + 0.46 = 1.00
    const o = opp([['ab-yes', 4800, 40], ['ab-no', 4600, 40]], 40, 0.06);
    o.legs.forEach((l) => (l.marketId = 'ab'));
    o.legs[0]!.price = 5400; // the scanner's limit moved too: within the ceiling, but no edge
    const r = trader.execute(o, T0);
    expect(r.gate).toBe('min-edge');
  });

  it('split and sell: $1 mints a YES+NO set, both sell at the bids 0.56 + 0.50 → +$0.06 a set, positions flat, ledgers balance', () => {
    const m = market({ id: 'sp' });
    const yes = book([[0.6, 100]], [[0.56, 100]]);
    const no = book([[0.55, 100]], [[0.5, 100]]);
    const { trader, db } = harness([m], { 'sp-yes': yes, 'sp-no': no }, { ...WIDE, maxDepthShare: 1 });
    const o = opp([['sp-yes', 5600, 40], ['sp-no', 5000, 40]], 40, 0.06);
    o.relation = 'split-sell';
    o.legs.forEach((l) => ((l.marketId = 'sp'), (l.side = 'SELL')));
    const r = trader.execute(o, T0);
    expect(r.ok, r.reason).toBe(true);
    expect(r.fills.map((f) => [f.tokenId, f.side, f.price, f.size, f.liquidity])).toEqual([
      ['sp-yes', 'BUY', 5000, 40, 'split'],
      ['sp-no', 'BUY', 5000, 40, 'split'],
      ['sp-yes', 'SELL', 5600, 40, 'taker'],
      ['sp-no', 'SELL', 5000, 40, 'taker'],
    ]);
    expect(r.fills.filter((f) => f.liquidity === 'split').every((f) => f.feeMicros === 0)).toBe(true);
    expect([...trader.broker.positions.values()].every((p) => Math.abs(p.shares) < 1e-9)).toBe(true);
    // (0.56 + 0.50 − 1) × 40 = $2.40 (this market charges no fee).
    expect(trader.summary().realized).toBeCloseTo(2.4, 6);
    expect(trader.summary().cash).toBeCloseTo(10_002.4, 6);
    const inv = ledgerInvariants(db);
    expect(inv.last).toBe(inv.sum);
    expect(inv.mismatched).toBe(0);
  });

  it('a basket that sells tokens of two different markets we do not hold is refused (no shorting)', () => {
    const { trader } = arbSetup();
    const o = opp([['ab-yes', 4600, 40], ['ab-no', 4400, 40]], 40, 0.02);
    o.relation = 'temporal';
    o.legs.forEach((l) => (l.side = 'SELL'));
    o.legs[0]!.marketId = 'ab';
    o.legs[1]!.marketId = 'other';
    const r = trader.execute(o, T0);
    expect(r.gate).toBe('no-short');
  });
});
