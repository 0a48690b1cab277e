import { describe, expect, it } from 'vitest';
import { KeyTokenizer } from '../../src/key-tokens.js';

describe('KeyTokenizer: raw terminal reads → one token per key', () => {
  it('a burst is one token per key; LF is Enter', () => {
    expect(new KeyTokenizer().push('jjj/Bit\n')).toEqual(['j', 'j', 'j', '/', 'B', 'i', 't', '\r']);
  });

  it('joined escape sequences: CSI arrows, PgDn, SS3 Home, Linux console F1, then text', () => {
    expect(new KeyTokenizer().push('\u001b[A\u001b[6~\u001bOHx\u001b[[Ay')).toEqual(['\u001b[A', '\u001b[6~', '\u001bOH', 'x', '\u001b[[A', 'y']);
  });

  it('a sequence split across reads waits for its end', () => {
    const t = new KeyTokenizer();
    expect(t.push('j\u001b')).toEqual(['j']);
    expect(t.pendingEscape).toBe(true);
    expect(t.push('[')).toEqual([]);
    expect(t.push('1;5')).toEqual([]);
    expect(t.push('Bk')).toEqual(['\u001b[1;5B', 'k']);
    expect(t.pendingEscape).toBe(false);
  });

  it('an ESC nothing follows is the Esc key once flushed; ESC + letter is Esc, then the letter', () => {
    const t = new KeyTokenizer();
    expect(t.push('\u001b')).toEqual([]);
    expect(t.flush()).toEqual(['\u001b']);
    expect(t.push('\u001bj')).toEqual(['\u001b', 'j']);
    expect(t.push('\u001b\u001b[B')).toEqual(['\u001b', '\u001b[B']);
  });

  it('bracketed-paste markers are dropped, the pasted keys kept; emoji stay whole', () => {
    expect(new KeyTokenizer().push('\u001b[200~/ab😀\r\u001b[201~')).toEqual(['/', 'a', 'b', '😀', '\r']);
  });
});
