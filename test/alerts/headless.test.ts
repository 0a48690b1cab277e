// A headless console (the real CLI on the simulator) alerts and obeys remote
// commands: Telegram pointed at a loopback Bot API, a webhook at a receiver.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FakeBotApi } from './fake-bot-api.js';
import { FakeWebhooks } from './fake-webhook.js';
import { TOKEN } from './helpers.js';
import { CLI, tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';

describe('headless alerts', () => {
  it('alerts reach Telegram and the webhook; /halt from the allow-listed user halts paper trading; a stranger is ignored', async () => {
    const api = new FakeBotApi(TOKEN);
    const hooks = new FakeWebhooks();
    const root = await api.start();
    const base = await hooks.start();
    const db = join(tempDir('pc-headless-alerts-'), 'a.db');
    const c = spawn(process.execPath, [CLI, 'run', '--headless', '--paper', '--markets', '300', '--sim-history-days', '14', '--speed', '600', '--db', db, '--status-every', '60'], {
      env: { ...process.env, POLYCONSOLE_TELEGRAM_TOKEN: TOKEN, POLYCONSOLE_TELEGRAM_API_ROOT: root, POLYCONSOLE_TELEGRAM_CHAT_IDS: '111', POLYCONSOLE_TELEGRAM_USER_IDS: '42', POLYCONSOLE_WEBHOOK_URLS: `${base}/services/T/B/x` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    try {
      await waitFor(() => api.sent.length > 0 && hooks.ok('/services').length > 0, { timeoutMs: 60_000, what: `first alerts (${err.slice(-300)})` });
      api.say(666, 111, '/halt');
      api.say(42, 111, '/halt');
      await waitFor(() => api.sent.some((a) => a.text.startsWith('HALTED')), { timeoutMs: 30_000, what: 'halt reply' });
      api.say(42, 111, '/status');
      await waitFor(() => api.sent.some((a) => /SIM · (RUNNING|PAUSED)/.test(a.text)), { timeoutMs: 30_000, what: 'status reply' });
      // The halt is announced by the breaker alert too.
      await waitFor(() => api.sent.some((a) => a.text.includes('BREAKER HALTED')), { timeoutMs: 30_000, what: 'breaker alert' });
      c.kill('SIGTERM');
      await new Promise((r) => c.once('exit', r));
      const summary = JSON.parse(out.trim().split('\n').pop()!) as { paper: { breaker: string }; alerts: { channels: { name: string }[]; strangers: number } };
      expect(summary.paper.breaker).toBe('HALTED');
      expect(summary.alerts.strangers).toBe(1);
      const d = new Database(db, { readonly: true });
      const actions = (d.prepare('SELECT action FROM operator_actions ORDER BY id').all() as { action: string }[]).map((r) => r.action);
      d.close();
      expect(actions).toEqual(['remote_refused', 'halt', 'remote/halt', 'remote/status']);
    } finally {
      if (c.exitCode === null) c.kill('SIGKILL');
      await api.stop();
      await hooks.stop();
    }
  }, 150_000);
});
