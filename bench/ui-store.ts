// A StoreLike for the UI bench (same contract as test/helpers/static-store.ts,
// which is not part of the build): a busy console's snapshot — 40 shards, 40
// OFI rows, 100 signals, 50 clusters, 20 positions — where each publish
// replaces ~10% of the rows of every pane, as the engine's store would.
import { EMPTY_SNAPSHOT, type ClusterPaneRow, type OfiPaneRow, type PositionRow, type ShardRow, type SignalPaneRow, type Snapshot, type StoreLike } from '../store/snapshot.js';

const QUESTIONS = [
  'Will Bitcoin reach $150,000 by December 31, 2026?',
  'Will the highest temperature in Chicago be 31°F or below on November 23?',
  'Will Elon Musk post fewer than 150 tweets from Nov 19 to Nov 26, 2026?',
  'Will the Fed cut rates at the December 2026 meeting?',
  'Will Arsenal win the Premier League 2026–27?',
  'Will ETH close above $6,000 on December 31, 2026?',
  'Highest temperature in NYC on November 24: 45–46°F?',
  'Will Taylor Swift announce a new album before 2027?',
];
const TIERS = ['AUTO-TRADE', 'ALERT', 'WATCH', 'IGNORE', 'ARB'];
const STATES: ShardRow['state'][] = ['open', 'open', 'open', 'open', 'backoff'];

