// A value that must never reach a log line, a database row, a recording or the
// screen: every way JavaScript turns an object into text yields a fixed mask,
// and the only way to the raw value is an explicit, greppable `reveal()`.
import { inspect } from 'node:util';

export const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    if (typeof value !== 'string' || value.length === 0) throw new Error('a secret must be a non-empty string');
    this.#value = value;
  }

  /** The raw value, for the one call that needs it (signing, the HMAC key, an auth frame). */
  reveal(): string {
    return this.#value;
  }

  /** Whether `text` contains the raw value (redaction checks). */
  occursIn(text: string): boolean {
    return text.includes(this.#value);
  }

  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

/** Replaces every occurrence of each secret's raw value (and its base64 forms) in `text`. */
export function redact(text: string, secrets: readonly Secret[]): string {
  let out = text;
  for (const s of secrets) {
    const raw = s.reveal();
    for (const form of [raw, Buffer.from(raw).toString('base64'), Buffer.from(raw).toString('base64url')]) {
      if (form.length >= 4) out = out.split(form).join(REDACTED);
    }
  }
  return out;
}
