// The resolver on the real catalog corpus: every market we labelled as crypto
// resolves exactly to its label (asset, kind, strike, window, instant, source)
// or stays unmapped, and every other market stays "not crypto". The labels in
// crypto-expectations.json were checked family by family against each rules
// text: instants against Gamma's endDate and eventStartTime (every difference
// traced to a rules text that states another time), strikes against slugs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeRefMarket } from '../../src/refdata/gamma-input.js';
import { resolveMarket } from '../../src/refdata/resolve.js';
import { FIXTURES, ROOT } from '../helpers/paths.js';

const CATALOG = join(FIXTURES, 'real-catalog', 'markets.json.gz');
const HAVE = existsSync(CATALOG);

interface Label {
  id: string;
  unmapped?: string;
  asset?: string;
  kind?: string;
  strike?: number | null;
  strikeHigh?: number;
  windowStart?: string | null;
  resolvesAt?: string;
  source?: string;
}

const labels = JSON.parse(readFileSync(join(ROOT, 'test', 'refdata', 'crypto-expectations.json'), 'utf8')) as Label[];
const ms = (iso: string | null | undefined) => (iso == null ? null : Date.parse(iso));

describe.skipIf(!HAVE)('resolver on the real catalog corpus', () => {
  const raw = HAVE ? (JSON.parse(gunzipSync(readFileSync(CATALOG)).toString('utf8')) as unknown[]) : [];
  const byId = new Map<string, unknown>();
  for (const m of raw) byId.set(String((m as { id: unknown }).id), m);

  it('every labelled crypto market resolves to its label; zero wrong mappings', () => {
    const wrong: string[] = [];
    let mapped = 0;
    for (const l of labels) {
      const m = byId.get(l.id);
      expect(m, `market ${l.id} in the corpus`).toBeDefined();
      const d = decodeRefMarket(m);
      if (!d.ok) throw new Error(d.error);
      const r = resolveMarket(d.value);
      if (l.unmapped !== undefined) {
        if (r.status !== 'unmapped' || !r.crypto || r.reason === '') wrong.push(`${l.id}: expected unmapped, got ${JSON.stringify(r)}`);
        continue;
      }
      mapped++;
      const want = { status: 'mapped', asset: l.asset, kind: l.kind, strike: l.strike, strikeHigh: l.strikeHigh, windowStart: ms(l.windowStart), resolvesAt: ms(l.resolvesAt), source: l.source };
      const got = r.status === 'mapped' ? { status: r.status, asset: r.asset, kind: r.kind, strike: r.strike, strikeHigh: r.strikeHigh, windowStart: r.windowStart, resolvesAt: r.resolvesAt, source: r.source } : r;
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${l.id}: want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
    }
    expect(wrong).toEqual([]);
    expect(mapped).toBeGreaterThan(900);
  });

  it('markets without a label are not crypto (no new mapping appears unreviewed)', () => {
    const labelled = new Set(labels.map((l) => l.id));
    const surprises: string[] = [];
    for (const [id, m] of byId) {
      if (labelled.has(id)) continue;
      const d = decodeRefMarket(m);
      if (!d.ok) continue;
      const r = resolveMarket(d.value);
      if (r.status === 'mapped' || r.crypto) surprises.push(`${id}: ${r.status}`);
    }
    expect(surprises).toEqual([]);
  });

  it('covers every family the corpus holds: chainlink windows, hourly and daily candles, 4h/daily/weekly ladders, brackets, touch rules', () => {
    const kinds = new Set(labels.filter((l) => !l.unmapped).map((l) => `${l.kind}/${l.source}`));
    for (const k of ['updown/chainlink', 'updown/binance', 'above/binance', 'below/binance', 'range/binance', 'reach/binance', 'dip/binance']) expect(kinds).toContain(k);
  });
});
