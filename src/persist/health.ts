// Whether the database is taking writes. An SQLite failure at run time (locked
// past the busy timeout, read-only, disk full, I/O) is a state, not a crash:
// the feed keeps running, paper trading stops (fail closed: a fill we cannot
// record must not happen), the status line says why, and the next write that
// succeeds clears it.
import { describeDbError } from './db.js';
import { systemWall, type WallNow } from '../clock.js';

export class PersistHealth {
  ok = true;
  /** "DB WRITE FAILED: disk full" while failing, '' when healthy. */
  error = '';
  failures = 0;
  since = 0;

  constructor(
    private readonly now: WallNow = systemWall,
    private readonly log: (line: string) => void = () => {},
    /** better-sqlite3 waits synchronously on a lock: while failing, wait briefly so the UI keeps moving. */
    private readonly setBusyTimeout: (ms: number) => void = () => {},
  ) {}

  /** How long to wait between write attempts while failing, ms. */
  static readonly RETRY_MS = 5000;
  static readonly BUSY_MS = 5000;
  static readonly BUSY_WHILE_FAILING_MS = 200;

  /** Whether a write should be attempted now (always when healthy; every RETRY_MS while failing). */
  due(now = this.now()): boolean {
    if (this.ok || now - this.lastAttempt >= PersistHealth.RETRY_MS) {
      this.lastAttempt = now;
      return true;
    }
    return false;
  }
  private lastAttempt = 0;

  /** True for errors that mean "the database cannot take this write" (as opposed to a bug). */
  static isDbError(err: unknown): boolean {
    const code = (err as { code?: unknown })?.code;
    return typeof code === 'string' && (code.startsWith('SQLITE_') || code === 'ENOSPC' || code === 'EROFS' || code === 'EIO' || code === 'EACCES');
  }

  /**
   * Runs a write; a database failure is recorded and returns undefined,
   * anything else rethrows. `wrote` says whether the call really wrote (an
   * empty flush proves nothing), so only a real write clears the failure.
   */
  guard<T>(what: string, write: () => T, wrote: (out: T) => boolean = () => true): T | undefined {
    try {
      const out = write();
      if (!this.ok && wrote(out)) this.recovered(what);
      return out;
    } catch (err) {
      this.caught(what, err);
      return undefined;
    }
  }

  /** What `guard` does with a thrown error, for callers that run the write themselves: a database failure is recorded, anything else rethrown. */
  caught(what: string, err: unknown): void {
    if (!PersistHealth.isDbError(err)) throw err;
    this.failed(what, err);
  }

  failed(what: string, err: unknown): void {
    this.failures++;
    const error = `DB WRITE FAILED: ${describeDbError(err)}`;
    if (this.ok || error !== this.error) this.log(`${error} (${what}); paper trading halted until writes succeed`);
    if (this.ok) {
      this.since = this.now();
      this.lastAttempt = this.since;
      this.setBusyTimeout(PersistHealth.BUSY_WHILE_FAILING_MS);
    }
    this.ok = false;
    this.error = error;
  }

  private recovered(what: string): void {
    this.log(`database writes resumed (${what}) after ${Math.round((this.now() - this.since) / 1000)} s`);
    this.ok = true;
    this.error = '';
    this.setBusyTimeout(PersistHealth.BUSY_MS);
  }
}
