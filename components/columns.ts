// Column widths for a pane row: fixed columns take what they take; text
// columns share the rest. The last column (the market title) first gets a fair
// share, then short text columns (side, gate) grow to their widest visible
// value, capped, and the title takes everything left. So a title is cut only
// when it runs to the pane's edge, never with empty columns beside it.
import { columns } from '../src/text/width.js';

export interface FlexColumn {
  /** Never narrower than this. */
  min: number;
  /** Widest visible value (terminal columns); growth stops there or at `max`. */
  want: number;
  max?: number;
}

/**
 * Widths of `cols` sharing `total` columns; the last one is the title and takes
 * the remainder. The title first grows to `titleFirst` columns (or its widest
 * value, if less), so a long gate reason never squeezes the market out.
 */
export function flexWidths(total: number, cols: readonly FlexColumn[], titleFirst = 0): number[] {
  const w = cols.map((c) => c.min);
  let left = total - w.reduce((a, b) => a + b, 0);
  const last = cols.length - 1;
  const grow = (i: number, to: number) => {
    const g = Math.max(0, Math.min(left, to - w[i]!));
    w[i] += g;
    left -= g;
  };
  if (last >= 0) grow(last, Math.min(cols[last]!.want, titleFirst));
  for (let i = 0; i < last && left > 0; i++) grow(i, Math.min(cols[i]!.want, cols[i]!.max ?? Infinity));
  if (last >= 0 && left > 0) w[last] += left;
  return w;
}

/** The widest of `texts` in terminal columns (0 for none). */
export function widest(texts: Iterable<string>): number {
  let n = 0;
  for (const t of texts) n = Math.max(n, columns(t));
  return n;
}
