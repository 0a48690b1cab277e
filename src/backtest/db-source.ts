// Resolved markets from the console's SQLite file: `markets` rows that closed
// with a winner, priced by the collector's `price_snapshots` (ms timestamps,
// 0.0001 units; the YES token, or the NO token mirrored).
import type { DB } from '../persist/db.js';
import { PriceHistoryRepo } from '../persist/history-repo.js';
import { PRICE_SCALE } from '../protocol/units.js';
import { defaultTaxonomy, type Taxonomy } from '../scan/taxonomy.js';
import { classify, count } from './resolved.js';
import type { LoadResult, RejectCounts, ResolvedMarket } from './types.js';

export function loadDbHistory(db: DB, taxonomy: Taxonomy = defaultTaxonomy()): LoadResult {
  const rejects: RejectCounts = {};
  const history = new PriceHistoryRepo(db);
  const rows = history.closedMarkets();
  const markets: ResolvedMarket[] = [];
  for (const r of rows) {
    const tokens = parseArray(r.token_ids);
    const prices = parseArray(r.outcome_prices ?? '[]').map(Number);
    if (tokens.length !== 2) {
      count(rejects, 'not binary');
      continue;
    }
    // The repo stores the index of the outcome priced 1; it must also be a clean 1/0 settlement.
    const winner = r.winner;
    if ((winner !== 0 && winner !== 1) || prices[1 - winner] !== 0) {
      count(rejects, 'not settled 1/0');
      continue;
    }
    const closedMs = r.closed_ms ?? r.end_ms;
    const endMs = r.end_ms ?? r.closed_ms;
    if (closedMs === null || endMs === null) {
      count(rejects, 'no close time');
      continue;
    }
    let rowsP = history.points(tokens[0]!);
    let mirror = false;
    if (!rowsP.length) {
      rowsP = history.points(tokens[1]!);
      mirror = true;
    }
    if (!rowsP.length) {
      count(rejects, 'no history');
      continue;
    }
    const t = new Int32Array(rowsP.length);
    const p = new Uint16Array(rowsP.length);
    let n = 0;
    for (const x of rowsP) {
      const sec = Math.floor(x.ts / 1000);
      const v = mirror ? PRICE_SCALE - x.price : x.price;
      if (n && t[n - 1] === sec) {
        p[n - 1] = v;
        continue;
      }
      t[n] = sec;
      p[n] = v;
      n++;
    }
    const tags = parseArray(r.tags ?? '[]');
    const { folded, category } = classify(r.question, r.event_title ?? undefined, tags, taxonomy);
    markets.push({
      id: r.id,
      eventId: r.event_id ?? `market:${r.id}`,
      question: r.question,
      folded,
      category,
      tokenIds: [tokens[0]!, tokens[1]!],
      endMs,
      closedMs,
      winner,
      fee: { rate: r.fee_rate, exponent: r.fee_exponent },
      t: t.slice(0, n),
      p: p.slice(0, n),
      volume: r.volume,
      source: 'db',
    });
  }
  return { markets, rejects };
}

function parseArray(text: string): string[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}
