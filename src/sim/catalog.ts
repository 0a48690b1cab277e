// The simulator's world as the engine would see it through Gamma: each market
// serialised the way the sim's REST server does and decoded by the real Gamma
// decoder. Used by the quality test and the bench (no servers started).
import type { Simulator } from './simulator.js';
import { decodeGammaMarket, type CatalogMarket } from '../protocol/gamma.js';

export function simCatalog(sim: Simulator): CatalogMarket[] {
  const out: CatalogMarket[] = [];
  for (const m of sim.world.markets) {
    const wire = sim.gamma.wire.market(m, true);
    const r = decodeGammaMarket(wire);
    if (r.ok) out.push(r.value);
  }
  return out;
}

/** Marks every open sim book as freshly received at `at` (the sim's own books never pass through a feed). */
export function touchSimBooks(sim: Simulator, at: number): void {
  for (const b of sim.exchange.books.values()) {
    b.state = 'fresh';
    b.receivedAt = at;
  }
}
