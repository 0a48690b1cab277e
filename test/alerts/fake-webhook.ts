// Loopback webhook receivers that answer like Slack (200 "ok"), Discord (204,
// 429 with retry_after in a JSON body and a Retry-After header) or a failing
// server, recording every request.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Hit {
  at: number;
  path: string;
  body: string;
  key: string;
  contentType: string;
  status: number;
}

export class FakeWebhooks {
  readonly hits: Hit[] = [];
  private server: Server | undefined;
  private readonly script = new Map<string, number[]>();
  base = '';

  /** The next requests to `path` get these statuses, in turn. */
  fail(path: string, ...statuses: number[]): void {
    this.script.set(path, [...(this.script.get(path) ?? []), ...statuses]);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '';
        const scripted = this.script.get(path)?.shift();
        const status = scripted ?? (path.startsWith('/api/webhooks/') ? 204 : 200);
        this.hits.push({ at: Date.now(), path, body: Buffer.concat(chunks).toString('utf8'), key: String(req.headers['idempotency-key'] ?? ''), contentType: String(req.headers['content-type'] ?? ''), status });
        if (status === 429) {
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
          res.end(JSON.stringify({ message: 'You are being rate limited.', retry_after: 1.0, global: false }));
        } else if (status === 204) {
          res.writeHead(204);
          res.end();
        } else {
          res.writeHead(status, { 'content-type': 'text/plain' });
          res.end(status === 200 ? 'ok' : 'error');
        }
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this.base;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  ok(pathPrefix: string): Hit[] {
    return this.hits.filter((h) => h.path.startsWith(pathPrefix) && h.status < 300);
  }
}
