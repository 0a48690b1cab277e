// Worker: a ws server on 127.0.0.1 that sends the given frames as fast as the
// socket takes them to each client, then the text "END".
import { parentPort, workerData } from 'node:worker_threads';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';

const frames = (workerData as { frames: string[] }).frames;
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
wss.on('listening', () => parentPort!.postMessage({ port: (wss.address() as AddressInfo).port }));
wss.on('connection', (ws) => {
  ws.once('message', () => {
    let i = 0;
    const pump = () => {
      while (i < frames.length) {
        ws.send(frames[i++]!);
        if (ws.bufferedAmount > 4 * 1024 * 1024) return void setImmediate(pump);
      }
      ws.send('END');
    };
    pump();
  });
});
parentPort!.on('message', (m) => {
  if (m === 'stop') wss.close(() => process.exit(0));
});
