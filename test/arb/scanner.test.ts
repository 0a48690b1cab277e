// The scanner end to end on small hand-made catalogs: what is reported, what
// is not (stale, thin, below the floor, non-exhaustive), the per-event cap,
// targeted re-checks and persisted violation counters.
import { describe, expect, it } from 'vitest';
import { ArbScanner } from '../../src/arb/scanner.js';
import { toJsonLine } from '../../src/arb/types.js';
import { arbCheckpointable } from '../../src/arb/tracker.js';
import { loadRelationOverrides, parseRelationOverrides } from '../../src/arb/overrides.js';
import type { CatalogMarket } from '../../src/protocol/gamma.js';
import { Books, book, market } from './helpers.js';
import { wallMs } from '../../src/clock.js';
import { BookCache } from '../../src/book/book-cache.js';
import type { BookEvent } from '../../src/protocol/events.js';

const fee = (rate: number) => ({ rate, exponent: 1, takerOnly: true, rebateRate: 0 });

function scan(markets: CatalogMarket[], books: Books, now = 1_000, opts: ConstructorParameters<typeof ArbScanner>[0] = {}) {
  const s = new ArbScanner(opts);
  s.build(markets);
  return { s, opps: s.scanAll(books.get, now) };
}

describe('binary rebalancing', () => {
  const m = market('Will it rain in Paris on July 14, 2027?', { fee: fee(0.04) });
  const books = new Books().quote(m, 0.48, 0.46, 200);

  it('reports buy-both at asks 0.48 + 0.46, rate 0.04: edge 0.04008, 200 sets, legs BUY YES 4800 + BUY NO 4600', () => {
    const { opps } = scan([m], books);
    expect(opps).toHaveLength(1);
    const v = opps[0]!;
    expect(v).toMatchObject({ kind: 'binary', relation: 'buy-both', marketIds: [m.id], size: 200, confidence: 1, autoTradable: true, paperGrade: false });
    expect(v.edge).toBeCloseTo(0.04008, 10);
    expect(v.legs.map((l) => [l.side, l.outcome, l.tokenId, l.price, l.size])).toEqual([
      ['BUY', 'YES', m.tokenIds[0], 4800, 200],
      ['BUY', 'NO', m.tokenIds[1], 4600, 200],
    ]);
    expect(v.capital).toBeCloseTo(200 * (0.94 + 0.01992), 8);
    expect(v.profit).toBeCloseTo(200 * 0.04008, 8);
    expect(v.legs[0]!.fee).toBe(1.99680);
    expect(v.reason).toContain('YES + NO asks below $1');
  });

  it('reports split-and-sell at bids 0.55 + 0.50 (rate 0): edge 0.05', () => {
    const b = new Books().set(m.tokenIds[0]!, book([[0.57, 100]], [[0.55, 100]])).set(m.tokenIds[1]!, book([[0.52, 100]], [[0.5, 100]]));
    const { opps } = scan([{ ...m, fee: fee(0) }], b);
    expect(opps).toHaveLength(1);
    expect(opps[0]).toMatchObject({ relation: 'split-sell', size: 100, capital: 100 });
    expect(opps[0]!.legs.map((l) => l.side)).toEqual(['SELL', 'SELL']);
    expect(opps[0]!.edge).toBeCloseTo(0.05, 10);
  });

  it('uses a leg quoted exactly 2000 ms ago but not one quoted 2001 ms ago', () => {
    expect(scan([m], books, 2_000).opps).toHaveLength(1);
    const { s, opps } = scan([m], books, 2_001);
    expect(opps).toHaveLength(0);
    expect(s.lastScan.rejected.stale).toBe(2);
  });

  it('skips a leg whose book is not fresh', () => {
    const b = new Books().quote(m, 0.48, 0.46);
    b.map.get(m.tokenIds[1]!)!.state = 'out-of-sync';
    expect(scan([m], b).opps).toHaveLength(0);
  });

  it('skips 9 shares (min size 10) and $9.40 of capital under a $10 floor', () => {
    expect(scan([m], new Books().quote(m, 0.48, 0.46, 9)).opps).toHaveLength(0);
    const { s, opps } = scan([m], new Books().quote(m, 0.48, 0.46, 10), 1_000, { minCapital: 10 });
    expect(opps).toHaveLength(0);
    expect(s.lastScan.rejected.capital).toBe(1);
  });

  it('honours a configurable min edge: 0.04008 is not enough at 0.05', () => {
    expect(scan([m], books, 1_000, { minEdge: 0.05 }).opps).toHaveLength(0);
  });
});

