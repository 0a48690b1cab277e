import { describe, expect, it } from 'vitest';
import { BatchPlanner } from '../../src/scan/planner.js';

const MIN = 60_000;

describe('BatchPlanner', () => {
  it('defaults to 150 markets every 300 s; the first batch is due at once', () => {
    const p = new BatchPlanner();
    expect(p.state()).toMatchObject({ mode: 'ok', stopReason: 'ok', batchSize: 150, intervalMs: 300_000, line: 'scan 150/300s ok' });
    expect(p.nextBatch(0, 1, 1000)).toEqual({ run: true, offset: 0, size: 150, stopReason: 'ok', nextDueAt: 300_000, intervalMs: 300_000 });
  });

  it('clamps the batch size to 50–300 and steps it by 50 (+/-); the interval doubles/halves ([/]) within 10 s–1 h', () => {
    const p = new BatchPlanner();
    expect(p.setBatchSize(10)).toBe(50);
    expect(p.setBatchSize(1000)).toBe(300);
    expect(p.stepBatchSize(-1)).toBe(250);
    expect(p.stepBatchSize(1)).toBe(300);
    expect(p.stepBatchSize(1)).toBe(300);
    expect(p.setInterval(1)).toBe(10_000);
    expect(p.stepInterval(1)).toBe(20_000);
    expect(p.stepInterval(-1)).toBe(10_000);
    // ] and [ return to every value they passed through, including the clamped top.
    const q = new BatchPlanner({ intervalMs: 300_000 });
    const up = [1, 2, 3, 4, 5].map(() => q.stepInterval(1));
    expect(up).toEqual([600_000, 1_200_000, 2_400_000, 3_600_000, 3_600_000]);
    const down = [1, 2, 3, 4].map(() => q.stepInterval(-1));
    expect(down).toEqual([2_400_000, 1_200_000, 600_000, 300_000]);
    const odd = new BatchPlanner({ intervalMs: 45_000 });
    expect(odd.stepInterval(1)).toBe(75_000);
    expect(odd.stepInterval(-1)).toBe(45_000);
    expect(p.setInterval(10 * 3_600_000)).toBe(3_600_000);
  });

  it('is not due before the interval; the cursor walks the catalog and wraps (150 + 150 + 150 of 400 → offsets 0, 150, 300)', () => {
    const p = new BatchPlanner();
    expect(p.nextBatch(0, 1, 400).offset).toBe(0);
    expect(p.nextBatch(299_999, 1, 400).run).toBe(false);
    expect(p.nextBatch(300_000, 1, 400)).toMatchObject({ run: true, offset: 150, size: 150 });
    expect(p.nextBatch(600_000, 1, 400)).toMatchObject({ run: true, offset: 300, size: 150 });
    expect(p.state().cursor).toBe(50);
    expect(p.state().batches).toBe(3);
  });

  it('budget 0.19 left (< 0.2): stop with rate_limit_risk, halve 150 → 75, double 300 s → 600 s; restore after 5 min', () => {
    const p = new BatchPlanner();
    p.nextBatch(0, 1, 10_000);
    const stop = p.nextBatch(300_000, 0.19, 10_000);
    expect(stop).toMatchObject({ run: false, stopReason: 'rate_limit_risk', intervalMs: 600_000, nextDueAt: 900_000 });
    expect(p.state()).toMatchObject({ mode: 'backoff', batchSize: 75, intervalMs: 600_000, resumeAt: 600_000, line: 'scan 75/600s backoff to 00:10:00' });
    // Budget back but the 5 minutes not over: still backing off.
    expect(p.nextBatch(300_000 + 4 * MIN, 0.9, 10_000)).toMatchObject({ run: false, stopReason: 'rate_limit_risk' });
    // 5 minutes later: restored, and the next batch keeps the operator's 300 s cadence.
    expect(p.nextBatch(600_000, 0.9, 10_000)).toMatchObject({ run: true, size: 150, stopReason: 'ok', intervalMs: 300_000 });
    expect(p.state()).toMatchObject({ mode: 'ok', batchSize: 150, intervalMs: 300_000, resumeAt: undefined });
  });

  it('while the budget stays low the backoff is extended and nothing is fetched', () => {
    const p = new BatchPlanner({ intervalMs: 60_000 });
    p.nextBatch(0, 0.1, 1000);
    expect(p.nextBatch(5 * MIN, 0.1, 1000)).toMatchObject({ run: false, stopReason: 'rate_limit_risk' });
    expect(p.state().resumeAt).toBe(10 * MIN);
    expect(p.nextBatch(10 * MIN, 0.5, 1000)).toMatchObject({ run: true, stopReason: 'ok', size: 150 });
  });

  it('with a 60 s interval, a backoff runs halved batches every 120 s until the 5 minutes are over', () => {
    const p = new BatchPlanner({ intervalMs: 60_000 });
    p.nextBatch(0, 1, 1000);
    p.nextBatch(MIN, 0.1, 1000);
    expect(p.nextBatch(3 * MIN, 0.5, 1000)).toMatchObject({ run: true, size: 75, stopReason: 'rate_limit_risk', intervalMs: 120_000 });
    expect(p.nextBatch(6 * MIN, 0.5, 1000)).toMatchObject({ run: true, size: 150, stopReason: 'ok', intervalMs: 60_000 });
  });

  it('checkpoint round-trips (cursor, settings, backoff) and a bad checkpoint is an error value', () => {
    const p = new BatchPlanner({ batchSize: 200, intervalMs: 120_000 });
    p.nextBatch(0, 1, 1000);
    p.nextBatch(120_000, 0.05, 1000);
    const cp = JSON.parse(JSON.stringify(p.toCheckpoint()));
    const r = BatchPlanner.fromCheckpoint(cp);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.planner.state()).toEqual(p.state());
    expect(BatchPlanner.fromCheckpoint({ ...cp, baseBatchSize: 1000 })).toMatchObject({ ok: false });
    expect(BatchPlanner.fromCheckpoint({ ...cp, v: 2 })).toMatchObject({ ok: false });
    expect(BatchPlanner.fromCheckpoint('garbage')).toMatchObject({ ok: false });
  });
});
