// Widths in terminal columns, not UTF-16 code units. A CJK ideograph or an emoji
// takes two columns, a combining mark none, and an emoji outside the Basic
// Multilingual Plane is two code units: counting `.length` misaligns every
// column after a market title in Chinese and can cut an emoji in half, leaving
// a lone surrogate that terminals draw as a replacement box. Measuring is
// string-width's (the same library Ink measures with, so our columns and Ink's
// layout agree); cutting happens only between grapheme clusters.
import stringWidth from 'string-width';

// Printable ASCII is one column per code unit: the common case skips the
// grapheme segmenter (this runs per row per frame).
const PLAIN = /^[\x20-\x7e]*$/;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Terminal columns `text` occupies (escape sequences take none). */
export function columns(text: string): number {
  return PLAIN.test(text) ? text.length : stringWidth(text);
}

/**
 * The longest prefix of `text` that fits in `width` columns, cut only between
 * grapheme clusters (never inside a surrogate pair, an emoji sequence or a
 * letter and its combining marks). A two-column glyph that would straddle the
 * edge is left out, so the result may be one column narrower than `width`.
 */
export function truncateColumns(text: string, width: number): string {
  if (width <= 0) return '';
  if (PLAIN.test(text)) return text.length > width ? text.slice(0, width) : text;
  let used = 0;
  let end = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width) return text.slice(0, index);
    used += w;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/** `text` followed by spaces up to `width` columns (unchanged when already that wide). */
export function padEndColumns(text: string, width: number): string {
  const w = columns(text);
  return w >= width ? text : text + ' '.repeat(width - w);
}

/** Spaces then `text`, `width` columns in all (unchanged when already that wide). */
export function padStartColumns(text: string, width: number): string {
  const w = columns(text);
  return w >= width ? text : ' '.repeat(width - w) + text;
}

/** The longest prefix of `text` of at most `max` UTF-16 units that ends between two code points. */
export function sliceCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  const last = text.charCodeAt(max - 1);
  // A high surrogate at the edge would be split from its pair.
  return last >= 0xd800 && last <= 0xdbff ? text.slice(0, max - 1) : text.slice(0, max);
}
