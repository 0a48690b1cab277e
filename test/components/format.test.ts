import { describe, expect, it } from 'vitest';
import { fit, pad, usd } from '../../components/format.js';
import { columns } from '../../src/text/width.js';

describe('pane formatting', () => {
  it('usd groups thousands with two decimals and switches to k at $100,000', () => {
    expect(usd(0)).toBe('$0.00');
    expect(usd(0.005)).toBe('$0.01');
    expect(usd(999.999)).toBe('$1,000.00');
    expect(usd(9876.5)).toBe('$9,876.50');
    expect(usd(-12345.6)).toBe('-$12,345.60');
    expect(usd(1234567 / 100)).toBe('$12,345.67');
    expect(usd(250_000)).toBe('$250k');
  });

  it('fit cuts to the width with an ellipsis and strips escape sequences; pad right-aligns', () => {
    expect(fit('Will Bitcoin reach $150k?', 10)).toBe('Will Bitc…');
    expect(fit('ok', 4)).toBe('ok  ');
    expect(fit('\u001b[31mred\u001b[0m', 5)).not.toContain('\u001b');
    expect(pad('7', 3)).toBe('  7');
  });

  it('fit and pad fill exactly the width in terminal columns with CJK, emoji and combining marks', () => {
    const cols = (s: string) => columns(s);
    // CJK: two columns a glyph; the cut leaves room for the ellipsis.
    expect(fit('比特币会涨到十万吗', 8)).toBe('比特币… ');
    expect(cols(fit('比特币会涨到十万吗', 8))).toBe(8);
    expect(fit('比特币', 8)).toBe('比特币  ');
    // Emoji are never cut in half.
    expect(fit('🚀🚀🚀🚀', 6)).toBe('🚀🚀… ');
    expect(fit('Go 🚀 now', 5)).toBe('Go … '); // the rocket would straddle the ellipsis' column
    expect(fit('Go 🚀 now', 6)).toBe('Go 🚀…');
    // Combining marks take no column.
    expect(fit('Pokémon', 8)).toBe('Pokémon ');
    expect(fit('Poke\u0301mon', 8)).toBe('Poke\u0301mon ');
    expect(cols(fit('Poke\u0301mon', 8))).toBe(8);
    // pad right-aligns by columns and cuts wide text to the width.
    expect(pad('比特', 6)).toBe('  比特');
    expect(pad('🚀', 3)).toBe(' 🚀');
    expect(cols(pad('比特币价格', 5))).toBe(5);
    for (const s of ['比特币价格上涨', '👩‍👩‍👧 family 🇺🇸', 'naïve café', 'x'.repeat(30)]) {
      for (let w = 1; w <= 12; w++) {
        expect(cols(fit(s, w))).toBe(w);
        expect(cols(pad(s, w))).toBe(w);
      }
    }
  });
});
