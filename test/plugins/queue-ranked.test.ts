// The queue's ranking with a filter: the rows kept come out in the same
// relative order as the whole ranking (the paper loop ranks only the rows it
// could auto-trade, and must trade them in the order the screen shows).
import { describe, expect, it } from 'vitest';
import { SignalQueue, type QueueItem } from '../../src/plugins/queue.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('SignalQueue.ranked with a filter', () => {
  it('300 random queues: ranked(n, keep) is ranked() filtered by keep, cut at n; ties in every key are broken by the key', () => {
    const r = rng(7);
    for (let q = 0; q < 300; q++) {
      const queue = new SignalQueue();
      const n = 1 + Math.floor(r() * 40);
      for (let i = 0; i < n; i++) {
        // Coarse values so that ready, priority and edge often tie.
        const item: QueueItem = {
          key: `k${Math.floor(r() * 1e6)}-${i}`,
          kind: (['strategy', 'arb', 'spike'] as const)[Math.floor(r() * 3)]!,
          label: 'L',
          tier: r() < 0.5 ? 'AUTO-TRADE' : 'WATCH',
          priority: Math.floor(r() * 3) / 2,
          marketIds: ['m'],
          question: 'q',
          side: 'BUY Yes',
          confidence: 0,
          gate: r() < 0.5 ? 'ready' : 'spread: too wide',
          reasoning: '',
          autoTradable: r() < 0.5,
          seenAt: 0,
          firstSeen: 0,
        };
        if (r() < 0.7) item.edge = Math.floor(r() * 3) / 100;
        queue.upsert(item);
      }
      const keep = (it: QueueItem) => it.kind === 'strategy' && (it.tier === 'AUTO-TRADE' || it.autoTradable);
      const limit = r() < 0.5 ? Infinity : Math.floor(r() * n);
      const all = queue.ranked().filter(keep).slice(0, limit);
      expect(queue.ranked(limit, keep).map((it) => it.key)).toEqual(all.map((it) => it.key));
    }
  });
});
