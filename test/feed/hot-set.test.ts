// The hot set follows opportunity without churning: open positions and resting
// orders are pinned, promotions (screen candidates, spikes, signals) beat
// volume, and a streamed market keeps its place against a newcomer that is only
// marginally busier.
import { describe, expect, it } from 'vitest';
import { chooseHotSet, INCUMBENT_BONUS, setRanker, volumeRanker } from '../../src/feed/hot-set.js';
import { market } from '../arb/helpers.js';

const a = market('A?', { id: 'a', volume: 1_000_000 });
const b = market('B?', { id: 'b', volume: 10_000 });
const c = market('C?', { id: 'c', volume: 12_000 });
const d = market('D?', { id: 'd', volume: 100 });
const all = [a, b, c, d];
const vol = volumeRanker(1_000_000);
const ids = (ms: { id: string }[]) => ms.map((m) => m.id).sort();

describe('chooseHotSet', () => {
  it('by volume alone, the two busiest markets fill a four-token cap', () => {
    expect(ids(chooseHotSet(all, 4, [vol]).markets)).toEqual(['a', 'c']);
  });

  it('hysteresis: a streamed market keeps its place against a marginally busier newcomer', () => {
    // c out-trades b by 20% (score gap ≈ 0.013), well inside the incumbent bonus.
    expect(vol.score(c) - vol.score(b)).toBeLessThan(INCUMBENT_BONUS);
    const choice = chooseHotSet(all, 4, [vol], new Set(), new Set(['a', 'b']));
    expect(ids(choice.markets)).toEqual(['a', 'b']);
    expect(choice.tokens).toHaveLength(4);
  });

  it('a promotion (screen candidate, weight 10) beats volume and incumbency; the weakest incumbent is demoted', () => {
    const promoted = new Set(['d']);
    const choice = chooseHotSet(all, 4, [vol, setRanker('screen candidates', 10, () => promoted)], new Set(), new Set(['a', 'b']));
    expect(ids(choice.markets)).toEqual(['a', 'd']);
  });

  it('pinned markets (open positions, resting orders) come first whatever else is promoted', () => {
    const promoted = new Set(['c', 'b']);
    const choice = chooseHotSet(all, 4, [vol, setRanker('screen candidates', 10, () => promoted)], new Set(['d']), new Set(['a', 'b']));
    expect(ids(choice.markets)).toContain('d');
    expect(choice.markets).toHaveLength(2);
  });

  it('closed and non-binary markets are never streamed', () => {
    const closed = market('E?', { id: 'e', volume: 9e9, closed: true });
    const three = market('F?', { id: 'f', volume: 9e9, tokenIds: ['f1', 'f2', 'f3'] });
    expect(ids(chooseHotSet([closed, three, d], 10, [vol]).markets)).toEqual(['d']);
  });
});
