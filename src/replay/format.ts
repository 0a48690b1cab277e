// The recording format: gzip JSON lines, one per thing the console received,
// each with its local receive time `t` (ms).
import { z } from 'zod';
import { sanitize } from '../text/sanitize.js';

export const headerLine = z.object({ k: z.literal('h'), v: z.literal(1), t: z.number(), source: z.string(), gamma: z.string(), clob: z.string(), note: z.string().optional() });
/** A REST response (status 0 = the host could not be reached; `b` holds why). */
export const restLine = z.object({ k: z.literal('r'), t: z.number(), m: z.string(), u: z.string(), q: z.string().optional(), s: z.number(), b: z.string() });
/** A WebSocket frame, raw, from shard `s`. */
export const frameLine = z.object({ k: z.literal('f'), t: z.number(), s: z.number(), d: z.string() });
/** The assets a shard was subscribed to when it (re)connected. */
export const assetsLine = z.object({ k: z.literal('a'), t: z.number(), s: z.number(), a: z.array(z.string()) });
export const recordLine = z.discriminatedUnion('k', [headerLine, restLine, frameLine, assetsLine]);

export type RecordLine = z.infer<typeof recordLine>;
export type RestLine = z.infer<typeof restLine>;

/** A URL without scheme and host, so a recording made on one port replays anywhere. */
export function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

/** The recording format this build reads. */
export const RECORDING_VERSION = 1;

export function versionCheck(path: string, header: unknown): void {
  const h = header as { k?: unknown; v?: unknown } | null;
  if (!h || typeof h !== 'object' || h.k !== 'h' || h.v === RECORDING_VERSION) return;
  const v = typeof h.v === 'number' || typeof h.v === 'string' ? sanitize(String(h.v), 20) : 'unknown';
  throw new Error(`${path} is recording format version ${v}; this polyconsole reads version ${RECORDING_VERSION} (use the polyconsole that recorded it)`);
}
