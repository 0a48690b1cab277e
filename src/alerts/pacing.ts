// Telegram's flood limits (Bot API FAQ): about one message a second per chat,
// twenty a minute per group, about thirty a second overall. The exact limits
// are not published, so these are the ceilings we keep to, and a 429's
// retry_after always wins over them.
import { deepFreeze } from '../frozen.js';

export interface PaceLimits {
  perChatMs: number;
  /** At most this many messages to one group per window. */
  groupPerMinute: number;
  groupWindowMs: number;
  globalMs: number;
}

// A little over the published figures: our clock reads the send time, the
// server's reads the arrival, and requests do not arrive evenly spaced.
export const TELEGRAM_LIMITS: PaceLimits = deepFreeze({ perChatMs: 1050, groupPerMinute: 20, groupWindowMs: 61_000, globalMs: 35 });

/** Group and supergroup chat ids are negative; private chats positive. */
export const isGroupChat = (chatId: string): boolean => chatId.startsWith('-');

export class Pacer {
  private readonly recent = new Map<string, number[]>();
  private readonly blockedUntil = new Map<string, number>();
  private lastAny = -Infinity;

  constructor(private readonly limits: PaceLimits = TELEGRAM_LIMITS) {}

  /** Earliest time a message to `chatId` may go out. */
  nextAt(chatId: string): number {
    const sent = this.recent.get(chatId) ?? [];
    let at = Math.max(this.lastAny + this.limits.globalMs, this.blockedUntil.get(chatId) ?? -Infinity);
    if (sent.length) at = Math.max(at, sent[sent.length - 1]! + this.limits.perChatMs);
    if (isGroupChat(chatId) && sent.length >= this.limits.groupPerMinute) at = Math.max(at, sent[sent.length - this.limits.groupPerMinute]! + this.limits.groupWindowMs);
    return at;
  }

  /** Records a send attempt (the server counts attempts, accepted or not). */
  sent(chatId: string, at: number): void {
    let list = this.recent.get(chatId);
    if (!list) this.recent.set(chatId, (list = []));
    list.push(at);
    if (list.length > this.limits.groupPerMinute) list.shift();
    this.lastAny = at;
  }

  /**
   * The answer to the last attempt arrived. Spacing counts from here too: the
   * server saw the request no later than it answered, so the next one reaches
   * it at least perChatMs after, however late the last one travelled.
   */
  answered(chatId: string, at: number): void {
    const list = this.recent.get(chatId);
    if (list?.length) list[list.length - 1] = Math.max(list[list.length - 1]!, at);
  }

  /** A 429: nothing to this chat before `retryAfterSec` has passed. */
  block(chatId: string, now: number, retryAfterSec: number): void {
    this.blockedUntil.set(chatId, Math.max(this.blockedUntil.get(chatId) ?? 0, now + Math.max(1, retryAfterSec) * 1000));
  }
}

/**
 * Splits text into parts of at most `limit` UTF-16 units (the Bot API's
 * 4,096-character limit counts UTF-16), preferring line breaks, then spaces,
 * and never cutting a surrogate pair.
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 2) throw new Error('limit too small');
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf('\n', limit);
    if (cut < limit / 2) cut = rest.lastIndexOf(' ', limit);
    if (cut < limit / 2) cut = limit;
    const code = rest.charCodeAt(cut - 1);
    if (cut === limit && code >= 0xd800 && code <= 0xdbff) cut--;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length || !parts.length) parts.push(rest);
  return parts;
}
