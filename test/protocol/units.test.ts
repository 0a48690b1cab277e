import { describe, expect, it } from 'vitest';
import { formatPrice, parseMillis, parsePrice, parseSize, PRICE_SCALE } from '../../src/protocol/units.js';

describe('parsePrice (integer units of 0.0001)', () => {
  it.each([
    ['.48', 4800],
    ['0.512', 5120],
    ['1', 10_000],
    ['0.0025', 25],
    ['0', 0],
    ['0.0001', 1],
    ['0.9999', 9999],
    ['0.491', 4910],
    ['0.50', 5000],
    ['1.0', 10_000],
  ])('parsePrice(%j) = %i', (text, units) => {
    expect(parsePrice(text)).toBe(units);
  });

  it.each([
    ['', 'empty'],
    ['abc', 'not a number'],
    ['1.5', 'above 1'],
    ['-0.1', 'negative'],
    ['0.00001', 'off the 0.0001 grid'],
    ['0.00015', 'off the 0.0001 grid'],
    ['1e400', 'overflows to Infinity'],
    ['Infinity', 'not finite'],
    ['NaN', 'not a number'],
    ['1.0001', 'just above 1'],
    ['0.' + '1'.repeat(40), 'longer than 32 characters'],
  ])('parsePrice(%j) is undefined (%s)', (text) => {
    expect(parsePrice(text)).toBeUndefined();
  });

  it('every grid price 0.0000..1.0000 round-trips: parsePrice(formatPrice(u)) = u for all 10,001 units', () => {
    for (let u = 0; u <= PRICE_SCALE; u++) {
      const back = parsePrice(formatPrice(u));
      if (back !== u) expect.fail(`formatPrice(${u}) = ${formatPrice(u)} parsed back to ${back}`);
    }
  });

  // Regression (fixed): parsePrice accepts non-decimal Number() literals: "0x1" and "0b1" parse as price 1.0 (10000 units).
  it('parsePrice rejects hex/binary/octal literals "0x1", "0b1", "0o1" (not wire decimals)', () => {
    expect(parsePrice('0x1')).toBeUndefined();
    expect(parsePrice('0b1')).toBeUndefined();
    expect(parsePrice('0o1')).toBeUndefined();
  });
});

describe('parseSize (non-negative shares)', () => {
  it.each([
    ['0', 0],
    ['85.36', 85.36],
    ['21574.08', 21574.08],
    ['10500100', 10_500_100],
    ['.5', 0.5],
  ])('parseSize(%j) = %d', (text, size) => {
    expect(parseSize(text)).toBe(size);
  });

  it.each(['', 'abc', '-1', '-0.01', '1e309', 'Infinity', 'NaN', '9'.repeat(33)])('parseSize(%j) is undefined', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });

  // Regression (fixed): parseSize accepts the hex literal "0x10" as 16 shares.
  it('parseSize rejects the hex literal "0x10" (would be 16 shares)', () => {
    expect(parseSize('0x10')).toBeUndefined();
  });
});

describe('parseMillis (ms timestamps, string on the wire, number in some captures)', () => {
  it('parseMillis("1724564136087") = 1724564136087 (string, as on the wire)', () => {
    expect(parseMillis('1724564136087')).toBe(1_724_564_136_087);
  });

  it('parseMillis(1761179883493) = 1761179883493 (number, as polypy stored it)', () => {
    expect(parseMillis(1_761_179_883_493)).toBe(1_761_179_883_493);
  });

  it('parseMillis("0") = 0 and parseMillis(0) = 0', () => {
    expect(parseMillis('0')).toBe(0);
    expect(parseMillis(0)).toBe(0);
  });

  it.each<[string | number, string]>([
    [-1, 'negative number'],
    ['-1', 'negative string'],
    [1.5, 'non-integer number'],
    ['1724564136087.5', 'non-integer string'],
    ['', 'empty'],
    ['abc', 'not a number'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.MAX_SAFE_INTEGER + 1, 'above 2^53 - 1'],
    ['99999999999999999999', 'above 2^53 - 1 as text'],
    ['1'.repeat(21), 'longer than 20 characters'],
  ])('parseMillis(%j) is undefined (%s)', (value) => {
    expect(parseMillis(value)).toBeUndefined();
  });

  // Regression (fixed): parseMillis accepts the hex literal "0x10" as timestamp 16 ms.
  it('parseMillis rejects the hex literal "0x10" (would be 16 ms)', () => {
    expect(parseMillis('0x10')).toBeUndefined();
  });
});
