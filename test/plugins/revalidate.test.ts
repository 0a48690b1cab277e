// Rows scanned before the backtest finished are UNPROVEN; when the verdicts
// arrive every queued strategy row is re-tiered at once with the same
// arithmetic a fresh scan uses (so the console agrees with `scan --json`).
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../src/book/order-book.js';
import { scan } from '../../src/scan/scan.js';
import { revalidate } from '../../src/plugins/scan-loop.js';
import { Engine } from '../../src/engine.js';
import { openDatabase } from '../../src/persist/db.js';
import { App } from '../../src/app.js';
import { market } from '../scan/helpers.js';
import { wallMs } from '../../src/clock.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');

function book(token: string, asks: [number, number][]): (t: string) => OrderBook | undefined {
  const b = new OrderBook(token);
  b.replace([], asks.map(([price, size]) => ({ price, size })));
  b.state = 'fresh';
  return (t) => (t === token ? b : undefined);
}

describe('re-tiering when the verdicts arrive', () => {
  const failed = { n: 37, winRate: 0.9, winRateLower: 0.8, passed: false };
  const passed = { n: 600, winRate: 0.975, winRateLower: 0.96, passed: true };

  it('revalidate gives exactly what a scan with the verdict gives (tier, priority, edge, verdict, reasoning)', () => {
    for (const v of [failed, passed]) {
      const before = scan([market({ id: 'm1' })], { now: NOW, bookOf: book('m1-no', [[9300, 200]]) }).signals[0]!;
      const fresh = scan([market({ id: 'm1' })], { now: NOW, validation: { MUSK_FADE_EXTREMES: v }, bookOf: book('m1-no', [[9300, 200]]) }).signals[0]!;
      expect(before.verdict).toBe('UNPROVEN');
      const after = revalidate(before, v);
      for (const k of ['tier', 'priority', 'edge', 'verdict', 'reasoning', 'validatedEdge'] as const) expect(after[k], k).toEqual(fresh[k]);
    }
    // A gated signal keeps its gate's detail in the reasoning.
    const gated = scan([market({ id: 'm1' })], { now: NOW }).signals[0]!;
    const freshGated = scan([market({ id: 'm1' })], { now: NOW, validation: { MUSK_FADE_EXTREMES: failed } }).signals[0]!;
    expect(revalidate(gated, failed).reasoning).toBe(freshGated.reasoning);
  });

  it('setValidation re-tiers the queued rows at once, emits their lines and writes them', () => {
    const { db } = openDatabase(':memory:');
    const engine = new Engine({ kind: 'SIM', gammaUrl: 'http://127.0.0.1:1', clobUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' }, db, {}, () => wallMs(NOW));
    const lines: string[] = [];
    const app = new App(engine, { collector: false, emit: (l) => lines.push(l) });
    const s = scan([market({ id: 'm1' })], { now: NOW, bookOf: book('m1-no', [[9300, 200]]) }).signals[0]!;
    app.queue.upsert({ key: `strategy:${s.strategy}:m1`, kind: 'strategy', label: s.strategy, tier: s.tier, priority: s.priority, marketIds: ['m1'], tokenId: s.tokenId, question: s.question, side: 'BUY No', confidence: 0, gate: s.gate, reasoning: s.reasoning, verdict: s.verdict, autoTradable: false, seenAt: NOW, firstSeen: NOW, signal: s });
    expect(app.queue.get(`strategy:${s.strategy}:m1`)!.tier).toBe('WATCH');
    app.scan.setValidation({ MUSK_FADE_EXTREMES: failed });
    const it = app.queue.get(`strategy:${s.strategy}:m1`)!;
    expect(it).toMatchObject({ tier: 'IGNORE', verdict: 'REJECTED' });
    expect(it.edge).toBeUndefined();
    expect(it.p).toBeUndefined();
    const line = JSON.parse(lines.at(-1)!);
    expect(line).toMatchObject({ type: 'signal', tier: 'IGNORE', verdict: 'REJECTED', edge: null, size: 0 });
    const row = db.prepare('SELECT tier, edge, json FROM signals ORDER BY id DESC LIMIT 1').get() as { tier: string; edge: number | null; json: string };
    expect(row.tier).toBe('IGNORE');
    expect(row.edge).toBeNull();
    expect(JSON.parse(row.json).verdict).toBe('REJECTED');
    app.scan.setValidation({ MUSK_FADE_EXTREMES: passed });
    expect(app.queue.get(`strategy:${s.strategy}:m1`)).toMatchObject({ tier: 'AUTO-TRADE', verdict: 'VALIDATED', p: 0.96 });
  });
});
