// Generic webhooks against loopback receivers that answer like Slack and Discord.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FakeWebhooks } from './fake-webhook.js';
import { service } from './helpers.js';
import { openDatabase } from '../../src/persist/db.js';
import { Secret } from '../../src/alerts/secret.js';
import { retryAfter } from '../../src/alerts/webhook.js';
import { tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup(paths: string[]) {
  const hooks = new FakeWebhooks();
  const base = await hooks.start();
  const { db } = openDatabase(join(tempDir('pc-hook-'), 'a.db'));
  const svc = service(db, { webhooks: paths.map((p) => new Secret(base + p)) });
  svc.start();
  cleanups.push(async () => {
    await svc.stop();
    await hooks.stop();
    db.close();
  });
  return { hooks, svc, db };
}

const SLACK = '/services/T000/B000/XXXXsecretXXXX';
const DISCORD = '/api/webhooks/123/secret-token-abc';

describe('webhooks', () => {
  it('Slack- and Discord-compatible JSON: {text, content}, one request per alert per URL', async () => {
    const { hooks, svc } = await setup([SLACK, DISCORD]);
    svc.emit({ kind: 'fill', key: 'fill:1', severity: 'info', title: 'FILL BUY 10 @ 0.4200', at: Date.now() });
    await waitFor(() => hooks.ok(SLACK).length === 1 && hooks.ok(DISCORD).length === 1, { what: 'both delivered' });
    for (const h of hooks.hits) {
      expect(h.contentType).toBe('application/json');
      expect(JSON.parse(h.body)).toEqual({ text: 'FILL BUY 10 @ 0.4200', content: 'FILL BUY 10 @ 0.4200' });
      expect(h.key).toMatch(/^[0-9a-f-]{36}-\d+$/);
    }
    const names = svc.health().channels.map((c) => c.name).join(' ');
    expect(names).not.toContain('secret');
    expect(names).toMatch(/webhook 127\.0\.0\.1:\d+ #[0-9a-f]{8}/);
  });

  it('5xx: retried with back-off under the same idempotency key; 429: waits retry_after; 404: given up at once', async () => {
    const { hooks, svc } = await setup([SLACK, DISCORD, '/gone']);
    hooks.fail(SLACK, 500, 502);
    hooks.fail(DISCORD, 429);
    hooks.fail('/gone', 404);
    svc.emit({ kind: 'halt', key: 'halt:HALTED', severity: 'critical', title: 'BREAKER HALTED: drawdown', at: Date.now() });
    await waitFor(() => hooks.ok(SLACK).length === 1 && hooks.ok(DISCORD).length === 1, { timeoutMs: 20_000, what: 'retries delivered' });
    const slack = hooks.hits.filter((h) => h.path === SLACK);
    expect(slack.map((h) => h.status)).toEqual([500, 502, 200]);
    expect(new Set(slack.map((h) => h.key)).size).toBe(1);
    expect(slack[1]!.at - slack[0]!.at).toBeGreaterThanOrEqual(700); // ~1 s with jitter
    expect(slack[2]!.at - slack[1]!.at).toBeGreaterThanOrEqual(1500); // ~2 s
    const discord = hooks.hits.filter((h) => h.path === DISCORD);
    expect(discord.map((h) => h.status)).toEqual([429, 204]);
    expect(discord[1]!.at - discord[0]!.at).toBeGreaterThanOrEqual(1000);
    await new Promise((r) => setTimeout(r, 500));
    expect(hooks.hits.filter((h) => h.path === '/gone').length).toBe(1);
    const gone = svc.health().channels.find((c) => c.name.includes(String(hooks.base.split(':')[2])) && c.failed > 0);
    expect(gone?.lastError).toBe('HTTP 404');
  }, 30_000);

  it('retry_after from a header or a Discord JSON body', () => {
    expect(retryAfter('3', '')).toBe(3);
    expect(retryAfter(null, '{"retry_after": 0.5}')).toBe(0.5);
    expect(retryAfter(null, 'nope')).toBe(5);
  });
});

describe('database write failure', () => {
  it('the outbox cannot be written: messages are held in memory and a DATABASE WRITE FAILED alert goes out; writable again, rows persist', async () => {
    const { hooks, svc, db } = await setup([SLACK]);
    db.pragma('query_only = ON'); // every write now fails, as on a read-only or full disk
    svc.emit({ kind: 'fill', key: 'fill:9', severity: 'info', title: 'FILL SELL 5 @ 0.9100', at: Date.now() });
    await waitFor(() => hooks.ok(SLACK).length >= 2, { timeoutMs: 10_000, what: 'memory deliveries' });
    const texts = hooks.ok(SLACK).map((h) => JSON.parse(h.body).text as string);
    expect(texts[0]).toBe('FILL SELL 5 @ 0.9100');
    expect(texts[1]).toMatch(/^🛑 DATABASE WRITE FAILED \(alert outbox\)\n.*readonly/);
    db.pragma('query_only = OFF');
    svc.emit({ kind: 'fill', key: 'fill:10', severity: 'info', title: 'FILL BUY 1 @ 0.1000', at: Date.now() });
    const sent = () => (db.prepare("SELECT COUNT(*) AS n FROM alert_outbox WHERE state = 'sent'").get() as { n: number }).n;
    await waitFor(() => sent() === 1, { timeoutMs: 10_000, what: 'outbox row sent' });
    expect(hooks.ok(SLACK).length).toBe(3);
  });
});
