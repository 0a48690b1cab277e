// A planted implication is a promise that the violation will be on the books:
// the market quoted "above" its implied partner needs room below 1 to sit there.
// Calming a threshold family narrows its spread, so the check must be made on
// the calmed family; judged before calming, some worlds (which ones moves with
// the epoch, i.e. with today's date) planted a pair whose partner already read
// ~0.99, and the violation never showed.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world.js';

const DAY = 86_400_000;

describe('planted implications leave room for the violation', () => {
  it('every planted threshold or temporal pair: the implied market reads < 0.7 at the epoch, and the implying one is quoted above it', () => {
    let pairs = 0;
    // The two seeds of the recall test, on days across a month (the epoch is "now" when the simulator runs on wall time).
    for (const seed of ['screen-r1', 'screen-r2']) {
      for (let day = 0; day < 8; day++) {
        const epochMs = Date.parse('2026-12-02T07:00:00Z') + day * 4 * DAY;
        const world = new World({ seed, markets: 2_000, epochMs, catalog: false });
        for (const p of world.planted) {
          if (p.kind !== 'implication') continue;
          const [a, b] = p.marketIds.map((id) => world.market(id)!);
          const kind = world.families[a!.family]!.kind;
          if (kind !== 'threshold') continue;
          pairs++;
          const tb = world.truth(b!, epochMs);
          expect(tb, `${seed} +${day * 4}d: ${b!.question}`).toBeLessThan(0.7);
          expect(a!.bias.kind).toBe('above');
        }
      }
    }
    expect(pairs).toBeGreaterThan(10);
  });
});
