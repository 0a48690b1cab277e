// The one gate between untrusted text and the terminal. Titles, outcomes,
// venue error bodies, status and log lines, the `status` command and the HTML
// report all pass through here before they are shown, so a market title or an
// HTTP 500 body can never move the cursor, clear the screen, retitle the
// window, reorder text (bidi) or hide characters (format controls).

import { sliceCodePoints } from './width.js';

// ESC- and 8-bit-introduced sequences: CSI, OSC (to BEL/ST, or to the end if
// unterminated), DCS/SOS/PM/APC, and single-character escapes.
const ESCAPES =
  /\u001b(?:\[[0-?]*[ -/]*[@-~]?|\][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|[PX^_][^\u001b\u009c]*(?:\u001b\\|\u009c)?|[ -/]*[0-~]?)|\u009b[0-?]*[ -/]*[@-~]?|[\u0090\u0098\u009d\u009e\u009f][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?/g;
// Every C0/C1 control (Cc), every invisible format character (Cf: bidi marks,
// embeddings, overrides and isolates, U+061C, zero-width characters, U+2060,
// U+FEFF, tags), line/paragraph separators, and lone surrogates.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** Plain, single-line, printable text: escapes removed, controls replaced by spaces. */
export function sanitize(text: string, maxLength = 500): string {
  const s = typeof text === 'string' ? text : String(text);
  // Cut first so a hostile 10 MB string costs no more than a short one.
  const head = s.length > maxLength * 4 + 64 ? s.slice(0, maxLength * 4 + 64) : s;
  const clean = head.replace(ESCAPES, '').replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  // maxLength bounds storage (UTF-16 units); the cut never splits a surrogate pair.
  return clean.length > maxLength ? `${sliceCodePoints(clean, maxLength - 1)}…` : clean;
}

/** True when text would reach a terminal unchanged (used by tests and guards). */
export function isTerminalSafe(text: string): boolean {
  ESCAPES.lastIndex = 0;
  INVISIBLE.lastIndex = 0;
  const bad = ESCAPES.test(text) || INVISIBLE.test(text);
  ESCAPES.lastIndex = 0;
  INVISIBLE.lastIndex = 0;
  return !bad;
}
