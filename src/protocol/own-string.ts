// Strings cut from a frame are V8 "sliced strings": they point into the whole
// frame text and keep it alive. A book that keeps its last hash as such a slice
// keeps the last frame that touched it — up to one frame (an initial dump can be
// 200 books) per book. Anything decoded that outlives its frame goes through
// ownString first.

/** V8 copies slices shorter than this anyway. */
const SLICE_MIN = 13;

/** `s` as a string of its own: equal to `s`, holding no reference to a larger text. */
export function ownString(s: string): string {
  // Concatenation makes a cons string; slicing it flattens it into a fresh
  // copy of these few characters, so the result's parent is that copy.
  return s.length < SLICE_MIN ? s : (' ' + s).slice(1);
}

/**
 * `s` as a flat string of its own, for a key looked up on every update (a
 * token id in a map of books). `ownString` returns a slice of a private copy:
 * it holds no frame, but every comparison with it goes through the slice to
 * its parent, an extra memory access per lookup. This copies the characters
 * (~0.4 µs for a 77-digit id) and interns the copy: once per key, not per update.
 */
export function ownKey(s: string): string {
  if (s.length < SLICE_MIN) return s;
  // Latin-1 round-trips every id the venue sends (digits, hex); anything wider keeps the slice.
  const copy = Buffer.from(s, 'latin1').toString('latin1');
  return copy === s ? internKey(copy) : ownString(s);
}

/**
 * The engine's one copy of `s` (V8 interns every property name). A map lookup
 * whose key and stored key are both interned matches by address, without
 * reading the stored key's characters: a compiled recording interns its string
 * table, so its events find their books that way.
 */
export function internKey(s: string): string {
  // A prototype-less object is a dictionary: adding a key makes no hidden class. (A literal
  // `{ [s]: 0 }` would add one transition per id to every plain object's root class, thousands
  // of them, and V8 then re-optimised the replay's event building over and over.)
  const o = Object.create(null) as Record<string, number>;
  o[s] = 0;
  for (const k in o) return k;
  return s;
}
