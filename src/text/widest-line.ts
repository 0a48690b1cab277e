// Ink 6 calls widestLine(text) for every text node on every frame
// (render-node-to-output.js) and does not cache it. string-width takes its slow
// path (Intl.Segmenter) for any line holding a non-ASCII glyph, and nearly every
// row of ours does (borders, ●, ▲, sparklines, …). Most rows do not change
// between two frames, so the same strings are measured over and over: about a
// quarter of a 120×40 frame. This module computes exactly what widest-line@6
// does, remembered per string; ink-measure.ts makes Ink load it in place of
// widest-line.
import stringWidth from 'string-width';

/** Entries kept before the cache starts over (a screen holds well under 1,000 text nodes). */
export const MAX_ENTRIES = 4096;

const cache = new Map<string, number>();

/** Columns needed by the widest line of `text` (ANSI escapes take none). */
export default function widestLine(text: string): number {
  let width = cache.get(text);
  if (width !== undefined) return width;
  width = 0;
  for (const line of text.split('\n')) width = Math.max(width, stringWidth(line));
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(text, width);
  return width;
}

/** Entries currently remembered (for tests, and to prove Ink is using this module). */
export function cachedEntries(): number {
  return cache.size;
}
