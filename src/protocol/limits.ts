// Bounds on untrusted input, sized from the real venue with wide margins.
// Real Polymarket ids: token ids ~77 digits, condition ids 66 chars, book
// hashes 40 hex; titles are rarely over 300 characters.

/** Longest id (token, condition, market, event) or hash we keep. */
export const MAX_ID_CHARS = 128;
/** What an id or hash may contain: printable ASCII, no spaces (empty allowed: optional fields). */
export const ID_TEXT = /^[!-~]*$/;
/** Longest title, question, outcome, slug or tag we keep. */
export const MAX_TEXT_CHARS = 2000;
/** Deepest JSON nesting we hand to JSON.parse (real payloads nest < 8). */
export const MAX_JSON_DEPTH = 64;
/**
 * Largest WebSocket frame accepted. The biggest real frames are initial
 * dumps: ≤ 500 assets per connection × a few KB of levels each, a few MB.
 */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;
/** Largest REST body after decompression (a Gamma page is ~0.3 MB; /books for 500 tokens a few MB). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** Largest declared (on-the-wire, possibly compressed) REST body. */
export const MAX_WIRE_BYTES = 16 * 1024 * 1024;

/**
 * True when `text` nests arrays/objects deeper than `max`, found by one pass
 * that skips strings — so JSON.parse is never handed a nesting bomb (parsing
 * one blocks the event loop for seconds).
 */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/** JSON.parse behind the depth guard; throws a short Error on either failure. */
export function parseUntrustedJson(text: string, max = MAX_JSON_DEPTH): unknown {
  if (jsonTooDeep(text, max)) throw new Error(`JSON nested deeper than ${max} levels`);
  return JSON.parse(text);
}
