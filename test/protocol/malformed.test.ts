// Malformed input never throws: it comes back as a typed DecodeError that names
// the offending field, and good events in the same frame survive.
import { describe, expect, it } from 'vitest';
import { decodeEvent, decodeFrame } from '../../src/protocol/market-channel.js';
import { decodeRestBook, decodePricesHistory } from '../../src/protocol/clob.js';
import { decodeGammaMarket } from '../../src/protocol/gamma.js';
import { bookSample, clone, priceChangeSample, tickSizeSample, tradeSample } from './samples.js';

const frame = (v: unknown): string => JSON.stringify(v);

describe('decodeFrame: schema errors name the field', () => {
  it('price_changes[0].price = "abc" → kind schema, field "price_changes[0].price", no events', () => {
    const pc = clone(priceChangeSample);
    pc.price_changes[0]!.price = 'abc';
    const r = decodeFrame(frame(pc));
    expect(r.events).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.kind).toBe('schema');
    expect(r.errors[0]!.field).toContain('price_changes[0].price');
    expect(r.errors[0]!.message).toMatch(/^price_change: /);
  });

  it('price_changes[1].best_ask = "1.5" (above 1) → field "price_changes[1].best_ask"', () => {
    const pc = clone(priceChangeSample);
    pc.price_changes[1]!.best_ask = '1.5';
    const r = decodeFrame(frame(pc));
    expect(r.errors.map((e) => [e.kind, e.field])).toEqual([['schema', 'price_changes[1].best_ask']]);
  });

  it('price_changes[0].side = "HOLD" → field "price_changes[0].side"', () => {
    const pc = clone(priceChangeSample);
    pc.price_changes[0]!.side = 'HOLD';
    expect(decodeFrame(frame(pc)).errors[0]!.field).toBe('price_changes[0].side');
  });

  it('book without asset_id → kind schema, field "asset_id"', () => {
    const b: Record<string, unknown> = clone(bookSample);
    delete b['asset_id'];
    const r = decodeFrame(frame(b));
    expect(r.events).toEqual([]);
    expect(r.errors).toEqual([expect.objectContaining({ kind: 'schema', field: 'asset_id' })]);
  });

  it('book with asset_id "" → field "asset_id" (empty ids are not assets)', () => {
    const b = clone(bookSample);
    b.asset_id = '';
    expect(decodeFrame(frame(b)).errors[0]!.field).toBe('asset_id');
  });

  it('book bids[1].size = "-5" → field "bids[1].size"', () => {
    const b = clone(bookSample);
    b.bids[1]!.size = '-5';
    expect(decodeFrame(frame(b)).errors[0]).toMatchObject({ kind: 'schema', field: 'bids[1].size' });
  });

  it('book asks[2].price = "0.00001" (off grid) → field "asks[2].price"', () => {
    const b = clone(bookSample);
    b.asks[2]!.price = '0.00001';
    expect(decodeFrame(frame(b)).errors[0]).toMatchObject({ kind: 'schema', field: 'asks[2].price' });
  });

  it('book timestamp "-1" → field "timestamp"', () => {
    const b = clone(bookSample);
    b.timestamp = '-1';
    expect(decodeFrame(frame(b)).errors[0]).toMatchObject({ kind: 'schema', field: 'timestamp' });
  });

  it('last_trade_price side "HOLD" → field "side"; price 2 (a number, not a string) → field "price"', () => {
    const t1 = { ...tradeSample, side: 'HOLD' };
    expect(decodeFrame(frame(t1)).errors[0]).toMatchObject({ kind: 'schema', field: 'side' });
    const t2 = { ...tradeSample, price: 2 };
    expect(decodeFrame(frame(t2)).errors[0]).toMatchObject({ kind: 'schema', field: 'price' });
  });

  it('tick_size_change new_tick_size "2" → field "new_tick_size"', () => {
    const t = { ...tickSizeSample, new_tick_size: '2' };
    expect(decodeFrame(frame(t)).errors[0]).toMatchObject({ kind: 'schema', field: 'new_tick_size' });
  });
});

