// Resolved markets straight from the in-process simulator: its backfill
// (src/sim/history.ts) plus any live-world market that resolved while it ran
// (its exchange samples the mid every 10 sim-minutes). No HTTP, for fast tests
// and the default `polyconsole backtest` source.
import { generateBackfill, backfillOf, type Backfill, type BackfillOptions, type BackfillSource } from './history.js';
import type { Exchange } from './exchange.js';
import type { World } from './world.js';
import type { SimEvent, SimMarket } from './world-types.js';
import { defaultTaxonomy, type Taxonomy } from '../scan/taxonomy.js';
import { classify } from '../backtest/resolved.js';
import type { ResolvedMarket } from '../backtest/types.js';

/** A Simulator, or just its world (and exchange). */
export interface SimLike {
  world: World;
  exchange?: Exchange;
}

export function loadSimHistory(sim: SimLike, opts: BackfillOptions = {}, taxonomy: Taxonomy = defaultTaxonomy()): ResolvedMarket[] {
  const out = fromBackfill(backfillOf(sim.world, opts), taxonomy);
  const ex = sim.exchange;
  if (ex) {
    for (const m of sim.world.markets) {
      if (!m.closed || m.winner === undefined || m.closedMs === undefined) continue;
      const raw = ex.history.get(m.tokenIds[0]);
      if (!raw || !raw.length) continue;
      out.push(toResolved(m, sim.world.events[m.event]!, raw, taxonomy));
    }
  }
  return out;
}

/** The backfill of a seed without building the live world (what the CLI uses). */
export function loadBackfill(source: BackfillSource, opts: BackfillOptions = {}, taxonomy: Taxonomy = defaultTaxonomy()): ResolvedMarket[] {
  return fromBackfill(generateBackfill(source, opts), taxonomy);
}

export function fromBackfill(bf: Backfill, taxonomy: Taxonomy = defaultTaxonomy()): ResolvedMarket[] {
  return bf.markets.map((m) => toResolved(m, bf.events[m.event]!, bf.history.get(m.tokenIds[0])!, taxonomy));
}

function toResolved(m: SimMarket, ev: SimEvent, raw: ArrayLike<number>, taxonomy: Taxonomy): ResolvedMarket {
  const n = raw.length >> 1;
  const t = new Int32Array(n);
  const p = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = raw[2 * i]!;
    p[i] = raw[2 * i + 1]!;
  }
  const { folded, category } = classify(m.question, ev.title, ev.tags, taxonomy);
  return {
    id: m.id,
    eventId: ev.id,
    question: m.question,
    folded,
    category,
    tokenIds: [m.tokenIds[0], m.tokenIds[1]],
    endMs: m.endMs,
    closedMs: m.closedMs!,
    // SimMarket.winner is 1 when YES won; ResolvedMarket.winner is the winning token's index.
    winner: m.winner === 1 ? 0 : 1,
    fee: { rate: m.feeRate, exponent: 1 },
    t,
    p,
    volume: m.volume,
    source: 'sim',
  };
}
