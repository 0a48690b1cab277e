// One shard against a real ws server on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { Shard } from '../../src/feed/shard.js';
import { waitFor } from '../helpers/wait.js';

interface Peer {
  ws: WebSocket;
  got: string[];
}

async function server(): Promise<{ wss: WebSocketServer; url: string; peers: Peer[] }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const peers: Peer[] = [];
  wss.on('connection', (ws) => {
    const p: Peer = { ws, got: [] };
    peers.push(p);
    ws.on('message', (d) => {
      const text = d.toString();
      p.got.push(text);
      if (text === 'PING') ws.send('PONG');
    });
  });
  return { wss, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, peers };
}

describe('Shard', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => cleanup.splice(0).forEach((f) => f()));

  it('sends {type:"market", assets_ids, initial_dump:true} first, then operation subscribe for later assets', async () => {
    const s = await server();
    cleanup.push(() => s.wss.close());
    const frames: string[] = [];
    const shard = new Shard(0, s.url, { frame: (f) => frames.push(f), disconnected: () => {} });
    cleanup.push(() => shard.stop());
    shard.subscribe(['a', 'b']);
    shard.start();
    await waitFor(() => s.peers[0]?.got.length);
    expect(JSON.parse(s.peers[0]!.got[0]!)).toEqual({ type: 'market', assets_ids: ['a', 'b'], initial_dump: true, custom_feature_enabled: true });
    shard.subscribe(['b', 'c']);
    await waitFor(() => s.peers[0]!.got.length >= 2);
    expect(JSON.parse(s.peers[0]!.got[1]!)).toEqual({ operation: 'subscribe', assets_ids: ['c'], initial_dump: true, custom_feature_enabled: true });
    shard.unsubscribe(['a']);
    await waitFor(() => s.peers[0]!.got.length >= 3);
    expect(JSON.parse(s.peers[0]!.got[2]!)).toEqual({ operation: 'unsubscribe', assets_ids: ['a'] });
  });

  it('sends no PING before the first subscription, then a text PING every pingMs', async () => {
    const s = await server();
    cleanup.push(() => s.wss.close());
    const shard = new Shard(0, s.url, { frame: () => {}, disconnected: () => {} }, { pingMs: 60, silenceMs: 10_000 });
    cleanup.push(() => shard.stop());
    shard.start();
    await waitFor(() => shard.state === 'open');
    // No subscription yet: nothing is sent over several ping periods.
    const t0 = Date.now();
    await waitFor(() => Date.now() - t0 > 200);
    expect(s.peers[0]!.got).toEqual([]);
    shard.subscribe(['x']);
    await waitFor(() => s.peers[0]!.got.filter((g) => g === 'PING').length >= 3, { what: '3 PINGs' });
    expect(s.peers[0]!.got[0]).toContain('"type":"market"');
  });

  it('reconnects after an abrupt close and replays every subscription in its first frame', async () => {
    const s = await server();
    cleanup.push(() => s.wss.close());
    const lost: string[] = [];
    const shard = new Shard(0, s.url, { frame: () => {}, disconnected: (_sh, why) => lost.push(why) }, { backoffMinMs: 10, backoffMaxMs: 50 });
    cleanup.push(() => shard.stop());
    shard.subscribe(['a']);
    shard.start();
    await waitFor(() => s.peers[0]?.got.length);
    shard.subscribe(['b']);
    await waitFor(() => s.peers[0]!.got.length >= 2);
    s.peers[0]!.ws.terminate();
    await waitFor(() => s.peers[1]?.got.length, { what: 'second connection' });
    expect(lost).toHaveLength(1);
    expect(shard.reconnects).toBe(1);
    expect(JSON.parse(s.peers[1]!.got[0]!).assets_ids).toEqual(['a', 'b']);
  });

  it('treats inbound silence past silenceMs as a stall: terminates, counts it, reconnects', async () => {
    const s = await server();
    cleanup.push(() => s.wss.close());
    // This server never answers PING.
    s.wss.removeAllListeners('connection');
    let connections = 0;
    s.wss.on('connection', () => connections++);
    const shard = new Shard(0, s.url, { frame: () => {}, disconnected: () => {} }, { pingMs: 50, silenceMs: 150, backoffMinMs: 10, backoffMaxMs: 20 });
    cleanup.push(() => shard.stop());
    shard.subscribe(['a']);
    shard.start();
    await waitFor(() => shard.stalls >= 1 && connections >= 2, { what: 'stall + reconnect' });
    expect(shard.lastReason).toMatch(/silent/);
  });

  it('backs off exponentially with jitter while the host is down', async () => {
    const s = await server();
    const url = s.url;
    await new Promise<void>((r) => s.wss.close(() => r()));
    const delays: number[] = [];
    let last = Date.now();
    const shard = new Shard(0, url, { frame: () => {}, disconnected: () => { const now = Date.now(); delays.push(now - last); last = now; } }, { backoffMinMs: 20, backoffMaxMs: 160, random: () => 1 });
    cleanup.push(() => shard.stop());
    shard.start();
    await waitFor(() => shard.reconnects >= 5, { timeoutMs: 5000 });
    // random() = 1 → full delay: 20, 40, 80, 160, 160 (capped).
    expect(delays.slice(2, 5).every((d, i) => d >= [40, 80, 160][i]! * 0.9)).toBe(true);
  });
});
