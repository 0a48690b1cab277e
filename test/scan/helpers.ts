// Simulator worlds as scan inputs. The sim's own category is never passed in:
// it is the ground truth the tests score against.
import type { BookLookup } from '../../src/scan/signals.js';
import type { CatalogMarket } from '../../src/protocol/gamma.js';
import { Exchange } from '../../src/sim/exchange.js';
import { World } from '../../src/sim/world.js';
import { PerFile } from '../helpers/per-file.js';

export interface Truth {
  markets: { id: string; question: string; category: string; eventId: string }[];
  planted: { kind: string; marketIds: string[] }[];
}

export { worldCatalog } from '../fixtures/world-catalog.js';
import { worldCatalog } from '../fixtures/world-catalog.js';

export interface SimBatch {
  world: World;
  markets: CatalogMarket[];
  truth: Truth;
  now: number;
  /** Fresh books quoted by the sim's market makers. */
  bookOf: BookLookup;
}

const cache = new PerFile<SimBatch>();

/** A simulator world, its catalog and books: built once per test file (its tests may change them). */
export function simBatch(seed: string, n = 2000): SimBatch {
  return cache.get(`${seed}:${n}`, () => makeBatch(seed, n));
}

function makeBatch(seed: string, n: number): SimBatch {
  const world = new World({ seed, markets: n });
  const exchange = new Exchange(world, seed, 'fast');
  const batch: SimBatch = {
    world,
    markets: worldCatalog(world),
    truth: world.exportTruth() as Truth,
    now: world.epochMs,
    bookOf: (t) => exchange.book(t),
  };
  return batch;
}

/** A hand-made catalog market (defaults: a Musk bucket ending in 48 h, NO mid 0.94). */
export function market(over: Partial<CatalogMarket> & { id: string }, now = Date.parse('2026-11-21T12:00:00Z')): CatalogMarket {
  return {
    conditionId: `0x${over.id}`,
    question: 'Will Elon Musk post 300-319 tweets from Nov 20 to Nov 27, 2026?',
    slug: '',
    outcomes: ['Yes', 'No'],
    outcomePrices: [600, 9400],
    tokenIds: [`${over.id}-yes`, `${over.id}-no`],
    active: true,
    closed: false,
    endDate: now + 48 * 3_600_000,
    volume: 1000,
    liquidity: 0,
    negRisk: true,
    fee: { rate: 0.04, exponent: 1, takerOnly: true, rebateRate: 0 },
    tickSize: 100,
    minOrderSize: 5,
    eventId: 'e1',
    eventTitle: 'Elon Musk # of tweets Nov 20 - Nov 27, 2026?',
    tags: [],
    ...over,
  };
}
