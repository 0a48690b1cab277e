import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogFileError, loadCatalogFile } from '../../src/scan/catalog-file.js';
import { categorize, formatCategorize } from '../../src/scan/categorize.js';
import { runScan } from '../../src/scan/scan.js';
import { FIXTURES, tempDir } from '../helpers/paths.js';

const ACTIVE = join(FIXTURES, 'wom-polymarket-strategy', 'active-markets.json');
/** The real captures live in ../shared; without them those tests are skipped, not failed. */
const HAVE = existsSync(ACTIVE);
if (!HAVE) console.warn(`real Gamma page not found at ${ACTIVE}: its tests are skipped`);

describe('loadCatalogFile', () => {
  it.skipIf(!HAVE)('reads a real Gamma /markets page (100 active markets, Feb 2026) with 0 rejects', () => {
    const ms = loadCatalogFile(ACTIVE);
    expect(ms).toHaveLength(100);
    expect(ms.rejected).toBe(0);
    expect(ms[0]!.tokenIds).toHaveLength(2);
  });

  it.skipIf(!HAVE)('accepts {markets: [...]} and counts 2 bad items as rejects without failing the file', () => {
    const dir = tempDir('scan-');
    const good = JSON.parse(readFileSync(ACTIVE, 'utf8')).slice(0, 3);
    const path = join(dir, 'dump.json');
    writeFileSync(path, JSON.stringify({ markets: [...good, { id: 1 }, 'nope'], next_cursor: null }));
    const ms = loadCatalogFile(path);
    expect(ms).toHaveLength(3);
    expect(ms.rejected).toBe(2);
    expect(ms.errors[0]).toMatch(/^item 3: gamma market/);
  });

  it('a missing file, non-JSON, or the wrong shape is a CatalogFileError with one line', () => {
    const dir = tempDir('scan-');
    expect(() => loadCatalogFile(join(dir, 'none.json'))).toThrow(CatalogFileError);
    writeFileSync(join(dir, 'bad.json'), '{nope');
    expect(() => loadCatalogFile(join(dir, 'bad.json'))).toThrow(/not JSON/);
    writeFileSync(join(dir, 'obj.json'), '{"data": []}');
    expect(() => loadCatalogFile(join(dir, 'obj.json'))).toThrow(/expected a JSON array/);
  });
});

describe.skipIf(!HAVE)('categorize and scan on real markets', () => {
  it('categorizes the 100 real markets: NHL Stanley Cup teams (Avalanche, Kings) are Sports/NHL, NBA Finals teams Sports/NBA', () => {
    const r = categorize(loadCatalogFile(ACTIVE));
    const of = (q: string) => r.rows.find((x) => x.question.includes(q))!.category;
    expect(of('Colorado Avalanche')).toBe('Sports/NHL');
    expect(of('Los Angeles Kings')).toBe('Sports/NHL');
    expect(of('Orlando Magic')).toBe('Sports/NBA');
    expect(of('Trump deport')).toBe('Politics/US-Government');
    expect(of('FIFA World Cup')).toBe('Sports/Soccer');
    expect(Object.values(r.distribution).reduce((a, b) => a + b, 0)).toBe(100);
    // Every category of the taxonomy plus the fallback, zeros included.
    expect(Object.keys(r.distribution)).toHaveLength(38);
    expect(r.distribution['Other']).toBeLessThanOrEqual(10);
  });

  it('formatCategorize prints counts with shares and marks categories that have strategies', () => {
    const text = formatCategorize(categorize(loadCatalogFile(ACTIVE)), { rows: 1 });
    expect(text.split('\n')[0]).toBe('Category distribution (100 markets):');
    expect(text).toMatch(/Sports\/NHL:\s+\d+ \(\s*[\d.]+%\)/);
    expect(text).toMatch(/Tech\/Musk-Tweets:\s+\d+ \(\s*[\d.]+%\)  strategies: MUSK_FADE_EXTREMES/);
  });

  it('scans the real page offline: no books → every queued signal gated, output valid and ≤ 3,600 characters', () => {
    const out = runScan(loadCatalogFile(ACTIVE), { now: Date.parse('2026-02-14T00:00:00Z') });
    expect(out.dedupe_summary.input_items).toBe(100);
    expect(JSON.stringify(out).length).toBeLessThanOrEqual(3600);
    for (const q of out.review_queue) expect(q.priority).toBe(0);
  });
});
