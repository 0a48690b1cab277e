// The pool against a real ws server on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { ShardPool } from '../../src/feed/shard-pool.js';
import { waitFor } from '../helpers/wait.js';
import { wallMs } from '../../src/clock.js';

interface Peer {
  ws: WebSocket;
  got: Record<string, unknown>[];
}

async function server() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const peers: Peer[] = [];
  wss.on('connection', (ws) => {
    const p: Peer = { ws, got: [] };
    peers.push(p);
    ws.on('message', (d) => {
      const t = d.toString();
      if (t === 'PING') return void ws.send('PONG');
      p.got.push(JSON.parse(t));
    });
  });
  return { wss, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, peers };
}

const ids = (n: number, prefix = 'a') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('ShardPool', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => cleanup.splice(0).forEach((f) => f()));

  it('splits 450 assets over connections of at most 200 (200 + 200 + 50)', async () => {
    const s = await server();
    const pool = new ShardPool(s.url, { frame: () => {}, disconnected: () => {} }, { shardSize: 200 });
    cleanup.push(() => (pool.stop(), s.wss.close()));
    pool.request(ids(450));
    pool.flush();
    pool.start();
    await waitFor(() => s.peers.length === 3 && s.peers.every((p) => p.got.length === 1));
    const sizes = s.peers.map((p) => (p.got[0]!['assets_ids'] as string[]).length).sort((a, b) => b - a);
    expect(sizes).toEqual([200, 200, 50]);
  });

  it('coalesces requests made within the window into one subscribe message per shard', async () => {
    const s = await server();
    const pool = new ShardPool(s.url, { frame: () => {}, disconnected: () => {} }, { shardSize: 200, coalesceMs: 150 });
    cleanup.push(() => (pool.stop(), s.wss.close()));
    pool.request(['x0']);
    pool.flush();
    pool.start();
    await waitFor(() => s.peers[0]?.got.length === 1);
    pool.request(['x1', 'x2']);
    pool.request(['x3']);
    pool.request(['x4']);
    await waitFor(() => s.peers[0]!.got.length === 2, { what: 'coalesced subscribe' });
    expect(s.peers[0]!.got[1]).toEqual({ operation: 'subscribe', assets_ids: ['x1', 'x2', 'x3', 'x4'], initial_dump: true, custom_feature_enabled: true });
    // Nothing else arrives afterwards.
    const t0 = Date.now();
    await waitFor(() => Date.now() - t0 > 300);
    expect(s.peers[0]!.got).toHaveLength(2);
  });

  it('resubscribes an asset whose first event never came, and only that asset', async () => {
    const s = await server();
    const pool = new ShardPool(s.url, { frame: () => {}, disconnected: () => {} }, { shardSize: 200, firstEventMs: 100 });
    cleanup.push(() => (pool.stop(), s.wss.close()));
    pool.request(['good', 'silent']);
    pool.flush();
    pool.start();
    await waitFor(() => s.peers[0]?.got.length === 1);
    pool.seen('good');
    await waitFor(() => s.peers[0]!.got.length >= 3, { timeoutMs: 5000, what: 'resubscribe' });
    expect(s.peers[0]!.got[1]).toEqual({ operation: 'unsubscribe', assets_ids: ['silent'] });
    expect(s.peers[0]!.got[2]).toEqual({ operation: 'subscribe', assets_ids: ['silent'], initial_dump: true, custom_feature_enabled: true });
    expect(pool.shards[0]!.resubscribes).toBe(1);
  });

  it('splits a shard that stalled twice within 10 minutes and shrinks the size for new shards', async () => {
    const s = await server();
    const moved: string[][] = [];
    let now = 1_000_000;
    const pool = new ShardPool(s.url, { frame: () => {}, disconnected: () => {}, moved: (a) => moved.push(a) }, { shardSize: 100, now: () => wallMs(now) });
    cleanup.push(() => (pool.stop(), s.wss.close()));
    pool.request(ids(100));
    pool.flush();
    pool.start();
    await waitFor(() => s.peers[0]?.got.length === 1);
    const shard = pool.shards[0]!;
    shard.stallTimes.push(now - 9 * 60_000, now - 60_000);
    now += 1;
    pool.tick();
    expect(pool.shards).toHaveLength(2);
    expect(pool.splits).toBe(1);
    expect(pool.targetSize).toBe(50);
    expect(shard.assets.size).toBe(50);
    expect(pool.shards[1]!.assets.size).toBe(50);
    expect(moved[0]).toHaveLength(50);
    await waitFor(() => s.peers.length === 2 && s.peers[1]!.got.length === 1, { what: 'new connection' });
    expect(s.peers[0]!.got[1]).toEqual({ operation: 'unsubscribe', assets_ids: moved[0] });
    expect((s.peers[1]!.got[0]!['assets_ids'] as string[]).sort()).toEqual([...moved[0]!].sort());
  });

  it('does not split after stalls more than 10 minutes apart', async () => {
    const s = await server();
    let now = 5_000_000;
    const pool = new ShardPool(s.url, { frame: () => {}, disconnected: () => {} }, { shardSize: 100, now: () => wallMs(now) });
    cleanup.push(() => (pool.stop(), s.wss.close()));
    pool.request(ids(100));
    pool.flush();
    pool.shards[0]!.stallTimes.push(now - 11 * 60_000, now - 30_000);
    pool.tick();
    expect(pool.shards).toHaveLength(1);
  });
});
