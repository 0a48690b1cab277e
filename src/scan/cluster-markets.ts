// What a cluster holds, for the console's cluster detail: its markets, each
// with its question, its first outcome's price, what ties it to the cluster
// and its page. Built once per scanned batch (the console only copies it), and
// bounded: the top markets by volume and a count of the rest.
import type { CatalogMarket } from '../protocol/gamma.js';
import { marketUrl } from '../protocol/market-url.js';
import { PRICE_SCALE } from '../protocol/units.js';
import { sanitize } from '../text/sanitize.js';
import { CLUSTER_RULES, type Cluster } from './cluster.js';

/** Markets listed per cluster; the rest are counted. */
export const CLUSTER_MARKETS_SHOWN = 25;

export interface ClusterMarket {
  id: string;
  /** Sanitised question. */
  question: string;
  /** The outcome the price is for ("Yes", "Up", a team): the market's first. */
  outcome: string;
  /** That outcome's price at the scan (the screened price when there is one), probability units. */
  price: number | undefined;
  /** Why it is in the cluster ("same event", "series nba", "duplicate question"). */
  tie: string;
  /** The tie's confidence (the rule's). */
  confidence: number;
  volume: number;
  /** polymarket.com page, '' when Gamma gave no usable slug. */
  url: string;
}

export interface ClusterMarkets {
  /** The cluster's rule in words (CLUSTER_RULES). */
  rule: string;
  markets: ClusterMarket[];
  /** Markets of the cluster not listed. */
  more: number;
}

function tieOf(c: Cluster, m: CatalogMarket | undefined, duplicate: boolean): string {
  if (duplicate) return 'duplicate question';
  switch (c.kind) {
    case 'event':
      return 'same event';
    case 'series':
      return sanitize(`series ${m?.seriesSlug ?? ''}`, 60);
    case 'ladder':
      return 'ladder rung';
    case 'single':
      return 'alone';
  }
}

/** The cluster's markets, top `limit` by volume; ids the batch does not hold are skipped and counted. */
export function clusterMarkets(c: Cluster, byId: ReadonlyMap<string, CatalogMarket>, limit = CLUSTER_MARKETS_SHOWN): ClusterMarkets {
  // Representatives come first in marketIds; the rest were merged into them as duplicates.
  const all = c.marketIds.map((id, i) => ({ id, m: byId.get(id), duplicate: i >= c.unique }));
  all.sort((a, b) => (b.m?.volume ?? -1) - (a.m?.volume ?? -1) || Number(a.duplicate) - Number(b.duplicate));
  const shown = all.slice(0, Math.max(0, limit));
  return {
    rule: CLUSTER_RULES[c.kind].rule,
    more: all.length - shown.length,
    markets: shown.map(({ id, m, duplicate }) => {
      const p = m?.outcomePrices[0];
      return {
        id,
        question: sanitize(m?.question ?? id, 200),
        outcome: sanitize(m?.outcomes[0] ?? '', 40),
        price: p === undefined ? undefined : p / PRICE_SCALE,
        tie: tieOf(c, m, duplicate),
        confidence: c.confidence,
        volume: Math.round(m?.volume ?? 0),
        url: m ? marketUrl(m) : '',
      };
    }),
  };
}
