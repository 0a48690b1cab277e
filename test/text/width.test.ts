// Terminal columns, not UTF-16 units: worked examples with CJK, emoji (single
// code points outside the BMP, ZWJ sequences, flags) and combining marks.
import { describe, expect, it } from 'vitest';
import { columns, padEndColumns, padStartColumns, sliceCodePoints, truncateColumns } from '../../src/text/width.js';
import { sanitize } from '../../src/text/sanitize.js';

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('columns', () => {
  it('ASCII one each, CJK and emoji two each, combining marks none', () => {
    expect(columns('abc')).toBe(3);
    expect(columns('比特币')).toBe(6); // 3 units, 6 columns
    expect(columns('🚀')).toBe(2); // 2 units (a surrogate pair), 2 columns
    expect(columns('👩‍👩‍👧')).toBe(2); // a ZWJ family: 8 units, one glyph
    expect(columns('🇺🇸')).toBe(2); // a flag: two regional indicators
    expect(columns('e\u0301')).toBe(1); // e + combining acute: 2 units, 1 column
    expect(columns('\u001b[31mred\u001b[0m')).toBe(3);
  });
});

describe('truncateColumns', () => {
  it('keeps whole glyphs within the width; a wide glyph straddling the edge is left out', () => {
    expect(truncateColumns('hello', 3)).toBe('hel');
    expect(truncateColumns('比特币价格', 5)).toBe('比特'); // 4 columns: the third ideograph would need columns 5-6
    expect(truncateColumns('比特币价格', 6)).toBe('比特币');
    expect(truncateColumns('ab🚀cd', 3)).toBe('ab');
    expect(truncateColumns('ab🚀cd', 4)).toBe('ab🚀');
    expect(truncateColumns('x👩‍👩‍👧y', 3)).toBe('x👩‍👩‍👧');
    expect(truncateColumns('e\u0301te\u0301', 1)).toBe('e\u0301'); // the mark stays with its letter
    expect(truncateColumns('anything', 0)).toBe('');
  });

  it('never leaves a lone surrogate, at any width', () => {
    const s = 'Will 🚀 BTC 🇺🇸 hit 比特币 $1M? 👍🏽 café';
    for (let w = 0; w <= columns(s) + 1; w++) {
      const t = truncateColumns(s, w);
      expect(loneSurrogate.test(t)).toBe(false);
      expect(columns(t)).toBeLessThanOrEqual(w);
      expect(columns(t)).toBeGreaterThanOrEqual(w - 1); // at most one column lost to a straddling glyph
    }
  });
});

describe('padding', () => {
  it('pads to columns, not units', () => {
    expect(padEndColumns('比特', 6)).toBe('比特  ');
    expect(padStartColumns('🚀', 4)).toBe('  🚀');
    expect(padEndColumns('e\u0301', 3)).toBe('e\u0301  ');
    expect(padEndColumns('toolong', 3)).toBe('toolong');
  });
});

describe('sliceCodePoints (storage bounds)', () => {
  it('drops a high surrogate left at the edge', () => {
    expect(sliceCodePoints('ab🚀', 3)).toBe('ab');
    expect(sliceCodePoints('ab🚀', 4)).toBe('ab🚀');
    expect(sliceCodePoints('abc', 2)).toBe('ab');
  });

  it('sanitize bounds never split an emoji', () => {
    const t = sanitize('x🚀🚀🚀', 3); // room for 2 units before the ellipsis: x and half a rocket
    expect(t).toBe('x…');
    expect(loneSurrogate.test(sanitize('🚀'.repeat(300), 500))).toBe(false);
  });
});

describe('polyconsole status', () => {
  it('cuts a position\'s question to 70 columns, never inside an emoji or a wide glyph', async () => {
    const { formatStatus } = await import('../../src/status.js');
    const question = `${'比特币'.repeat(10)} 🚀🚀🚀 ${'x'.repeat(40)}`;
    const text = formatStatus({ db: 'x.db', cash: 1, fees: 0, realized: 0, positions: [{ tokenId: 't', marketId: 'm', question, outcome: 'YES', shares: 1, avgCost: 0.5, realized: 0 }], breaker: null, checkpoints: [], actions: [], counts: {} });
    const line = text.split('\n').find((l) => l.includes('比特币'))!;
    const shown = line.slice(line.indexOf('比'));
    expect(columns(shown)).toBeLessThanOrEqual(70);
    expect(columns(shown)).toBeGreaterThanOrEqual(69);
    expect(loneSurrogate.test(shown)).toBe(false);
  });
});
