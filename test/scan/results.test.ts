import { describe, expect, it } from 'vitest';
import { categoryCounts, clusterRows, signalRows } from '../../src/scan/results.js';
import { BatchPlanner } from '../../src/scan/planner.js';
import { runScan, scan } from '../../src/scan/scan.js';
import { loadTemplates } from '../../src/sim/world.js';
import { simBatch } from './helpers.js';

describe('results for the panes', () => {
  const b = simBatch('panes-1');
  const r = scan(b.markets, { now: b.now, bookOf: b.bookOf });
  // The 2,000 markets asked for plus the simulator's real-shaped catalog on top.
  const total = 2000 + Math.round(2000 * loadTemplates().catalog!.share);

  it('cluster rows: category, count, summary, confidence — largest first, counts adding up to every market of the batch', () => {
    expect(b.markets).toHaveLength(total);
    const rows = clusterRows(r);
    expect(rows).toHaveLength(r.clusters.length);
    expect(rows.reduce((s, c) => s + c.count, 0)).toBe(total);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.count).toBeGreaterThanOrEqual(rows[i]!.count);
    for (const c of rows) {
      expect(c.confidence).toBeGreaterThan(0);
      expect(c.confidence).toBeLessThanOrEqual(1);
      expect(c.summary.length).toBeGreaterThan(0);
    }
    expect(clusterRows(r, 5)).toHaveLength(5);
  });

  it('signal rows: rank, tier, side, entry, edge after fees, claimed vs "unvalidated", gate, reasoning; review rows flagged', () => {
    const rows = signalRows(r);
    expect(rows.length).toBe(r.signals.length);
    expect(rows.map((x) => x.rank)).toEqual(rows.map((_, i) => i + 1));
    for (const s of rows) {
      expect(s.side).toMatch(/^BUY (Yes|No|Up|Down)$/);
      expect(s.validated).toBe('unvalidated');
      expect(s.tier).not.toBe('AUTO-TRADE');
      // Unvalidated: the claimed win rate is shown as a claim, never as an edge.
      expect(s.verdict).toBe('UNPROVEN');
      expect(s.edge).toBeUndefined();
    }
    const review = signalRows(r, { reviewOnly: true });
    expect(review.length).toBeLessThanOrEqual(10);
    expect(review.every((x) => x.inReview)).toBe(true);
    expect(categoryCounts(r).reduce((s, c) => s + c.count, 0)).toBe(total);
  });

  it('the planner\'s state feeds next_batch_plan: a low budget prints rate_limit_risk with batch 75', () => {
    const p = new BatchPlanner();
    p.nextBatch(b.now, 0.1, b.markets.length);
    const out = runScan(b.markets, { now: b.now, bookOf: b.bookOf, plan: p.state() });
    expect(out.next_batch_plan).toMatchObject({ stop_reason: 'rate_limit_risk', recommended_batch_size: 75 });
  });
});
