import { describe, expect, it } from 'vitest';
import { Pacer, splitText, TELEGRAM_LIMITS } from '../../src/alerts/pacing.js';
import { parseModes } from '../../src/alerts/router.js';

/** Sends as fast as the pacer allows for `ms`, on an injected clock. */
function flood(p: Pacer, chat: string, ms: number): number[] {
  const at: number[] = [];
  for (let now = 0; now < ms; ) {
    now = Math.max(now, p.nextAt(chat));
    if (now >= ms) break;
    p.sent(chat, now);
    at.push(now);
  }
  return at;
}

describe('Telegram pacing', () => {
  it('private chat: never two messages within a second', () => {
    const at = flood(new Pacer(), '12345', 60_000);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(1000);
    expect(at.length).toBeGreaterThan(50);
  });

  it('group chat: never more than 20 in any 60 s window', () => {
    const at = flood(new Pacer(), '-100777', 10 * 60_000);
    for (let i = 20; i < at.length; i++) expect(at[i]! - at[i - 20]!).toBeGreaterThanOrEqual(60_000);
    expect(at.length).toBeGreaterThanOrEqual(180);
  });

  it('a 429 blocks the chat for retry_after seconds', () => {
    const p = new Pacer(TELEGRAM_LIMITS);
    p.sent('1', 0);
    p.block('1', 100, 7);
    expect(p.nextAt('1')).toBe(7100);
    expect(p.nextAt('2')).toBeLessThan(100); // other chats unaffected
  });
});

describe('splitText', () => {
  it('short text stays whole', () => {
    expect(splitText('hello', 4096)).toEqual(['hello']);
  });
  it('10,000 characters in lines of 99 → parts of ≤ 4,096 cut at line breaks, nothing lost', () => {
    const line = 'x'.repeat(99);
    const text = Array.from({ length: 100 }, () => line).join('\n'); // 9,999 chars
    const parts = splitText(text, 4096);
    expect(parts.length).toBe(3);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    for (const p of parts) expect(p.endsWith('x')).toBe(true);
    expect(parts.join('\n')).toBe(text);
  });
  it('no break to cut at: hard cut, never splitting a surrogate pair', () => {
    const text = '😀'.repeat(3000); // 6,000 UTF-16 units
    const parts = splitText(text, 4095);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(4095);
      expect(/^(?:[\uD800-\uDBFF][\uDC00-\uDFFF])*$/.test(p)).toBe(true);
    }
    expect(parts.join('')).toBe(text);
  });
});

describe('alert modes', () => {
  it('parses per-kind on/silent/off over the defaults', () => {
    const m = parseModes('fill=silent, signal=off');
    expect(m.fill).toBe('silent');
    expect(m.signal).toBe('off');
    expect(m.halt).toBe('on');
  });
  it('names a bad kind or mode', () => {
    expect(() => parseModes('fills=on')).toThrow(/unknown alert kind "fills"/);
    expect(() => parseModes('fill=loud')).toThrow(/on, silent or off/);
  });
});