describe('negRisk rebalancing', () => {
  function race(opts: { augmented?: boolean; titles?: string[]; rate?: number; id?: string } = {}) {
    const titles = opts.titles ?? ['Alvarez', 'Whitaker', 'Raman'];
    const ev = opts.id ?? 'race';
    return titles.map((t, i) =>
      market(`Will ${t} win the 2027 Chicago mayoral election?`, {
        id: `${ev}-${i}`,
        eventId: ev,
        eventTitle: '2027 Chicago mayoral election Winner',
        negRisk: true,
        groupItemTitle: t,
        fee: fee(opts.rate ?? 0.05),
        ...(opts.augmented ? { eventAugmented: true } : {}),
      }),
    );
  }

  it('reports the long basket at YES asks 0.30 / 0.25 / 0.35, rate 0.05: edge 0.06875, paper-grade', () => {
    const ms = race();
    const books = new Books().quote(ms[0]!, 0.3, 0.72).quote(ms[1]!, 0.25, 0.77).quote(ms[2]!, 0.35, 0.67);
    const { opps } = scan(ms, books);
    expect(opps).toHaveLength(1);
    expect(opps[0]).toMatchObject({ kind: 'negrisk', relation: 'negrisk-long', paperGrade: true, marketIds: ms.map((m) => m.id) });
    expect(opps[0]!.edge).toBeCloseTo(0.06875, 10);
  });

  it('reports the short basket at NO asks 0.60 / 0.65 / 0.70 (rate 0): (n − 1) − Σ = 0.05', () => {
    const ms = race({ rate: 0 });
    const books = new Books().quote(ms[0]!, 0.42, 0.6).quote(ms[1]!, 0.37, 0.65).quote(ms[2]!, 0.32, 0.7);
    const { opps } = scan(ms, books);
    expect(opps.map((v) => v.relation)).toEqual(['negrisk-short']);
    expect(opps[0]!.edge).toBeCloseTo(0.05, 10);
  });

  it('skips the long basket of an augmented event and of one with an "Other" outcome', () => {
    for (const ms of [race({ augmented: true }), race({ titles: ['Alvarez', 'Whitaker', 'Other'] })]) {
      const books = new Books().quote(ms[0]!, 0.3, 0.72).quote(ms[1]!, 0.25, 0.77).quote(ms[2]!, 0.35, 0.67);
      expect(scan(ms, books).opps).toHaveLength(0);
    }
  });

  it('skips an event with a member closed without resolving NO, keeps one whose closed member resolved NO', () => {
    const yesWon = race({ id: 'a', titles: ['Alvarez', 'Whitaker', 'Raman', 'Becker'] });
    yesWon[3] = { ...yesWon[3]!, closed: true, outcomePrices: [10_000, 0] };
    const noWon = race({ id: 'b', titles: ['Alvarez', 'Whitaker', 'Raman', 'Becker'] });
    noWon[3] = { ...noWon[3]!, closed: true, outcomePrices: [0, 10_000] };
    const books = new Books();
    for (const ms of [yesWon, noWon]) books.quote(ms[0]!, 0.3, 0.72).quote(ms[1]!, 0.25, 0.77).quote(ms[2]!, 0.35, 0.67);
    const { opps } = scan([...yesWon, ...noWon], books);
    expect(opps.map((v) => v.eventIds)).toEqual([['b']]);
  });

  it('trades the two cheapest NOs of a non-exhaustive event: NO asks 0.40 + 0.45 → edge 0.15 (rate 0)', () => {
    const ms = race({ augmented: true, rate: 0, titles: ['Alvarez', 'Whitaker', 'Raman', 'Other'] });
    const books = new Books().quote(ms[0]!, 0.62, 0.4).quote(ms[1]!, 0.57, 0.45).quote(ms[2]!, 0.1, 0.92).quote(ms[3]!, 0.1, 0.92);
    const { opps } = scan(ms, books);
    expect(opps).toHaveLength(1);
    expect(opps[0]).toMatchObject({ kind: 'negrisk', relation: 'complement', marketIds: [ms[0]!.id, ms[1]!.id] });
    expect(opps[0]!.edge).toBeCloseTo(0.15, 10);
  });
});

