import { describe, expect, it } from 'vitest';
import { diffOutcomes, type ReplayOutcome } from '../../src/replay/replay.js';

const outcome = (lines: string[]): ReplayOutcome => ({ frames: 0, events: 0, wallMs: 0, loopMs: 0, lines, signals: 0, arbs: 0, fills: lines.length, clusters: 0, restMisses: 0 }) as ReplayOutcome;

describe('diffOutcomes names what a fill traded', () => {
  it('a what-if fill at another price: market, side, size and price on both sides of the diff', () => {
    const fill = (price: number) => JSON.stringify({ type: 'fill', ts: 1, tokenId: '0xabc123456789', marketId: '500001', side: 'BUY', price, size: 120, fee: 0.5, orderId: 'o1', reason: 'r' });
    const d = diffOutcomes(outcome([fill(0.48)]), outcome([fill(0.47)]));
    expect(d.onlyBaseline).toEqual(['fill BUY 120.00 @ 0.4800 market 500001 token …456789']);
    expect(d.onlyWhatIf).toEqual(['fill BUY 120.00 @ 0.4700 market 500001 token …456789']);
    expect(d.common).toBe(0);
  });
});
