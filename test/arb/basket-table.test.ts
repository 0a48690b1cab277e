// The flat re-check path (BasketTable) against the full evaluation
// (evaluateBasket) on randomised books over baskets of every kind: the same
// reject reason or the same opportunity, basket by basket. Books are a mix of
// plain level arrays and real OrderBooks (which the table reads through their
// kept best levels), some missing, stale, aged past the quote-age rule or with
// an empty side.
import { describe, expect, it } from 'vitest';
import { BasketTable } from '../../src/arb/basket-table.js';
import { evaluateBasket, type Basket } from '../../src/arb/baskets.js';
import { buildRelations, DEFAULT_GRAPH, marketTexts, relationBaskets } from '../../src/arb/graph.js';
import { binaryBaskets, groupEvents, negRiskBaskets } from '../../src/arb/rebalance.js';
import { ArbScanner } from '../../src/arb/scanner.js';
import type { BookView } from '../../src/arb/sweep.js';
import { DEFAULT_ARB_OPTIONS, type ArbOptions } from '../../src/arb/types.js';
import { OrderBook } from '../../src/book/order-book.js';
import type { CatalogMarket, FeeSchedule } from '../../src/protocol/gamma.js';
import { Rng } from '../../src/rng.js';
import { book, market } from './helpers.js';

const FEES: FeeSchedule[] = [
  { rate: 0, exponent: 1, takerOnly: true, rebateRate: 0 },
  { rate: 0.04, exponent: 1, takerOnly: true, rebateRate: 0 },
  { rate: 0.25, exponent: 2, takerOnly: true, rebateRate: 0 },
  { rate: 0.05, exponent: 0.5, takerOnly: true, rebateRate: 0 },
];

/** Binary markets, a temporal and a threshold ladder, an exhaustive and a non-exhaustive negRisk event, and a token listed under two fee schedules. */
function catalog(rng: Rng, twin = true): CatalogMarket[] {
  const fee = () => rng.pick(FEES);
  const out: CatalogMarket[] = [];
  for (let i = 0; i < 6; i++) out.push(market(`Will team ${i} win the cup on June ${i + 1}, 2027?`, { fee: fee() }));
  for (const m of ['March 31', 'June 30', 'September 30']) out.push(market(`Will the treaty be signed by ${m}, 2027?`, { eventId: 'treaty', fee: fee() }));
  for (const k of ['90', '100', '110']) out.push(market(`Will Bitcoin reach $${k}k by December 31, 2027?`, { eventId: 'btc', fee: fee() }));
  const race = (ev: string, titles: string[]) =>
    titles.map((t, i) =>
      market(`Will ${t} win the 2027 ${ev} election?`, { id: `${ev}-${i}`, eventId: ev, eventTitle: ev, negRisk: true, groupItemTitle: t, fee: fee() }),
    );
  out.push(...race('mayor', ['Alvarez', 'Whitaker', 'Raman']));
  out.push(...race('senate', ['Okafor', 'Lindqvist', 'Other', 'Brandt']));
  // Two listings of one token pair under different fee schedules: the table must defer to the full evaluation.
  if (twin) {
    const a = market('Will the river freeze on January 9, 2027?', { fee: FEES[1]! });
    out.push(a, market('Will the lake freeze on January 9, 2027?', { id: 'twin-2', tokenIds: a.tokenIds, fee: FEES[2]! }));
  }
  return out;
}

/** The scanner's baskets for `open`, with token indices assigned as the scanner does. */
function baskets(open: CatalogMarket[]): { baskets: Basket[]; tokens: string[] } {
  const groups = groupEvents(open, new Map(open.map((m, i) => [m.id, i])));
  const { relations } = buildRelations(marketTexts(open), [], DEFAULT_GRAPH);
  const list = [...binaryBaskets(open), ...negRiskBaskets(groups, open), ...relationBaskets(relations, open, DEFAULT_ARB_OPTIONS.minConfidence)];
  const tokens: string[] = [];
  const index = new Map<string, number>();
  for (const b of list) {
    for (const leg of b.legs) {
      const t = open[leg.market]!.tokenIds[leg.outcome]!;
      let ti = index.get(t);
      if (ti === undefined) index.set(t, (ti = tokens.push(t) - 1));
      leg.token = ti;
    }
  }
  return { baskets: list, tokens };
}

