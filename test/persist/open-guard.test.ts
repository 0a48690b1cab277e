import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseOpenError, describeDbError, openDatabase } from '../../src/persist/db.js';
import { acquireConsoleLock, lockPathOf } from '../../src/persist/console-lock.js';
import { MIGRATIONS } from '../../src/persist/migrations.js';
import { tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';

/** A child process that holds an EXCLUSIVE SQLite lock on `path` until killed. */
function holdExclusive(path: string) {
  const code = `const D=require('better-sqlite3');const d=new D(${JSON.stringify(path)});d.exec('BEGIN EXCLUSIVE');d.prepare("INSERT INTO t(v) VALUES ('held')").run();process.stdout.write('held\\n');setInterval(()=>{},1000);`;
  const child = spawn(process.execPath, ['-e', code], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return { child, ready: () => waitFor(() => out.includes('held'), { timeoutMs: 20_000, what: 'child to hold the lock' }) };
}

describe('opening a database that is not corrupt but unusable', () => {
  it('a healthy file locked by another process is refused with one line naming the file and the cause; nothing renamed', async () => {
    const dir = tempDir();
    const path = join(dir, 'ledger.db');
    const raw = new Database(path);
    raw.pragma('journal_mode = DELETE');
    raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    raw.prepare("INSERT INTO t (v) VALUES ('precious')").run();
    raw.close();
    const before = readdirSync(dir).sort();
    const { child, ready } = holdExclusive(path);
    try {
      await ready();
      let err: unknown;
      try {
        openDatabase(path).db.close();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DatabaseOpenError);
      const msg = (err as Error).message;
      expect(msg).toContain(path);
      expect(msg).toMatch(/locked/);
      expect(msg.split('\n')).toHaveLength(1);
      expect(readdirSync(dir).filter((f) => f.includes('corrupt'))).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    // The data is still there after the other process is gone.
    expect(readdirSync(dir).filter((f) => !f.endsWith('-journal')).sort()).toEqual(before);
    const db = new Database(path);
    expect(db.prepare("SELECT COUNT(*) AS n FROM t WHERE v = 'precious'").get()).toEqual({ n: 1 });
    db.close();
  }, 60_000);

  it('a --db that is a directory (an I/O error, not corruption) is refused and left alone', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'db-dir'));
    writeFileSync(join(dir, 'db-dir', 'keep'), 'x');
    expect(() => openDatabase(join(dir, 'db-dir'))).toThrow(DatabaseOpenError);
    expect(readdirSync(dir)).toEqual(['db-dir']);
    expect(readdirSync(join(dir, 'db-dir'))).toEqual(['keep']);
  });

  it('names busy, read-only, disk-full, permission and I/O causes in words', () => {
    const e = (code: string, message = 'x') => Object.assign(new Error(message), { code });
    expect(describeDbError(e('SQLITE_BUSY'))).toMatch(/locked/);
    expect(describeDbError(e('SQLITE_FULL'))).toBe('disk full');
    expect(describeDbError(e('SQLITE_READONLY_DBMOVED'))).toMatch(/read-only/);
    expect(describeDbError(e('EACCES'))).toBe('permission denied');
    expect(describeDbError(e('SQLITE_IOERR_WRITE', 'disk I/O error'))).toBe('I/O error (disk I/O error)');
  });

  it('still moves a corrupt file aside (never deletes it)', () => {
    const dir = tempDir();
    const path = join(dir, 'x.db');
    writeFileSync(path, 'SQLite format 3\u0000' + 'garbage'.repeat(200));
    const { db, notice } = openDatabase(path);
    expect(notice).toMatch(/moved it to/);
    expect(readdirSync(dir).some((f) => f.startsWith('x.db.corrupt-'))).toBe(true);
    db.close();
  });

  it('refuses a database from a newer schema by name, and leaves it alone', () => {
    const path = join(tempDir(), 'future.db');
    openDatabase(path).db.close();
    const raw = new Database(path);
    raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(9999, 'from the future', 0);
    raw.close();
    expect(() => openDatabase(path)).toThrow(DatabaseOpenError);
    expect(() => openDatabase(path)).toThrow(/schema version 9999, newer than this polyconsole understands \(\d+\)/);
    const again = new Database(path);
    expect(again.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: 9999 });
    again.close();
    expect(Math.max(...MIGRATIONS.map((m) => m.version))).toBeLessThan(9999);
  });

  it('a --db in a missing directory is an error unless asked to create it', () => {
    const base = tempDir();
    const path = join(base, 'no', 'such', 'dir', 'x.db');
    expect(() => openDatabase(path)).toThrow(/directory .* does not exist/);
    expect(existsSync(join(base, 'no'))).toBe(false);
    const { db } = openDatabase(path, { createDir: true });
    db.close();
    expect(existsSync(path)).toBe(true);
  });

  it('creates the ledger 0600, and its WAL too', () => {
    const path = join(tempDir(), 'mode.db');
    const { db } = openDatabase(path);
    db.prepare("INSERT INTO operator_actions (ts, action) VALUES (1, 'x')").run();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
    db.close();
  });

  it('tightens an existing world-readable ledger to 0600', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'd'));
    const path = join(dir, 'd', 'old.db');
    new Database(path).close();
    expect(statSync(path).mode & 0o077).not.toBe(0);
    openDatabase(path).db.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});

describe('one console per database', () => {
  it('a second lock on the same file is refused naming the holder pid; a stale lock is taken over', async () => {
    const path = join(tempDir(), 'one.db');
    // A live holder: a real child process's pid.
    const child = spawn(process.execPath, ['-e', 'setInterval(()=>{},1000)'], { stdio: 'ignore' });
    try {
      const held = acquireConsoleLock(path, child.pid!);
      expect(() => acquireConsoleLock(path)).toThrow(new RegExp(`in use by another polyconsole \\(pid ${child.pid}`));
      expect(() => openDatabase(path, { lock: true })).toThrow(DatabaseOpenError);
      // Read-only use still works alongside.
      const ro = openDatabase(path);
      ro.db.close();
      held.release();
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    // The holder died without releasing (kill -9): its lock is stale.
    writeFileSync(lockPathOf(path), JSON.stringify({ pid: child.pid, since: 'then' }));
    const mine = openDatabase(path, { lock: true });
    expect(mine.lock).toBeDefined();
    mine.lock!.release();
    mine.db.close();
    expect(existsSync(lockPathOf(path))).toBe(false);
  });
});
