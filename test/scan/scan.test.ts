import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../src/book/order-book.js';
import type { CatalogMarket } from '../../src/protocol/gamma.js';
import { isoSeconds, scanOutputSchema } from '../../src/scan/output.js';
import { runScan, scan, toScanOutput } from '../../src/scan/scan.js';
import { market, simBatch } from './helpers.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const HOUR = 3_600_000;

function book(token: string, asks: [number, number][], bids: [number, number][] = [], state: OrderBook['state'] = 'fresh'): OrderBook {
  const b = new OrderBook(token);
  b.replace(
    bids.map(([price, size]) => ({ price, size })),
    asks.map(([price, size]) => ({ price, size })),
  );
  b.state = state;
  return b;
}

const books = (list: OrderBook[]) => {
  const m = new Map(list.map((b) => [b.asset, b]));
  return (t: string) => m.get(t);
};

describe('Stage 2 pricing', () => {
  it('entry is the executable ask 0.9300 of the live NO book, not the catalog price 0.9400; fee 0.04·0.93·0.07 = 0.002604; unproven: no edge, claimed 0.971 only labelled', () => {
    const m = market({ id: 'm1' });
    const r = scan([m], { now: NOW, bookOf: books([book('m1-no', [[9500, 100], [9300, 200]], [[9100, 50]])]) });
    expect(r.signals).toHaveLength(1);
    const s = r.signals[0]!;
    expect(s.strategy).toBe('MUSK_FADE_EXTREMES');
    expect(s.outcome).toBe('NO');
    expect(s.entry).toBe(0.93);
    expect(s.askSize).toBe(200);
    expect(s.feePerShare).toBeCloseTo(0.002604, 12);
    expect(s.cost).toBeCloseTo(0.932604, 12);
    // The claimed 0.971 − 0.932604 is never an edge: without a backtest there is none.
    expect(s.edge).toBeUndefined();
    expect(s.verdict).toBe('UNPROVEN');
    expect(s.gate).toBe('ready');
    expect(s.validation).toBe('unvalidated');
    expect(s.priority).toBe(0.74);
    expect(s.tier).toBe('WATCH');
    expect(s.reasoning).toContain('c 0.9326');
    expect(s.reasoning).toContain('UNPROVEN: no backtest (claimed q 0.971)');
    expect(s.reasoning).toContain('no edge (UNPROVEN)');
    expect(s.reasoning).not.toContain('+0.0384');
  });

  it('no book → gated "no fresh book" with no entry price and priority 0; a stale book is gated too', () => {
    const m = market({ id: 'm1' });
    for (const bookOf of [undefined, books([book('m1-no', [[9300, 200]], [], 'stale')])]) {
      const s = scan([m], { now: NOW, ...(bookOf ? { bookOf } : {}) }).signals[0]!;
      expect(s.gate).toBe('no fresh book');
      expect(s.entry).toBeUndefined();
      expect(s.edge).toBeUndefined();
      expect(s.priority).toBe(0);
      expect(s.tier).toBe('IGNORE');
      expect(s.reasoning).toMatch(/^no fresh book/);
    }
  });

  it('a fresh ask of 0.995, outside the band [0.85, 0.99], is no signal (counted out of band)', () => {
    const r = scan([market({ id: 'm1' })], { now: NOW, bookOf: books([book('m1-no', [[9950, 100]])]) });
    expect(r.signals).toHaveLength(0);
    expect(r.outOfBand).toBe(1);
  });

  it('a validated strategy (Wilson LB 0.96, n = 600) at cost 0.9326 (edge 0.027) reaches AUTO-TRADE 0.96 and shows its stats', () => {
    const validation = { MUSK_FADE_EXTREMES: { n: 600, winRate: 0.975, winRateLower: 0.96, passed: true } };
    const s = scan([market({ id: 'm1' })], { now: NOW, validation, bookOf: books([book('m1-no', [[9300, 200]])]) }).signals[0]!;
    expect(s.validation).toEqual(validation.MUSK_FADE_EXTREMES);
    expect(s.validatedEdge).toBeCloseTo(0.96 - 0.932604, 12);
    expect(s.edge).toBeCloseTo(0.96 - 0.932604, 12);
    expect(s.verdict).toBe('VALIDATED');
    expect(s.priority).toBe(0.96);
    expect(s.tier).toBe('AUTO-TRADE');
    expect(s.reasoning).toContain('Wilson LB n=600 VALIDATED');
    expect(s.reasoning).toContain('edge LB-c +0.0274/sh');
  });

  it('a rejected strategy (backtest failed) has no edge whatever its claim, and says REJECTED', () => {
    const validation = { MUSK_FADE_EXTREMES: { n: 37, winRate: 0.9, winRateLower: 0.8, passed: false } };
    const s = scan([market({ id: 'm1' })], { now: NOW, validation, bookOf: books([book('m1-no', [[9300, 200]])]) }).signals[0]!;
    expect(s.verdict).toBe('REJECTED');
    expect(s.edge).toBeUndefined();
    expect(s.tier).toBe('IGNORE');
    expect(s.reasoning).toContain('REJECTED');
    expect(s.reasoning).toContain('no edge (REJECTED)');
  });

  it('time is passed in: a bucket ending in 200 h is outside MUSK_FADE_EXTREMES\'s 1–168 h until now moves 40 h on', () => {
    const m = market({ id: 'm1', endDate: NOW + 200 * HOUR });
    expect(scan([m], { now: NOW }).signals).toHaveLength(0);
    expect(scan([m], { now: NOW + 40 * HOUR }).signals).toHaveLength(1);
  });

  it('BTC_TIME_BIAS buys Up only between 13:00 and 21:00 UTC: at 14:00 yes, at 03:00 no', () => {
    const up = (now: number) =>
      market({ id: 'u1', question: 'Bitcoin Up or Down - November 21, 9:00AM-10:00AM ET', outcomes: ['Up', 'Down'], outcomePrices: [5000, 5000], endDate: now + 0.5 * HOUR, eventTitle: 'Bitcoin Up or Down' });
    const at14 = Date.parse('2026-11-21T14:00:00Z');
    const at03 = Date.parse('2026-11-21T03:00:00Z');
    const s = scan([up(at14)], { now: at14, bookOf: books([book('u1-yes', [[5100, 100]])]) }).signals;
    expect(s.map((x) => [x.strategy, x.outcomeLabel, x.entry])).toEqual([['BTC_TIME_BIAS', 'Up', 0.51]]);
    expect(scan([up(at03)], { now: at03, bookOf: books([book('u1-yes', [[5100, 100]])]) }).signals).toHaveLength(0);
  });
});

