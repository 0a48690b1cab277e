// End-to-end ingest (WebSocket receive → decode → book apply) over
// loopback, as a ratio to raw ws receive + JSON.parse of the same frames in the
// same run. The sender runs in a worker thread so the receiver owns its core.
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';
import { BookCache } from '../src/book/book-cache.js';
import { Ingestor } from '../src/feed/ingest.js';
import { Shard } from '../src/feed/shard.js';
import { recordFrames } from './frames.js';
import type { Figure } from './harness.js';

async function startServer(frames: string[]): Promise<{ port: number; stop: () => void }> {
  const worker = new Worker(new URL('./replay-server.js', import.meta.url), { workerData: { frames } });
  const port = await new Promise<number>((r) => worker.once('message', (m: { port: number }) => r(m.port)));
  return { port, stop: () => worker.postMessage('stop') };
}

async function rawClient(port: number): Promise<number> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
  await new Promise<void>((r) => ws.once('open', () => r()));
  let t0 = 0;
  return new Promise((resolve) => {
    ws.on('message', (d) => {
      const s = d.toString();
      if (!t0) t0 = performance.now();
      if (s === 'END') {
        resolve(performance.now() - t0);
        ws.close();
        return;
      }
      JSON.parse(s);
    });
    ws.send('go');
  });
}

async function ourClient(port: number, tokens: string[]): Promise<{ ms: number; events: number; fresh: number }> {
  const books = new BookCache();
  for (const t of tokens) books.track(t);
  let events = 0;
  const ingest = new Ingestor((evs, _s, now) => {
    for (const ev of evs) books.apply(ev, now);
    events += evs.length;
  }, () => {}, { budgetMs: 1e9 });
  let t0 = 0;
  return new Promise((resolve) => {
    const shard: Shard = new Shard(0, `ws://127.0.0.1:${port}`, {
      frame: (raw, s) => {
        if (!t0) t0 = performance.now();
        if (raw === 'END') {
          const ms = performance.now() - t0;
          shard.stop();
          resolve({ ms, events, fresh: books.counts().fresh });
          return;
        }
        ingest.push(raw, s);
      },
      disconnected: () => {},
    }, { pingMs: 1e9 });
    shard.subscribe(['go']);
    shard.start();
  });
}

export async function ingestSuite(runs: number): Promise<Figure[]> {
  // ~1M events in ~430 frames of ~0.7 MB. The simulator's markets now carry more tokens, so 40,000 asked gave
  // 2M events in frames up to 2.8 MB, and the suite did not finish in minutes (receiving frames that size is the suspect).
  const rec = await recordFrames(2000, 400, 20_000);
  const server = await startServer(rec.frames);
  const raw: number[] = [];
  const ours: number[] = [];
  let fresh = 0;
  try {
    for (let i = 0; i < runs; i++) {
      raw.push((rec.events * 1000) / (await rawClient(server.port)));
      const o = await ourClient(server.port, rec.tokens);
      ours.push((rec.events * 1000) / o.ms);
      fresh = o.fresh;
    }
  } finally {
    server.stop();
  }
  const stat = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
  };
  const r = stat(raw);
  const o = stat(ours);
  return [
    { suite: 'ingest', name: `ws receive + JSON.parse (ceiling), ${rec.frames.length} frames / ${rec.events} events`, unit: 'events/s', ...r },
    { suite: 'ingest', name: `ws → decode → book apply (${fresh}/${rec.tokens.length} books fresh)`, unit: 'events/s', ...o, ceiling: 'ws+parse', ratio: o.median / r.median, goal: '≥ 0.6 of ws+parse', met: o.median / r.median >= 0.6 },
  ];
}
