// One console per database: two `run`s on one ledger interleave their cash
// entries and break the balance chain. The lock is a file NAME.lock created
// exclusively and holding the owner's pid; a lock whose process is gone
// (kill -9, power loss) is stale and taken over. Read-only commands (status,
// backtest) never take it.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { DatabaseOpenError } from './errors.js';
import { systemWall } from '../clock.js';

export interface ConsoleLock {
  path: string;
  release(): void;
}

export function lockPathOf(dbPath: string): string {
  return `${dbPath}.lock`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): { pid: number; since: string } | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8').slice(0, 200)) as { pid?: unknown; since?: unknown };
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0) return { pid: v.pid, since: typeof v.since === 'string' ? v.since.slice(0, 40) : '?' };
  } catch {
    // unreadable or half-written: treated as stale below
  }
  return undefined;
}

export function acquireConsoleLock(dbPath: string, pid = process.pid): ConsoleLock {
  const path = lockPathOf(dbPath);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new DatabaseOpenError(`database ${dbPath}: cannot create lock file ${path} (${code ?? (err as Error).message})`);
      const holder = readHolder(path);
      if (holder && holder.pid !== pid && alive(holder.pid)) {
        throw new DatabaseOpenError(`database ${dbPath} is in use by another polyconsole (pid ${holder.pid}, since ${holder.since}); stop it or use another --db (read-only commands such as status still work)`);
      }
      // Stale: its process is gone. Remove and try again.
      try {
        unlinkSync(path);
      } catch {
        // another process may have removed it first; retry decides
      }
      continue;
    }
    writeSync(fd, JSON.stringify({ pid, since: new Date(systemWall()).toISOString() }));
    closeSync(fd);
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      process.off('exit', release);
      // Only remove it if it is still ours.
      if (readHolder(path)?.pid === pid) {
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      }
    };
    process.on('exit', release);
    return { path, release };
  }
  throw new DatabaseOpenError(`database ${dbPath}: could not take the lock ${path} (another process keeps replacing it)`);
}
