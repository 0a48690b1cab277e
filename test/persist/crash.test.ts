// A power cut or OOM kill can land at any instruction: kill -9 the headless
// console at random moments; after each restart the DB passes integrity_check
// and nothing committed is missing. With paper trading on: cash = Σ ledger and
// positions = Σ fills. The default run kills 4 times; `npm run test:long`
// kills 20 times (CRASH_ROUNDS sets any count). The console is ended, pass or
// fail, so a failed round leaves no process behind.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CLI, tempDir } from '../helpers/paths.js';
import { endAll, exited, killGroup, startProcess } from '../helpers/proc.js';
import { waitFor } from '../helpers/wait.js';

const ROUNDS = Number(process.env['CRASH_ROUNDS'] ?? 4);

afterEach(endAll);

function start(db: string): ChildProcess {
  // Paper trading on: orders, fills, positions and the cash ledger are written too.
  // A small world (150 core markets, about 225 with the catalog) and a short
  // history: each round restarts the console, and what is tested is the write path.
  return startProcess(process.execPath, [CLI, 'run', '--headless', '--paper', '--markets', '150', '--sim-history-days', '14', '--speed', '600', '--db', db, '--status-every', '60', '--checkpoint-every', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** The newest committed trade id (the rowid: no scan of a table that grows every round). */
function newestTrade(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM trades').get() as { m: number }).m;
  } finally {
    db.close();
  }
}

function counts(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    const n = (t: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
    const maxId = (t: string) => (db.prepare(`SELECT COALESCE(MAX(id), 0) AS m FROM ${t}`).get() as { m: number }).m;
    return { trades: n('trades'), tradesMax: maxId('trades'), fills: n('fills'), fillsMax: maxId('fills'), markets: n('markets') };
  } finally {
    db.close();
  }
}

describe('crash safety', () => {
  it(`${ROUNDS} × kill -9 at random moments: integrity_check ok, no committed trade or fill missing, ledgers balance`, async () => {
    const path = join(tempDir(), 'crash.db');
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    let before = { trades: 0, tradesMax: 0, fills: 0, fillsMax: 0, markets: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const child = start(path);
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      // Wait until this run has committed something new, then a random extra moment.
      await waitFor(() => {
        try {
          return newestTrade(path) > before.tradesMax;
        } catch {
          return false;
        }
      }, { timeoutMs: 90_000, everyMs: 100, what: `round ${round}: new trades committed (stderr: ${stderr})` });
      await new Promise((r) => setTimeout(r, 100 + rand() * 1500)); // the random kill moment
      before = counts(path); // what is committed just before the kill
      killGroup(child);
      await exited(child);
      const db = new Database(path);
      try {
        expect((db.pragma('integrity_check') as { integrity_check: string }[])[0]!.integrity_check).toBe('ok');
        const n = (sql: string) => (db.prepare(sql).get() as { v: number | null } | undefined)?.v ?? 0;
        // Nothing committed before the kill is gone.
        expect(n('SELECT COUNT(*) AS v FROM trades WHERE id <= ' + before.tradesMax)).toBe(before.trades);
        expect(n('SELECT COUNT(*) AS v FROM fills WHERE id <= ' + before.fillsMax)).toBe(before.fills);
        // Ledgers balance (trivially true until paper trading writes them).
        const ledger = n('SELECT SUM(delta_micros) AS v FROM cash_ledger');
        const last = n('SELECT balance_micros AS v FROM cash_ledger ORDER BY id DESC LIMIT 1');
        expect(last).toBe(ledger);
        const mismatched = n(`SELECT COUNT(*) AS v FROM positions p WHERE ABS(p.shares - COALESCE((SELECT SUM(CASE f.side WHEN 'BUY' THEN f.size ELSE -f.size END) FROM fills f WHERE f.token_id = p.token_id), 0) + COALESCE((SELECT SUM(s.shares) FROM settlements s WHERE s.token_id = p.token_id), 0)) > 1e-6`);
        expect(mismatched).toBe(0);
      } finally {
        db.close();
      }
    }
    expect(before.markets).toBeGreaterThanOrEqual(150);
    // Paper trading really ran across the kills: fills and a ledger exist.
    const db = new Database(path, { readonly: true });
    const fills = (db.prepare('SELECT COUNT(*) AS n FROM fills').get() as { n: number }).n;
    const ledger = (db.prepare('SELECT COUNT(*) AS n FROM cash_ledger').get() as { n: number }).n;
    db.close();
    expect(fills).toBeGreaterThan(0);
    expect(ledger).toBeGreaterThan(0);
  }, 60_000 + ROUNDS * 90_000);
});
