// Circuit breaker: drawdown from peak, a run of losing settlements, the kill
// switch, the two-step resume, and its state persisted as 'breaker'.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/paper/breaker.js';
import { DEFAULT_PAPER_CONFIG } from '../../src/paper/config.js';
import { harness, book, market, setLevels, one, T0 } from './helpers.js';
import type { MarketResolvedEvent } from '../../src/protocol/events.js';

const resolved = (id: string, winner: 'yes' | 'no'): MarketResolvedEvent => ({ type: 'market_resolved', id, market: `0xcond${id}`, assetIds: [`${id}-yes`, `${id}-no`], winningAssetId: `${id}-${winner}`, winningOutcome: winner, ts: T0 });

describe('circuit breaker (unit)', () => {
  it('drawdown 15% of a $10,000 peak trips at $8,500, not at $8,500.01', () => {
    const b = new CircuitBreaker(DEFAULT_PAPER_CONFIG, 10_000_000_000, T0);
    expect(b.observe(8_500_010_000, T0)).toBeUndefined();
    expect(b.status).toBe('ARMED');
    expect(b.observe(8_500_000_000, T0 + 1)).toMatch(/^drawdown 15\.0% ≥ 15\.0% of peak \$10000\.00/);
    expect(b.status).toBe('HALTED');
  });

  it('the peak follows equity up: 10,000 → 12,000, then 10,200 is a 15% drawdown', () => {
    const b = new CircuitBreaker(DEFAULT_PAPER_CONFIG, 10_000_000_000, T0);
    b.observe(12_000_000_000, T0);
    expect(b.observe(10_200_000_000, T0)).toBeDefined();
  });

  it('5 losing settlements in a row trip it; a win in between resets the run', () => {
    const b = new CircuitBreaker(DEFAULT_PAPER_CONFIG, 1, T0);
    for (let i = 0; i < 4; i++) expect(b.recordSettlement(-1, T0)).toBeUndefined();
    b.recordSettlement(+1, T0);
    expect(b.consecutiveLosses).toBe(0);
    for (let i = 0; i < 4; i++) b.recordSettlement(-1, T0);
    expect(b.recordSettlement(-1, T0)).toBe('5 losing settlements in a row');
    expect(b.status).toBe('HALTED');
  });

  it('two-step resume: confirm alone fails; request then confirm inside 30 s re-arms; late confirm expires', () => {
    const b = new CircuitBreaker(DEFAULT_PAPER_CONFIG, 10_000_000_000, T0);
    expect(b.requestResume(T0)).toEqual({ ok: false, reason: 'not halted' });
    b.halt('x pressed', T0);
    expect(b.confirmResume(T0, 1)).toEqual({ ok: false, reason: 'requestResume() first' });
    expect(b.requestResume(T0).ok).toBe(true);
    expect(b.status).toBe('RESUME-REQUESTED');
    expect(b.halted).toBe(true);
    expect(b.confirmResume(T0 + 30_001, 1)).toEqual({ ok: false, reason: 'resume request expired; request again' });
    expect(b.status).toBe('HALTED');
    b.requestResume(T0 + 40_000);
    expect(b.confirmResume(T0 + 45_000, 9_000_000_000)).toEqual({ ok: true, reason: 'resumed' });
    expect(b.status).toBe('ARMED');
    // The peak restarted at the equity of the resume: no immediate re-trip.
    expect(b.observe(9_000_000_000, T0 + 46_000)).toBeUndefined();
  });

  it('is a Checkpointable named "breaker" kept forever; invalid data is refused', () => {
    const b = new CircuitBreaker(DEFAULT_PAPER_CONFIG, 5, T0);
    expect(b.name).toBe('breaker');
    expect(b.toleranceMs).toBe(Infinity);
    b.halt('why', T0);
    const c = new CircuitBreaker(DEFAULT_PAPER_CONFIG);
    expect(c.fromCheckpoint(JSON.parse(JSON.stringify(b.toCheckpoint())))).toBe(true);
    expect(c.status).toBe('HALTED');
    expect(c.reason).toBe('why');
    expect(c.fromCheckpoint({ state: 'NOPE' })).toBe(false);
  });
});

