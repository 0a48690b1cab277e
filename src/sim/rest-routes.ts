// What the Gamma and CLOB route tables share: the reply shape, the venue's
// silent limit cap, and opaque cursors.

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** One origin's routes (Gamma or CLOB): a pacing bucket per path, and the handler. */
export interface Routes {
  bucket(method: string, path: string): string | undefined;
  handle(method: string, path: string, q: URLSearchParams, body: unknown): Reply;
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const fail = (status: number, error: string): Reply => ({ status, body: { error } });

/** A `limit` parameter: default when absent, silently capped at `max` (the venue's behaviour), undefined when malformed. */
export function clampLimit(text: string | null, dflt: number, max: number): number | undefined {
  if (text === null) return dflt;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) return undefined;
  return Math.min(n, max);
}

/** Gamma keyset cursors (opaque to clients). */
export function encodeCursor(n: number): string {
  return Buffer.from(`c:${n}`).toString('base64url');
}

export function decodeCursor(text: string | null): number | undefined {
  if (!text) return 0;
  const m = /^c:(\d+)$/.exec(Buffer.from(text, 'base64url').toString());
  return m ? Number(m[1]) : undefined;
}

/** Values of a repeated and/or comma-joined parameter (`id=1&id=2` or `id=1,2`). */
export function listParam(q: URLSearchParams, name: string): string[] {
  const out: string[] = [];
  for (const v of q.getAll(name)) for (const part of v.split(',')) if (part.trim()) out.push(part.trim());
  return out;
}
