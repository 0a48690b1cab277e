import { describe, expect, it } from 'vitest';
import { FrameDiff, diffLine, parseCells } from '../../src/screen-diff.js';

describe('parseCells', () => {
  it('keeps each character with the style it is drawn in; wide characters take two cells', () => {
    const cells = parseCells('a\u001b[32mb\u001b[39m市');
    expect(cells.map((c) => c.ch)).toEqual(['a', 'b', '市', '']);
    expect(cells.map((c) => c.style)).toEqual(['', '\u001b[0;32m', '', '']);
  });

  it('bold then a colour then reset of intensity', () => {
    const cells = parseCells('\u001b[1m\u001b[31mX\u001b[22mY\u001b[0mZ');
    expect(cells.map((c) => c.style)).toEqual(['\u001b[0;1;31m', '\u001b[0;31m', '']);
  });
});

describe('diffLine', () => {
  it('one changed digit: a cursor move and that digit only', () => {
    expect(diffLine(parseCells('msg/s 170 ok'), parseCells('msg/s 171 ok'), 3, 80)).toBe('\u001b[3;9H1');
  });

  it('a shorter line: the new text, then erase to the end of the line', () => {
    expect(diffLine(parseCells('books 596/596'), parseCells('books 5'), 1, 80)).toBe('\u001b[1;8H\u001b[K');
  });

  it('a coloured change carries its style and resets after it', () => {
    expect(diffLine(parseCells('a b'), parseCells('a \u001b[31mc\u001b[39m'), 2, 80)).toBe('\u001b[2;3H\u001b[0;31mc\u001b[0m');
  });

  it('a line that fills the width is never followed by erase-to-end (it would erase the last cell)', () => {
    const out = diffLine(parseCells('x'.repeat(10)), parseCells('y'.repeat(10)), 1, 10);
    expect(out).toBe('\u001b[1;1H' + 'y'.repeat(10));
  });
});

describe('FrameDiff', () => {
  it('first frame is a full redraw; an identical frame writes nothing; a shorter frame blanks the rows it left', () => {
    const d = new FrameDiff(20, 10);
    expect(d.next('a\nb\nc')).toBe('\u001b[0m\u001b[H\u001b[2J\u001b[1;1Ha\u001b[2;1Hb\u001b[3;1Hc');
    expect(d.next('a\nb\nc')).toBe('');
    expect(d.next('a\nB')).toBe('\u001b[2;1HB\u001b[3;1H\u001b[2K');
    d.invalidate(30, 10);
    expect(d.next('a\nB')).toContain('\u001b[2J');
  });
});