/** A random book at `now`: missing, not fresh, aged, or fresh with 0–3 levels a side on a coarse grid (ties happen). */
function randomBook(rng: Rng, now: number, maxAge: number): BookView | undefined {
  const roll = rng.next();
  if (roll < 0.08) return undefined;
  const state = roll < 0.16 ? rng.pick(['stale', 'out-of-sync']) : 'fresh';
  const receivedAt = roll > 0.16 && roll < 0.24 ? now - maxAge - rng.int(1, 5_000) : now - rng.int(0, maxAge + 1);
  // Cheap asks now and then (on a coarse grid: equal asks, ties broken by market), so that even three-leg baskets clear the edge.
  const ask = rng.chance(0.3) ? rng.int(2, 6) * 0.05 : rng.int(25, 66) / 100;
  const levels = (top: number, dir: 1 | -1): [number, number][] =>
    Array.from({ length: rng.int(0, 4) }, (_, i) => [Math.round((top + dir * i * 0.01 * rng.int(1, 4)) * 100) / 100, rng.int(1, 60) * 5] as [number, number]).filter(
      ([p]) => p > 0 && p < 1,
    );
  const asks = rng.chance(0.1) ? [] : levels(ask, 1);
  const bids = rng.chance(0.1) ? [] : levels(Math.max(0.01, ask - rng.int(1, 6) / 100), -1);
  if (rng.chance(0.5)) return book(asks, bids, receivedAt, state);
  const b = new OrderBook('t');
  const lv = (l: [number, number][]) => l.map(([p, s]) => ({ price: Math.round(p * 10_000), size: s }));
  b.replace(lv(bids), lv(asks));
  b.state = state as OrderBook['state'];
  b.receivedAt = receivedAt;
  return b;
}

describe('BasketTable against evaluateBasket', () => {
  it('gives the same reject or the same opportunity for every basket kind over 300 random book sets', () => {
    const rng = new Rng('basket-table');
    const open = catalog(rng);
    const { baskets: list, tokens } = baskets(open);
    const table = new BasketTable(list, open, tokens.length);
    const seen = new Map<string, Set<string>>();
    for (let round = 0; round < 300; round++) {
      const o: ArbOptions = { ...DEFAULT_ARB_OPTIONS, minEdge: rng.pick([0.005, 0.01, 0.03]), minSize: rng.pick([5, 10, 50]), minCapital: rng.pick([1, 5, 40]) };
      const now = 1_000_000 + round * 1_000;
      const books = tokens.map(() => randomBook(rng, now, o.maxQuoteAgeMs));
      table.begin((ti) => books[ti]);
      for (let bi = 0; bi < list.length; bi++) {
        const b = list[bi]!;
        const want = evaluateBasket(b, open, (leg) => books[leg.token], now, o);
        const got = table.evaluate(bi, now, o);
        expect(got, `${b.id} round ${round}`).toEqual(want);
        const outcome = typeof want === 'string' ? want : 'opportunity';
        let s = seen.get(b.relation);
        if (!s) seen.set(b.relation, (s = new Set()));
        s.add(outcome);
      }
    }
    // Every kind was both rejected at the top of the book and reported, so both paths ran.
    for (const relation of ['buy-both', 'split-sell', 'negrisk-long', 'negrisk-short', 'complement', 'temporal', 'threshold']) {
      const s = seen.get(relation);
      expect(s, relation).toBeDefined();
      // The two-cheapest-NOs basket skips legs without a book; fewer than two left is 'stale'.
      const outcomes = relation === 'complement' ? ['stale', 'edge', 'opportunity'] : ['no-book', 'stale', 'edge', 'opportunity'];
      for (const outcome of outcomes) expect([relation, s!.has(outcome)]).toEqual([relation, true]);
    }
    expect([...seen.values()].some((s) => s.has('thin') || s.has('capital'))).toBe(true);
  });

  it('breaks a tie between equal NO asks by market index, as the full evaluation sorts: 1 − 0.45 − 0.50 clears, not the pricier-fee twin', () => {
    const ev = (i: number, title: string, f: FeeSchedule) =>
      market(`Will ${title} win the 2027 regatta?`, { id: `regatta-${i}`, eventId: 'regatta', negRisk: true, groupItemTitle: title, fee: f });
    // "Other" makes the event non-exhaustive: the two cheapest NOs are traded. B and C both ask 0.50; C's fee (0.25 × 0.25 = 0.0625) would sink the edge.
    const open = [ev(0, 'Other', FEES[0]!), ev(1, 'Aster', FEES[0]!), ev(2, 'Birch', FEES[0]!), ev(3, 'Cedar', { ...FEES[1]!, rate: 0.25 })];
    const { baskets: list, tokens } = baskets(open);
    const bi = list.findIndex((b) => b.relation === 'complement');
    const no = (i: number, ask: number) => [open[i]!.tokenIds[1]!, book([[ask, 100]], [], 900)] as const;
    const byToken = new Map<string, BookView>([no(1, 0.45), no(2, 0.5), no(3, 0.5)]);
    const books = tokens.map((t) => byToken.get(t));
    const table = new BasketTable(list, open, tokens.length);
    table.begin((ti) => books[ti]);
    const got = table.evaluate(bi, 1_000, DEFAULT_ARB_OPTIONS);
    expect(got).toEqual(evaluateBasket(list[bi]!, open, (leg) => books[leg.token], 1_000, DEFAULT_ARB_OPTIONS));
    expect(typeof got === 'string' ? got : got.marketIds).toEqual(['regatta-1', 'regatta-2']);
  });

  it('reads each book once per pass and again in the next pass', () => {
    const rng = new Rng('basket-table-reads');
    const open = catalog(rng, false);
    const { baskets: list, tokens } = baskets(open);
    const table = new BasketTable(list, open, tokens.length);
    const books = tokens.map(() => book([[0.7, 100]], [[0.3, 100]], 0));
    const reads = new Array<number>(tokens.length).fill(0);
    for (let pass = 1; pass <= 2; pass++) {
      table.begin((ti) => (reads[ti]!++, books[ti]));
      for (let bi = 0; bi < list.length; bi++) table.evaluate(bi, 1_000, DEFAULT_ARB_OPTIONS);
      // Asks 0.70 and bids 0.30 leave no edge in any basket: no full evaluation re-reads a book.
      expect(reads.every((n) => n === pass)).toBe(true);
    }
  });
});

