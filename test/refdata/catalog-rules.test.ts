// The engine's catalog decoder keeps what the resolver reads: on the real
// catalog corpus, a market decoded as the engine decodes it (bounded fields)
// resolves exactly as the full Gamma object does — same asset, rule, strike,
// window, instant and source, or the same unmapped reason. With the description
// cut at 400 characters alone, 12 of 956 mapped markets resolved differently.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeGammaMarket } from '../../src/protocol/gamma.js';
import { decodeRefMarket } from '../../src/refdata/gamma-input.js';
import { resolveMarket } from '../../src/refdata/resolve.js';
import { refMarketOf } from '../../src/plugins/refdata-loop.js';
import { FIXTURES } from '../helpers/paths.js';

const CATALOG = join(FIXTURES, 'real-catalog', 'markets.json.gz');
const HAVE = existsSync(CATALOG);

describe('catalog decoder → resolver', () => {
  it('keeps rules text, resolution source and window start, bounded', () => {
    const long = 'x'.repeat(5_000);
    const r = decodeGammaMarket({ id: '1', question: 'Bitcoin Up or Down - May 1, 3PM ET', conditionId: '0xc', description: long, resolutionSource: 'https://data.chain.link/streams/btc-usd' + 'y'.repeat(1_000), eventStartTime: '2026-05-01T19:00:00Z', events: [{ id: '9', startTime: '2026-05-01T18:00:00Z' }] });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.description).toHaveLength(400);
    expect(r.value.rules).toHaveLength(2_000);
    expect(r.value.resolutionSource).toHaveLength(300);
    // The market's own eventStartTime wins over its event's startTime.
    expect(r.value.eventStartTime).toBe(Date.parse('2026-05-01T19:00:00Z'));
    const e = decodeGammaMarket({ id: '2', question: 'q', conditionId: '0xc', events: [{ id: '9', startTime: '2026-05-01T18:00:00Z' }] });
    expect(e.ok && e.value.eventStartTime).toBe(Date.parse('2026-05-01T18:00:00Z'));
    // Garbage in the new fields loses the field, not the market.
    const g = decodeGammaMarket({ id: '3', question: 'q', conditionId: '0xc', resolutionSource: 7, eventStartTime: 'soon' });
    expect(g.ok).toBe(true);
    expect(g.ok && [g.value.resolutionSource, g.value.eventStartTime, g.value.rules]).toEqual([undefined, undefined, undefined]);
  });

  it.skipIf(!HAVE)('on the real corpus every market resolves the same from the engine catalog as from the raw object', () => {
    const raw = JSON.parse(gunzipSync(readFileSync(CATALOG)).toString('utf8')) as unknown[];
    let mapped = 0;
    const differ: string[] = [];
    for (const m of raw) {
      const full = decodeRefMarket(m);
      const cat = decodeGammaMarket(m);
      if (!full.ok || !cat.ok) continue;
      const a = resolveMarket(full.value);
      const b = resolveMarket(refMarketOf(cat.value));
      if (a.status === 'mapped') mapped++;
      if (JSON.stringify(a) !== JSON.stringify(b)) differ.push(cat.value.id);
    }
    expect(mapped).toBeGreaterThan(900);
    expect(differ).toEqual([]);
  }, 120_000);
});
