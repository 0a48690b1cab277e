// A store with a fixed snapshot for component tests; actions are recorded.
import { EMPTY_SNAPSHOT, type DepthView, type Snapshot, type StoreLike } from '../../store/snapshot.js';

export class StaticStore implements StoreLike {
  readonly calls: string[] = [];
  private listeners = new Set<() => void>();
  readonly actions = {
    togglePause: () => {
      this.calls.push('togglePause');
      this.set({ status: { ...this.snap.status, run: this.snap.status.run === 'PAUSED' ? 'RUNNING' : 'PAUSED' } });
      return this.snap.status.run === 'PAUSED' ? 'paused' : 'running';
    },
    quit: () => void this.calls.push('quit'),
    batchSize: (dir: 1 | -1) => {
      this.calls.push(`batchSize ${dir}`);
      const was = this.snap.status.scan.batchSize;
      const next = Math.max(50, Math.min(300, was + 50 * dir));
      this.set({ status: { ...this.snap.status, scan: { ...this.snap.status.scan, batchSize: next } } });
      return next === was ? `batch ${next} (${dir > 0 ? 'max' : 'min'})` : `batch ${next}`;
    },
    interval: (dir: 1 | -1) => {
      this.calls.push(`interval ${dir}`);
      this.set({ status: { ...this.snap.status, scan: { ...this.snap.status.scan, intervalMs: dir > 0 ? this.snap.status.scan.intervalMs * 2 : this.snap.status.scan.intervalMs / 2 } } });
      return `interval ${this.snap.status.scan.intervalMs / 1000} s`;
    },
    togglePaper: () => {
      this.calls.push('togglePaper');
      this.set({ portfolio: { ...this.snap.portfolio, enabled: !this.snap.portfolio.enabled } });
      return this.snap.portfolio.enabled ? 'paper trading ON' : 'paper trading OFF';
    },
    halt: () => {
      this.calls.push('halt');
      this.set({ portfolio: { ...this.snap.portfolio, breaker: { ...this.snap.portfolio.breaker, state: 'HALTED', reason: 'operator' } } });
      return 'HALTED';
    },
    resume: () => {
      this.calls.push('resume');
      return 'resumed';
    },
    execute: (key: string) => {
      this.calls.push(`execute ${key}`);
      return `executed ${key}`;
    },
  };

  constructor(private snap: Snapshot = EMPTY_SNAPSHOT) {}

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = () => this.snap;

  /** Books for detail views, set by a test; levels best first. */
  books = new Map<string, DepthView>();
  depth = (token: string, levels: number): DepthView | undefined => {
    const d = this.books.get(token);
    return d && { ...d, bids: d.bids.slice(0, levels), asks: d.asks.slice(0, levels) };
  };

  set(patch: Partial<Snapshot>): void {
    this.snap = { ...this.snap, ...patch, seq: this.snap.seq + 1 };
    for (const l of this.listeners) l();
  }
}