describe('touched tokens', () => {
  it('recheckTouched leaves the same report as recheckMany over the same changes; ids in no basket and repeats are ignored', () => {
    const ms = Array.from({ length: 20 }, (_, i) => market(`Will the ferry ${i} sail on May ${i + 1}, 2027?`, { fee: FEES[1]! }));
    const books = new Map<string, BookView>();
    for (const m of ms) for (const t of m.tokenIds) books.set(t, book([[0.5, 200]], [[0.48, 200]], 900));
    const get = (t: string) => books.get(t);
    const a = new ArbScanner();
    const b = new ArbScanner();
    a.build(ms);
    b.build(ms);
    a.scanAll(get, 1_000);
    b.scanAll(get, 1_000);
    // Market 3's NO ask falls to 0.44: YES 0.50 + NO 0.44 is a buy-both violation.
    const t = ms[3]!.tokenIds[1]!;
    books.set(t, book([[0.44, 200]], [[0.42, 200]], 1_500));
    a.recheckMany([t], get, 1_600);
    // The listener's copy of the id is another string object than the catalog's.
    const copy = (s: string) => (' ' + s).slice(1);
    b.touch(copy(t));
    b.touch(copy(t));
    b.touch('not-a-token');
    b.recheckTouched(get, 1_600);
    expect(b.current().map((v) => v.id)).toEqual([`buy-both:${ms[3]!.id}`]);
    expect(b.current()).toEqual(a.current());
    // Nothing touched since: a re-check changes nothing even after the book moves back.
    books.set(t, book([[0.52, 200]], [[0.5, 200]], 1_700));
    b.recheckTouched(get, 1_800);
    expect(b.current()).toHaveLength(1);
    b.touch(t);
    b.recheckTouched(get, 1_800);
    expect(b.current()).toHaveLength(0);
  });

  it('touchBook finds a book object by itself, a replaced book object by its asset, and drops books in no basket', () => {
    const x = market('Will the cable car run on August 2, 2027?');
    const views = new Map<string, BookView>();
    for (const t of x.tokenIds) views.set(t, book([[0.5, 200]], [[0.48, 200]], 900));
    const get = (t: string) => views.get(t);
    const s = new ArbScanner();
    s.build([x]);
    s.scanAll(get, 1_000);
    const yes = { asset: x.tokenIds[0]! };
    s.touchBook(yes);
    s.touchBook({ asset: 'not-a-token' });
    views.set(x.tokenIds[0]!, book([[0.4, 200]], [[0.38, 200]], 1_500));
    s.recheckTouched(get, 1_600);
    expect(s.current().map((v) => v.id)).toEqual([`buy-both:${x.id}`]);
    // The same object again, then a new object for the same token (the cache dropped and re-tracked it).
    views.set(x.tokenIds[0]!, book([[0.5, 200]], [[0.48, 200]], 1_700));
    s.touchBook(yes);
    s.recheckTouched(get, 1_800);
    expect(s.current()).toHaveLength(0);
    views.set(x.tokenIds[0]!, book([[0.41, 200]], [[0.39, 200]], 1_900));
    s.touchBook({ asset: x.tokenIds[0]! });
    s.recheckTouched(get, 2_000);
    expect(s.current()).toHaveLength(1);
  });

  it('a rebuild forgets touches and token indices of the previous catalog', () => {
    const x = market('Will the tram run on August 1, 2027?');
    const y = market('Will the bus run on August 1, 2027?');
    const books = new Map<string, BookView>();
    for (const m of [x, y]) for (const t of m.tokenIds) books.set(t, book([[0.5, 200]], [[0.48, 200]], 900));
    const get = (t: string) => books.get(t);
    const s = new ArbScanner();
    s.build([x]);
    const xBook = { asset: x.tokenIds[0]! };
    s.touch(x.tokenIds[0]!);
    s.touchBook(xBook);
    // y takes token index 0 after the rebuild: a stale touch must not re-check it, nor the old id or book map to it.
    s.build([y]);
    s.scanAll(get, 1_000);
    books.set(y.tokenIds[0]!, book([[0.4, 200]], [[0.38, 200]], 1_500));
    s.recheckTouched(get, 1_600);
    expect(s.current()).toHaveLength(0);
    s.touch(x.tokenIds[0]!);
    s.touchBook(xBook);
    s.recheckTouched(get, 1_600);
    expect(s.current()).toHaveLength(0);
    s.touch(y.tokenIds[0]!);
    s.recheckTouched(get, 1_600);
    expect(s.current().map((v) => v.id)).toEqual([`buy-both:${y.id}`]);
  });
});
