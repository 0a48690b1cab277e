// Small builders for arbitrage tests: catalog markets and plain book views.
import type { CatalogMarket } from '../../src/protocol/gamma.js';
import type { BookView } from '../../src/arb/sweep.js';
import { levelBook, type LevelBook } from '../fixtures/books.js';

let seq = 0;

export function market(question: string, extra: Partial<CatalogMarket> = {}): CatalogMarket {
  const n = ++seq;
  const id = extra.id ?? `m${n}`;
  return {
    id,
    conditionId: `0xcond${id}`,
    question,
    slug: `slug-${id}`,
    outcomes: ['Yes', 'No'],
    outcomePrices: [5000, 5000],
    tokenIds: [`${id}-yes`, `${id}-no`],
    active: true,
    closed: false,
    volume: 1000,
    liquidity: 1000,
    negRisk: false,
    fee: { rate: 0, exponent: 1, takerOnly: true, rebateRate: 0 },
    tickSize: 100,
    minOrderSize: 5,
    tags: [],
    eventId: `e-${id}`,
    endDate: Date.UTC(2027, 0, 1),
    ...extra,
  };
}

export interface Level {
  price: number;
  size: number;
}

/** A plain book the sweep reads (test/fixtures/books.ts). */
export type TestBook = LevelBook & BookView;

/** A book from [price, size] levels in probability units (e.g. 0.48), any order. */
export function book(asks: [number, number][], bids: [number, number][] = [], receivedAt = 0, state = 'fresh'): TestBook {
  return levelBook(asks, bids, receivedAt, state);
}

/** A mutable token → book map with a lookup that counts calls. */
export class Books {
  readonly map = new Map<string, TestBook>();
  lookups = 0;
  readonly get = (token: string): TestBook | undefined => {
    this.lookups++;
    return this.map.get(token);
  };
  set(token: string, b: TestBook): this {
    this.map.set(token, b);
    return this;
  }
  /** YES and NO books of a market at asks a_Y / a_N with `size` shares each (bids one tick below). */
  quote(m: CatalogMarket, askYes: number, askNo: number, size = 200, receivedAt = 0): this {
    this.set(m.tokenIds[0]!, book([[askYes, size]], [[Math.max(0.01, askYes - 0.02), size]], receivedAt));
    this.set(m.tokenIds[1]!, book([[askNo, size]], [[Math.max(0.01, askNo - 0.02), size]], receivedAt));
    return this;
  }
}
