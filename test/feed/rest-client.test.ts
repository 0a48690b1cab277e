// The paced REST client against a real HTTP server on 127.0.0.1. Sleeps are
// injected and recorded, so backoff is checked without waiting.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RestClient } from '../../src/feed/rest-client.js';
import { wallMs } from '../../src/clock.js';

type Handler = (n: number, res: import('node:http').ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; server: Server; hits: () => number }> {
  let n = 0;
  const server = createServer((_req, res) => handler(n++, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits: () => n };
}

function client(extra: ConstructorParameters<typeof RestClient>[0] = {}) {
  const sleeps: number[] = [];
  const c = new RestClient({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, timeoutMs: 500, ...extra });
  return { c, sleeps };
}

describe('RestClient', () => {
  const servers: Server[] = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));

  it('honours Retry-After on 429: the wait is at least what the server asked (3 s)', async () => {
    const s = await serve((n, res) => {
      if (n === 0) {
        res.writeHead(429, { 'Retry-After': '3', 'content-type': 'application/json' });
        res.end('{"error":"Too Many Requests"}');
      } else res.end('{"ok":true}');
    });
    servers.push(s.server);
    const { c, sleeps } = client();
    const r = await c.getJson(`${s.url}/markets`);
    expect(r.ok).toBe(true);
    expect(sleeps[0]).toBeGreaterThanOrEqual(3000);
    expect(c.counters.rateLimited).toBe(1);
  });

  it('backs off exponentially with jitter on 5xx (250 ms base, doubling) and gives up with a clear error', async () => {
    const s = await serve((_n, res) => {
      res.writeHead(503);
      res.end('{"error":"unavailable"}');
    });
    servers.push(s.server);
    const { c, sleeps } = client({ maxRetries: 4 });
    const r = await c.getJson(`${s.url}/book?token_id=1`);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(/GET 127\.0\.0\.1:\d+\/book → 503 unavailable/);
    // random() = 0.5 → 0.75 of the exponential step: 187.5, 375, 750, 1500.
    expect(sleeps).toEqual([187.5, 375, 750, 1500]);
    expect(s.hits()).toBe(5);
  });

  it('does not retry a 4xx other than 429', async () => {
    const s = await serve((_n, res) => {
      res.writeHead(400);
      res.end('{"error":"Invalid token id"}');
    });
    servers.push(s.server);
    const { c, sleeps } = client();
    const r = await c.getJson(`${s.url}/book?token_id=x`);
    expect(r.ok).toBe(false);
    expect(sleeps).toEqual([]);
    expect(s.hits()).toBe(1);
  });

  it('a timeout is retried and reported as such', async () => {
    const s = await serve(() => {
      /* never answers */
    });
    servers.push(s.server);
    const { c } = client({ maxRetries: 1, timeoutMs: 100 });
    const r = await c.getJson(`${s.url}/markets`);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(/timed out after 100 ms/);
    expect(c.counters.retries).toBe(1);
    s.server.closeAllConnections();
  });

  it('paces requests by the documented limit per endpoint (share 0.8 of /markets 300 → 240 per 10 s)', async () => {
    const s = await serve((_n, res) => res.end('[]'));
    servers.push(s.server);
    let now = 1_000_000;
    const sleeps: number[] = [];
    const c = new RestClient({ now: () => wallMs(now), sleep: async (ms) => void (sleeps.push(ms), (now += ms)) });
    for (let i = 0; i < 241; i++) await c.getJson(`${s.url}/markets`, 'gamma /markets');
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBe(10_000);
    expect(c.budget().find((b) => b.bucket === 'gamma /markets')!.remaining).toBe(239);
  });
});
