// Cuts raw terminal input into keys, one token per key, in order.
//
// Over SSH, keys arrive in chunks that have nothing to do with key presses:
// `jjj` from key repeat or `/Bitcoin⏎` from a paste in one read, an arrow's
// ESC [ B split across two reads, two arrows joined in one. Each token here is
// one key: a CSI sequence (ESC [ params final, incl. the Linux console's
// ESC [ [ A), an SS3 sequence (ESC O x), a lone ESC, or one character. An ESC
// at the end of a chunk waits (see `pendingEscape`) for the rest of its
// sequence before it is taken for the Esc key. Bracketed-paste markers are
// dropped; the pasted text is keys like any other.

const ESC = '\u001b';

export class KeyTokenizer {
  private pending = '';

  /** Tokens complete so far; an unfinished escape sequence stays pending. */
  push(chunk: string): string[] {
    const s = this.pending + chunk;
    this.pending = '';
    const out: string[] = [];
    let i = 0;
    while (i < s.length) {
      if (s[i] !== ESC) {
        const cp = s.codePointAt(i)!;
        const ch = String.fromCodePoint(cp);
        // Enter may arrive as LF (some terminals, pastes); the console knows one Enter.
        out.push(ch === '\n' ? '\r' : ch);
        i += ch.length;
        continue;
      }
      const end = sequenceEnd(s, i);
      if (end === -1) {
        // Unfinished: keep it for the next chunk (or the Esc key, if nothing follows).
        this.pending = s.slice(i);
        break;
      }
      const token = s.slice(i, end);
      if (token !== '\u001b[200~' && token !== '\u001b[201~') out.push(token);
      i = end;
    }
    return out;
  }

  /** An escape sequence has started and not finished. */
  get pendingEscape(): boolean {
    return this.pending !== '';
  }

  /** Nothing more came: what is pending is the Esc key (and whatever followed it). */
  flush(): string[] {
    const p = this.pending;
    this.pending = '';
    if (!p) return [];
    return [ESC, ...this.push(p.slice(1))];
  }
}

/** Index after the escape sequence starting at `i`; -1 while it is unfinished. */
function sequenceEnd(s: string, i: number): number {
  const next = s[i + 1];
  if (next === undefined) return -1;
  if (next === '[') {
    let j = i + 2;
    if (s[j] === '[') j++; // Linux console function keys: ESC [ [ A
    for (; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c >= 0x20 && c <= 0x3f) continue; // parameters and intermediates
      if (c >= 0x40 && c <= 0x7e) return j + 1; // final byte
      return j; // malformed: end the sequence before the stray byte
    }
    return -1;
  }
  if (next === 'O') return s.length > i + 2 ? i + 3 : -1;
  // ESC followed by anything else is the Esc key, then that key.
  return i + 1;
}
