// Checkpoints of every tracker that holds state across cycles, so a restart
// resumes where the last run stopped: written every N cycles in one transaction and on
// SIGINT/SIGTERM; on start each tracker's staleness is logged and state older
// than that tracker's tolerance is discarded for that tracker only; state that
// fails validation starts fresh with a warning. Nothing here throws at callers.
import type { DB } from './db.js';
import { systemWall, type WallNow } from '../clock.js';

export interface Checkpointable {
  /** Unique name (tracker_state primary key). */
  readonly name: string;
  /** Older state than this is discarded on start (e.g. OFI 10 s, arbitrage 60 s). */
  readonly toleranceMs: number;
  toCheckpoint(): unknown;
  /** Restores from JSON; returns false if the data is invalid (the tracker then starts fresh). */
  fromCheckpoint(json: unknown, ageMs: number): boolean;
}

export interface RestoreReport {
  name: string;
  outcome: 'restored' | 'stale' | 'invalid' | 'none';
  ageMs?: number;
  message: string;
}

export interface CheckpointRow {
  name: string;
  cycle: number;
  updated_at: number;
  bytes: number;
}

export class Checkpoints {
  private readonly trackers = new Map<string, Checkpointable>();
  private readonly upsert;
  private readonly select;
  written = 0;
  lastWriteAt = 0;
  lastCycle = 0;

  constructor(
    private readonly db: DB,
    private readonly now: WallNow = systemWall,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.upsert = db.prepare(
      'INSERT INTO tracker_state (name, json, cycle, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET json = excluded.json, cycle = excluded.cycle, updated_at = excluded.updated_at',
    );
    this.select = db.prepare('SELECT name, json, cycle, updated_at FROM tracker_state WHERE name = ?');
  }

  register(t: Checkpointable): void {
    this.trackers.set(t.name, t);
  }

  get names(): string[] {
    return [...this.trackers.keys()];
  }

  /** Writes every tracker in one transaction. */
  save(cycle: number): number {
    const at = this.now();
    const rows: [string, string][] = [];
    for (const t of this.trackers.values()) {
      try {
        rows.push([t.name, JSON.stringify(t.toCheckpoint())]);
      } catch (err) {
        this.log(`checkpoint ${t.name}: could not serialise (${(err as Error).message}); kept the previous one`);
      }
    }
    this.db.transaction(() => {
      for (const [name, json] of rows) this.upsert.run(name, json, cycle, at);
    })();
    this.written++;
    this.lastWriteAt = at;
    this.lastCycle = cycle;
    return rows.length;
  }

  /** Restores every registered tracker, logging one line each. */
  restore(): RestoreReport[] {
    const out: RestoreReport[] = [];
    const now = this.now();
    for (const t of this.trackers.values()) {
      const row = this.select.get(t.name) as { name: string; json: string; cycle: number; updated_at: number } | undefined;
      let report: RestoreReport;
      if (!row) report = { name: t.name, outcome: 'none', message: `${t.name}: no checkpoint, starting fresh` };
      else {
        const ageMs = now - row.updated_at;
        const age = fmtAge(ageMs);
        if (ageMs > t.toleranceMs) report = { name: t.name, outcome: 'stale', ageMs, message: `${t.name}: checkpoint ${age} old exceeds tolerance ${fmtAge(t.toleranceMs)}, discarded` };
        else {
          let ok = false;
          let why = '';
          try {
            ok = t.fromCheckpoint(JSON.parse(row.json), ageMs);
          } catch (err) {
            why = ` (${(err as Error).message.slice(0, 80)})`;
          }
          report = ok
            ? { name: t.name, outcome: 'restored', ageMs, message: `${t.name}: restored checkpoint from cycle ${row.cycle}, ${age} old` }
            : { name: t.name, outcome: 'invalid', ageMs, message: `warning: ${t.name}: checkpoint failed validation${why}, starting fresh` };
        }
      }
      // A fresh start is one line for all trackers, not one each.
      if (report.outcome !== 'none') this.log(report.message);
      out.push(report);
    }
    const fresh = out.filter((r) => r.outcome === 'none').map((r) => r.name);
    if (fresh.length) this.log(`no checkpoint for ${fresh.join(', ')}: starting fresh`);
    return out;
  }

  rows(): CheckpointRow[] {
    return this.db.prepare('SELECT name, cycle, updated_at, length(json) AS bytes FROM tracker_state ORDER BY name').all() as CheckpointRow[];
  }
}

function fmtAge(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
