// A hostile venue on loopback against the real REST client, catalog sync and
// shard: bombs, endless cursors, huge frames and fields, escape-laden errors,
// day-long Retry-After and cross-host redirects. Memory attacks run in a child
// process so the peak RSS measured is the attack's alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { RestClient } from '../../src/feed/rest-client.js';
import { CatalogSync } from '../../src/feed/catalog-sync.js';
import { Shard } from '../../src/feed/shard.js';
import { decodeFrame } from '../../src/protocol/market-channel.js';
import { jsonTooDeep } from '../../src/protocol/limits.js';
import { isTerminalSafe } from '../../src/text/sanitize.js';
import { gammaMarket, hostileServer, type Hostile } from '../helpers/hostile.js';
import { ROOT } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';

const DIST = join(ROOT, 'dist');
const CHILD = join(ROOT, 'test', 'helpers', 'attack-child.mjs');
const haveDist = existsSync(join(DIST, 'src', 'feed', 'rest-client.js'));
const RSS_GOAL_MB = 400;

function attack(args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CHILD, DIST, ...args], { timeout: 120_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>);
    });
  });
}

/** gzip of `mb` MB of zeros, built by streaming (a ~1000:1 bomb). */
async function gzipBomb(mb: number): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gz.on('data', (d: Buffer) => parts.push(d));
  const done = new Promise((r) => gz.on('end', r));
  const chunk = Buffer.alloc(1 << 20, 0x20);
  for (let i = 0; i < mb; i++) if (!gz.write(chunk)) await new Promise((r) => gz.once('drain', r));
  gz.end();
  await done;
  return Buffer.concat(parts);
}

const servers: Hostile[] = [];
afterAll(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(route: Parameters<typeof hostileServer>[0]): Promise<Hostile> {
  const s = await hostileServer(route);
  servers.push(s);
  return s;
}

describe.skipIf(!haveDist)('memory attacks, each in a child process (goal: peak RSS < 400 MB, loop responsive)', () => {
  let bomb: Buffer;
  beforeAll(async () => {
    bomb = await gzipBomb(1024);
  }, 60_000);

  it('a gzip bomb (1 GB inflated) is cut off after decompression at the body cap', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    const r = await attack(['rest', `${s.url}/markets`]);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    expect(r['ok']).toBe(false);
    expect(String(r['error'])).toMatch(/body over \d+ bytes after decompression; refused/);
    expect(r['peakRssMb']).toBeLessThan(RSS_GOAL_MB);
    expect(r['maxLagMs']).toBeLessThan(2000);
    console.log(`gzip bomb ${(bomb.length / 1e6).toFixed(1)} MB → 1 GB: peak RSS ${r['peakRssMb']} MB, worst loop lag ${r['maxLagMs']} ms`);
  }, 120_000);

  it('an endless keyset cursor stops at the market ceiling with a warning', async () => {
    let next = 0;
    const s = await serve((_req, res) => {
      const markets = Array.from({ length: 100 }, () => gammaMarket(next++));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ markets, next_cursor: `c${next}` }));
    });
    const r = await attack(['catalog', s.url, '', '20000']);
    expect(r['ok']).toBe(true);
    expect(r['markets']).toBe(20_000);
    expect(String(r['warning'])).toMatch(/ceiling of 20,000 markets/);
    expect(r['peakRssMb']).toBeLessThan(RSS_GOAL_MB);
    console.log(`endless cursor to a 20,000 ceiling: peak RSS ${r['peakRssMb']} MB`);
  }, 120_000);

  it('10 MB hashes on 60 books are rejected, not kept; a 20 MB frame closes the socket (1009) and it reconnects', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    const huge = 'f'.repeat(10 * 1024 * 1024);
    let sent = 0;
    wss.on('connection', (ws) => {
      ws.once('message', () => {
        if (sent >= 60) {
          ws.send('x'.repeat(20 * 1024 * 1024));
          return;
        }
        for (let i = 0; i < 60; i++, sent++) ws.send(JSON.stringify({ event_type: 'book', asset_id: String(i + 1), market: '0xabc', timestamp: '1700000000000', hash: huge, bids: [{ price: '0.4', size: '10' }], asks: [{ price: '0.6', size: '10' }] }));
      });
    });
    await new Promise((r) => wss.once('listening', r));
    try {
      const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
      const r = await attack(['ws', url, '', '60000', '60']);
      expect(r['frames']).toBe(60);
      expect(r['books']).toBe(0);
      expect(r['rejected']).toBe(60);
      expect(r['peakRssMb']).toBeLessThan(RSS_GOAL_MB);
      console.log(`60 books × 10 MB hash: peak RSS ${r['peakRssMb']} MB, worst loop lag ${r['maxLagMs']} ms`);
      const big = await attack(['ws', url, '', '30000', '1000000', 'untilClose']);
      expect(String(big['reason'])).toMatch(/1009|Max payload/i);
      expect(big['peakRssMb']).toBeLessThan(RSS_GOAL_MB);
    } finally {
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
    }
  }, 180_000);
});

