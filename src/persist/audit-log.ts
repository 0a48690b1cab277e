// operator_actions: every key action and setting change, with old and new value.
import { PersistHealth } from './health.js';
import type { DB } from './db.js';
import { systemWall, type WallNow } from '../clock.js';

export interface ActionRow {
  ts: number;
  action: string;
  old_value: string | null;
  new_value: string | null;
  detail: string | null;
}

export class AuditLog {
  private readonly insert;

  constructor(
    private readonly db: DB,
    private readonly now: WallNow = systemWall,
  ) {
    this.insert = db.prepare('INSERT INTO operator_actions (ts, action, old_value, new_value, detail) VALUES (?, ?, ?, ?, ?)');
  }

  /** Actions that could not be written (the database refused writes). */
  lost = 0;

  /** Commits immediately: an action is on disk before its effect is shown. */
  record(action: string, oldValue: unknown, newValue: unknown, detail?: string): void {
    try {
      this.insert.run(this.now(), action, text(oldValue), text(newValue), detail ?? null);
    } catch (err) {
      // A full or locked disk must not take the keyboard down; the status line already says DB WRITE FAILED.
      if (!PersistHealth.isDbError(err)) throw err;
      this.lost++;
    }
  }

  recent(limit = 20): ActionRow[] {
    return this.db.prepare('SELECT ts, action, old_value, new_value, detail FROM operator_actions ORDER BY id DESC LIMIT ?').all(limit) as ActionRow[];
  }
}

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}
