// feed_incidents: every gap (shard, start, end, assets). Open incidents are kept
// in memory for the UI and written when they close.
import type { DB } from './db.js';

export interface Incident {
  shard: number;
  kind: 'disconnect' | 'stall' | 'overload' | 'gap';
  startMs: number;
  endMs?: number;
  assets: number;
  detail: string;
}

const KEEP = 200;

export class IncidentsRepo {
  /** Recent incidents, newest last. */
  readonly recent: Incident[] = [];
  total = 0;
  private readonly open_ = new Map<number, Incident>();
  private readonly insert;

  constructor(db: DB) {
    this.insert = db.prepare('INSERT INTO feed_incidents (shard, kind, start_ms, end_ms, assets, detail) VALUES (?, ?, ?, ?, ?, ?)');
  }

  /** Opens an incident for a shard unless one is already open. */
  open(inc: Incident): void {
    if (this.open_.has(inc.shard)) return;
    this.open_.set(inc.shard, inc);
    this.recent.push(inc);
    this.total++;
    if (this.recent.length > KEEP) this.recent.shift();
  }

  close(shard: number, at: number): void {
    const inc = this.open_.get(shard);
    if (!inc) return;
    inc.endMs = at;
    this.open_.delete(shard);
    this.insert.run(inc.shard, inc.kind, inc.startMs, inc.endMs, inc.assets, inc.detail);
  }

  closeAll(at: number): void {
    for (const shard of [...this.open_.keys()]) this.close(shard, at);
  }
}
