// Alerts off the hot path: the p99 of applying one recorded frame's events to
// the books, with the alert pipeline idle versus with 50 alerts/s being routed,
// persisted and sent (a webhook and a Telegram chat on loopback; Telegram's
// 1 msg/s pacing makes the queue grow, as in a real flood). Frames are fed one
// per macrotask, as sockets deliver them, so the alert work interleaves.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BookCache } from '../src/book/book-cache.js';
import { decodeFrame } from '../src/protocol/market-channel.js';
import type { MarketEvent } from '../src/protocol/events.js';
import { openDatabase } from '../src/persist/db.js';
import { AuditLog } from '../src/persist/audit-log.js';
import { AlertService } from '../src/alerts/service.js';
import { Secret } from '../src/alerts/secret.js';
import { recordFrames } from './frames.js';
import { stat, withGoal, type Figure } from './harness.js';

const TOKEN = '123456:bench-token-bench-token-bench-token-0';

async function receiver(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.includes('/sendMessage')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true,"result":{"message_id":1,"date":0,"chat":{"id":1,"type":"private"}}}');
      } else {
        res.writeHead(204);
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const RUN_MS = 2500;

async function p99Run(snapshot: MarketEvent[], frames: MarketEvent[][], tokens: string[], alerts: AlertService | undefined): Promise<number> {
  const books = new BookCache();
  for (const t of tokens) books.track(t);
  for (const ev of snapshot) books.apply(ev, 0);
  const times: number[] = [];
  let n = 0;
  const emitter = alerts ? setInterval(() => alerts.emit({ kind: 'feed', key: `bench:${n++}`, severity: 'info', title: `bench alert ${n}`, at: Date.now() }), 20) : undefined;
  // Message-sized frames, one per macrotask, for a fixed time (the alert work interleaves).
  const end = performance.now() + RUN_MS;
  for (let i = 0; performance.now() < end; i = (i + 1) % frames.length) {
    const evs = frames[i]!;
    const t0 = performance.now();
    for (const ev of evs) books.apply(ev, 0);
    times.push(performance.now() - t0);
    await new Promise((r) => setImmediate(r));
  }
  if (emitter) clearInterval(emitter);
  times.sort((a, b) => a - b);
  return times[Math.floor(0.99 * (times.length - 1))]! * 1000;
}

export async function alertsSuite(runs: number): Promise<Figure[]> {
  const rec = await recordFrames(2000, 100, 40_000);
  const events = rec.frames.flatMap((f) => decodeFrame(f).events);
  const snapshot = events.filter((e) => e.type === 'book');
  // The changes after the initial dump, cut into 8-event messages (a shard's usual frame).
  const changes = events.filter((e) => e.type !== 'book');
  const frames: MarketEvent[][] = [];
  for (let i = 0; i < changes.length; i += 8) frames.push(changes.slice(i, i + 8));
  const { server, url } = await receiver();
  const { db } = openDatabase(join(mkdtempSync(join(tmpdir(), 'pc-bench-alerts-')), 'a.db'));
  const svc = new AlertService(db, { webhooks: [new Secret(`${url}/hook`)], telegram: { token: new Secret(TOKEN), apiRoot: url, chatIds: ['1'], userIds: [] } }, new AuditLog(db));
  svc.start();
  await p99Run(snapshot, frames, rec.tokens, undefined); // JIT warm-up
  const base: number[] = [];
  const loaded: number[] = [];
  let queued = 0;
  for (let i = 0; i < Math.max(5, runs); i++) {
    base.push(await p99Run(snapshot, frames, rec.tokens, undefined));
    loaded.push(await p99Run(snapshot, frames, rec.tokens, svc));
    queued = Math.max(queued, svc.health().queued);
  }
  await svc.stop();
  server.close();
  db.close();
  const b = stat(base);
  const l = stat(loaded);
  const change = (l.median - b.median) / b.median;
  return [
    { suite: 'alerts', name: `book apply per 8-event message, p99, alerts idle`, unit: 'µs', ...b },
    { suite: 'alerts', name: `same, with 50 alerts/s routed, persisted and sent (queue up to ${queued})`, unit: 'µs', ...l },
    withGoal({ suite: 'alerts', name: 'p99 change with 50 alerts/s', unit: '%', median: change * 100, min: change * 100, max: change * 100 }, '<', 5, '< 5%'),
  ];
}
