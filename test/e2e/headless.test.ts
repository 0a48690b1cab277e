// `polyconsole run --headless --duration 10` without a TTY: JSON lines, and the
// last stdout line is the summary object with stable keys.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createServer } from 'node:net';
import { CLI, tempDir } from '../helpers/paths.js';
import { endAll, killGroup, runProcess, startProcess } from '../helpers/proc.js';
import { waitFor } from '../helpers/wait.js';

function runCli(args: string[], timeoutMs = 120_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runProcess(process.execPath, [CLI, ...args], { timeoutMs, env: { ...process.env, CI: 'false' } });
}

afterEach(endAll);

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('headless run', () => {
  it('ends with one JSON summary line: source, shards, books, messages', async () => {
    const dbPath = join(tempDir(), 'headless.db');
    // Run until the status lines show the books fresh, then 6 s more, then stop
    // it as an operator would (SIGTERM). A fixed --duration from process start
    // measured the host's load instead: on a busy machine startup alone can use it up.
    const child = startProcess(process.execPath, [CLI, 'run', '--headless', '--duration', '300', '--markets', '300', '--no-real-catalog', '--sim-history-days', '14', '--status-every', '2', '--db', dbPath], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'false' } });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    // 'close' comes after stdout is drained ('exit' can come before the summary line is read).
    const exit = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
    // Markets may resolve while a busy host starts (the venue clock runs at ×60): most of 600 books, not exactly 600.
    await waitFor(
      () =>
        stdout.split('\n').some((l) => {
          if (!l.startsWith('{"type":"status"')) return false;
          const st = JSON.parse(l) as { shards: number; books: { fresh: number; total: number } };
          return st.shards > 0 && st.books.total >= 590 && st.books.fresh >= 0.9 * st.books.total;
        }),
      { timeoutMs: 150_000, everyMs: 250, what: 'books fresh' },
    ).catch((err: Error) => {
      // Say what the console said while we waited (read now, not when the wait began).
      const last = stdout.split('\n').filter((l) => l.startsWith('{"type":"status"')).pop() ?? 'no status line';
      throw new Error(`${err.message}; last status ${last.slice(0, 300)}; stderr ${stderr.slice(-500)}`);
    });
    const freshAt = Date.now();
    await waitFor(() => Date.now() - freshAt >= 6_000, { timeoutMs: 10_000, everyMs: 250 });
    killGroup(child, 'SIGTERM');
    const r = { code: await exit, stdout, stderr };
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]!);
    expect(summary.type).toBe('summary');
    expect(summary.source).toBe('SIM');
    expect(summary.shards.length).toBeGreaterThan(0);
    for (const s of summary.shards) {
      expect(s).toEqual(expect.objectContaining({ state: 'open', assets: expect.any(Number), msgs: expect.any(Number), reconnects: expect.any(Number) }));
      expect(s.msgs).toBeGreaterThan(0);
    }
    // 300 core markets, two tokens each; a market that resolved during the run leaves the book count.
    expect(summary.books.total).toBeGreaterThanOrEqual(590);
    expect(summary.books.total).toBeLessThanOrEqual(600);
    expect(summary.books.fresh).toBeGreaterThan(summary.books.total * 0.9);
    expect(summary.books).toHaveProperty('stale');
    expect(summary.messages.received).toBeGreaterThan(100);
    expect(summary.messages.rejected).toBe(0);
    // Every earlier line is a JSON line: status, signal or arbitrage.
    const types = lines.slice(0, -1).map((l) => JSON.parse(l).type);
    for (const t of types) expect(['status', 'signal', 'arb', 'fill']).toContain(t);
    expect(types).toContain('status');
    // Scan and arbitrage ran: clusters were built and the queue was summarised.
    expect(summary.clusters).toBeGreaterThan(0);
    expect(summary.signals.count).toBeGreaterThanOrEqual(summary.signals.top.length);
    expect(typeof summary.arbs).toBe('number');
    for (const l of lines.filter((x) => x.includes('"type":"arb"'))) {
      expect(Object.keys(JSON.parse(l))).toEqual(['type', 'kind', 'relation', 'marketIds', 'edge', 'size', 'confidence']);
    }
    // The catalog was stored in the chosen SQLite file (WAL), with its schema version.
    const db = new Database(dbPath, { readonly: true });
    // The open catalog (a market may resolve during the run); the snapshot collector's first
    // resolution sweep adds the venue's markets resolved in the past week beside them.
    const open = (db.prepare('SELECT COUNT(*) AS n FROM markets WHERE closed = 0').get() as { n: number }).n;
    expect(open).toBeGreaterThanOrEqual(295);
    expect(open).toBeLessThanOrEqual(300);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect((db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v).toBeGreaterThanOrEqual(1);
    db.close();
  }, 240_000);

  it('rejects a bad flag value with one line naming the key and exit code 2', async () => {
    const r = await runCli(['run', '--headless', '--shard-size', '9000']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/shardSize \(--shard-size\)/);
  });

  it('reports an unreachable live host on the status line instead of crashing', async () => {
    const db = join(tempDir(), 'live.db');
    const cfg = join(tempDir(), 'cfg.json');
    const port = await closedPort();
    writeFileSync(cfg, JSON.stringify({ gammaUrl: `http://127.0.0.1:${port}`, clobUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/ws/market` }));
    const r = await runCli(['run', '--live', '--headless', '--duration', '4', '--db', db, '--config', cfg]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(summary.source).toBe('LIVE');
    expect(summary.status).toMatch(/unreachable: ECONNREFUSED/);
  });
});