export function sampleSnapshot(): Snapshot {
  return {
    ...EMPTY_SNAPSHOT,
    seq: 1,
    status: {
      ...EMPTY_SNAPSHOT.status,
      phase: 'streaming',
      line: 'streaming 400 tokens',
      msgsPerSec: 1234,
      books: { total: 400, fresh: 398, stale: 2, outOfSync: 0 },
      catalog: { markets: 200, pages: 2, phase: 'done' },
      clock: '12:00:00',
      scan: { batchSize: 150, intervalMs: 300_000, stopReason: 'ok', line: 'scan 150/300s ok', batches: 3 },
      arbs: 2,
    },
    shards: [
      { id: 0, state: 'open', assets: 200, msgsPerSec: 20, history: [1, 5, 20], lastMsgAgeMs: 40, reconnects: 0, gaps: 0, staleBooks: 0, reason: '' },
      { id: 1, state: 'backoff', assets: 200, msgsPerSec: 0, history: [20, 0], lastMsgAgeMs: 31_000, reconnects: 2, gaps: 2, staleBooks: 200, reason: 'silent for 31 s' },
    ],
    signals: [
      { key: 'arb:a1', rank: 1, tier: 'ARB', kind: 'arb', label: 'buy-both', question: 'Will Bitcoin reach $150,000 by December 31, 2026?', side: 'YES + NO', edge: 0.04008, size: 120, confidence: 1, gate: 'ready', reasoning: 'buy YES 0.48 + NO 0.46, fees 0.01992: net 0.04008 per set', marketIds: ['500001'], legs: [{ outcome: 'YES', side: 'BUY', price: 4800, size: 120, fee: 1.1976 }, { outcome: 'NO', side: 'BUY', price: 4600, size: 120, fee: 1.19232 }] },
      { key: 'strategy:WEATHER_FADE_LONGSHOTS:500002', rank: 2, tier: 'WATCH', kind: 'strategy', label: 'WEATHER_FADE_LONGSHOTS', question: 'Will the highest temperature in Chicago be 31°F or below on November 23?', side: 'BUY No', entry: 0.93, edge: 0.0061, size: 300, ofi: 1.5, confidence: 0.9394, gate: 'ready', verdict: 'VALIDATED', reasoning: 'BUY No @0.9300 +fee 0.0033 = c 0.9333; q 0.939 Wilson LB n=412 VALIDATED (claimed 0.950); edge LB-c +0.0061/sh', marketIds: ['500002'], claimed: 0.95, validated: '95.4% (n 412, lower 93.9%) VALIDATED' },
      { key: 'strategy:MUSK_FADE_EXTREMES:500003', rank: 3, tier: 'IGNORE', kind: 'strategy', label: 'MUSK_FADE_EXTREMES', question: 'Will Elon Musk post fewer than 150 tweets from Nov 19 to Nov 26, 2026?', side: 'BUY No', confidence: 0, gate: 'no fresh book', verdict: 'UNPROVEN', reasoning: 'no fresh book', marketIds: ['500003'] },
    ],
    clusters: [
      {
        id: 'C-1',
        category: 'Weather/Temperature',
        count: 40,
        summary: 'Highest temperature in Chicago on November 23?',
        confidence: 0.9,
        kind: 'event',
        rule: 'one Gamma event',
        unique: 40,
        scannedAt: '11:58:00',
        more: 37,
        markets: [
          { id: '600001', question: 'Will the highest temperature in Chicago be 31°F or below on November 23?', outcome: 'Yes', price: 0.07, tie: 'same event', confidence: 0.9, url: 'https://polymarket.com/event/highest-temperature-in-chicago-on-november-23/highest-temperature-in-chicago-on-november-23-31forbelow' },
          { id: '600002', question: 'Will the highest temperature in Chicago be between 32-33°F on November 23?', outcome: 'Yes', price: 0.21, tie: 'same event', confidence: 0.9, url: '' },
          { id: '600003', question: 'Will the highest temperature in Chicago be 34°F or higher on November 23?', outcome: 'Yes', price: 0.72, tie: 'duplicate question', confidence: 0.9, url: 'https://polymarket.com/event/highest-temperature-in-chicago-on-november-23/highest-temperature-in-chicago-on-november-23-34forhigher' },
        ],
      },
      { id: 'C-2', category: 'Crypto/BTC-Price', count: 9, summary: 'Will Bitcoin reach $… by December 31, 2026?', confidence: 0.85 },
    ],
    ofi: [
      { token: 't1', marketId: '500001', question: 'Will Bitcoin reach $150,000 by December 31, 2026?', normalized: 2.5, ofi: 500, tradeFlow: 120, history: [0.1, 0.5, 2.5], divergence: 0.2, gap: false, micro: { score: 0.6, type: 'STRONG_BULLISH', confidence: 0.7 } },
      { token: 't2', marketId: '500002', question: 'Will the highest temperature in Chicago be 31°F or below on November 23?', normalized: -1.25, ofi: -80, tradeFlow: -40, history: [0, -1.25], divergence: 0, gap: true },
    ],
    portfolio: {
      ...EMPTY_SNAPSHOT.portfolio,
      enabled: true,
      cash: 9_876.5,
      equity: 10_012.25,
      realized: 12.5,
      unrealized: 135.75,
      fees: 3.21,
      orders: 4,
      fills: 5,
      positions: [{ tokenId: 'tk', marketId: '500001', question: 'Will Bitcoin reach $150,000 by December 31, 2026?', outcome: 'Yes', shares: 120, avgCost: 0.48, mark: 0.5, unrealized: 2.4 }],
      breaker: { state: 'ARMED', reason: '', drawdown: 0.01, resumePending: false },
    },
    links: { '500001': 'https://polymarket.com/event/what-price-will-bitcoin-hit-in-2026/will-bitcoin-reach-150000-by-december-31-2026', '500002': 'https://polymarket.com/event/highest-temperature-in-chicago-on-november-23' },
  };
}
