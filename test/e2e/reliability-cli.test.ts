// The real CLI against guards an operator meets: a second console on one
// database, bad booleans and out-of-range durations, a --db in a missing
// directory. Every refusal is one line and a non-zero exit.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, tempDir } from '../helpers/paths.js';
import { endAll, startProcess } from '../helpers/proc.js';
import { waitFor } from '../helpers/wait.js';

// Every console ends with its test, pass or fail (afterEach below).
afterEach(endAll);

function start(args: string[], env: Record<string, string> = {}) {
  const child = startProcess(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'false', ...env } });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => (out.stdout += d));
  child.stderr!.on('data', (d) => (out.stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out, exited };
}

async function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000) {
  const p = start(args, env);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, ...p.out };
}

async function end(child: ChildProcess, exited: Promise<number | null>) {
  if (child.exitCode === null) child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(t);
}

describe('one console per database (real CLI)', () => {
  it('a second run on the same file refuses naming the holder pid; status works alongside; the lock goes with the first', async () => {
    const dir = tempDir();
    const db = join(dir, 'one.db');
    const first = start(['run', '--headless', '--duration', '120', '--markets', '50', '--sim-history-days', '14', '--status-every', '1', '--db', db]);
    try {
      await waitFor(() => first.out.stdout.includes('"type":"status"'), { timeoutMs: 60_000, what: 'first console running' });
      const second = await runCli(['run', '--headless', '--duration', '5', '--markets', '50', '--sim-history-days', '14', '--db', db]);
      expect(second.code).toBe(1);
      expect(second.stderr.trim().split('\n')).toHaveLength(1);
      expect(second.stderr).toContain(`in use by another polyconsole (pid ${first.child.pid}`);
      const status = await runCli(['status', '--db', db]);
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toMatch(/^database /);
      expect(readdirSync(dir).filter((f) => f.includes('corrupt'))).toEqual([]);
      expect(statSync(db).mode & 0o777).toBe(0o600);
    } finally {
      await end(first.child, first.exited);
    }
    expect(existsSync(`${db}.lock`)).toBe(false);
    // After a kill -9 the stale lock does not block the next console.
    const killed = start(['run', '--headless', '--duration', '120', '--markets', '50', '--sim-history-days', '14', '--status-every', '1', '--db', db]);
    await waitFor(() => killed.out.stdout.includes('"type":"status"'), { timeoutMs: 60_000, what: 'console running' });
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(existsSync(`${db}.lock`)).toBe(true);
    const next = await runCli(['run', '--headless', '--duration', '2', '--markets', '50', '--sim-history-days', '14', '--db', db]);
    expect(next.code, next.stderr).toBe(0);
  }, 240_000);
});

describe('flag and env guards (real CLI)', () => {
  it('POLYCONSOLE_LIVE=yes is an error naming the variable, not a silent false', async () => {
    const r = await runCli(['run', '--headless', '--duration', '1', '--db', join(tempDir(), 'x.db')], { POLYCONSOLE_LIVE: 'yes' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^polyconsole: invalid config: live \(environment POLYCONSOLE_LIVE\): expected true, false, 1 or 0, got "yes"$/);
  });

  it('--duration beyond the timer limit, --status-every below the minimum and a history of no days are refused', async () => {
    const db = join(tempDir(), 'x.db');
    const long = await runCli(['run', '--headless', '--duration', '3000000', '--db', db]);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/duration \(--duration\)/);
    const flood = await runCli(['run', '--headless', '--duration', '1', '--status-every', '0.001', '--db', db]);
    expect(flood.code).toBe(2);
    expect(flood.stderr).toMatch(/statusEvery \(--status-every\)/);
    for (const days of ['0', '2.5', '91']) {
      const none = await runCli(['run', '--headless', '--duration', '1', '--sim-history-days', days, '--db', db]);
      expect(none.code).toBe(2);
      expect(none.stderr.trim().split('\n')).toEqual(['polyconsole: --sim-history-days: expected a whole number of days from 1 to 90']);
    }
    expect(existsSync(db)).toBe(false);
  });

  it('--db in a missing directory is an error (nothing created) unless --create-db-dir', async () => {
    const base = tempDir();
    const db = join(base, 'missing', 'dir', 'x.db');
    const r = await runCli(['run', '--headless', '--duration', '1', '--markets', '50', '--sim-history-days', '14', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/directory .*missing\/dir does not exist/);
    expect(existsSync(join(base, 'missing'))).toBe(false);
    const ok = await runCli(['run', '--headless', '--duration', '1', '--markets', '50', '--sim-history-days', '14', '--db', db, '--create-db-dir']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(statSync(db).mode & 0o777).toBe(0o600);
  }, 120_000);
});

describe('a recording cut by a crash (real CLI)', () => {
  it('replay plays the complete lines of a cut file and says how many it dropped', async () => {
    const dir = tempDir();
    const file = join(dir, 'r.jsonl.gz');
    const rec = await runCli(['record', '--out', file, '--duration', '4', '--markets', '50'], {}, 120_000);
    expect(rec.code, rec.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const bytes = readFileSync(file);
    const cut = join(dir, 'cut.jsonl.gz');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
    const r = await runCli(['replay', cut, '--json'], {}, 120_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/was cut short \(a crash\?\): replaying its \d+ complete lines; dropped 1 incomplete line/);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(report).toMatchObject({ type: 'replay', truncated: true, droppedLines: 1 });
    expect(report.frames).toBeGreaterThan(0);
  }, 240_000);
});
