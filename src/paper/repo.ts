// Rebuilding the paper broker from what the database holds (the rows are read
// by persist/paper-repo.ts).
import type { LoadedState } from '../persist/paper-repo.js';
import type { Broker, Resting } from './broker.js';

/** Rebuilds the broker's positions, resting orders and counters (and the executed ids) from a load. */
export function restoreBroker(state: LoadedState, broker: Broker, executed: Set<string>): void {
  for (const r of state.positions) {
    broker.positions.set(r.token_id, {
      tokenId: r.token_id,
      marketId: r.market_id,
      // The catalog (onCatalog) replaces this with the Gamma event id.
      eventId: r.market_id,
      shares: r.shares,
      costMicros: r.cost_micros,
      realizedMicros: r.realized_micros,
      feesMicros: state.feesByToken.get(r.token_id) ?? 0,
      updatedAt: r.updated_at,
    });
  }
  for (const o of state.open) {
    const rest: Resting = { id: o.id, tokenId: o.token_id, marketId: o.market_id ?? '', side: o.side, limit: o.limit_price ?? 0, size: o.size, filled: o.filled, reason: o.reason ?? '', createdAt: o.created_at };
    if (o.basket_id) rest.source = o.basket_id;
    broker.resting.set(o.id, rest);
  }
  broker.orders = state.orders;
  broker.fills = state.fills;
  broker.refused = state.refused;
  broker.feesMicros = state.feesMicros;
  for (const s of state.sources) executed.add(s);
}
