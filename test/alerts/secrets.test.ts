// The bot token and webhook URLs never appear in output, logs or the database,
// even when every channel fails (network errors are where libraries echo URLs).
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, tempDir } from '../helpers/paths.js';
import { inspect } from 'node:util';
import { redact, Secret } from '../../src/alerts/secret.js';

const TOKEN = '7123456789:AAF-realistic_Looking-token_0123456789ab';
const HOOK_SECRET = 'B0SECRETPATHxyz/abcdefSECRET';

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    const t = setTimeout(() => c.kill('SIGKILL'), 90_000);
    c.on('exit', (code) => {
      clearTimeout(t);
      resolve({ code, out, err });
    });
  });
}

describe('secrets stay secret', () => {
  it('Secret prints as [redacted]; redact() removes known values and any bot token', () => {
    const s = new Secret(TOKEN);
    expect(`${s}`).toBe('[redacted]');
    expect(JSON.stringify({ s })).toBe('{"s":"[redacted]"}');
    expect(inspect({ s })).not.toContain('AAF');
    expect(redact(`GET https://api.telegram.org/bot${TOKEN}/getMe failed`)).toBe('GET https://api.telegram.org/bot[redacted]/getMe failed');
    const hook = new Secret(`https://hooks.slack.com/services/T0/${HOOK_SECRET}`);
    expect(redact(`POST https://hooks.slack.com/services/T0/${HOOK_SECRET} ECONNRESET`, [hook])).not.toContain('SECRET');
  });

  it('a headless run with failing Telegram and webhooks: token and URLs in no output, log or database file', async () => {
    // A server that always fails, and a port where nothing listens.
    const failing = createServer((_req, res) => {
      res.writeHead(500);
      res.end('boom');
    });
    await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
    const failPort = (failing.address() as AddressInfo).port;
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const hooks = [`http://127.0.0.1:${failPort}/services/T0/${HOOK_SECRET}`, `http://127.0.0.1:${closedPort}/api/webhooks/1/${HOOK_SECRET}2`];
    const db = join(tempDir('pc-secret-'), 'a.db');
    try {
      const r = await run(['run', '--headless', '--duration', '8', '--markets', '200', '--sim-history-days', '14', '--speed', '600', '--sim-faults', 'drop=2', '--db', db, '--status-every', '2'], {
        POLYCONSOLE_TELEGRAM_TOKEN: TOKEN,
        POLYCONSOLE_TELEGRAM_API_ROOT: `http://127.0.0.1:${closedPort}`,
        POLYCONSOLE_TELEGRAM_CHAT_IDS: '111,-100222',
        POLYCONSOLE_TELEGRAM_USER_IDS: '42',
        POLYCONSOLE_WEBHOOK_URLS: hooks.join(','),
      });
      expect(r.code, r.err).toBe(0);
      const summary = JSON.parse(r.out.trim().split('\n').pop()!) as { alerts?: { channels: { name: string; lastError: string; queued: number }[] } };
      // Alerts were attempted (feed drops happened) and failed, and the summary shows the channels without secrets.
      expect(summary.alerts?.channels.length).toBe(4);
      expect(summary.alerts!.channels.some((c) => c.lastError !== '')).toBe(true);
      const files = [r.out, r.err, ...[db, `${db}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1'))];
      const needles = [TOKEN, TOKEN.split(':')[1]!, HOOK_SECRET, 'SECRETPATH', ...hooks];
      for (const f of files) for (const n of needles) expect(f.includes(n), `found a secret: ${n.slice(0, 6)}…`).toBe(false);
    } finally {
      await new Promise<void>((r) => failing.close(() => r()));
    }
  }, 120_000);

  it('a bad value is named by key, never echoed', async () => {
    const r = await run(['run', '--headless', '--duration', '1'], { POLYCONSOLE_WEBHOOK_URLS: `not a url ${HOOK_SECRET}`, POLYCONSOLE_TELEGRAM_TOKEN: '' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/invalid config: webhookUrls \(environment\)/);
    expect(r.err).not.toContain('SECRET');
    const t = await run(['run', '--headless', '--duration', '1'], { POLYCONSOLE_TELEGRAM_TOKEN: `nonsense-${HOOK_SECRET}` });
    expect(t.code).toBe(2);
    expect(t.err).toMatch(/invalid config: telegramToken \(environment\): expected a bot token/);
    expect(t.err).not.toContain('SECRET');
  }, 60_000);
});
