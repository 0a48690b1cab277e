// The `ws` client, loaded when the first socket is opened: a process that
// never connects (a replay, every sweep worker) does not pay its load. Its
// Node entry is CommonJS, so the load is synchronous and cached after the first.
import { createRequire } from 'node:module';
import type WebSocket from 'ws';
import type { ClientOptions } from 'ws';

export type { WebSocket };

/** ws's readyState for an open socket (the same value as `WebSocket.OPEN`). */
export const WS_OPEN = 1;
/** ws's readyState while connecting (`WebSocket.CONNECTING`). */
export const WS_CONNECTING = 0;

export function openWebSocket(url: string, opts: ClientOptions): WebSocket {
  const Ctor = createRequire(import.meta.url)('ws') as typeof WebSocket;
  return new Ctor(url, opts);
}
