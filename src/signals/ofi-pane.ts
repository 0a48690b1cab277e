// The OFI pane's rows as the signals hub computes them: each token's flow and
// its market's microstructure score, once per engine cycle. Text is raw
// (questions come from the catalog); the store sanitises it for the terminal.
import type { OfiPaneRow } from '../../store/snapshot.js';
import type { CatalogMarket } from '../protocol/gamma.js';
import type { SignalHub } from './hub.js';

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

export function ofiPaneRows(hub: SignalHub, markets: ReadonlyMap<string, CatalogMarket>, feedUp: boolean, n: number, now: number): OfiPaneRow[] {
  return hub.ofiRows(n, now).map((r) => {
    const m = markets.get(r.marketId);
    const micro = hub.score(r.marketId, now, { feedUp, closed: m?.closed ?? false });
    const long = hub.ofi.value(r.token, 300_000, now);
    const row: OfiPaneRow = {
      token: r.token,
      marketId: r.marketId,
      question: m?.question ?? r.marketId,
      normalized: round4(r.normalized),
      ofi: Math.round(r.ofi),
      tradeFlow: Math.round(r.tradeFlow),
      history: r.history.map(round4),
      divergence: round4(r.divergence ?? 0),
      gap: r.gap || r.stale,
      micro: { score: round4(micro.score), type: micro.type, confidence: round4(micro.confidence) },
    };
    if (long) row.normalized5m = round4(long.normalized);
    return row;
  });
}
