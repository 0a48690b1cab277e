// Signals and clusters in SQLite: a row when a signal first appears or its
// gate/tier/edge changes, with the reason that produced it. One transaction per batch.
import type { DB } from './db.js';
import type { ClusterRow } from '../scan/results.js';
import type { QueueItem } from '../plugins/queue.js';

export class SignalsRepo {
  private readonly insertSignal;
  private readonly upsertCluster;
  written = 0;

  constructor(private readonly db: DB) {
    this.insertSignal = db.prepare(
      'INSERT INTO signals (created_at, kind, strategy, market_id, token_id, side, entry, edge, size, priority, tier, confidence, gate, reason, json) VALUES (@created_at, @kind, @strategy, @market_id, @token_id, @side, @entry, @edge, @size, @priority, @tier, @confidence, @gate, @reason, @json)',
    );
    this.upsertCluster = db.prepare(
      'INSERT INTO clusters (id, created_at, event_type, summary, supporting_ids, confidence, json) VALUES (@id, @created_at, @event_type, @summary, @supporting_ids, @confidence, @json) ON CONFLICT(id) DO UPDATE SET summary = excluded.summary, supporting_ids = excluded.supporting_ids, confidence = excluded.confidence, json = excluded.json',
    );
  }

  save(items: readonly QueueItem[], clusters: readonly (ClusterRow & { marketIds?: string[] })[], now: number): void {
    if (!items.length && !clusters.length) return;
    this.db.transaction(() => {
      for (const it of items) {
        this.insertSignal.run({
          created_at: now,
          kind: it.kind,
          strategy: it.label,
          market_id: it.marketIds.join(','),
          token_id: it.tokenId ?? null,
          side: it.side,
          entry: it.entry === undefined ? null : Math.round(it.entry * 10_000),
          edge: it.edge ?? null,
          size: it.exec?.shares ?? null,
          priority: it.priority,
          tier: it.tier,
          confidence: it.confidence,
          gate: it.gate,
          reason: it.reasoning,
          json: JSON.stringify({ legs: it.legs, claimed: it.claimedWinRate, validated: it.validated, verdict: it.verdict }),
        });
        this.written++;
      }
      for (const c of clusters) {
        this.upsertCluster.run({
          id: c.id,
          created_at: now,
          event_type: c.category,
          summary: c.summary,
          supporting_ids: JSON.stringify(c.marketIds ?? []),
          confidence: c.confidence,
          json: JSON.stringify({ count: c.count, unique: c.unique, entities: c.entities, kind: c.kind }),
        });
      }
    })();
  }
}
