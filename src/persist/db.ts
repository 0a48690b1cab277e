// Opening the console's SQLite file (DESIGN §6): WAL, synchronous=NORMAL,
// versioned migrations. Only a file that is provably corrupt (not SQLite, or
// integrity_check fails) is moved aside to NAME.corrupt-<timestamp> — never
// deleted. A busy/locked file, a permission problem or an I/O error is not
// corruption: it ends the open with a one-line DatabaseOpenError and nothing
// on disk is touched (a locked healthy ledger must never be replaced).
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations.js';
import { acquireConsoleLock, type ConsoleLock } from './console-lock.js';
import { DatabaseOpenError } from './errors.js';
import { systemWall } from '../clock.js';

export type DB = Database.Database;

export interface OpenResult {
  db: DB;
  /** One line for the operator when something was repaired or moved aside. */
  notice?: string;
  schemaVersion: number;
  /** Held when opened with `lock: true`; released by `release()` or at exit. */
  lock?: ConsoleLock;
}

export interface OpenOptions {
  migrations?: Migration[];
  /** Take the one-console-per-database lock (the `run` command). */
  lock?: boolean;
  /** Create a missing parent directory instead of refusing. */
  createDir?: boolean;
}

export { DatabaseOpenError };

const HEADER = 'SQLite format 3\u0000';
/** Ledger files hold positions and cash: owner read/write only. */
export const FILE_MODE = 0o600;

/** SQLite result codes that mean the bytes are bad (as opposed to busy, denied or I/O). */
const CORRUPT_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_VTAB']);

export function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (CORRUPT_CODES.has(code) || code.startsWith('SQLITE_CORRUPT'));
}

/** One readable cause for an SQLite or file-system error. */
export function describeDbError(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  const msg = typeof e?.message === 'string' ? e.message.split('\n')[0]! : String(err);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'database is locked by another process';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return 'disk full';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return 'read-only file or file system';
  if (code === 'EACCES' || code === 'EPERM' || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH')) return 'permission denied';
  if (code.startsWith('SQLITE_CANTOPEN')) return `cannot open the file (${msg})`;
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return `I/O error (${msg})`;
  return msg;
}

export function openDatabase(path: string, options: Migration[] | OpenOptions = {}): OpenResult {
  const o: OpenOptions = Array.isArray(options) ? { migrations: options } : options;
  const migrations = o.migrations ?? MIGRATIONS;
  if (path === ':memory:') {
    const db = configure(new Database(path), path);
    return { db, schemaVersion: migrate(db, migrations) };
  }
  const dir = dirname(path);
  if (!existsSync(dir)) {
    if (!o.createDir) throw new DatabaseOpenError(`database ${path}: directory ${dir} does not exist (create it, or pass --create-db-dir)`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  const lock = o.lock ? acquireConsoleLock(path) : undefined;
  try {
    let notice: string | undefined;
    if (existsSync(path)) {
      const problem = inspect(path);
      if (problem) notice = moveAside(path, problem);
    } else {
      // Created here, before SQLite, so the ledger (and its -wal/-shm, which
      // SQLite creates with the main file's mode) is never world-readable.
      try {
        closeSync(openSync(path, 'a', FILE_MODE));
      } catch (err) {
        throw new DatabaseOpenError(`database ${path}: ${describeDbError(err)}`);
      }
    }
    let db: DB;
    try {
      db = configure(new Database(path), path);
    } catch (err) {
      if (!isCorruption(err)) throw new DatabaseOpenError(`database ${path}: ${describeDbError(err)}`);
      notice = moveAside(path, describeDbError(err));
      db = configure(new Database(path), path);
    }
    let schemaVersion: number;
    try {
      schemaVersion = migrate(db, migrations);
    } catch (err) {
      db.close();
      if (err instanceof DatabaseOpenError) throw err;
      throw new DatabaseOpenError(`database ${path}: ${describeDbError(err)}`);
    }
    const out: OpenResult = { db, schemaVersion };
    if (notice) out.notice = notice;
    if (lock) out.lock = lock;
    return out;
  } catch (err) {
    lock?.release();
    throw err;
  }
}

function configure(db: DB, path: string): DB {
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  } catch (err) {
    db.close();
    throw err;
  }
  if (path !== ':memory:') {
    for (const p of [path, `${path}-wal`, `${path}-shm`]) {
      try {
        if (existsSync(p) && (statSync(p).mode & 0o077) !== 0) chmodSync(p, FILE_MODE);
      } catch {
        // Not ours to change (another owner): SQLite already opened it, so carry on.
      }
    }
  }
  return db;
}

/**
 * Returns why the file is corrupt, or undefined if it is a usable SQLite file.
 * Anything else that goes wrong (busy, denied, I/O) throws DatabaseOpenError.
 */
function inspect(path: string): string | undefined {
  let size: number;
  const buf = Buffer.alloc(16);
  try {
    size = statSync(path).size;
    if (size === 0) return undefined; // an empty file is a new database
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buf, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw new DatabaseOpenError(`database ${path}: ${describeDbError(err)}`);
  }
  if (buf.toString('latin1') !== HEADER) return 'not an SQLite database';
  let db: DB | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const verdict = rows.map((r) => r.integrity_check).join('; ');
    return verdict === 'ok' ? undefined : `integrity_check: ${verdict.slice(0, 120)}`;
  } catch (err) {
    if (isCorruption(err)) return describeDbError(err);
    throw new DatabaseOpenError(`database ${path}: ${describeDbError(err)}`);
  } finally {
    db?.close();
  }
}

function moveAside(path: string, why: string): string {
  const stamp = new Date(systemWall()).toISOString().replace(/[:.]/g, '-');
  const target = `${path}.corrupt-${stamp}`;
  renameSync(path, target);
  for (const ext of ['-wal', '-shm']) if (existsSync(path + ext)) renameSync(path + ext, target + ext);
  closeSync(openSync(path, 'a', FILE_MODE));
  return `database ${path} was unusable (${why}); moved it to ${target} and started a new one`;
}

/** How long a write waits on another connection's lock before failing (the engine raises it while the disk is slow). */
export function setBusyTimeout(db: DB, ms: number): void {
  db.pragma(`busy_timeout = ${ms}`);
}

/** Applies pending migrations in order, each in its own transaction; refuses a newer schema. */
export function migrate(db: DB, migrations: Migration[]): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const newest = Math.max(0, ...applied);
  if (newest > known) {
    throw new DatabaseOpenError(`database ${db.name} has schema version ${newest}, newer than this polyconsole understands (${known}); use the newer polyconsole, or another --db`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, systemWall());
    })();
  }
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}