describe('constraint violations', () => {
  const march = market('Will Trump visit Russia by March 31, 2027?', { eventId: 'visit' });
  const june = market('Will Trump visit Russia by June 30, 2027?', { eventId: 'visit' });
  // March quoted above June: YES_june 0.40 + NO_march 0.55 = 0.95.
  const books = () => new Books().quote(march, 0.47, 0.55).quote(june, 0.4, 0.62);

  it('trades "by March" ⇒ "by June" as BUY YES June + BUY NO March: edge 0.05, rule-inferred, not auto-tradable', () => {
    const { opps } = scan([march, june], books());
    expect(opps).toHaveLength(1);
    const v = opps[0]!;
    expect(v).toMatchObject({ kind: 'implication', relation: 'temporal', confidence: 0.7, autoTradable: false, paperGrade: true });
    expect(v.legs.map((l) => [l.marketId, l.outcome])).toEqual([
      [june.id, 'YES'],
      [march.id, 'NO'],
    ]);
    expect(v.edge).toBeCloseTo(0.05, 10);
    expect(v.reason).toContain('earlier deadline implies later');
  });

  it('an override makes the same relation auto-tradable (confidence 1.0)', () => {
    const s = new ArbScanner({}, [{ a: march.id, b: june.id, relation: 'implies' }]);
    s.build([march, june]);
    const [v] = s.scanAll(books().get, 1_000);
    expect(v).toMatchObject({ relation: 'override', confidence: 1, autoTradable: true });
  });

  it('a "none" override vetoes it', () => {
    const s = new ArbScanner({}, [{ a: june.conditionId, b: march.slug, relation: 'none' }]);
    s.build([march, june]);
    expect(s.scanAll(books().get, 1_000)).toHaveLength(0);
  });

  it('keeps 3 of the 10 violating pairs in a 5-rung ladder event, the most profitable (edges 0.18, 0.13, 0.13)', () => {
    const rungs = [100, 110, 120, 130, 140].map((k) => market(`Will Bitcoin reach $${k},000 by May 24, 2027?`, { eventId: 'btc' }));
    const b = new Books();
    // Rung k: YES ask 0.30 + 0.05k, NO ask 0.72 − 0.05k, so (k ⇒ i) nets 0.05(k − i) − 0.02.
    rungs.forEach((m, k) => b.quote(m, 0.3 + 0.05 * k, 0.72 - 0.05 * k));
    const { s, opps } = scan(rungs, b);
    expect(s.lastScan.violations).toBe(10);
    expect(opps).toHaveLength(3);
    expect(s.lastScan.capped).toBe(7);
    expect(opps.map((v) => Math.round(v.edge * 100) / 100)).toEqual([0.18, 0.13, 0.13]);
    expect(opps[0]!.legs.map((l) => [l.marketId, l.outcome])).toEqual([
      [rungs[0]!.id, 'YES'],
      [rungs[4]!.id, 'NO'],
    ]);
  });

  it('a lower-confidence pairing never evicts a mechanism rebalance from the cap', () => {
    const rungs = [100, 110, 120, 130].map((k) => market(`Will Bitcoin reach $${k},000 by May 24, 2027?`, { eventId: 'btc2' }));
    const b = new Books();
    rungs.forEach((m, k) => b.quote(m, 0.3 + 0.1 * k, 0.72 - 0.1 * k));
    // Rung 0 also has YES + NO below $1 (small edge, small profit).
    b.set(rungs[0]!.tokenIds[1]!, book([[0.68, 20]], [[0.66, 20]]));
    const { opps } = scan(rungs, b);
    expect(opps.filter((v) => v.kind === 'binary')).toHaveLength(1);
    expect(opps).toHaveLength(3);
  });
});

