import { describe, expect, it } from 'vitest';
import { diffOutcomes, type ReplayOutcome } from '../../src/replay/replay.js';

const outcome = (lines: string[]): ReplayOutcome => ({ frames: 0, events: 0, wallMs: 0, loopMs: 0, lines, signals: 0, arbs: 0, fills: lines.length, clusters: 0, restMisses: 0 }) as ReplayOutcome;

describe('diffOutcomes names what a fill traded', () => {
  it('a what-if fill at another price: side, size, outcome label, price, market id and question on both sides', () => {
    const fill = (price: number) => JSON.stringify({ type: 'fill', ts: 1, tokenId: '0xabc123456789', marketId: '500001', outcome: 'No', question: 'Will the Fed cut rates in March?', side: 'BUY', price, size: 120, fee: 0.5, orderId: 'o1', reason: 'r' });
    const d = diffOutcomes(outcome([fill(0.48)]), outcome([fill(0.47)]));
    expect(d.onlyBaseline).toEqual(['fill BUY 120.00 No @ 0.4800 · market 500001 Will the Fed cut rates in March?']);
    expect(d.onlyWhatIf).toEqual(['fill BUY 120.00 No @ 0.4700 · market 500001 Will the Fed cut rates in March?']);
    expect(d.common).toBe(0);
  });

  it('a named outcome (not Yes/No) is named; the same fill on both sides is common', () => {
    const fill = JSON.stringify({ type: 'fill', ts: 1, tokenId: 't', marketId: '9', outcome: 'Real Madrid', side: 'SELL', price: 0.3, size: 5, fee: 0, orderId: 'o', reason: '' });
    const d = diffOutcomes(outcome([fill]), outcome([]));
    expect(d.onlyBaseline).toEqual(['fill SELL 5.00 Real Madrid @ 0.3000 · market 9']);
    expect(diffOutcomes(outcome([fill]), outcome([fill])).common).toBe(1);
  });

  it('a line from a build without labels names the token; hostile text reaches the terminal clean', () => {
    const old = JSON.stringify({ type: 'fill', ts: 1, tokenId: '0xabc123456789', marketId: '1', side: 'BUY', price: 0.5, size: 1 });
    expect(diffOutcomes(outcome([old]), outcome([])).onlyBaseline).toEqual(['fill BUY 1.00 token …456789 @ 0.5000 · market 1']);
    const hostile = JSON.stringify({ type: 'fill', ts: 1, tokenId: 't', marketId: '1', outcome: 'Yes\u001b[2J', question: 'Q\u0007?', side: 'BUY', price: 0.5, size: 1 });
    const [line] = diffOutcomes(outcome([hostile]), outcome([])).onlyBaseline;
    expect(line).not.toMatch(/[\u0000-\u001f]/);
    expect(line).toContain('Yes');
  });
});
