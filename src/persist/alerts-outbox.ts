// The persisted outbox: every message bound for a channel is a row before any
// attempt to send it, so a restart (or kill -9) loses nothing. A row is marked
// in flight before its request and sent after the reply; a row found in flight
// at start-up was interrupted mid-request, so it goes again, marked as a
// possible repeat (Telegram has no idempotency key; webhooks get one).
// Its tables (alert_outbox, alert_state, alert_updates) come from migration 3.
import { randomUUID } from 'node:crypto';
import type { DB } from './db.js';
import { systemWall, type WallNow } from '../clock.js';

export type RowState = 'pending' | 'inflight' | 'sent' | 'dead';

export interface OutboxRow {
  id: number;
  created_at: number;
  target: string;
  kind: string;
  dedupe_key: string;
  silent: number;
  text: string;
  ord: number;
  prio: number;
  state: RowState;
  attempts: number;
  next_at: number;
}

export interface NewRow {
  target: string;
  kind: string;
  key: string;
  silent: boolean;
  text: string;
  /** Higher goes first: replies to commands 2, criticals 1, the rest 0 (a backlog never delays a /halt answer). */
  prio?: number;
}

const KEEP_SENT_MS = 7 * 86_400_000;

export class Outbox {
  private readonly insert;
  private readonly due;
  private readonly setStateStmt;
  private readonly getStateStmt;
  private readonly seenStmt;
  /** Rows found in flight when this process opened the outbox: their result is unknown. */
  readonly interrupted: Set<number>;
  /** This database's outbox identity (webhook idempotency keys are unique across databases). */
  readonly instance: string;

  constructor(
    readonly db: DB,
    private readonly now: WallNow = systemWall,
  ) {
    this.insert = db.prepare('INSERT INTO alert_outbox (created_at, target, kind, dedupe_key, silent, text, ord, prio) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.due = db.prepare("SELECT * FROM alert_outbox WHERE target = ? AND state IN ('pending', 'inflight') ORDER BY prio DESC, ord LIMIT 1");
    this.setStateStmt = db.prepare('INSERT INTO alert_state (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value');
    this.getStateStmt = db.prepare('SELECT value FROM alert_state WHERE name = ?');
    this.seenStmt = db.prepare('INSERT OR IGNORE INTO alert_updates (update_id, at) VALUES (?, ?)');
    this.interrupted = new Set((db.prepare("SELECT id FROM alert_outbox WHERE state = 'inflight'").all() as { id: number }[]).map((r) => r.id));
    let inst = this.getState('instance');
    if (!inst) this.setState('instance', (inst = randomUUID()));
    this.instance = inst;
    this.prune();
  }

  /** Inserts rows and state changes in one transaction (all or nothing). */
  enqueue(rows: readonly NewRow[], state: Record<string, string> = {}): number[] {
    const at = this.now();
    const setOrd = this.db.prepare('UPDATE alert_outbox SET ord = ? WHERE id = ?');
    return this.db.transaction(() => {
      const ids: number[] = [];
      for (const r of rows) {
        const info = this.insert.run(at, r.target, r.kind, r.key, r.silent ? 1 : 0, r.text, 0, r.prio ?? 0);
        const id = Number(info.lastInsertRowid);
        setOrd.run(id, id);
        ids.push(id);
      }
      for (const [k, v] of Object.entries(state)) this.setStateStmt.run(k, v);
      return ids;
    })();
  }

  /** The next row for a target, by priority then in order (a row waiting on its retry time blocks the ones behind it). */
  next(target: string): OutboxRow | undefined {
    return this.due.get(target) as OutboxRow | undefined;
  }

  /** Rows of the same target and priority queued after `row`, in order. */
  following(row: OutboxRow, limit: number): OutboxRow[] {
    return this.db.prepare("SELECT * FROM alert_outbox WHERE target = ? AND state = 'pending' AND prio = ? AND ord > ? ORDER BY ord LIMIT ?").all(row.target, row.prio, row.ord, limit) as OutboxRow[];
  }

  /** Before the request: a crash from here until markSent leaves these in flight (resent, marked, on restart). */
  markInflight(ids: readonly number[]): void {
    const stmt = this.db.prepare("UPDATE alert_outbox SET state = 'inflight', attempts = attempts + 1 WHERE id = ?");
    this.db.transaction(() => {
      for (const id of ids) stmt.run(id);
    })();
  }

  markSent(id: number): void {
    this.db.prepare("UPDATE alert_outbox SET state = 'sent', sent_at = ?, error = NULL WHERE id = ?").run(this.now(), id);
    this.interrupted.delete(id);
  }

  retryAt(id: number, at: number, error: string): void {
    this.db.prepare("UPDATE alert_outbox SET state = 'pending', next_at = ?, error = ? WHERE id = ?").run(at, error.slice(0, 300), id);
    this.interrupted.delete(id);
  }

  markDead(id: number, error: string): void {
    this.db.prepare("UPDATE alert_outbox SET state = 'dead', error = ? WHERE id = ?").run(error.slice(0, 300), id);
    this.interrupted.delete(id);
  }

  /** "message is too long": this row keeps the first part, the rest follows it in order. */
  split(id: number, parts: readonly string[]): void {
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT * FROM alert_outbox WHERE id = ?').get(id) as OutboxRow | undefined;
      if (!row || !parts.length) return;
      const after = this.db.prepare('SELECT MIN(ord) AS o FROM alert_outbox WHERE target = ? AND prio = ? AND ord > ?').get(row.target, row.prio, row.ord) as { o: number | null };
      const hi = after.o ?? row.ord + 1;
      this.db.prepare("UPDATE alert_outbox SET text = ?, state = 'pending' WHERE id = ?").run(parts[0], id);
      for (let i = 1; i < parts.length; i++) {
        this.insert.run(row.created_at, row.target, row.kind, row.dedupe_key, row.silent, parts[i], row.ord + ((hi - row.ord) * i) / parts.length, row.prio);
      }
    })();
    this.interrupted.delete(id);
  }

  /** Rows not yet sent, per target. */
  queued(): Map<string, number> {
    const rows = this.db.prepare("SELECT target, COUNT(*) AS n FROM alert_outbox WHERE state IN ('pending', 'inflight') GROUP BY target").all() as { target: string; n: number }[];
    return new Map(rows.map((r) => [r.target, r.n]));
  }

  /** Whether a message with this dedupe key was queued since `since` (a restart must not repeat it). */
  hasKeySince(key: string, since: number): boolean {
    return this.db.prepare('SELECT 1 FROM alert_outbox WHERE dedupe_key = ? AND created_at >= ? LIMIT 1').get(key, since) !== undefined;
  }

  getState(name: string): string | undefined {
    return (this.getStateStmt.get(name) as { value: string } | undefined)?.value;
  }

  setState(name: string, value: string): void {
    this.setStateStmt.run(name, value);
  }

  /** Records an update id; false if it was seen before (a redelivered update is never acted on twice). */
  firstSight(updateId: number): boolean {
    return this.seenStmt.run(updateId, this.now()).changes === 1;
  }

  prune(): void {
    const cut = this.now() - KEEP_SENT_MS;
    this.db.prepare("DELETE FROM alert_outbox WHERE state IN ('sent', 'dead') AND created_at < ?").run(cut);
    this.db.prepare('DELETE FROM alert_updates WHERE at < ?').run(cut);
  }
}
