import { describe, expect, it } from 'vitest';
import { sanitize } from '../../src/text/sanitize.js';

describe('sanitize', () => {
  it('removes CSI, OSC and single-character escapes', () => {
    expect(sanitize('Will \u001b[31mBTC\u001b[0m hit $100k?')).toBe('Will BTC hit $100k?');
    expect(sanitize('\u001b]0;pwned\u0007Title')).toBe('Title');
    expect(sanitize('a\u001bcb')).toBe('ab');
  });

  it('turns control characters and line breaks into single spaces', () => {
    expect(sanitize('one\ntwo\r\tthree\u0000four\u0085five')).toBe('one two three four five');
  });

  it('removes bidi overrides that could disguise text', () => {
    expect(sanitize('abc\u202edef')).toBe('abc def');
  });

  it('truncates very long titles', () => {
    expect(sanitize('x'.repeat(600), 10)).toBe('xxxxxxxxx…');
  });
});
