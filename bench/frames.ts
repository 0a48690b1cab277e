// Records real simulator frames (as its WebSocket server sends them) for benches.
import WebSocket from 'ws';
import { Simulator } from '../src/sim/simulator.js';

export interface Recorded {
  frames: string[];
  tokens: string[];
  events: number;
}

/** Subscribes to every token of a fresh simulator and records `steps` steps of frames. */
export async function recordFrames(markets: number, steps: number, rate: number): Promise<Recorded> {
  const sim = new Simulator({ seed: 'bench', markets, speed: 60, rate, wsCap: 1_000_000, clockStart: 'manual', stepMs: 50, hashMode: 'fast' });
  const urls = await sim.start();
  const tokens = sim.world.markets.flatMap((m) => m.tokenIds);
  const frames: string[] = [];
  const ws = new WebSocket(urls.ws);
  await new Promise<void>((r) => ws.once('open', () => r()));
  let dumped = 0;
  ws.on('message', (d) => {
    frames.push(d.toString());
  });
  ws.send(JSON.stringify({ type: 'market', assets_ids: tokens, initial_dump: true }));
  // Wait for the initial dump (arrays of books), then generate steps.
  while (dumped < tokens.length) {
    await new Promise((r) => setTimeout(r, 20));
    dumped = frames.reduce((n, f) => n + (f.startsWith('[{"event_type":"book"') ? (JSON.parse(f) as unknown[]).length : 0), 0);
  }
  for (let i = 0; i < steps; i++) sim.stepOnce();
  const expected = sim.ws.framesSent;
  while (frames.length < expected) await new Promise((r) => setTimeout(r, 20));
  ws.close();
  await sim.stop();
  const events = frames.reduce((n, f) => n + (f[0] === '[' ? (JSON.parse(f) as unknown[]).length : 1), 0);
  return { frames, tokens, events };
}
