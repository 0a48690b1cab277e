// Import of resolved markets from the venue's own formats: real Gamma closed
// markets (shared/fixtures/polymarket) and /prices-history answers, every
// unusable input counted by reason.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/backtest/evaluate.js';
import { importFiles } from '../../src/backtest/import-files.js';
import { FIXTURES, tempDir } from '../helpers/paths.js';
import { HOUR, strategy } from './helpers.js';

const HAVE = existsSync(FIXTURES);
const fx = (rel: string) => JSON.parse(readFileSync(join(FIXTURES, rel), 'utf8')) as Record<string, unknown>;
const tokens = (m: Record<string, unknown>) => JSON.parse(m['clobTokenIds'] as string) as string[];

describe.skipIf(!HAVE)('importFiles on real Gamma closed markets and /prices-history files', () => {
  // Fixtures are read in beforeAll: a skipped describe still runs its body to collect tests.
  let r!: ReturnType<typeof importFiles>;
  let closedYes!: Record<string, unknown>;
  beforeAll(() => {
  const dir = tempDir('pc-import-');
  const hist = join(dir, 'history');
  mkdirSync(hist);
  closedYes = fx('nautilus_trader/test_data/gamma_market_closed_binary_accepting_true.json'); // ["1","0"], closed 2026-05-09
  const closedNo = fx('nautilus_trader/test_data/gamma_market_closed_binary_accepting_false.json'); // ["0","1"], no history given
  const zeroZero = fx('nautilus_trader/test_data/gamma_market_closed_zero_zero_legacy.json'); // ["0","0"]
  const scalar = fx('nautilus_trader/test_data/gamma_market_closed_nonbinary_legacy.json'); // 0.58/0.42
  const page = JSON.parse(readFileSync(join(FIXTURES, 'wom-polymarket-strategy/markets.json'), 'utf8')) as Record<string, unknown>[];
  const byId = (id: string) => page.find((m) => m['id'] === id)!;
  writeFileSync(join(dir, 'closed.json'), JSON.stringify([closedYes, closedNo, zeroZero, scalar]));
  writeFileSync(join(dir, 'page.json'), JSON.stringify(page));
  // A real /prices-history answer, filed under the YES token of the market that resolved YES.
  writeFileSync(join(hist, `${tokens(closedYes)[0]}.json`), readFileSync(join(FIXTURES, 'wom-polymarket-strategy/active_prices_1d.json')));
  // The real empty answer of interval=max on a closed market, filed under market 19's YES token.
  writeFileSync(join(hist, `${tokens(byId('19'))[0]}.json`), readFileSync(join(FIXTURES, 'wom-polymarket-strategy/clob_prices_history_max.json')));
  // Market 40 (Trump 2020, settled NO): the NO token's series in batch-prices-history form, mirrored on import.
  const closed40 = Date.parse('2020-11-09T17:55:41Z') / 1000;
  const noSeries = Array.from({ length: 72 }, (_, i) => ({ t: closed40 - (72 - i) * 3600, p: 0.9 }));
  writeFileSync(join(hist, 'batch.json'), JSON.stringify({ history: { [tokens(byId('40'))[1]!]: noSeries } }));
  // Market 20: a series filed under the market id.
  const closed20 = Date.parse('2021-01-02T21:43:06Z') / 1000;
  writeFileSync(join(hist, '20.json'), JSON.stringify({ history: [{ t: closed20 - 86400 - 60, p: 0.03 }] }));
  writeFileSync(join(hist, 'unknown-token.json'), JSON.stringify({ history: [{ t: 1, p: 0.5 }] }));
  writeFileSync(join(hist, 'broken.json'), '{"history": [');

  r = importFiles({ markets: [join(dir, 'closed.json'), join(dir, 'page.json')], history: hist });
  });

  it('keeps the three settled binaries that have a series, with the winning token', () => {
    expect(r.markets.map((m) => m.id).sort()).toEqual(['1812085', '20', '40']);
    const yes = r.markets.find((m) => m.id === '1812085')!;
    expect(yes.winner).toBe(0);
    expect(yes.closedMs).toBe(Date.parse('2026-05-09T02:07:01Z'));
    expect(yes.endMs).toBe(Date.parse('2027-12-31T00:00:00Z'));
    // 1,440 real points, one duplicated second (the later value wins).
    const real = (fx('wom-polymarket-strategy/active_prices_1d.json')['history'] as { t: number }[]).map((h) => h.t);
    expect(real).toHaveLength(1440);
    expect(yes.t.length).toBe(new Set(real).size);
    expect(yes.p[0]).toBe(2300);
    const no = r.markets.find((m) => m.id === '40')!;
    expect(no.winner).toBe(1);
    expect(no.p[0]).toBe(1000); // NO at 0.90 → YES 0.10
    expect(no.eventId).toBe('4795');
  });

  it('counts every rejection by reason', () => {
    expect(r.read).toEqual({ marketFiles: 2, marketObjects: 14, historyFiles: 6, series: 5 });
    expect(r.rejects).toEqual({
      'unreadable JSON': 1,
      'duplicate market': 2, // ids 12 and 43 are in both files
      'not settled 1/0': 7, // ["0","0"] legacy and scalar markets
      'no history': 2, // 1460332 has no file; 19's file is the empty interval=max answer
      'history matching no market': 1,
    });
  });

  it('the real series is months before the close: no price near the entry, so no trade', () => {
    const s = strategy({ category: r.markets.find((m) => m.id === '1812085')!.category, outcome: 'YES', priceBand: [0.01, 0.99], hours: [1, 100_000] });
    const rep = evaluate(r.markets, s);
    expect(rep.skipped['no price near entry']).toBe(1);
  });

  it('entries on imported series use the price a lead before the close', () => {
    const m40 = r.markets.find((m) => m.id === '40')!;
    const s = strategy({ category: m40.category, outcome: 'NO', priceBand: [0.85, 0.95], hours: [1, 1000] });
    const rep = evaluate([m40], s, { leadMs: 24 * HOUR });
    expect(rep.n).toBe(1);
    expect(rep.trades[0]!.mid).toBeCloseTo(0.9, 10);
    expect(rep.trades[0]!.win).toBe(1);
    expect(rep.trades[0]!.fee).toBe(0); // feesEnabled false in 2020
  });
});
