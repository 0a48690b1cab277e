// The frame scanner reads hot frames without JSON.parse. Whenever it answers,
// the answer must equal the general path (JSON.parse → fast/zod decoders);
// whenever that path rejects something, the scanner must not accept it.
import { describe, expect, it } from 'vitest';
import { scanFrame } from '../../src/protocol/frame-scanner.js';
import { decodeElement, decodeFrame, decodeFrameGeneral, decodeParsed } from '../../src/protocol/market-channel.js';
import { ALL_SAMPLES, SCANNED_SAMPLES, bestBidAskSample, bookSample, clone, priceChangeSample, prng, tradeSample } from './samples.js';
import { FIXTURES, HAVE_FIXTURES, fixtureText } from './fixtures.js';
import { Simulator } from '../../src/sim/simulator.js';

function agrees(raw: string): 'scanned' | 'deferred' {
  const scanned = scanFrame(raw, decodeElement);
  if (!scanned) return 'deferred';
  const general = decodeParsed(raw);
  expect(general.errors, raw.slice(0, 200)).toEqual([]);
  expect(scanned, raw.slice(0, 200)).toEqual(general.events);
  return 'scanned';
}

describe('scanFrame', () => {
  it('reads each hot sample alone and all of them in an array, equal to the JSON.parse path', () => {
    for (const s of SCANNED_SAMPLES) expect(agrees(JSON.stringify(s))).toBe('scanned');
    expect(agrees(JSON.stringify(SCANNED_SAMPLES))).toBe('scanned');
    expect(agrees('[]')).toBe('scanned');
  });

  it('an array mixing hot events with other valid types is read element by element, equal to the JSON.parse path', () => {
    for (const other of ALL_SAMPLES.filter((x) => !SCANNED_SAMPLES.includes(x))) {
      expect(agrees(JSON.stringify([tradeSample, other, bookSample]))).toBe('scanned');
    }
  });

  it('without an element decoder passed in, a mixed array is left whole to the caller (nothing is registered behind its back)', () => {
    const other = ALL_SAMPLES.find((x) => !SCANNED_SAMPLES.includes(x))!;
    const raw = JSON.stringify([tradeSample, other, bookSample]);
    expect(scanFrame(raw)).toBeUndefined();
    let calls = 0;
    const events = scanFrame(raw, (slice) => {
      calls++;
      return decodeElement(slice);
    });
    expect(calls).toBe(1);
    expect(events).toEqual(decodeParsed(raw).events);
  });

  it('defers every other event type, the legacy and flat price_change forms, and text frames', () => {
    for (const s of ALL_SAMPLES.filter((x) => !SCANNED_SAMPLES.includes(x))) expect(scanFrame(JSON.stringify(s))).toBeUndefined();
    expect(scanFrame('PONG')).toBeUndefined();
    expect(scanFrame(JSON.stringify([bookSample, { event_type: 'tick_size_change' }]), decodeElement)).toBeUndefined();
  });

  it('reads whitespace-formatted frames and defers escapes, control characters and non-string numbers', () => {
    expect(agrees(JSON.stringify(tradeSample, null, 0).replace(/,/g, ' , ').replace(/:/g, ' : '))).toBe('scanned');
    expect(scanFrame(JSON.stringify({ ...tradeSample, market: 'a\\"b' }))).toBeUndefined();
    expect(scanFrame(JSON.stringify(tradeSample, null, 2))).toBeUndefined(); // newlines: control characters
    expect(scanFrame(JSON.stringify({ ...tradeSample, timestamp: 1724564136087 }))).toBeUndefined();
  });

  it('rejects what JSON.parse rejects: malformed literals, bad escapes and grammar inside skipped values', () => {
    const t = JSON.stringify(tradeSample);
    for (const bad of [t.replace('}', ',"x":tru}'), t.replace('}', ',"x":"\\q"}'), t.replace('}', ',"x":[1 2]}'), t.replace('}', ',"x":{"a" 1}}'), t + 'x', t.slice(0, -1)]) {
      expect(scanFrame(bad), bad).toBeUndefined();
    }
  });

  it('unknown keys with valid values of every kind are skipped like JSON.parse skips them', () => {
    const extra = { ...clone(bookSample), tick_size: '0.01', n: -1.5e3, flag: true, nothing: null, nested: { a: [1, { b: 'c' }] } };
    expect(agrees(JSON.stringify(extra))).toBe('scanned');
    // Any escape in the frame leaves it to JSON.parse.
    expect(scanFrame(JSON.stringify({ ...extra, nested: 'c\\n' }))).toBeUndefined();
  });

  it('a duplicate key keeps the last value, as JSON.parse does', () => {
    const raw = JSON.stringify(tradeSample).replace('"side":"SELL"', '"side":"SELL","side":"BUY"').replace('"side":"BUY","side":"BUY"', '"side":"BUY","side":"SELL"');
    expect(agrees(raw)).toBe('scanned');
  });

  it('6,000 seeded mutations of hot frames: it never disagrees with the general path', () => {
    const rand = prng(0xc0ffee);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const values = ['0.5', '.48', '1', '1.5', '', 'abc', '0x1', '1e-4', '-0.1', '0.00001', 'BUY', 'SELL', null, 7, true, [], {}, '12345678901234567', '0.1234'];
    let scanned = 0;
    for (let n = 0; n < 6000; n++) {
      const base = clone(pick([bookSample, priceChangeSample, tradeSample, bestBidAskSample])) as Record<string, unknown>;
      const mutations = 1 + Math.floor(rand() * 3);
      for (let m = 0; m < mutations; m++) {
        const r = rand();
        if (r < 0.4) {
          // a top-level field gets another value
          const k = pick(Object.keys(base));
          base[k] = pick(values);
        } else if (r < 0.7 && Array.isArray(base['price_changes']) && (base['price_changes'] as unknown[]).length) {
          const e = pick(base['price_changes'] as Record<string, unknown>[]);
          if (e && typeof e === 'object') e[pick(Object.keys(e).concat('extra'))] = pick(values);
        } else if (r < 0.85 && Array.isArray(base['bids']) && (base['bids'] as unknown[]).length) {
          const l = pick(base['bids'] as Record<string, unknown>[]);
          if (l && typeof l === 'object') l[pick(['price', 'size'])] = pick(values);
        } else delete base[pick(Object.keys(base))];
      }
      let raw = JSON.stringify(rand() < 0.2 ? [base, clone(tradeSample)] : base);
      if (rand() < 0.1) raw = raw.slice(0, Math.floor(rand() * raw.length));
      if (agrees(raw) === 'scanned') scanned++;
    }
    // The scanner answered for a real share of them (valid ones), not zero.
    expect(scanned).toBeGreaterThan(500);
  });

  it.skipIf(!HAVE_FIXTURES)('real captures: agrees on every hot fixture', () => {
    for (const rel of ['nautilus_trader/ws_messages/book.json', 'nautilus_trader/ws_messages/last_trade_price.json', 'nautilus_trader/ws_messages/price_change_v2.json', 'nautilus_trader/test_data/ws_market_best_bid_ask_msg.json']) {
      const text = JSON.stringify(JSON.parse(fixtureText(rel)));
      expect(agrees(text)).toBe('scanned');
    }
    void FIXTURES;
  });

  it('every frame the simulator sends for 100 steps: agrees, and reads all of them', async () => {
    const sim = new Simulator({ seed: 'scan', markets: 200, speed: 60, rate: 4000, clockStart: 'manual' });
    const { default: WebSocket } = await import('ws');
    const urls = await sim.start();
    const frames: string[] = [];
    const ws = new WebSocket(urls.ws);
    await new Promise<void>((r) => ws.once('open', () => r()));
    ws.on('message', (d) => frames.push(d.toString()));
    ws.send(JSON.stringify({ type: 'market', assets_ids: sim.world.markets.flatMap((m) => m.tokenIds), initial_dump: true }));
    const { waitFor } = await import('../helpers/wait.js');
    await waitFor(() => frames.length > 0, { what: 'initial dump' });
    for (let i = 0; i < 100; i++) sim.stepOnce();
    const expected = sim.ws.framesSent;
    await waitFor(() => frames.length >= expected);
    ws.close();
    await sim.stop();
    let read = 0;
    for (const f of frames) {
      const onlyHot = !/"event_type":"(tick_size_change|new_market|market_resolved)"/.test(f);
      const r = agrees(f);
      if (onlyHot) expect(r).toBe('scanned');
      if (r === 'scanned') read++;
    }
    expect(read).toBeGreaterThan(frames.length * 0.9);
  });
});

