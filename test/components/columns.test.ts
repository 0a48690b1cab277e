import { describe, expect, it } from 'vitest';
import { flexWidths, widest } from '../../components/columns.js';

describe('flexWidths', () => {
  it('short columns grow to their widest value, the title takes the rest', () => {
    // 100 columns: side wants 12 (min 10), gate wants 30 (min 18), title min 10 → 12 + 30 + 58.
    expect(flexWidths(100, [{ min: 10, want: 12 }, { min: 18, want: 30 }, { min: 10, want: 200 }])).toEqual([12, 30, 58]);
  });

  it('a cap stops a short column; everything left goes to the title', () => {
    expect(flexWidths(100, [{ min: 10, want: 80, max: 24 }, { min: 10, want: 5 }])).toEqual([24, 76]);
  });

  it('too narrow: every column at its minimum (the row is cut at the border)', () => {
    expect(flexWidths(20, [{ min: 10, want: 12 }, { min: 18, want: 30 }, { min: 10, want: 50 }])).toEqual([10, 18, 10]);
  });

  it('room for part of the growth: earlier columns first', () => {
    expect(flexWidths(45, [{ min: 10, want: 20 }, { min: 10, want: 20 }, { min: 10, want: 50 }])).toEqual([20, 15, 10]);
  });

  it('the title’s first share comes before the short columns grow', () => {
    // 100 columns, mins 10 + 18 + 10: the title first grows to 40, then side to 12, gate to 30; 8 left go to the title.
    expect(flexWidths(100, [{ min: 10, want: 12 }, { min: 18, want: 30 }, { min: 10, want: 200 }], 40)).toEqual([12, 30, 58]);
    // A narrower pane: the title keeps its 40, the gate gets what is left.
    expect(flexWidths(80, [{ min: 10, want: 12 }, { min: 18, want: 60 }, { min: 10, want: 200 }], 40)).toEqual([12, 28, 40]);
    // A short title takes only what it needs first.
    expect(flexWidths(80, [{ min: 10, want: 12 }, { min: 18, want: 60 }, { min: 10, want: 20 }], 40)).toEqual([12, 48, 20]);
  });

  it('widest measures terminal columns (a CJK glyph is two)', () => {
    expect(widest(['abc', '日本'])).toBe(4);
    expect(widest([])).toBe(0);
  });
});
