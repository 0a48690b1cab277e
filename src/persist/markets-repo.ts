// The catalog in SQLite: upserts in one transaction per batch, prepared once.
import type { CatalogMarket } from '../protocol/gamma.js';
import type { Statement } from 'better-sqlite3';
import type { DB } from './db.js';

export class MarketsRepo {
  private readonly upsert;
  private readonly countStmt;
  private readonly saveBatch;

  constructor(private readonly db: DB) {
    this.upsert = db.prepare(`
      INSERT INTO markets (id, condition_id, question, slug, category, event_id, event_title, outcomes, token_ids, outcome_prices,
        neg_risk, neg_risk_market_id, augmented, fee_rate, fee_exponent, tick, min_order_size, volume, end_ms, closed, closed_ms, winner, tags, updated_at)
      VALUES (@id, @condition_id, @question, @slug, @category, @event_id, @event_title, @outcomes, @token_ids, @outcome_prices,
        @neg_risk, @neg_risk_market_id, @augmented, @fee_rate, @fee_exponent, @tick, @min_order_size, @volume, @end_ms, @closed, @closed_ms, @winner, @tags, @updated_at)
      ON CONFLICT(id) DO UPDATE SET
        question = excluded.question, outcome_prices = excluded.outcome_prices, category = COALESCE(excluded.category, markets.category),
        volume = excluded.volume, closed = excluded.closed, closed_ms = excluded.closed_ms, winner = excluded.winner,
        tick = excluded.tick, fee_rate = excluded.fee_rate, updated_at = excluded.updated_at`);
    this.countStmt = db.prepare('SELECT COUNT(*) AS n FROM markets');
    this.saveBatch = db.transaction(upsertAll);
  }

  /** Upserts a batch in one transaction. */
  save(markets: readonly CatalogMarket[], now: number, categoryOf?: (m: CatalogMarket) => string | undefined): void {
    if (!markets.length) return;
    this.saveBatch(this.upsert, markets, now, categoryOf);
  }

  count(): number {
    return (this.countStmt.get() as { n: number }).n;
  }
}

/**
 * The batch loop, at module level: a closure made per save (the catalog is
 * saved once per engine start) was new code to V8 each time, its long loop
 * compiled again on stack in every replay of a sweep.
 */
function upsertAll(upsert: Statement, markets: readonly CatalogMarket[], now: number, categoryOf: ((m: CatalogMarket) => string | undefined) | undefined): void {
  for (const m of markets) upsert.run(row(m, now, categoryOf?.(m)));
}

function row(m: CatalogMarket, now: number, category: string | undefined) {
  const winner = m.closed ? m.outcomePrices.findIndex((p) => p === 10_000) : -1;
  return {
    id: m.id,
    condition_id: m.conditionId,
    question: m.question,
    slug: m.slug,
    category: category ?? m.category ?? null,
    event_id: m.eventId ?? null,
    event_title: m.eventTitle ?? null,
    outcomes: JSON.stringify(m.outcomes),
    token_ids: JSON.stringify(m.tokenIds),
    outcome_prices: JSON.stringify(m.outcomePrices),
    neg_risk: m.negRisk ? 1 : 0,
    neg_risk_market_id: m.negRiskMarketId ?? null,
    augmented: m.eventAugmented ? 1 : 0,
    fee_rate: m.fee.rate,
    fee_exponent: m.fee.exponent,
    tick: m.tickSize,
    min_order_size: m.minOrderSize,
    volume: m.volume,
    end_ms: m.endDate ?? null,
    closed: m.closed ? 1 : 0,
    closed_ms: m.closedTime ?? null,
    winner: winner >= 0 ? winner : null,
    tags: JSON.stringify(m.tags),
    updated_at: now,
  };
}
