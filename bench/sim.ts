// With 30,000 tokens subscribed the simulator sustains ≥ 20,000
// messages/s on one core. Clients (a worker thread) subscribe 500 tokens per
// connection; the simulator steps as fast as it can on the main thread.
import { Worker } from 'node:worker_threads';
import { Simulator } from '../src/sim/simulator.js';
import { withGoal, type Figure } from './harness.js';

const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const WebSocket = require(workerData.ws);
let events = 0, open = 0;
for (let i = 0; i < workerData.tokens.length; i += 500) {
  const ws = new WebSocket(workerData.url, { perMessageDeflate: false });
  ws.on('open', () => { ws.send(JSON.stringify({ type: 'market', assets_ids: workerData.tokens.slice(i, i + 500), initial_dump: true })); if (++open === Math.ceil(workerData.tokens.length / 500)) parentPort.postMessage({ open }); });
  ws.on('message', (d) => { const s = d.toString(); events += s[0] === '[' ? (s.match(/"event_type"/g) || []).length : 1; });
}
parentPort.on('message', (m) => { if (m === 'count') parentPort.postMessage({ events }); if (m === 'stop') process.exit(0); });
`;

export async function simSuite(runs: number): Promise<Figure[]> {
  const sim = new Simulator({ seed: 'bench', markets: 15_000, speed: 60, rate: 12_000, wsCap: 500, clockStart: 'manual', stepMs: 50 });
  const urls = await sim.start();
  const tokens = sim.world.markets.flatMap((m) => m.tokenIds);
  const { createRequire } = await import('node:module');
  const wsPath = createRequire(import.meta.url).resolve('ws');
  const worker = new Worker(CLIENT, { eval: true, workerData: { url: urls.ws, tokens, ws: wsPath } });
  await new Promise((r) => worker.once('message', r));
  // Let the initial dumps go out.
  await new Promise((r) => setTimeout(r, 3000));
  const rates: number[] = [];
  for (let run = 0; run < runs; run++) {
    const sent0 = sim.ws.eventsSent;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    while (performance.now() - t0 < 2000) {
      sim.stepOnce();
      await new Promise((r) => setImmediate(r)); // let sockets write
    }
    const cpu = process.cpuUsage(cpu0);
    const cpuSec = (cpu.user + cpu.system) / 1e6;
    rates.push((sim.ws.eventsSent - sent0) / cpuSec);
  }
  worker.postMessage('stop');
  await sim.stop();
  const s = [...rates].sort((a, b) => a - b);
  return [withGoal({ suite: 'simulator', name: `events sent per CPU-second, ${tokens.length.toLocaleString('en-US')} tokens subscribed (${runs} runs)`, unit: 'events/s', median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! }, '≥', 20_000)];
}