describe('recheck', () => {
  const others = Array.from({ length: 50 }, (_, i) => market(`Will team ${i} win the cup on June ${(i % 28) + 1}, 2027?`));
  const m = market('Will it snow in Denver on December 25, 2026?', { fee: fee(0.04) });

  it('re-evaluates only the baskets on the changed token and reports the new violation', () => {
    const books = new Books().quote(m, 0.5, 0.52);
    for (const o of others) books.quote(o, 0.5, 0.52);
    const s = new ArbScanner();
    s.build([...others, m]);
    expect(s.scanAll(books.get, 1_000)).toHaveLength(0);
    books.set(m.tokenIds[1]!, book([[0.46, 300]], [[0.44, 300]], 1_500));
    books.lookups = 0;
    const out = s.recheck(m.tokenIds[1]!, books.get, 1_600);
    expect(out.map((v) => v.relation)).toEqual(['buy-both']);
    expect(books.lookups).toBeLessThanOrEqual(4);
    expect(s.current()).toHaveLength(1);
    // The violation goes away again.
    books.set(m.tokenIds[1]!, book([[0.52, 300]], [[0.5, 300]], 1_700));
    expect(s.recheck(m.tokenIds[1]!, books.get, 1_800)).toHaveLength(0);
    expect(s.current()).toHaveLength(0);
  });

  it('recheckMany over several changed tokens leaves the same report as recheck per token, with each book looked up once', () => {
    const a = market('Will it snow in Oslo on December 25, 2026?', { fee: fee(0.04) });
    const b = market('Will it snow in Bergen on December 25, 2026?');
    const all = [...others, m, a, b];
    const books = new Books();
    for (const x of all) books.quote(x, 0.5, 0.52);
    const one = new ArbScanner();
    const many = new ArbScanner();
    one.build(all);
    many.build(all);
    one.scanAll(books.get, 1_000);
    many.scanAll(books.get, 1_000);
    // Both legs of m and of a cross (buy-both violations); b's change is no violation; one token is unknown.
    books.set(m.tokenIds[1]!, book([[0.46, 300]], [[0.44, 300]], 1_500));
    books.set(m.tokenIds[0]!, book([[0.47, 200]], [[0.45, 200]], 1_500));
    books.set(a.tokenIds[0]!, book([[0.4, 100]], [[0.38, 100]], 1_500));
    books.set(b.tokenIds[0]!, book([[0.55, 100]], [[0.45, 100]], 1_500));
    const changed = [m.tokenIds[1]!, m.tokenIds[0]!, 'unknown', a.tokenIds[0]!, b.tokenIds[0]!];
    for (const t of changed) one.recheck(t, books.get, 1_600);
    books.lookups = 0;
    many.recheckMany(changed, books.get, 1_600);
    expect(many.current().map((v) => v.relation)).toEqual(['buy-both', 'buy-both']);
    expect(many.current()).toEqual(one.current());
    // Four changed, known tokens in single-market baskets: each of their books once, plus the other legs.
    expect(books.lookups).toBeLessThanOrEqual(6);
    // The violations go away again together.
    books.quote(m, 0.5, 0.52, 200, 1_700).quote(a, 0.5, 0.52, 200, 1_700);
    many.recheckMany([m.tokenIds[0]!, m.tokenIds[1]!, a.tokenIds[0]!, a.tokenIds[1]!], books.get, 1_800);
    expect(many.current()).toHaveLength(0);
  });

  it('with the BookCache epoch, books are looked up once across passes and again after a book object is replaced', () => {
    const x = market('Will it hail in Lyon on July 14, 2027?', { fee: fee(0.04) });
    const cache = new BookCache();
    let lookups = 0;
    const get = (t: string) => (lookups++, cache.get(t));
    const snap = (asset: string, ts: number, ask: number): BookEvent => ({ type: 'book', asset, market: x.id, ts, bids: [{ price: ask - 100, size: 200 }], asks: [{ price: ask, size: 200 }], hash: '' });
    cache.applySnapshot(snap(x.tokenIds[0]!, 1, 5000), 1_000);
    cache.applySnapshot(snap(x.tokenIds[1]!, 1, 5200), 1_000);
    const s = new ArbScanner();
    s.build([x]);
    expect(s.scanAll(get, 1_000, cache.epoch)).toHaveLength(0);
    expect(lookups).toBe(2);
    // In place: NO ask 0.44 makes YES + NO 0.94 — seen through the kept book, no lookup.
    cache.apply({ type: 'price_change', market: x.id, ts: 2, changes: [{ asset: x.tokenIds[1]!, side: 'SELL', price: 4400, size: 200 }] }, 1_100);
    s.recheckMany([x.tokenIds[1]!], get, 1_100, cache.epoch);
    expect(s.current().map((v) => v.relation)).toEqual(['buy-both']);
    expect(lookups).toBe(2);
    // Dropped and tracked again: a new book object with a new epoch, looked up again (asks 0.50 + 0.52: no violation).
    cache.untrack(x.tokenIds[1]!);
    cache.applySnapshot(snap(x.tokenIds[1]!, 3, 5200), 1_200);
    s.recheckMany([x.tokenIds[1]!], get, 1_200, cache.epoch);
    expect(s.current()).toHaveLength(0);
    expect(lookups).toBe(4);
  });

  it('returns nothing for a token it does not know', () => {
    const s = new ArbScanner();
    s.build([m]);
    expect(s.recheck('unknown', new Books().get, 0)).toEqual([]);
  });
});