describe('decodeFrame: non-schema failures', () => {
  it('truncated JSON \'{"event_type":\' → kind json', () => {
    const r = decodeFrame('{"event_type":');
    expect(r.events).toEqual([]);
    expect(r.errors).toEqual([expect.objectContaining({ kind: 'json', field: '' })]);
  });

  it('event_type "order_filled" → kind unknown_event, field "event_type"', () => {
    const r = decodeFrame(frame({ ...tradeSample, event_type: 'order_filled' }));
    expect(r.errors).toEqual([expect.objectContaining({ kind: 'unknown_event', field: 'event_type' })]);
    expect(r.errors[0]!.message).toContain('order_filled');
  });

  it('missing event_type → kind schema, field "event_type"; event_type 7 → same', () => {
    const { event_type: _drop, ...noType } = tradeSample;
    expect(decodeFrame(frame(noType)).errors[0]).toMatchObject({ kind: 'schema', field: 'event_type' });
    expect(decodeFrame(frame({ ...tradeSample, event_type: 7 })).errors[0]).toMatchObject({ kind: 'schema', field: 'event_type' });
  });

  it('text frame "hello" → kind text', () => {
    const r = decodeFrame('hello');
    expect(r.events).toEqual([]);
    expect(r.errors).toEqual([expect.objectContaining({ kind: 'text' })]);
    expect(r.control).toBeUndefined();
  });

  it('empty frame "" → kind text, no throw', () => {
    expect(decodeFrame('').errors).toEqual([expect.objectContaining({ kind: 'text' })]);
  });

  it('JSON scalars 42, null, "x" at the top level are errors, not events', () => {
    for (const raw of ['42', 'null', '"x"', 'true']) {
      const r = decodeFrame(raw);
      expect(r.events, raw).toEqual([]);
      expect(r.errors, raw).toHaveLength(1);
    }
  });

  it('"PONG" and "NO NEW ASSETS" are control text with no errors; " PONG\\n" is trimmed', () => {
    expect(decodeFrame('PONG')).toEqual({ events: [], errors: [], control: 'PONG' });
    expect(decodeFrame('NO NEW ASSETS')).toEqual({ events: [], errors: [], control: 'NO NEW ASSETS' });
    expect(decodeFrame(' PONG\n').control).toBe('PONG');
  });

  it('leading whitespace before "{" still decodes the object', () => {
    const r = decodeFrame('  \n' + frame(tradeSample));
    expect(r.errors).toEqual([]);
    expect(r.events.map((e) => e.type)).toEqual(['last_trade_price']);
  });
});

describe('decodeFrame: arrays keep the good elements', () => {
  it('[good trade, bad price_change] → 1 event, 1 error with field "[1].price_changes[0].price"', () => {
    const bad = clone(priceChangeSample);
    bad.price_changes[0]!.price = 'abc';
    const r = decodeFrame(frame([tradeSample, bad]));
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({ type: 'last_trade_price', price: 4910 });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ kind: 'schema', field: '[1].price_changes[0].price' });
  });

  it('[42, good book, "x", {event_type:"nope"}] → 1 event; errors at [0], [2], [3].event_type', () => {
    const r = decodeFrame(frame([42, bookSample, 'x', { event_type: 'nope' }]));
    expect(r.events.map((e) => e.type)).toEqual(['book']);
    expect(r.errors.map((e) => [e.kind, e.field])).toEqual([
      ['schema', '[0]'],
      ['schema', '[2]'],
      ['unknown_event', '[3].event_type'],
    ]);
  });

  it('empty array "[]" → no events, no errors', () => {
    expect(decodeFrame('[]')).toEqual({ events: [], errors: [] });
  });
});

describe('decodeEvent on non-objects', () => {
  it.each([[null], [[]], ['book'], [3]])('decodeEvent(%j) → schema error, root field', (v) => {
    const r = decodeEvent(v);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'schema', field: '' });
  });
});

describe('REST and Gamma decoders name the field too', () => {
  it('decodeRestBook: bids[0].price "x" → field "bids[0].price"', () => {
    const b = clone(bookSample);
    b.bids[0]!.price = 'x';
    const r = decodeRestBook(b);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'schema', field: 'bids[0].price' });
  });

  it('decodePricesHistory: history[1].p = 1.2 (above 1) → field "history[1].p"', () => {
    const r = decodePricesHistory({ history: [{ t: 1, p: 0.5 }, { t: 2, p: 1.2 }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'schema', field: 'history[1].p' });
  });

  it('decodeGammaMarket: outcomes "[\\"Yes\\"" (broken JSON-encoded string) → field "outcomes"', () => {
    const r = decodeGammaMarket({ id: '1', question: 'q', conditionId: '0x1', outcomes: '["Yes"' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'schema', field: 'outcomes' });
  });

  it('decodeGammaMarket: closedTime "yesterday" → field "closedTime"', () => {
    const r = decodeGammaMarket({ id: '1', question: 'q', conditionId: '0x1', closedTime: 'yesterday' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'schema', field: 'closedTime' });
  });
});
