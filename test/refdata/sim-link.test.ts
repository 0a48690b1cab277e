// The simulator's Bitcoin up/down windows, when the world is given the hidden
// crypto paths: their rules text resolves to the right window, their truth
// follows the path, and they settle on "end ≥ start" of the same path the
// reference-data server quotes.
import { describe, expect, it } from 'vitest';
import { resolveMarket } from '../../src/refdata/resolve.js';
import { CryptoPaths } from '../../src/sim/crypto-paths.js';
import { advance, drawOutcomes } from '../../src/sim/truth.js';
import { Rng } from '../../src/sim/rng.js';
import { World } from '../../src/sim/world.js';

describe('World with crypto paths', () => {
  const epoch = Date.parse('2026-11-21T12:00:00Z');
  const paths = new CryptoPaths('w1', epoch - 86_400_000);
  const world = new World({ seed: 5, markets: 400, epochMs: epoch, cryptoPaths: paths });
  const ups = world.markets.filter((m) => m.category === 'Crypto/BTC-UpDown');

  it('generates linked up/down windows whose rules the resolver maps to BTC, Chainlink, the family window', () => {
    expect(ups.length).toBeGreaterThan(0);
    for (const m of ups) {
      const f = world.families[m.family]!;
      expect(f.link).toBeDefined();
      const r = resolveMarket({ id: m.id, conditionId: m.conditionId, question: m.question, slug: m.slug, description: m.description, resolutionSource: '', endDate: m.endMs });
      expect(r).toMatchObject({ status: 'mapped', asset: 'BTC', kind: 'updown', source: 'chainlink', windowStart: f.link!.startMs, resolvesAt: f.link!.endMs });
    }
  });

  it('truth follows the path and the outcome is end ≥ start on the path', () => {
    const rng = new Rng(1);
    for (const m of ups.slice(0, 10)) {
      const f = world.families[m.family]!;
      const mid = (f.link!.startMs + f.link!.endMs) / 2;
      advance(f, mid, rng);
      const upSoFar = paths.price('BTC', mid)! >= paths.price('BTC', f.link!.startMs)!;
      const p = world.truth(m, mid);
      if (Math.abs(f.x) > 1e-9) expect(p > 0.5).toBe(upSoFar);
      advance(f, f.link!.endMs + 1_000, rng);
      const up = paths.price('BTC', f.link!.endMs)! >= paths.price('BTC', f.link!.startMs)!;
      expect(drawOutcomes(f, rng)).toEqual([up ? 1 : 0]);
    }
  });

  it('the link perturbs nothing else: same markets, ids and questions as the world without paths; only up/down rules text differs', () => {
    const plain = new World({ seed: 5, markets: 400, epochMs: epoch });
    expect(plain.markets.map((m) => [m.id, m.question, m.conditionId])).toEqual(world.markets.map((m) => [m.id, m.question, m.conditionId]));
    const changed = world.markets.filter((m, i) => m.description !== plain.markets[i]!.description);
    expect(changed.map((m) => m.category).every((c) => c === 'Crypto/BTC-UpDown')).toBe(true);
    expect(changed.length).toBe(ups.length);
    expect(plain.families.every((f) => f.link === undefined)).toBe(true);
  });
});
