// The OFI pane's rows and the headless `ofi` summary: one row per market (its
// YES token), the top n by |normalised OFI|, with every window, the YES/NO
// divergence, a sparkline history and the gap/stale flags.
import { GAP_CONFIDENCE_FACTOR } from './micro-math.js';
import type { OfiTracker } from './ofi-tracker.js';
import type { OfiRow, OfiTopEntry } from './ofi-types.js';

export function ofiRows(t: OfiTracker, n: number, now: number, windowMs: number): OfiRow[] {
  const w = t.windowsMs.indexOf(windowMs);
  if (w < 0 || n <= 0) return [];
  // Keep the best n in a small sorted list: |normalised| descending, then slot order.
  const idx: number[] = [];
  const key: number[] = [];
  for (let i = 0; i < t.slotEnd; i++) {
    if (!t.isRowSlot(i, w, now)) continue;
    const k = Math.abs(t.slotNormalized(i, w, now));
    if (idx.length === n && k <= key[n - 1]!) continue;
    let at = idx.length;
    while (at > 0 && key[at - 1]! < k) at--;
    idx.splice(at, 0, i);
    key.splice(at, 0, k);
    if (idx.length > n) {
      idx.pop();
      key.pop();
    }
  }
  return idx.map((i) => row(t, i, w, now));
}

function row(t: OfiTracker, i: number, w: number, now: number): OfiRow {
  const p = t.slotPair(i);
  const windows = t.windowsMs.map((windowMs, k) => {
    const v = t.slotValue(i, k, now);
    // Trade flow in YES terms: buying NO is selling YES.
    const tradeFlow = p >= 0 ? v.tradeFlow - t.slotFlow(p, k, now) : v.tradeFlow;
    return { windowMs, ofi: v.ofi, normalized: v.normalized, tradeFlow, gap: v.gap };
  });
  const v = t.slotValue(i, w, now);
  const hasNo = p >= 0 && t.slotHasBook(p, w, now);
  // The NO book feeds the divergence and the YES-terms trade flow: its gaps flag the row too.
  const gap = v.gap || (p >= 0 && t.slotGap(p, w, now));
  return {
    ...v,
    gap,
    confidence: v.coverage * (gap ? GAP_CONFIDENCE_FACTOR : 1),
    marketId: t.slotMarket(i),
    token: t.slotToken(i),
    tradeFlow: windows[w]!.tradeFlow,
    windows,
    // The NO book mirrors YES, so its OFI is about −YES's: the sum is the disagreement.
    divergence: hasNo ? v.normalized + t.slotNormalized(p, w, now) : null,
    history: t.slotHistory(i, now),
    stale: t.slotStale(i) || (p >= 0 && t.slotStale(p)),
  };
}

export function topEntry(r: OfiRow): OfiTopEntry {
  return {
    market: r.marketId,
    token: r.token,
    norm: round(r.normalized, 4),
    ofi: round(r.ofi, 2),
    flow: round(r.tradeFlow, 2),
    div: r.divergence === null ? null : round(r.divergence, 4),
    gap: r.gap,
    stale: r.stale,
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
