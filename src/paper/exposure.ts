// Exposure for the caps, in micro-dollars of cost basis: positions held plus
// cash reserved by resting BUYs. An event is the Gamma event id (negRisk
// siblings and one city/day's weather buckets share it); a token with no
// catalog entry counts as its own market's event.
import type { Broker } from './broker.js';
import { notionalMicros } from './money.js';
import type { MarketInfo } from './types.js';

export interface Exposure {
  token: Map<string, number>;
  event: Map<string, number>;
  gross: number;
  /** Tokens with shares or a resting BUY. */
  open: Set<string>;
}

export function exposureOf(broker: Broker, infoOf: (tokenId: string) => MarketInfo | undefined): Exposure {
  const token = new Map<string, number>();
  const event = new Map<string, number>();
  const open = new Set<string>();
  let gross = 0;
  const add = (tokenId: string, eventId: string, micros: number) => {
    token.set(tokenId, (token.get(tokenId) ?? 0) + micros);
    event.set(eventId, (event.get(eventId) ?? 0) + micros);
    gross += micros;
    open.add(tokenId);
  };
  for (const p of broker.positions.values()) if (p.shares > 0) add(p.tokenId, infoOf(p.tokenId)?.eventId ?? p.eventId, p.costMicros);
  for (const o of broker.resting.values()) {
    if (o.side !== 'BUY') continue;
    add(o.tokenId, infoOf(o.tokenId)?.eventId ?? o.marketId, notionalMicros(o.limit, o.size - o.filled));
  }
  return { token, event, gross, open };
}
