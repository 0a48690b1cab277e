// Generic webhooks: one JSON body both Slack ("text") and Discord ("content")
// accept. Discord caps content at 2,000 characters, so that is our split size.
// Each attempt carries an Idempotency-Key (the same on every retry of a row)
// so a receiver can drop the repeat a crash mid-request may cause.
import { redact, type Secret } from './secret.js';
import type { SendOutcome } from './telegram.js';

export const WEBHOOK_MAX = 2000;
const TIMEOUT_MS = 10_000;

export async function postWebhook(url: Secret, text: string, idempotencyKey: string): Promise<SendOutcome> {
  try {
    const res = await fetch(url.reveal(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify({ text, content: text }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'error',
    });
    // Read a bounded amount (Discord's 429 carries retry_after in the body).
    const body = (await res.text().catch(() => '')).slice(0, 2000);
    if (res.ok) return { ok: true };
    const error = redact(`HTTP ${res.status}`, [url]);
    if (res.status === 429) return { ok: false, retryAfterSec: retryAfter(res.headers.get('retry-after'), body), error };
    if (res.status >= 500 || res.status === 408) return { ok: false, transient: true, error };
    return { ok: false, permanent: true, error };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    return { ok: false, transient: true, error: redact(`network: ${e.cause?.code ?? e.name}${e.cause?.message ? ` ${e.cause.message}` : ''}`, [url]).slice(0, 200) };
  }
}

/** Seconds from a Retry-After header or a JSON body's retry_after (Slack: header; Discord: both, seconds). */
export function retryAfter(header: string | null, body: string): number {
  const h = header ? Number(header) : NaN;
  if (Number.isFinite(h) && h >= 0) return Math.min(3600, h);
  try {
    const j = JSON.parse(body) as { retry_after?: unknown };
    if (typeof j.retry_after === 'number' && j.retry_after >= 0) return Math.min(3600, j.retry_after);
  } catch {
    /* not JSON */
  }
  return 5;
}