describe('review queue and output', () => {
  // 30 weekly Musk events × 3 longshot buckets.
  const many: CatalogMarket[] = [];
  for (let e = 0; e < 30; e++) {
    for (let k = 0; k < 3; k++) {
      many.push(market({ id: `e${e}b${k}`, eventId: `ev${e}`, question: `Will Elon Musk post ${300 + 20 * k}-${319 + 20 * k} tweets from Nov ${e + 1} to Dec ${e + 1}, 2026?`, eventTitle: `Elon Musk # of tweets week ${e}` }));
    }
  }
  const bookOf = books(many.map((m, i) => book(m.tokenIds[1]!, [[9000 + (i % 9) * 100, 100]])));

  it('at most 10 signals enter review, one per (cluster, strategy): 90 buckets over 30 events → 10 distinct pair ids', () => {
    const r = scan(many, { now: NOW, bookOf });
    expect(r.signals.length).toBeGreaterThanOrEqual(10);
    expect(r.review).toHaveLength(10);
    expect(new Set(r.review.map((s) => `${s.clusterId}|${s.strategy}`)).size).toBe(10);
    expect(r.review.map((s) => s.rank)).toEqual([...r.review.map((s) => s.rank)].sort((a, b) => a - b));
    const out = toScanOutput(r);
    expect(new Set(out.review_queue.map((x) => x.pair_id)).size).toBe(out.review_queue.length);
  });

  it('maxReview 3 queues 3; maxReview 20 still queues at most 10', () => {
    expect(scan(many, { now: NOW, bookOf, maxReview: 3 }).review).toHaveLength(3);
    expect(scan(many, { now: NOW, bookOf, maxReview: 20, candidatesPerCluster: 3 }).review).toHaveLength(10);
  });

  it('prints the compact batch shape: counts honest, timestamp from now, "+N more" adding up to the cluster size', () => {
    const r = scan(many, { now: NOW, bookOf });
    const out = runScan(many, { now: NOW, bookOf });
    expect(scanOutputSchema.safeParse(out).success).toBe(true);
    expect(Object.keys(out)).toEqual(['dedupe_summary', 'clusters', 'review_queue', 'next_batch_plan']);
    expect(out.dedupe_summary).toEqual({ input_items: 90, unique_items: 90, clusters: r.clusters.length });
    for (const c of out.clusters) {
      expect(c.timestamp_utc).toBe(isoSeconds(NOW));
      const full = r.clusters.find((x) => x.id === c.cluster_id)!;
      const last = c.supporting_ids[c.supporting_ids.length - 1]!;
      const more = /^\+(\d+) more$/.exec(last);
      expect(more ? c.supporting_ids.length - 1 + Number(more[1]) : c.supporting_ids.length).toBe(full.marketIds.length);
    }
    const deferred = out.next_batch_plan.what_to_include_next_pass.find((x) => x.startsWith('review_deferred:'));
    expect(out.review_queue.length + (deferred ? Number(deferred.split(':')[1]) : 0)).toBe(10);
    expect(out.review_queue[0]!.cache_key).toBe(`${out.review_queue[0]!.pair_id}|${out.review_queue[0]!.market_id}|v2`);
  });

  it('next_batch_plan carries the planner\'s rate_limit_risk and batch size 75', () => {
    const out = runScan(many, { now: NOW, bookOf, plan: { stopReason: 'rate_limit_risk', batchSize: 75 } });
    expect(out.next_batch_plan.stop_reason).toBe('rate_limit_risk');
    expect(out.next_batch_plan.recommended_batch_size).toBe(75);
    expect(out.next_batch_plan.dedupe_on).toEqual(['cache_key', 'market_id', 'question']);
  });

  it('stays ≤ 3,600 characters for a 10,000-market sim batch and for 500 markets with 400-character questions and 60-character ids', () => {
    const b = simBatch('budget-1', 10_000);
    const big = runScan(b.markets, { now: b.now, bookOf: b.bookOf });
    expect(scanOutputSchema.safeParse(big).success).toBe(true);
    expect(JSON.stringify(big).length).toBeLessThanOrEqual(3600);
    const long = Array.from({ length: 500 }, (_, i) =>
      market({ id: `${'x'.repeat(54)}${String(i).padStart(6, '0')}`, eventId: `ev${i}`, question: `Will Elon Musk post ${i}-${i + 19} tweets ${'very '.repeat(70)}soon?`, eventTitle: `Elon Musk # of tweets ${'long '.repeat(60)}${i}` }),
    );
    const lb = books(long.map((m) => book(m.tokenIds[1]!, [[9000, 100]])));
    const out = runScan(long, { now: NOW, bookOf: lb });
    expect(scanOutputSchema.safeParse(out).success).toBe(true);
    expect(JSON.stringify(out).length).toBeLessThanOrEqual(3600);
    expect(out.review_queue.length).toBeGreaterThan(0);
  });

  it('network text is sanitised: escapes in a question never reach canonical_summary, analysis_question or reasoning', () => {
    const evil = market({ id: 'x1', question: 'Will Elon Musk post \u001b]52;c;aGk=\u0007300-319 tweets \u001b[2J\u009b31m from Nov 20 to Nov 27?', eventTitle: 'Elon\u001b[31m Musk tweets\u202e' });
    const twin = market({ id: 'x2', question: 'Will Elon Musk post 320-339 tweets from Nov 20 to Nov 27?' });
    const out = runScan([evil, twin], { now: NOW, bookOf: books([book('x1-no', [[9300, 100]]), book('x2-no', [[9300, 100]])]) });
    const text = JSON.stringify(out);
    expect(text).not.toMatch(/\\u001b|\\u0007|\u009b|\u202e/);
    expect(out.review_queue.some((q) => q.market_id === 'x1')).toBe(true);
  });
});

describe('Stage 1 reduction', () => {
  it('keeps at most max(10, 10%) of the batch: 200 Musk buckets in 100 events → 20 candidates, each event\'s best bucket, cheapest NO first', () => {
    // Catalog NO price falls with i % 10 (0.95 … 0.86): the claimed edge q − c is largest for i % 10 = 9.
    const ms: CatalogMarket[] = Array.from({ length: 200 }, (_, i) =>
      market({ id: `m${i}`, eventId: `ev${i >> 1}`, question: `Will Elon Musk post ${i}-${i + 19} tweets in week ${i >> 1}?`, outcomePrices: [500 + (i % 10) * 100, 9500 - (i % 10) * 100] }),
    );
    const r = scan(ms, { now: NOW });
    expect(r.candidates).toBe(20);
    expect(r.reduction).toBeCloseTo(0.9, 12);
    // 20 distinct events, each through its cheaper bucket; the 20 events whose cheaper bucket has i % 10 = 9.
    expect(new Set(r.signals.map((s) => s.clusterId)).size).toBe(20);
    expect(new Set(r.signals.map((s) => Number(s.marketId.slice(1)) % 10))).toEqual(new Set([9]));
  });
});
