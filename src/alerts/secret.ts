// Bot tokens and webhook URLs carry credentials: a token in a log line is a
// stolen bot. They are held in Secret (prints as [redacted] however it is
// stringified), and every text that may echo one (error messages from fetch
// or the library) goes through redact() before it is logged, stored or shown.
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';

const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

/** Telegram bot tokens: "<bot id>:<35 url-safe chars>". */
const TOKEN = /\b\d{5,}:[A-Za-z0-9_-]{30,}\b/g;
/** Any URL path segment after /bot (the Bot API puts the token there). */
const BOT_PATH = /\/bot[^/\s]+/g;

export function redact(text: string, secrets: readonly Secret[] = []): string {
  let out = text;
  for (const s of secrets) {
    const v = s.reveal();
    if (v.length >= 4) out = out.split(v).join(REDACTED);
    // A URL may come back normalised or percent-encoded.
    try {
      const u = new URL(v);
      if (u.pathname.length > 1) out = out.split(u.pathname).join(REDACTED);
      if (u.search) out = out.split(u.search).join(REDACTED);
    } catch {
      /* not a URL */
    }
  }
  return out.replace(TOKEN, REDACTED).replace(BOT_PATH, `/bot${REDACTED}`);
}

/** A stable, non-reversible name for a secret target (outbox rows, health): "webhook 3f2a9c1e". */
export function fingerprint(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 8);
}

/** What an operator may see of a webhook: its host only. */
export function hostOnly(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '?';
  }
}
