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
