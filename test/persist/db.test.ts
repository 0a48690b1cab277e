import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../src/persist/db.js';
import { MIGRATIONS } from '../../src/persist/migrations.js';
import { tempDir } from '../helpers/paths.js';

describe('openDatabase', () => {
  it('creates every DESIGN §6 table with WAL and synchronous=NORMAL, at the latest schema version', () => {
    const path = join(tempDir(), 'new.db');
    const { db, notice, schemaVersion } = openDatabase(path);
    expect(notice).toBeUndefined();
    expect(schemaVersion).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    for (const t of ['markets', 'events', 'price_snapshots', 'trades', 'signals', 'clusters', 'orders', 'fills', 'positions', 'cash_ledger', 'settlements', 'tracker_state', 'operator_actions', 'feed_incidents']) {
      expect(tables).toContain(t);
    }
    db.close();
  });

  it('applies only pending migrations, each once, in version order', () => {
    const path = join(tempDir(), 'mig.db');
    openDatabase(path).db.close();
    const extra = [...MIGRATIONS, { version: 999, name: 'test column', sql: 'ALTER TABLE markets ADD COLUMN test_col TEXT' }];
    const { db, schemaVersion } = openDatabase(path, extra);
    expect(schemaVersion).toBe(999);
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations WHERE version = 999').get()).toEqual({ n: 1 });
    db.close();
    // Re-opening does not re-run it (ALTER would fail on a duplicate column).
    openDatabase(path, extra).db.close();
  });

  it('moves a file that is not SQLite aside to NAME.corrupt-<timestamp>, keeps its bytes, and starts fresh with a one-line notice', () => {
    const dir = tempDir();
    const path = join(dir, 'x.db');
    writeFileSync(path, 'this is not a database, it is a shopping list\n');
    const { db, notice } = openDatabase(path);
    expect(notice).toMatch(/^database .*x\.db was unusable \(not an SQLite database\); moved it to .*x\.db\.corrupt-\S+ and started a new one$/);
    expect(notice!.split('\n')).toHaveLength(1);
    const aside = readdirSync(dir).find((f) => f.startsWith('x.db.corrupt-'))!;
    expect(readFileSync(join(dir, aside), 'utf8')).toContain('shopping list');
    expect(db.prepare('SELECT COUNT(*) AS n FROM markets').get()).toEqual({ n: 0 });
    db.close();
  });

  it('moves aside a SQLite file that fails integrity_check', () => {
    const dir = tempDir();
    const path = join(dir, 'broken.db');
    const raw = new Database(path);
    raw.pragma('journal_mode = DELETE');
    raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t(v);');
    const ins = raw.prepare('INSERT INTO t (v) VALUES (?)');
    raw.transaction(() => {
      for (let i = 0; i < 5000; i++) ins.run(`value-${i}-${'x'.repeat(50)}`);
    })();
    raw.close();
    // Scribble over the middle of the file, leaving the header intact.
    const bytes = readFileSync(path);
    for (let i = 8192; i < 8192 + 4096 * 3; i++) bytes[i] = (i * 7) & 0xff;
    writeFileSync(path, bytes);
    const { db, notice } = openDatabase(path);
    expect(notice).toMatch(/was unusable \((integrity_check|database disk image is malformed|file is not a database)/);
    expect(readdirSync(dir).some((f) => f.startsWith('broken.db.corrupt-'))).toBe(true);
    expect((db.pragma('integrity_check') as { integrity_check: string }[])[0]!.integrity_check).toBe('ok');
    db.close();
  });

  it('treats an empty file as a new database (no data to lose)', () => {
    const path = join(tempDir(), 'empty.db');
    writeFileSync(path, '');
    const { db, notice } = openDatabase(path);
    expect(notice).toBeUndefined();
    expect(existsSync(path)).toBe(true);
    db.close();
  });
});
