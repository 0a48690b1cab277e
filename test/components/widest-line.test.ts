// Ink measures every text node with widest-line on every frame; the CLI makes
// Ink load our memoized src/text/widest-line.ts in its place through Node's
// module hooks (src/text/ink-measure.ts), which work for a downstream or global
// install too, where package.json overrides would be ignored.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import widestLine, { cachedEntries, MAX_ENTRIES } from '../../src/text/widest-line.js';
import { redirects } from '../../src/text/ink-measure-hooks.js';
import { ROOT } from '../helpers/paths.js';

describe('memoized widest-line', () => {
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

describe('Ink loads it in place of widest-line', () => {
  it('redirects only Ink\'s own import of widest-line (npm, pnpm and Windows layouts)', () => {
    expect(redirects('widest-line', 'file:///app/node_modules/ink/build/render-node-to-output.js')).toBe(true);
    expect(redirects('widest-line', 'file:///app/node_modules/.pnpm/ink@6.8.0/node_modules/ink/build/measure-text.js')).toBe(true);
    expect(redirects('widest-line', 'file:///C:/app/node_modules/ink/build/output.js')).toBe(true);
    expect(redirects('widest-line', 'file:///app/node_modules/other/index.js')).toBe(false);
    expect(redirects('widest-line', undefined)).toBe(false);
    expect(redirects('string-width', 'file:///app/node_modules/ink/build/output.js')).toBe(false);
  });

  // Built code: the hooks need real .js files (npm test builds first).
  const built = join(ROOT, 'dist', 'src', 'text', 'ink-measure.js');
  it.skipIf(!existsSync(built))('after installInkMeasureCache(), a frame Ink renders is measured by our module', () => {
    const script = `
      const { installInkMeasureCache } = await import(${JSON.stringify(built)});
      const how = installInkMeasureCache();
      const React = await import('react');
      const { render, Text, Box } = await import('ink');
      const { cachedEntries } = await import(${JSON.stringify(join(ROOT, 'dist', 'src', 'text', 'widest-line.js'))});
      const { PassThrough } = await import('node:stream');
      const out = new PassThrough(); out.columns = 80; out.rows = 24; out.isTTY = false; out.resume();
      const app = render(React.createElement(Box, { borderStyle: 'round' }, React.createElement(Text, null, '比特币 ● ▲ +1.02')), { stdout: out, debug: true, patchConsole: false });
      app.unmount();
      console.log(JSON.stringify({ how, entries: cachedEntries() }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    const res = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(['sync', 'thread']).toContain(res.how);
    expect(res.entries).toBeGreaterThan(0);
  });
});