/** A small deterministic generator: the same rows every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export class BenchStore implements StoreLike {
  private snap: Snapshot;
  private readonly listeners = new Set<() => void>();
  private readonly rnd = lcg(42);
  private v = 0;
  readonly actions = {
    togglePause: () => {
      this.patch({ status: { ...this.snap.status, run: this.snap.status.run === 'PAUSED' ? 'RUNNING' : 'PAUSED' } });
      return 'toggled';
    },
    quit: () => {},
    batchSize: () => 'batch',
    interval: () => 'interval',
    togglePaper: () => {
      this.patch({ portfolio: { ...this.snap.portfolio, enabled: !this.snap.portfolio.enabled } });
      return 'toggled';
    },
    halt: () => 'halted',
    resume: () => 'resumed',
    execute: (key: string) => `executed ${key}`,
  };

  constructor() {
    this.snap = {
      ...EMPTY_SNAPSHOT,
      seq: 1,
      status: {
        ...EMPTY_SNAPSHOT.status,
        phase: 'streaming',
        line: 'streaming 8,000 tokens',
        msgsPerSec: 25_000,
        books: { total: 8000, fresh: 7990, stale: 10, outOfSync: 0 },
        catalog: { markets: 30_000, pages: 60, phase: 'done' },
        clock: '12:00:00',
        scan: { batchSize: 150, intervalMs: 300_000, stopReason: 'ok', line: 'scan 150/300s ok', batches: 12 },
        arbs: 7,
      },
      shards: Array.from({ length: 40 }, (_, i) => this.shard(i)),
      ofi: Array.from({ length: 40 }, (_, i) => this.ofi(i)),
      signals: Array.from({ length: 100 }, (_, i) => this.signal(i)),
      clusters: Array.from({ length: 50 }, (_, i) => this.cluster(i)),
      portfolio: { ...EMPTY_SNAPSHOT.portfolio, enabled: true, cash: 9_876.5, equity: 10_012.25, realized: 12.5, unrealized: 135.75, fees: 3.21, orders: 40, fills: 52, positions: Array.from({ length: 20 }, (_, i) => this.position(i)), breaker: { state: 'ARMED', reason: '', drawdown: 0.01, resumePending: false } },
    };
  }

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => void this.listeners.delete(l);
  };

  getSnapshot = () => this.snap;

  /** One publish: ~`share` of the rows of every pane replaced, the status line ticks, listeners told once. */
  publish(share = 0.1): void {
    this.v++;
    const touch = <T>(rows: T[], make: (i: number) => T) => rows.map((r, i) => (this.rnd() < share ? make(i) : r));
    const s = this.snap;
    this.patch({
      status: { ...s.status, msgsPerSec: 24_000 + Math.floor(this.rnd() * 2000), clock: `12:${String(Math.floor(this.v / 300) % 60).padStart(2, '0')}:${String(Math.floor(this.v / 5) % 60).padStart(2, '0')}` },
      shards: touch(s.shards, (i) => this.shard(i)),
      ofi: touch(s.ofi, (i) => this.ofi(i)),
      signals: touch(s.signals, (i) => this.signal(i)),
      clusters: touch(s.clusters, (i) => this.cluster(i)),
      portfolio: { ...s.portfolio, positions: touch(s.portfolio.positions, (i) => this.position(i)) },
    });
  }

  private patch(p: Partial<Snapshot>): void {
    this.snap = { ...this.snap, ...p, seq: this.snap.seq + 1 };
    for (const l of this.listeners) l();
  }

  private shard(i: number): ShardRow {
    const rate = Math.round(400 + this.rnd() * 400);
    return { id: i, state: STATES[i % STATES.length]!, assets: 200, msgsPerSec: rate, history: Array.from({ length: 30 }, () => Math.round(this.rnd() * 800)), lastMsgAgeMs: Math.round(this.rnd() * 200), reconnects: i % 7, gaps: i % 5, staleBooks: i % 11 ? 0 : 3, reason: i % 5 === 4 ? 'silent for 31 s' : '' };
  }

  private ofi(i: number): OfiPaneRow {
    const n = (this.rnd() - 0.5) * 6;
    return { token: `t${i}`, marketId: String(500_000 + i), question: QUESTIONS[i % QUESTIONS.length]!, normalized: n, ofi: Math.round(n * 200), tradeFlow: Math.round(n * 50), history: Array.from({ length: 30 }, () => (this.rnd() - 0.5) * 6), divergence: this.rnd() - 0.5, gap: i % 13 === 0, micro: { score: this.rnd() * 2 - 1, type: 'STRONG_BULLISH', confidence: this.rnd() } };
  }

  private signal(i: number): SignalPaneRow {
    const tier = TIERS[i % TIERS.length]!;
    return { key: `sig:${i}`, rank: i + 1, tier, kind: tier === 'ARB' ? 'arb' : 'strategy', label: tier === 'ARB' ? 'buy-both' : 'WEATHER_FADE_LONGSHOTS', question: QUESTIONS[i % QUESTIONS.length]!, side: i % 2 ? 'BUY No' : 'BUY Yes', entry: 0.5 + this.rnd() * 0.45, edge: (this.rnd() - 0.3) * 0.05, size: Math.round(this.rnd() * 400), ofi: (this.rnd() - 0.5) * 4, confidence: this.rnd(), gate: i % 4 ? 'ready' : 'no fresh book', reasoning: 'BUY No @0.9300 +fee 0.0033 = c 0.9333; q 0.939 (claimed); edge +0.0057/sh', marketIds: [String(500_000 + i)] };
  }

  private cluster(i: number): ClusterPaneRow {
    return { id: `C-${i}`, category: i % 2 ? 'Weather/Temperature' : 'Crypto/BTC-Price', count: 2 + Math.floor(this.rnd() * 40), summary: QUESTIONS[i % QUESTIONS.length]!, confidence: 0.5 + this.rnd() / 2 };
  }

  private position(i: number): PositionRow {
    const avg = 0.3 + this.rnd() * 0.6;
    const mark = avg + (this.rnd() - 0.5) * 0.1;
    return { tokenId: `tk${i}`, marketId: String(500_000 + i), question: QUESTIONS[i % QUESTIONS.length]!, outcome: i % 2 ? 'No' : 'Yes', shares: 10 + Math.floor(this.rnd() * 300), avgCost: avg, mark, unrealized: (mark - avg) * 100 };
  }
}
