// Settlement at resolution: market_resolved, or Gamma closed at 1/0; voided
// (0/0) markets stay open and are flagged. The crash test's invariants hold.
import { describe, expect, it } from 'vitest';
import { harness, book, market, ledgerInvariants, one, rows, T0 } from './helpers.js';
import type { MarketResolvedEvent } from '../../src/protocol/events.js';

const resolved = (id: string, winner: 'yes' | 'no'): MarketResolvedEvent => ({ type: 'market_resolved', id, market: `0xcond${id}`, assetIds: [`${id}-yes`, `${id}-no`], winningAssetId: `${id}-${winner}`, winningOutcome: winner, ts: T0 });

function setup() {
  const ms = ['s1', 's2', 's3'].map((id) => market({ id }));
  const books = Object.fromEntries(ms.flatMap((m) => m.tokenIds.map((t) => [t, book([[0.4, 1_000]], [[0.39, 1_000]])])));
  return harness(ms, books, { cooldownMs: 0 });
}

describe('settlement', () => {
  it('winner settles at 1: 100 YES bought at 0.40 pay $100, realised +$60, recorded in settlements and the ledger', () => {
    const h = setup();
    h.trader.submit({ tokenId: 's1-yes', side: 'BUY', type: 'market', size: 100, reason: 'x' }, T0);
    const s = h.trader.onResolved(resolved('s1', 'yes'), T0 + 1);
    expect(s).toEqual([{ tokenId: 's1-yes', shares: 100, payoutMicros: 100_000_000, realizedMicros: 60_000_000 }]);
    expect(one(h.db, 'SELECT market_id, token_id, shares, payout_micros, realized_micros FROM settlements')).toEqual({ market_id: 's1', token_id: 's1-yes', shares: 100, payout_micros: 100_000_000, realized_micros: 60_000_000 });
    expect(one(h.db, "SELECT delta_micros, kind FROM cash_ledger WHERE kind = 'settlement'")).toEqual({ delta_micros: 100_000_000, kind: 'settlement' });
    // The positions row stays, at 0 shares, with its realised P&L.
    expect(one(h.db, "SELECT shares, cost_micros, realized_micros FROM positions WHERE token_id = 's1-yes'")).toEqual({ shares: 0, cost_micros: 0, realized_micros: 60_000_000 });
    expect(h.trader.broker.cashMicros).toBe(10_000_000_000 + 60_000_000);
    expect(h.trader.summary()).toMatchObject({ realized: 60, open: 0, cash: 10_060 });
  });

  it('loser settles at 0: 50 NO at 0.40 → payout $0, realised −$20', () => {
    const h = setup();
    h.trader.submit({ tokenId: 's2-no', side: 'BUY', type: 'market', size: 50, reason: 'x' }, T0);
    const s = h.trader.onResolved(resolved('s2', 'yes'), T0 + 1);
    expect(s).toEqual([{ tokenId: 's2-no', shares: 50, payoutMicros: 0, realizedMicros: -20_000_000 }]);
    expect(h.trader.broker.positions.get('s2-no')).toMatchObject({ shares: 0, costMicros: 0, realizedMicros: -20_000_000 });
    expect(h.trader.breaker.consecutiveLosses).toBe(1);
  });

  it('Gamma closed with outcomePrices 1/0 settles; a later market_resolved does not settle twice', () => {
    const h = setup();
    h.trader.submit({ tokenId: 's1-no', side: 'BUY', type: 'market', size: 10, reason: 'x' }, T0);
    h.trader.onCatalog([{ ...h.markets[0]!, closed: true, outcomePrices: [0, 10_000] }], T0 + 1);
    expect(rows(h.db, 'SELECT token_id, payout_micros FROM settlements')).toEqual([{ token_id: 's1-no', payout_micros: 10_000_000 }]);
    expect(h.trader.onResolved(resolved('s1', 'no'), T0 + 2)).toEqual([]);
    expect(one<{ n: number }>(h.db, 'SELECT COUNT(*) AS n FROM settlements').n).toBe(1);
  });

  it('voided / legacy ["0","0"]: not settled at 0 — left open and flagged', () => {
    const h = setup();
    h.trader.submit({ tokenId: 's3-yes', side: 'BUY', type: 'market', size: 10, reason: 'x' }, T0);
    h.trader.onCatalog([{ ...h.markets[2]!, closed: true, outcomePrices: [0, 0] }], T0 + 1);
    expect(one<{ n: number }>(h.db, 'SELECT COUNT(*) AS n FROM settlements').n).toBe(0);
    expect(h.trader.broker.positions.get('s3-yes')!.shares).toBe(10);
    expect(h.trader.flagged.get('s3')).toMatch(/voided or legacy/);
    expect(h.trader.portfolioPane().positions[0]!.flag).toMatch(/not settled, left open/);
  });

  it('resting orders on a resolved market are canceled; ledgers balance (crash test invariants)', () => {
    const h = setup();
    h.trader.submit({ tokenId: 's1-yes', side: 'BUY', type: 'market', size: 30, reason: 'x' }, T0);
    h.trader.submit({ tokenId: 's1-yes', side: 'SELL', type: 'market', size: 10, reason: 'x' }, T0);
    h.trader.submit({ tokenId: 's1-yes', side: 'BUY', type: 'limit', limit: 3000, size: 20, reason: 'rest' }, T0);
    h.trader.submit({ tokenId: 's2-yes', side: 'BUY', type: 'market', size: 25.5, reason: 'x' }, T0);
    h.trader.onResolved(resolved('s1', 'yes'), T0 + 1);
    h.trader.onResolved(resolved('s2', 'no'), T0 + 2);
    expect(h.trader.broker.resting.size).toBe(0);
    expect(h.trader.broker.reservedMicros()).toBe(0);
    const inv = ledgerInvariants(h.db);
    expect(inv.last).toBe(inv.sum);
    expect(inv.mismatched).toBe(0);
    const b = h.trader.broker;
    expect(b.cashMicros).toBe(10_000_000_000 + b.realizedMicros - b.feesMicros);
  });
});
