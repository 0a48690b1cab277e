// A store with a fixed snapshot for component tests; actions are recorded.
import { EMPTY_SNAPSHOT, type Snapshot, type StoreLike } from '../../store/snapshot.js';

export class StaticStore implements StoreLike {
  readonly calls: string[] = [];
  private listeners = new Set<() => void>();
  readonly actions = {
    togglePause: () => {
      this.calls.push('togglePause');
      this.set({ status: { ...this.snap.status, run: this.snap.status.run === 'PAUSED' ? 'RUNNING' : 'PAUSED' } });
    },
    quit: () => void this.calls.push('quit'),
    batchSize: (dir: 1 | -1) => {
      this.calls.push(`batchSize ${dir}`);
      this.set({ status: { ...this.snap.status, scan: { ...this.snap.status.scan, batchSize: this.snap.status.scan.batchSize + 50 * dir } } });
    },
    togglePaper: () => {
      this.calls.push('togglePaper');
      this.set({ portfolio: { ...this.snap.portfolio, enabled: !this.snap.portfolio.enabled } });
    },
    halt: () => {
      this.calls.push('halt');
      this.set({ portfolio: { ...this.snap.portfolio, breaker: { ...this.snap.portfolio.breaker, state: 'HALTED', reason: 'operator' } } });
    },
    resume: () => void this.calls.push('resume'),
    execute: (key: string) => {
      this.calls.push(`execute ${key}`);
      return `executed ${key}`;
    },
    interval: (dir: 1 | -1) => {
      this.calls.push(`interval ${dir}`);
      this.set({ status: { ...this.snap.status, scan: { ...this.snap.status.scan, intervalMs: dir > 0 ? this.snap.status.scan.intervalMs * 2 : this.snap.status.scan.intervalMs / 2 } } });
    },
  };

  constructor(private snap: Snapshot = EMPTY_SNAPSHOT) {}

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = () => this.snap;

  set(patch: Partial<Snapshot>): void {
    this.snap = { ...this.snap, ...patch, seq: this.snap.seq + 1 };
    for (const l of this.listeners) l();
  }
}

export function sampleSnapshot(): Snapshot {
  return {
    ...EMPTY_SNAPSHOT,
    seq: 1,
    status: { ...EMPTY_SNAPSHOT.status, phase: 'streaming', line: 'streaming 400 tokens over 2 shards', msgsPerSec: 1234, books: { total: 400, fresh: 398, stale: 2, outOfSync: 0 }, catalog: { markets: 200, pages: 2, phase: 'done' }, clock: '12:00:00' },
    shards: [
      { id: 0, state: 'open', assets: 200, msgsPerSec: 20, history: [1, 5, 20], lastMsgAgeMs: 40, reconnects: 0, gaps: 0, staleBooks: 0, reason: '' },
      { id: 1, state: 'backoff', assets: 200, msgsPerSec: 0, history: [20, 0], lastMsgAgeMs: 31_000, reconnects: 2, gaps: 2, staleBooks: 200, reason: 'silent for 31 s' },
    ],
  };
}