// Random frames spelled the ways a venue (or a hostile server) might: the
// venue's exact level form and every variation of it, ids around their length
// cap and with characters the bounds refuse, whitespace, duplicate and extra
// keys. decodeFrame (scanner first) must equal the general path, errors included.
describe('decodeFrame agrees with decodeFrameGeneral on randomised frames', () => {
  const rand = prng(0x5ca7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
  const id = (): string => {
    const r = rand();
    if (r < 0.9) return digits(77);
    const n = pick([0, 1, 40, 127, 128, 129, 200]);
    let out = digits(n);
    if (rand() < 0.5 && n > 0) {
      const at = Math.floor(rand() * n);
      out = out.slice(0, at) + pick([' ', '\u007f', 'é', '\u202e', '\t', '\\"', '\\\\', '\\u0041', '"', '~', '!']) + out.slice(at + 1);
    }
    return out;
  };
  /** Mostly a valid value, sometimes an odd or invalid one. */
  const oneOf = (good: string[], odd: string[]) => (rand() < 0.97 ? pick(good) : pick(odd));
  const priceText = () => oneOf(['0.5', '0.01', '.48', '1', '0.1234', '0.50000'], ['1.0', '0.12345', '1.0001', '', 'x', '0', '00.5']);
  const sizeText = () => oneOf(['100', '12.5', '0', '1076', '123456789012345'], ['.5', '12.', '1234567890123456', '1e3', '-1', '', '0.000001']);
  const str = (v: string) => (rand() < 0.99 ? `"${v}"` : pick(['null', '7', 'true', '[]', '{}']));
  const ws = () => (rand() < 0.98 ? '' : pick([' ', '\n', '\t ', '\r\n']));
  /** An object from key/value texts: shuffled sometimes, an extra or duplicate key sometimes. */
  const obj = (pairs: [string, string][]): string => {
    const list = pairs.slice();
    if (rand() < 0.05) list.reverse();
    if (rand() < 0.03) list.push(['extra', pick(['1', '"x"', '[1,{"a":null}]', '{"b":[]}', 'tru'])]);
    if (rand() < 0.03 && list.length) list.push([list[0]![0], pick(list)[1]]);
    if (rand() < 0.02 && list.length) list.pop();
    return `{${list.map(([k, v]) => `${ws()}"${k}"${ws()}:${ws()}${v}`).join(',')}${ws()}}`;
  };
  const level = () => obj([['price', str(priceText())], ['size', str(sizeText())]]);
  const levels = () => `[${Array.from({ length: Math.floor(rand() * 5) }, level).join(',')}]`;
  const ts = () => str(oneOf(['1795262562000'], ['17952625620001234', '', 'x1']));
  const book = () => obj([['event_type', '"book"'], ['market', str(id())], ['asset_id', str(id())], ['timestamp', ts()], ['hash', str(id())], ['bids', levels()], ['asks', levels()], ['last_trade_price', str(oneOf(['', '0.5'], ['x']))]]);
  const entry = () => obj([['asset_id', str(id())], ['price', str(priceText())], ['size', str(sizeText())], ['side', str(oneOf(['BUY', 'SELL'], ['buy']))], ['hash', str(id())], ['best_bid', str(priceText())], ['best_ask', str(priceText())]]);
  const change = () => obj([['event_type', '"price_change"'], ['market', str(id())], ['price_changes', `[${Array.from({ length: 1 + Math.floor(rand() * 3) }, entry).join(',')}]`], ['timestamp', ts()]]);
  const trade = () => obj([['asset_id', str(id())], ['event_type', '"last_trade_price"'], ['fee_rate_bps', str(oneOf(['0', '700', ''], ['x', '1e2']))], ['market', str(id())], ['price', str(priceText())], ['side', str(pick(['BUY', 'SELL']))], ['size', str(sizeText())], ['timestamp', ts()], ['transaction_hash', str(id())]]);
  const bba = () => obj([['event_type', '"best_bid_ask"'], ['market', str(id())], ['asset_id', str(id())], ['best_bid', rand() < 0.1 ? 'null' : str(priceText())], ['best_ask', str(priceText())], ['spread', str('0.03')], ['timestamp', ts()]]);
  const tick = () => JSON.stringify({ event_type: 'tick_size_change', asset_id: id(), market: id(), old_tick_size: '0.01', new_tick_size: '0.001', timestamp: '1795262562000' });
  const anyEvent = () => pick([book, change, trade, bba, book, change, trade, bba, tick])();

  it('5,000 frames: the same events and errors, and the scanner reads a real share of them', () => {
    let scanned = 0;
    for (let n = 0; n < 5000; n++) {
      let raw = rand() < 0.3 ? anyEvent() : `[${Array.from({ length: 1 + Math.floor(rand() * 3) }, anyEvent).join(',')}]`;
      // A raw control character inside any string, key or value (JSON forbids it there).
      if (rand() < 0.05) {
        const at = raw.indexOf('"', Math.floor(rand() * raw.length));
        if (at >= 0) raw = raw.slice(0, at + 1) + pick(['\u0001', '\u001f', '\t', '\n']) + raw.slice(at + 1);
      }
      if (scanFrame(raw, decodeElement)) scanned++;
      expect(decodeFrame(raw), raw.slice(0, 300)).toEqual(decodeFrameGeneral(raw));
    }
    expect(scanned).toBeGreaterThan(800);
  });
});
