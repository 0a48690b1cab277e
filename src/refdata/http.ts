// Bounded JSON GET for reference providers: timeout, body cap, and the
// status codes that matter (429/418 with Retry-After). Never throws.

export type JsonResult =
  | { ok: true; status: number; body: unknown; headers: Headers }
  | { ok: false; status: number; error: string; retryAfterMs?: number };

const MAX_BODY = 16 * 1024 * 1024;

export async function getJson(url: string, opts: { timeoutMs?: number; headers?: Record<string, string>; maxBytes?: number } = {}): Promise<JsonResult> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), opts.timeoutMs ?? 10_000);
  try {
    const res = await fetch(url, { signal: ctl.signal, ...(opts.headers ? { headers: opts.headers } : {}) });
    const limit = opts.maxBytes ?? MAX_BODY;
    const len = Number(res.headers.get('content-length') ?? 0);
    if (len > limit) {
      await res.body?.cancel();
      return { ok: false, status: res.status, error: `body ${len} bytes over ${limit}` };
    }
    const text = await res.text();
    if (text.length > limit) return { ok: false, status: res.status, error: `body over ${limit} bytes` };
    if (res.status === 429 || res.status === 418) {
      const ra = Number(res.headers.get('retry-after'));
      return { ok: false, status: res.status, error: `HTTP ${res.status}`, retryAfterMs: Number.isFinite(ra) && ra > 0 ? Math.min(ra, 3600) * 1000 : 60_000 };
    }
    if (!res.ok) return { ok: false, status: res.status, error: `HTTP ${res.status}: ${text.slice(0, 120).replace(/[^\x20-\x7e]/g, ' ')}` };
    try {
      return { ok: true, status: res.status, body: JSON.parse(text), headers: res.headers };
    } catch {
      return { ok: false, status: res.status, error: 'not JSON' };
    }
  } catch (e) {
    return { ok: false, status: 0, error: (e as Error).name === 'AbortError' ? 'timeout' : ((e as Error).message || 'network error').slice(0, 120) };
  } finally {
    clearTimeout(timer);
  }
}
