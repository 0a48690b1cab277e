// Records real simulator frames (as its WebSocket server sends them) for benches.
import WebSocket from 'ws';
import { Simulator } from '../src/sim/simulator.js';

export interface Recorded {
  frames: string[];
  tokens: string[];
  events: number;
}

/** No frame for this long while waiting for one: the bench stops with an error instead of waiting forever. */
const STALL_MS = 60_000;
/** Steps generated between waits for delivery: 400 steps at once (~2M events here) piled up in the socket and the connection died (1006). */
const CHUNK = 10;

/** Subscribes to every token of a fresh simulator and records `steps` steps of frames. */
export async function recordFrames(markets: number, steps: number, rate: number): Promise<Recorded> {
  const sim = new Simulator({ seed: 'bench', markets, speed: 60, rate, wsCap: 1_000_000, clockStart: 'manual', stepMs: 50, hashMode: 'fast' });
  const urls = await sim.start();
  const tokens = sim.world.markets.flatMap((m) => m.tokenIds);
  const frames: string[] = [];
  const ws = new WebSocket(urls.ws);
  let closed = '';
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    let dumped = 0;
    ws.on('message', (d) => {
      const f = d.toString();
      frames.push(f);
      if (f.startsWith('[{"event_type":"book"')) dumped += (JSON.parse(f) as unknown[]).length;
    });
    ws.on('close', (code) => (closed = `the simulator's socket closed (${code}) after ${frames.length} frames`));
    /** Waits until `done`, failing on a closed socket or STALL_MS without a new frame. */
    const until = async (done: () => boolean, what: string): Promise<void> => {
      let seen = frames.length;
      let since = performance.now();
      while (!done()) {
        if (closed) throw new Error(`recordFrames: ${closed}, waiting for ${what}`);
        if (frames.length !== seen) {
          seen = frames.length;
          since = performance.now();
        } else if (performance.now() - since > STALL_MS) throw new Error(`recordFrames: no frame for ${STALL_MS / 1000} s, waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    ws.send(JSON.stringify({ type: 'market', assets_ids: tokens, initial_dump: true }));
    await until(() => dumped >= tokens.length, `the initial dump (${dumped}/${tokens.length} books)`);
    for (let i = 0; i < steps; i++) {
      sim.stepOnce();
      if ((i + 1) % CHUNK === 0 || i === steps - 1) await until(() => frames.length >= sim.ws.framesSent, `step ${i + 1}'s frames`);
    }
  } finally {
    ws.close();
    await sim.stop();
  }
  const events = frames.reduce((n, f) => n + (f[0] === '[' ? (JSON.parse(f) as unknown[]).length : 1), 0);
  return { frames, tokens, events };
}