describe('circuit breaker in the trader', () => {
  function setup(cfg = {}) {
    const ms = ['b1', 'b2', 'b3', 'b4'].map((id) => market({ id }));
    const books = Object.fromEntries(ms.flatMap((m) => m.tokenIds.map((t) => [t, book([[0.5, 1_000]], [[0.49, 1_000]])])));
    return harness(ms, books, { stopLossPct: 0, ...cfg });
  }

  it('drawdown ≥ X% of peak → HALTED: resting orders canceled, no new orders, state persisted', () => {
    const h = setup({ maxDrawdownPct: 0.01 });
    h.trader.submit({ tokenId: 'b1-yes', side: 'BUY', type: 'market', size: 400, reason: 'x' }, T0); // $200
    h.trader.submit({ tokenId: 'b2-yes', side: 'BUY', type: 'limit', limit: 4000, size: 10, reason: 'rest' }, T0);
    expect(h.trader.broker.resting.size).toBe(1);
    setLevels(h.books.get('b1-yes')!, [[0.22, 100]], [[0.2, 100]]); // 400 × 0.20 = $80: equity ≈ $9,880 (−1.2%)
    h.trader.cycle(T0 + 1);
    expect(h.trader.breaker.status).toBe('HALTED');
    expect(h.trader.broker.resting.size).toBe(0);
    expect(one<{ status: string }>(h.db, "SELECT status FROM orders WHERE type = 'limit-GTC'").status).toBe('canceled');
    expect(h.trader.submit({ tokenId: 'b3-yes', side: 'BUY', type: 'market', size: 10, reason: 'x' }, T0 + 2).gate).toBe('breaker');
    const saved = JSON.parse(one<{ json: string }>(h.db, "SELECT json FROM tracker_state WHERE name = 'breaker'").json);
    expect(saved).toMatchObject({ state: 'HALTED', reason: expect.stringMatching(/^drawdown/) });
    expect(h.trader.summary().breaker).toBe('HALTED');
  });

  it('N consecutive losing settlements → HALTED', () => {
    const h = setup({ maxConsecutiveLosses: 3 });
    for (const id of ['b1', 'b2', 'b3']) h.trader.submit({ tokenId: `${id}-yes`, side: 'BUY', type: 'market', size: 10, reason: 'x' }, T0);
    h.trader.onResolved(resolved('b1', 'no'), T0 + 1);
    h.trader.onResolved(resolved('b2', 'no'), T0 + 2);
    expect(h.trader.breaker.status).toBe('ARMED');
    h.trader.onResolved(resolved('b3', 'no'), T0 + 3);
    expect(h.trader.breaker.status).toBe('HALTED');
    expect(h.trader.breaker.reason).toBe('3 losing settlements in a row');
  });

  it('halt(reason) at once (the x key); exits still work; two-step resume re-arms and is persisted', () => {
    const h = setup({ cooldownMs: 0 });
    h.trader.submit({ tokenId: 'b1-yes', side: 'BUY', type: 'market', size: 10, reason: 'x' }, T0);
    h.trader.halt('operator kill switch', T0 + 1);
    expect(h.trader.breakerView()).toMatchObject({ state: 'HALTED', reason: 'operator kill switch' });
    expect(h.trader.submit({ tokenId: 'b1-yes', side: 'BUY', type: 'market', size: 10, reason: 'x' }, T0 + 2).gate).toBe('breaker');
    expect(h.trader.close('b1-yes', T0 + 3).ok).toBe(true);
    expect(h.trader.confirmResume(T0 + 4).ok).toBe(false);
    expect(h.trader.requestResume(T0 + 5).ok).toBe(true);
    expect(JSON.parse(one<{ json: string }>(h.db, "SELECT json FROM tracker_state WHERE name = 'breaker'").json).state).toBe('RESUME-REQUESTED');
    expect(h.trader.submit({ tokenId: 'b2-yes', side: 'BUY', type: 'market', size: 10, reason: 'x' }, T0 + 6).gate).toBe('breaker');
    expect(h.trader.confirmResume(T0 + 7).ok).toBe(true);
    expect(JSON.parse(one<{ json: string }>(h.db, "SELECT json FROM tracker_state WHERE name = 'breaker'").json).state).toBe('ARMED');
    expect(h.trader.submit({ tokenId: 'b2-yes', side: 'BUY', type: 'market', size: 10, reason: 'x' }, T0 + 8).ok).toBe(true);
  });
});