describe('bounded parsing', () => {
  it('a 1,000,000-deep JSON frame is refused before JSON.parse, in milliseconds', () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    const t0 = performance.now();
    const d = decodeFrame(deep);
    const ms = performance.now() - t0;
    expect(d.events).toEqual([]);
    expect(d.errors[0]!.message).toMatch(/nested deeper than 64/);
    expect(ms).toBeLessThan(500);
    // Brackets inside strings do not count.
    expect(jsonTooDeep(JSON.stringify({ t: '['.repeat(1000) }))).toBe(false);
  });

  it('a REST body nested 100,000 deep is not parsed (callers see text and reject the shape)', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000));
    });
    const r = await new RestClient({ maxRetries: 0 }).getJson(`${s.url}/x`);
    expect(r.ok && typeof r.body).toBe('string');
  });

  it('a declared Content-Length over the wire cap is refused without reading the body', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(64 * 1024 * 1024) });
      res.write('[');
      // never finishes: the client must not wait for 64 MB
    });
    const r = await new RestClient({ maxRetries: 0, timeoutMs: 20_000 }).getJson(`${s.url}/x`);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/body of 67108864 bytes refused/);
  });
});

describe('catalog paging stop rules', () => {
  it('stops on a repeated cursor', async () => {
    let n = 0;
    const s = await serve((_req, res) => {
      const markets = Array.from({ length: 100 }, () => gammaMarket(n++));
      res.end(JSON.stringify({ markets, next_cursor: n > 300 ? 'same' : `c${n}` }));
    });
    const sync = new CatalogSync(new RestClient({ maxRetries: 0 }), s.url);
    expect(await sync.fullSync()).toBe(true);
    expect(sync.progress.warning).toMatch(/repeated a cursor/);
    expect(s.hits()).toBeLessThanOrEqual(6);
  });

  it('stops on a page that adds nothing new (same markets, fresh cursor each time)', async () => {
    let n = 0;
    const s = await serve((_req, res) => {
      n++;
      res.end(JSON.stringify({ markets: Array.from({ length: 100 }, (_, i) => gammaMarket(i)), next_cursor: `c${n}` }));
    });
    const sync = new CatalogSync(new RestClient({ maxRetries: 0 }), s.url);
    expect(await sync.fullSync()).toBe(true);
    expect(sync.progress.warning).toMatch(/added no new markets after 100/);
    expect(s.hits()).toBe(2);
  });
});

describe('retries that never give up and never hang', () => {
  it('Retry-After: 86400 is capped at 60 s and the cap is shown', async () => {
    const s = await serve((_req, res, hit) => {
      if (hit === 0) {
        res.writeHead(429, { 'retry-after': '86400' });
        return res.end('{"error":"slow down"}');
      }
      res.end('[]');
    });
    const sleeps: number[] = [];
    const c = new RestClient({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
    const r = await c.getJson(`${s.url}/markets`);
    expect(r.ok).toBe(true);
    expect(Math.max(...sleeps)).toBe(60_000);
    expect(c.lastAttemptError).toMatch(/asked to wait 86400 s; waiting 60 s/);
  });

  it('same-host redirects are followed; a redirect to another host is refused naming both hosts', async () => {
    const target = await serve((_req, res) => res.end('{"secret":"should never be fetched"}'));
    const s = await serve((req, res) => {
      if (req.url === '/here') {
        res.writeHead(302, { location: '/there' });
        return res.end();
      }
      if (req.url === '/there') return res.end('{"ok":1}');
      res.writeHead(301, { location: `http://localhost:${target.server.address() && (target.server.address() as AddressInfo).port}/steal` });
      res.end();
    });
    const c = new RestClient({ maxRetries: 0 });
    const same = await c.getJson(`${s.url}/here`);
    expect(same.ok && same.body).toEqual({ ok: 1 });
    const away = await c.getJson(`${s.url}/away`);
    expect(away.ok).toBe(false);
    expect(!away.ok && away.error).toContain(`redirect from ${s.host} to localhost:`);
    expect(!away.ok && away.retryable).toBe(false);
    expect(target.hits()).toBe(0);
  });
});

describe('terminal safety of venue errors', () => {
  it('an HTTP 500 body with OSC title and clear-screen escapes reaches the error text clean', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(500);
      res.end('\u001b]0;pwned\u0007\u001b[2Jboom\u2060\u061c\u202e\u009b31m');
    });
    const c = new RestClient({ maxRetries: 0 });
    const r = await c.getJson(`${s.url}/markets`);
    expect(r.ok).toBe(false);
    const text = !r.ok ? r.error : '';
    expect(text).toContain('500 boom');
    expect(isTerminalSafe(text)).toBe(true);
  });
});

describe('a shard refuses frames over maxPayload (in process)', () => {
  it('closes with 1009 and reconnects', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    let conns = 0;
    wss.on('connection', (ws) => {
      conns++;
      ws.once('message', () => ws.send('y'.repeat(2 * 1024 * 1024)));
    });
    await new Promise((r) => wss.once('listening', r));
    const reasons: string[] = [];
    const shard = new Shard(0, `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { frame: () => {}, disconnected: (_s, why) => reasons.push(why) }, { backoffMinMs: 20, backoffMaxMs: 50, maxPayload: 1024 * 1024 });
    try {
      shard.subscribe(['1']);
      shard.start();
      await waitFor(() => conns >= 2 && reasons.length >= 1, { timeoutMs: 20_000, what: 'close and reconnect' });
      expect(reasons[0]).toMatch(/1009|payload/i);
    } finally {
      shard.stop();
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
    }
  });
});
