// A hand-written hostile venue on loopback: each test gives it the route
// handlers it needs (bombs, endless cursors, escape-laden errors, redirects).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

export interface Hostile {
  url: string;
  host: string;
  server: Server;
  hits: () => number;
  close: () => Promise<void>;
}

export async function hostileServer(route: Route): Promise<Hostile> {
  let n = 0;
  const server = createServer((req, res) => route(req, res, n++));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    server,
    hits: () => n,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A Gamma market object shaped like the real API (string-encoded arrays). */
export function gammaMarket(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const tok = (k: number) => `${1000000000000000000n * BigInt(i * 2 + k + 1) + 7n}`.padStart(77, '1');
  return {
    id: String(i),
    question: `Will test market ${i} resolve yes?`,
    conditionId: `0x${i.toString(16).padStart(64, '0')}`,
    slug: `test-market-${i}`,
    outcomes: '["Yes","No"]',
    outcomePrices: '["0.5","0.5"]',
    clobTokenIds: JSON.stringify([tok(0), tok(1)]),
    active: true,
    closed: false,
    volume: '1000',
    ...extra,
  };
}