describe('persistence counters', () => {
  const m = market('Will it rain in Rome on July 14, 2027?');
  const books = new Books().quote(m, 0.45, 0.45, 100, 0);

  it('counts 3 consecutive scans, survives a checkpoint round trip (4th scan → 4) and resets when the violation ends', () => {
    const s = new ArbScanner();
    s.build([m]);
    for (const t of [100, 200, 300]) s.scanAll(books.get, t);
    expect(s.current()[0]).toMatchObject({ cycles: 3, firstSeen: 100 });
    const saved = JSON.parse(JSON.stringify(s.toCheckpoint(300)));
    const t = new ArbScanner();
    expect(t.fromCheckpoint(saved, 400)).toEqual({ ok: true, restored: 1, ageMs: 100 });
    t.build([m]);
    expect(t.scanAll(books.get, 400)[0]).toMatchObject({ cycles: 4, firstSeen: 100 });
    const gone = new Books().quote(m, 0.5, 0.52, 100, 400);
    t.scanAll(gone.get, 500);
    t.scanAll(books.get, 600);
    expect(t.current()[0]).toMatchObject({ cycles: 1, firstSeen: 600 });
  });

  it('keeps the counters (2 scans) when a re-check re-evaluates a still-violating bundle', () => {
    const s = new ArbScanner();
    s.build([m]);
    s.scanAll(books.get, 100);
    s.scanAll(books.get, 200);
    const deeper = new Books().quote(m, 0.45, 0.45, 300, 250);
    const [v] = s.recheck(m.tokenIds[0]!, deeper.get, 300);
    expect(v).toMatchObject({ size: 300, cycles: 2, firstSeen: 100 });
  });

  it('plugs into the engine checkpoint registry as tracker "arb" (tolerance 60 s)', () => {
    const s = new ArbScanner();
    s.build([m]);
    s.scanAll(books.get, 100);
    let clock = 150;
    const tracker = arbCheckpointable(s, () => wallMs(clock));
    expect(tracker).toMatchObject({ name: 'arb', toleranceMs: 60_000 });
    const json = JSON.parse(JSON.stringify(tracker.toCheckpoint()));
    const t = new ArbScanner();
    clock = 200;
    expect(arbCheckpointable(t, () => wallMs(clock)).fromCheckpoint(json, 50)).toBe(true);
    expect(arbCheckpointable(t, () => wallMs(clock)).fromCheckpoint({ nope: 1 }, 50)).toBe(false);
  });

  it('rejects an invalid checkpoint without throwing and drops entries older than the max age', () => {
    const s = new ArbScanner();
    expect(s.fromCheckpoint({ tracker: 'arb', version: 2 }, 0)).toMatchObject({ ok: false });
    const data = { tracker: 'arb', version: 1, savedAt: 0, entries: [{ id: 'x', firstSeen: 0, lastSeen: 0, cycles: 5, bestEdge: 0.02 }] };
    expect(s.fromCheckpoint(data, 120_000, 60_000)).toMatchObject({ ok: true, restored: 0 });
  });
});

describe('output', () => {
  it('toJsonLine writes {type:"arb", kind, relation, marketIds, edge, size, confidence}', () => {
    const m = market('Will it rain in Oslo on July 14, 2027?', { fee: fee(0.04) });
    const { opps } = scan([m], new Books().quote(m, 0.48, 0.46, 200));
    expect(JSON.parse(toJsonLine(opps[0]!))).toEqual({ type: 'arb', kind: 'binary', relation: 'buy-both', marketIds: [m.id], edge: 0.04008, size: 200, confidence: 1 });
  });
});

describe('relation overrides file', () => {
  it('data/relations.json loads with no entries and no rejections', () => {
    expect(loadRelationOverrides()).toEqual({ overrides: [], rejected: [] });
  });

  it('counts and skips invalid entries, keeps valid ones', () => {
    const r = parseRelationOverrides({ relations: [{ a: 'x', b: 'y', relation: 'implies' }, { a: 'x', relation: 'implies' }, { a: 'x', b: 'y', relation: 'maybe' }] });
    expect(r.overrides).toHaveLength(1);
    expect(r.rejected).toHaveLength(2);
    expect(parseRelationOverrides([1, 2]).rejected).toHaveLength(1);
  });
});
