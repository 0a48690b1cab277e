// Entries use only what was visible then: the price a lead before the decision,
// never the settlement price, never a stale quote (quant-anchors §5 traps).
import { describe, expect, it } from 'vitest';
import { candidateFor, entryTime, leadFor, pointAt } from '../../src/backtest/entry.js';
import { evaluate } from '../../src/backtest/evaluate.js';
import type { Candidate } from '../../src/backtest/types.js';
import { DAY, HOUR, T0, flat, market, strategy } from './helpers.js';

const opts = (leadMs = 24 * HOUR) => ({ leadMs, halfSpread: 0.01, toleranceMs: 6 * HOUR });
const MIN = 60_000;

describe('a market decided 10 minutes before its end', () => {
  // YES trades at 0.50 until the outcome is known at end − 10 min, then at 0.999;
  // the oracle settles (closedTime) two minutes after the decision.
  const end = T0 + 10 * DAY;
  const decided = end - 10 * MIN;
  const points: [number, number][] = [];
  for (let t = end - 3 * DAY; t < decided; t += 5 * MIN) points.push([t, 0.5]);
  for (let t = decided; t < end; t += MIN) points.push([t, 0.999]);
  const m = market({ id: 'decided', endMs: end, closedMs: decided + 2 * MIN, winner: 0, points });
  const buyYes = strategy({ outcome: 'YES', priceBand: [0.4, 0.6], hours: [0.05, 48] });

  it.each([
    ['24h', 24 * HOUR],
    ['1h', HOUR],
    ['5m', 5 * MIN],
  ])('lead %s: enters before the decision at the pre-decision price 0.50 (+0.01 spread), never at 0.999', (_, lead) => {
    const c = candidateFor(m, 0, buyYes, opts(lead)) as Candidate;
    expect(typeof c).toBe('object');
    expect(c.entryMs).toBe(m.closedMs - lead);
    expect(c.entryMs).toBeLessThan(decided);
    expect(c.mid).toBe(0.5);
    expect(c.ask).toBe(0.51);
    expect(c.win).toBe(1);
  });

  it('T = min(closedTime, endDate) − lead: closedTime when the market closed early', () => {
    expect(entryTime(m, HOUR)).toBe(decided + 2 * MIN - HOUR);
    const late = market({ id: 'late', endMs: end, closedMs: end + 2 * HOUR, winner: 0, points });
    expect(entryTime(late, HOUR)).toBe(end - HOUR);
  });
});

describe('the settlement price is never the entry', () => {
  const end = T0 + 10 * DAY;
  it('a market whose only price near the entry time is the settlement is skipped', () => {
    // One quote 40 h before the end, then nothing until the 1/0 settlement at closedTime.
    const m = market({ id: 's1', endMs: end, winner: 1, points: [[end - 40 * HOUR, 0.05]] });
    expect(candidateFor(m, 0, strategy(), opts())).toBe('no price near entry');
  });
  it('pointAt ignores every point at or after closedTime, even when asked for a later time', () => {
    const m = market({ id: 's2', endMs: end, winner: 1, points: flat(end - DAY, end, 0.05) });
    const i = pointAt(m, m.closedMs + 10 * DAY, 365 * DAY);
    expect(i).toBe(m.t.length - 2);
    expect(m.t[i]! * 1000).toBeLessThan(m.closedMs);
    expect(m.p[m.t.length - 1]).toBe(0); // the settlement point exists, unused
  });
  it('a quote older than min(6 h, lead/2) is stale: skipped, not carried forward', () => {
    const m = market({ id: 's3', endMs: end, winner: 1, points: [[end - 24 * HOUR - 7 * HOUR, 0.05]] });
    expect(candidateFor(m, 0, strategy(), opts())).toBe('no price near entry');
    const fresh = market({ id: 's4', endMs: end, winner: 1, points: [[end - 24 * HOUR - 5 * HOUR, 0.05]] });
    expect(typeof candidateFor(fresh, 0, strategy(), opts())).toBe('object');
    // With a 2 h lead the tolerance is 1 h.
    const lead2 = market({ id: 's5', endMs: end, winner: 1, points: [[end - 2 * HOUR - 90 * MIN, 0.05]] });
    expect(candidateFor(lead2, 0, strategy(), opts(2 * HOUR))).toBe('no price near entry');
  });
  it('evaluate over markets decided at the end never reports a mid of 0 or 1', () => {
    const ms = Array.from({ length: 40 }, (_, i) => market({ id: `e${i}`, endMs: end + i * DAY, winner: (i % 2) as 0 | 1, points: flat(end + i * DAY - 3 * DAY, end + i * DAY, 0.06) }));
    const r = evaluate(ms, strategy());
    expect(r.n).toBe(40);
    for (const t of r.trades) {
      expect(t.mid).toBeCloseTo(0.94, 10);
      expect(t.entryMs).toBeLessThan(ms.find((m) => m.id === t.marketId)!.closedMs - 23 * HOUR);
    }
  });
});

describe('executable price and entry rules', () => {
  const end = T0 + 10 * DAY;
  it('NO at mid 0.93 → ask 0.94, fee 0.05·0.94·0.06 = 0.00282, c = 0.94282', () => {
    const m = market({ id: 'f', endMs: end, winner: 1, points: flat(end - 2 * DAY, end, 0.07) });
    const c = candidateFor(m, 0, strategy(), opts()) as Candidate;
    expect(c.mid).toBeCloseTo(0.93, 12);
    expect(c.ask).toBe(0.94);
    expect(c.fee).toBeCloseTo(0.00282, 12);
    expect(c.cost).toBeCloseTo(0.94282, 12);
  });
  it('the band bounds the ask, not the mid', () => {
    const m = market({ id: 'b', endMs: end, winner: 1, points: flat(end - 2 * DAY, end, 0.015) }); // NO mid 0.985 → ask 0.995
    expect(candidateFor(m, 0, strategy(), opts())).toBe('out of price band');
  });
  it('the lead is clamped into the strategy hours band (a 1 h window strategy enters 1 h out)', () => {
    const s = strategy({ hours: [0.05, 1] });
    expect(leadFor(s, 24 * HOUR)).toBe(HOUR);
    expect(leadFor(strategy({ hours: [48, 100] }), 24 * HOUR)).toBe(48 * HOUR);
  });
  it('hours to end are measured to endDate: a market closed 20 days early is out of a 72 h band', () => {
    const m = market({ id: 'early', endMs: end, closedMs: end - 20 * DAY, winner: 0, points: flat(end - 25 * DAY, end - 20 * DAY, 0.05) });
    expect(candidateFor(m, 0, strategy(), opts())).toBe('hours to end');
    expect(typeof candidateFor(m, 0, strategy({ hours: [1, 1000] }), opts())).toBe('object');
  });
  it('UTC-hour and question-pattern rules apply at the entry time', () => {
    const m = market({ id: 'u', endMs: Date.UTC(2026, 0, 10, 20), winner: 1, points: flat(Date.UTC(2026, 0, 7), Date.UTC(2026, 0, 10, 20), 0.07) });
    // T = 20:00 UTC − 24 h = 20:00 UTC.
    expect(typeof candidateFor(m, 0, strategy({ utcHours: [13, 21] }), opts())).toBe('object');
    expect(candidateFor(m, 0, strategy({ utcHours: [8, 13] }), opts())).toBe('utc hour');
    expect(candidateFor(m, 0, strategy({ pattern: '\\bsnow\\b' }), opts())).toBe('pattern');
  });
});
