// What the screen shows of a fair value beside the market: one line
// (`fair 0.62 · mkt 0.55 · micro WEAK_BULLISH`), the arithmetic behind it,
// and where its inputs came from. Pure: the store calls it per snapshot.
import { explainFair } from './fair.js';
import type { FairRow } from './service.js';

export interface FairPaneView {
  /** Fair probability of YES/Up, or null when neutral. */
  p: number | null;
  /** `fair 0.62 · mkt 0.55 · micro WEAK_BULLISH` (fair and mkt of YES/Up). */
  line: string;
  /** The arithmetic (priced), or why it is neutral. */
  explain: string;
  /** Provider, symbol, tier and spot age. */
  source: string;
}

const p2 = (x: number | undefined | null) => (x === undefined || x === null || !Number.isFinite(x) ? '—' : x.toFixed(2));

/**
 * @param mkt the YES/Up mid of a fresh book (undefined when there is none)
 * @param micro the market's microstructure class (undefined when not scored)
 * @param funding the asset's perpetual funding rate in percent (Coinalyze), when read
 */
export function fairPaneView(row: FairRow, mkt: number | undefined, micro: string | undefined, funding?: { rate: number; symbol: string }): FairPaneView {
  const priced = row.fair.status === 'priced' ? row.fair : undefined;
  const p = priced ? priced.p : null;
  const line = `fair ${priced ? p2(priced.p) : 'neutral'} · mkt ${p2(mkt)} · micro ${micro ?? '—'}`;
  const explain = priced ? explainFair(row.kind, priced) : `neutral: ${row.fair.status === 'neutral' ? row.fair.reason : ''} (no probability, no signal)`;
  const age = row.spotAgeMs === null ? 'no spot' : `spot ${Math.round(row.spotAgeMs / 1000)} s old`;
  const vol = priced ? ` · σ ${priced.inputs.sigmaKind} (${priced.inputs.sigmaSource})` : '';
  // Coinalyze quotes funding in percent per interval; shown, not used in the price.
  const fund = funding ? ` · funding ${funding.rate >= 0 ? '+' : ''}${funding.rate.toFixed(4)}% (coinalyze ${funding.symbol})` : '';
  const source = `${row.provider} ${row.symbol ?? '—'} · ${row.tier} · ${age}${vol}${fund}`;
  return { p, line, explain, source };
}
