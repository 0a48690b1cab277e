// Untrusted text (market titles from the network) must never reach the
// terminal with control or escape sequences in it.

import { sliceCodePoints } from './width.js';

// ESC-introduced sequences (CSI, OSC, DCS, single-char escapes) and C0/C1 controls.
const ANSI = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[PX^_][^\u001b]*(?:\u001b\\)?|[0-~])/g;
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Plain, single-line, printable text: escapes removed, controls replaced by spaces. */
export function sanitize(text: string, maxLength = 500): string {
  const clean = text.replace(ANSI, '').replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim();
  // maxLength bounds storage (UTF-16 units); the cut never splits a surrogate pair.
  return clean.length > maxLength ? `${sliceCodePoints(clean, maxLength - 1)}…` : clean;
}
