// Opening the console's SQLite file (DESIGN §6): WAL, synchronous=NORMAL,
// versioned migrations. A file that is not SQLite, or fails integrity_check, is
// moved aside to NAME.corrupt-<timestamp> (never deleted) and a fresh DB is made.
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations.js';

export type DB = Database.Database;

export interface OpenResult {
  db: DB;
  /** One line for the operator when something was repaired or moved aside. */
  notice?: string;
  schemaVersion: number;
}

const HEADER = 'SQLite format 3\u0000';

export function openDatabase(path: string, migrations: Migration[] = MIGRATIONS): OpenResult {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let notice: string | undefined;
  if (path !== ':memory:' && existsSync(path)) {
    const problem = inspect(path);
    if (problem) notice = moveAside(path, problem);
  }
  let db: DB;
  try {
    db = configure(new Database(path));
  } catch (err) {
    // Last resort: the file opened as SQLite but is unusable.
    notice = moveAside(path, (err as Error).message);
    db = configure(new Database(path));
  }
  const schemaVersion = migrate(db, migrations);
  return notice ? { db, notice, schemaVersion } : { db, schemaVersion };
}

function configure(db: DB): DB {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Returns why the file cannot be used, or undefined if it is a healthy SQLite file. */
function inspect(path: string): string | undefined {
  if (statSync(path).size === 0) return undefined; // an empty file is a new database
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(16);
  try {
    readSync(fd, buf, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (buf.toString('latin1') !== HEADER) return 'not an SQLite database';
  let db: DB | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const verdict = rows.map((r) => r.integrity_check).join('; ');
    return verdict === 'ok' ? undefined : `integrity_check: ${verdict.slice(0, 120)}`;
  } catch (err) {
    return (err as Error).message;
  } finally {
    db?.close();
  }
}

function moveAside(path: string, why: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = `${path}.corrupt-${stamp}`;
  renameSync(path, target);
  for (const ext of ['-wal', '-shm']) if (existsSync(path + ext)) renameSync(path + ext, target + ext);
  return `database ${path} was unusable (${why}); moved it to ${target} and started a new one`;
}

/** Applies pending migrations in order, each in its own transaction. */
export function migrate(db: DB, migrations: Migration[]): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    })();
  }
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}
