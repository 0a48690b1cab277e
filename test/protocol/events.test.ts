// The venue's event types live in one module (src/protocol/events.ts). These
// tests tie its wire shapes to the decoder (a frame typed as the wire type
// decodes to the internal event of the same name) and keep every other file
// from declaring its own copy of an event shape.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEvent } from '../../src/protocol/market-channel.js';
import { MARKET_EVENT_TYPES, USER_EVENT_TYPES, type MarketEvent, type WireMarketEvent } from '../../src/protocol/events.js';
import { ROOT } from '../helpers/paths.js';

const A = '1001';
const B = '1002';
const M = '0xabc1';

// Typed as the wire union: a field renamed in events.ts breaks this file at compile time.
const frames: WireMarketEvent[] = [
  { event_type: 'book', market: M, asset_id: A, timestamp: '1761179883493', hash: 'h1', bids: [{ price: '0.32', size: '10' }], asks: [{ price: '0.35', size: '4.5' }], last_trade_price: '0.33' },
  { event_type: 'price_change', market: M, timestamp: '1761179883494', price_changes: [{ asset_id: A, price: '0.33', size: '0', side: 'BUY', hash: 'h2', best_bid: '0.32', best_ask: '0.35' }] },
  { event_type: 'last_trade_price', asset_id: A, market: M, price: '0.35', size: '2', side: 'SELL', timestamp: '1761179883495', fee_rate_bps: '0' },
  { event_type: 'tick_size_change', asset_id: A, market: M, old_tick_size: '0.01', new_tick_size: '0.001', timestamp: '1761179883496' },
  { event_type: 'best_bid_ask', asset_id: A, market: M, best_bid: '0.32', best_ask: '0.35', spread: '0.03', timestamp: '1761179883497' },
  { event_type: 'new_market', id: '77', question: 'Q?', market: M, slug: 'q', assets_ids: [A, B], outcomes: ['Yes', 'No'], event_message: { id: '9', title: 'T' }, tags: ['x'], timestamp: '1761179883498' },
  { event_type: 'market_resolved', id: '77', market: M, assets_ids: [A, B], winning_asset_id: A, winning_outcome: 'Yes', timestamp: '1761179883499' },
];

describe('protocol event types', () => {
  it('every wire type decodes to the internal event of the same name, and the list of types is the decoder’s', () => {
    const seen = new Set<string>();
    for (const f of frames) {
      const r = decodeEvent(JSON.parse(JSON.stringify(f)));
      expect(r.ok, JSON.stringify(r)).toBe(true);
      const ev = (r as { ok: true; event: MarketEvent }).event;
      expect(ev.type).toBe(f.event_type);
      expect(ev.ts).toBe(Number(f.timestamp));
      seen.add(ev.type);
    }
    expect([...seen].sort()).toEqual([...MARKET_EVENT_TYPES].sort());
    // An event type not in the list is refused as unknown, not guessed at.
    const r = decodeEvent({ event_type: 'order', market: M });
    expect(r.ok).toBe(false);
    expect(USER_EVENT_TYPES).toEqual(['order', 'trade']);
  });

  it('no file outside src/protocol/events.ts declares a market or user event shape of its own', () => {
    const names = [...MARKET_EVENT_TYPES, ...USER_EVENT_TYPES].join('|');
    // A type member (`type: 'book';`, `event_type: 'trade';`) ends in ';' — object literals use ','.
    const member = new RegExp(`^\\s*(?:readonly\\s+)?(?:event_)?type\\??:\\s*'(?:${names})'\\s*;`, 'm');
    const wireLevel = /\b(?:interface|type)\s+WireLevel\b/;
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e.name)) {
          const rel = relative(ROOT, p).split('\\').join('/');
          if (rel === 'src/protocol/events.ts') continue;
          const text = readFileSync(p, 'utf8');
          if (member.test(text) || wireLevel.test(text)) offenders.push(rel);
        }
      }
    };
    walk(join(ROOT, 'src'));
    expect(offenders).toEqual([]);
    // The check itself finds a declaration when there is one.
    expect(member.test("interface X {\n  type: 'book';\n}")).toBe(true);
    expect(member.test("const x = {\n  type: 'book',\n};")).toBe(false);
  });
});
