// Ink measures every text node with widest-line on every frame; package.json
// overrides install components/widest-line (memoized) in its place.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import widestLine, { cachedEntries, MAX_ENTRIES } from 'widest-line';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('widest-line as Ink loads it', () => {
  it('is the memoized module from components/, and Ink has no copy of its own', () => {
    expect(realpathSync(join(root, 'node_modules/widest-line'))).toBe(realpathSync(join(root, 'components/widest-line')));
    expect(existsSync(join(root, 'node_modules/ink/node_modules/widest-line'))).toBe(false);
  });

  it('gives the width of the widest line, as string-width measures each line', () => {
    const cases = ['', 'plain ascii', '╭──╮\n│ ● open │\n╰──╯', '古い\nab', '\u001B[1m@\u001B[22m\n\u001B[31m▲ +1.02 ▅▁▁▃\u001B[39m', 'a\n\nlonger line…'];
    for (const text of cases) {
      const expected = Math.max(0, ...text.split('\n').map((l) => stringWidth(l)));
      expect(widestLine(text)).toBe(expected);
      expect(widestLine(text)).toBe(expected); // the remembered answer too
    }
    expect(widestLine('古い\nab')).toBe(4);
    expect(widestLine('\u001B[31m▲ +1.02\u001B[39m')).toBe(7);
  });

  it(`remembers at most ${MAX_ENTRIES} strings`, () => {
    for (let i = 0; i < MAX_ENTRIES + 100; i++) expect(widestLine(`row ${i} ●`)).toBe(`row ${i} ●`.length);
    expect(cachedEntries()).toBeGreaterThan(0);
    expect(cachedEntries()).toBeLessThanOrEqual(MAX_ENTRIES);
  });
});
