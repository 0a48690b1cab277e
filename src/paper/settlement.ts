// How a market resolves, from the WebSocket (market_resolved names the winning
// token) or from Gamma (closed with outcomePrices 1/0). A closed market whose
// prices are 0/0 (voided, or a legacy market) is NOT settled at 0: its
// positions stay open and are flagged for the operator.
import { resolvedOutcomeIndex, type CatalogMarket } from '../protocol/gamma.js';
import type { MarketResolvedEvent } from '../protocol/events.js';
import { PRICE_SCALE } from '../protocol/units.js';

export type Resolution =
  | { kind: 'settle'; payouts: Map<string, number> }
  | { kind: 'flag'; reason: string }
  | { kind: 'open' };

export function resolutionFromEvent(ev: Pick<MarketResolvedEvent, 'assetIds' | 'winningAssetId'>): Resolution {
  if (!ev.assetIds.includes(ev.winningAssetId)) return { kind: 'flag', reason: `resolved with winning asset ${ev.winningAssetId.slice(0, 12)}… not among the market's tokens` };
  return { kind: 'settle', payouts: new Map(ev.assetIds.map((t) => [t, t === ev.winningAssetId ? PRICE_SCALE : 0])) };
}

export function resolutionFromCatalog(m: Pick<CatalogMarket, 'closed' | 'outcomePrices' | 'tokenIds'>): Resolution {
  if (!m.closed) return { kind: 'open' };
  const idx = resolvedOutcomeIndex(m);
  if (idx !== undefined && m.tokenIds[idx] !== undefined) {
    return { kind: 'settle', payouts: new Map(m.tokenIds.map((t, i) => [t, i === idx ? PRICE_SCALE : 0])) };
  }
  if (m.outcomePrices.length === 0 || m.outcomePrices.every((p) => p === 0)) return { kind: 'flag', reason: 'closed with outcome prices 0/0 (voided or legacy): not settled, left open' };
  return { kind: 'flag', reason: `closed with outcome prices ${m.outcomePrices.map((p) => p / PRICE_SCALE).join('/')}: awaiting 1/0` };
}
