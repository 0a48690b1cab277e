// Training and test rows from resolved markets: one row per market at the
// decision time T = endDate − lead, features from `viewFromHistory` (history
// ≤ T only) through the same FeatureSpec the live scorer uses. T never depends
// on when the market actually closed: keying T to closedTime would tell the
// model, through "hours to end", which markets were decided early (a future
// fact). A market already closed at T is not live then and is left out (that is
// known at T). Strategy flags are the strategies whose rules the market meets
// at T itself (never at another strategy-specific time, which could lie after T).
import type { ResolvedMarket } from '../backtest/types.js';
import { takerFeePerShare } from '../arb/fees.js';
import type { Strategy } from '../scan/strategies.js';
import { defaultFeatureSpec, viewFromHistory, type FeatureSpec, type MarketView } from './features.js';
import type { SampleSet } from './model.js';

const HOUR_MS = 3_600_000;

export interface SampleOptions {
  leadMs: number;
  toleranceMs: number;
  /** Half spread assumed around the mid for the strategies' price bands and the ROI. */
  halfSpread: number;
  spec?: FeatureSpec;
  strategies?: readonly Strategy[];
}

export interface Samples extends SampleSet {
  /** Per row: index into the input markets. */
  market: Int32Array;
  /** Per row: taker fee schedule. */
  feeRate: Float64Array;
  feeExp: Float64Array;
  /** Event ids by event number. */
  eventIds: string[];
  /** Markets with no usable price at T. */
  skipped: number;
  /** Markets already closed at T (decided early): not live at the decision time. */
  closedBefore: number;
}

export function samplesFromResolved(markets: readonly ResolvedMarket[], o: SampleOptions): Samples {
  const spec = o.spec ?? defaultFeatureSpec();
  const d = spec.width;
  const rows: { i: number; view: MarketView; T: number }[] = [];
  let skipped = 0;
  let closedBefore = 0;
  markets.forEach((m, i) => {
    const T = m.endMs - o.leadMs;
    if (m.closedMs <= T) {
      closedBefore++;
      return;
    }
    const h = viewFromHistory(m.t, m.p, T, m.closedMs, Math.min(o.toleranceMs, o.leadMs / 2));
    if (!h) {
      skipped++;
      return;
    }
    const view: MarketView = { atMs: T, endMs: m.endMs, category: m.category, ...h };
    view.strategies = o.strategies ? o.strategies.filter((s) => strategyMatchesAt(s, m, T, h.mid, o.halfSpread)).map((s) => s.id) : [];
    rows.push({ i, view, T });
  });
  const n = rows.length;
  const eventNo = new Map<string, number>();
  const eventIds: string[] = [];
  const out: Samples = {
    n,
    d,
    x: new Float64Array(n * d),
    mid: new Float64Array(n),
    y: new Float64Array(n),
    resolvedMs: new Float64Array(n),
    atMs: new Float64Array(n),
    event: new Int32Array(n),
    market: new Int32Array(n),
    feeRate: new Float64Array(n),
    feeExp: new Float64Array(n),
    eventIds,
    skipped,
    closedBefore,
  };
  const buf = new Float64Array(d);
  rows.forEach((r, k) => {
    const m = markets[r.i]!;
    spec.vector(r.view, buf);
    out.x.set(buf, k * d);
    out.mid[k] = r.view.mid;
    out.y[k] = m.winner === 0 ? 1 : 0;
    out.resolvedMs[k] = m.closedMs;
    out.atMs[k] = r.T;
    let e = eventNo.get(m.eventId);
    if (e === undefined) {
      e = eventIds.push(m.eventId) - 1;
      eventNo.set(m.eventId, e);
    }
    out.event[k] = e;
    out.market[k] = r.i;
    out.feeRate[k] = m.fee.rate;
    out.feeExp[k] = m.fee.exponent;
  });
  return out;
}

/** The strategy's entry rules evaluated at time T with the YES mid `mid` (what the live scan checks). */
export function strategyMatchesAt(s: Strategy, m: Pick<ResolvedMarket, 'category' | 'endMs' | 'folded' | 'fee'>, T: number, mid: number, halfSpread: number): boolean {
  if (s.category !== m.category) return false;
  const e = s.entry;
  const hours = (m.endMs - T) / HOUR_MS;
  if (hours < e.hoursToResolution[0] || hours > e.hoursToResolution[1]) return false;
  if (e.utcHours) {
    const h = new Date(T).getUTCHours();
    const [from, to] = e.utcHours;
    if (!(from <= to ? h >= from && h < to : h >= from || h < to)) return false;
  }
  if (s.pattern && !s.pattern.test(m.folded)) return false;
  const ask = (s.outcomeIndex === 0 ? mid : 1 - mid) + halfSpread;
  return ask >= e.priceBand[0] && ask <= e.priceBand[1] && ask + takerFeePerShare(ask, m.fee) < 1;
}
