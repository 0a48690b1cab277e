// Seeded fuzzing of decodeFrame: mutated frames of every event type must never
// throw, and anything that does decode must still hold DESIGN §3 units
// (integer prices in [0, 10000], finite non-negative sizes).
import { describe, expect, it } from 'vitest';
import { decodeFrame, type DecodedFrame } from '../../src/protocol/market-channel.js';
import type { MarketEvent } from '../../src/protocol/events.js';
import { ALL_SAMPLES, prng } from './samples.js';
import { fixtureText, HAVE_FIXTURES } from './fixtures.js';

const SEED = 0x5eed_2026;
// Sized for the default run (about a second); npm run test:long mutates 100,000.
const FRAMES = Number(process.env['FUZZ_FRAMES'] ?? 12_000);

const FIXTURE_FRAMES = [
  'nautilus_trader/ws_messages/book.json',
  'nautilus_trader/ws_messages/price_change.json',
  'nautilus_trader/ws_messages/price_change_v2.json',
  'nautilus_trader/legacy_f9a9acb408/ws_messages/price_change_v2.json',
  'nautilus_trader/ws_messages/last_trade_price.json',
  'nautilus_trader/ws_messages/tick_size_change.json',
  'nautilus_trader/test_data/ws_market_best_bid_ask_msg.json',
  'nautilus_trader/test_data/ws_market_new_market_msg.json',
  'nautilus_trader/test_data/ws_market_resolved_msg.json',
];

/** Raw JSON tokens swapped in for values: wrong types, huge, negative, unicode, control chars. */
const GARBAGE = [
  '1e309', '-1e309', '99999999999999999999', '"99999999999999999999"', '"1e309"', '"1e400"', '"-1e309"',
  '-1', '"-1"', '-0.5', '"-0.5"', '"-0"', '0', '"0"', '1', '"1"', '1.5', '"1.5"', '0.5', '"0.00001"', '"0.50000000001"',
  'null', 'true', 'false', '[]', '{}', '""', '"abc"', '"NaN"', '"Infinity"', '" 0.5 "', '".5"', '"0x1"',
  '"\\u0000"', '"\\u202e0.5"', '"😀"', '"\\ud800"', '"\\n\\t\\r"', '"\u00e9\u00e8"', '"%s%n"',
  '[1,"x",null,{},[],true,-0.5,"😀"]', '{"price":"0.5","size":"1"}', '[{"price":"0.5","size":"1"}]', '[[[["0.5"]]]]',
  '"BUY"', '"SELL"', '"book"', '"price_change"', '"last_trade_price"', '9007199254740993', '-9007199254740993', '1e-400',
];

const KNOWN_TYPES = new Set(['book', 'price_change', 'last_trade_price', 'tick_size_change', 'best_bid_ask', 'new_market', 'market_resolved']);

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, n: number): number => Math.floor(r() * n);

const MARK = '\u0001MARK\u0001';
const MARK_JSON = JSON.stringify(MARK);

type Path = (string | number)[];

function paths(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (prefix.length) out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) paths((v as Record<string, unknown>)[k], [...prefix, k], out);
  return out;
}

function setAt(root: unknown, path: Path, value: unknown, del = false): void {
  let cur = root as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) cur = cur[path[i]!] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (del && !Array.isArray(cur)) delete cur[last];
  else cur[last] = value;
}

/** Replaces the value at a random path with a raw JSON token (so 1e309 etc. reach JSON.parse as text). */
function replaceValue(r: Rand, base: unknown, token: string, del = false): string {
  const obj = structuredClone(base);
  const ps = paths(obj);
  if (!ps.length) return token;
  const p = pick(r, ps);
  if (del) {
    setAt(obj, p, undefined, true);
    return JSON.stringify(obj);
  }
  setAt(obj, p, MARK);
  return JSON.stringify(obj).replace(MARK_JSON, () => token);
}

/** Turns one numeric string leaf ("0.5") into a bare number (0.5): same value, wrong type. */
function retype(r: Rand, base: unknown): string {
  const obj = structuredClone(base);
  const leaves = paths(obj).filter((p) => {
    let cur: any = obj;
    for (const k of p) cur = cur[k];
    return typeof cur === 'string' && cur !== '' && Number.isFinite(Number(cur));
  });
  if (!leaves.length) return JSON.stringify(obj);
  const p = pick(r, leaves);
  let cur: any = obj;
  for (const k of p) cur = cur[k];
  setAt(obj, p, MARK);
  return JSON.stringify(obj).replace(MARK_JSON, () => String(cur));
}

function randomChars(r: Rand, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const k = r();
    if (k < 0.6) s += String.fromCharCode(int(r, 256));
    else if (k < 0.8) s += pick(r, ['{', '}', '[', ']', '"', ':', ',', '\\', '0', '.', '-', 'e']);
    else s += String.fromCharCode(int(r, 0xffff));
  }
  return s;
}

const nest = (open: string, close: string, depth: number, inner: string): string => open.repeat(depth) + inner + close.repeat(depth);

function mutate(r: Rand, base: Record<string, unknown>, text: string): string {
  switch (int(r, 13)) {
    case 0:
      return text.slice(0, int(r, text.length)); // truncate at a random byte
    case 1:
    case 2:
      return replaceValue(r, base, pick(r, GARBAGE)); // change a value's type / size / sign / content
    case 3:
      return replaceValue(r, base, '', true); // drop a key
    case 4:
      return retype(r, base);
    case 5: {
      const at = int(r, text.length + 1); // unicode / control characters anywhere
      return text.slice(0, at) + pick(r, ['\u0000', '\u0007', '\u001b[2J', '\u2028', '\u202e', '😀', '\ud800', '\uffff', '\\', '"']) + text.slice(at);
    }
    case 6: {
      // duplicate keys: JSON.parse keeps the last one
      const key = pick(r, Object.keys(base));
      const dup = `"${key}":${pick(r, GARBAGE)}`;
      return r() < 0.5 ? `{${dup},${text.slice(1)}` : `${text.slice(0, -1)},${dup}}`;
    }
    case 7: {
      const d = 5000; // deep nesting, around the frame or inside a field
      const k = int(r, 3);
      if (k === 0) return nest('[', ']', d, text);
      if (k === 1) return replaceValue(r, base, nest('[', ']', d, ''));
      return replaceValue(r, base, nest('{"a":', '}', d, 'null'));
    }
    case 8:
      return `[${text},${pick(r, GARBAGE)},${pick(r, GARBAGE)},${replaceValue(r, base, pick(r, GARBAGE))}]`; // arrays of mixed garbage
    case 9:
      return (r() < 0.5 ? pick(r, ['{', '[', '']) : '') + randomChars(r, 1 + int(r, 200)); // random bytes
    case 10: {
      const at = int(r, text.length); // flip one character
      return text.slice(0, at) + String.fromCharCode(int(r, 128)) + text.slice(at + 1);
    }
    case 11:
      return pick(r, ['null', 'PONG', 'NO NEW ASSETS', ' ', '', '[]', '{}', '[null]', '[[]]', '"book"', '1e309', `\ufeff${text}`, ` \n${text}\n`]);
    default: {
      // two structural mutations stacked
      const once = replaceValue(r, base, pick(r, GARBAGE));
      try {
        return replaceValue(r, JSON.parse(once), pick(r, GARBAGE));
      } catch {
        return once;
      }
    }
  }
}

function priceOk(p: number | undefined): boolean {
  return p === undefined || (Number.isInteger(p) && p >= 0 && p <= 10_000);
}
const sizeOk = (s: number): boolean => Number.isFinite(s) && s >= 0;
const tsOk = (t: number): boolean => Number.isSafeInteger(t) && t >= 0;

/** Returns a description of the first broken invariant, or undefined. */
function badEvent(ev: MarketEvent): string | undefined {
  if (!KNOWN_TYPES.has(ev.type)) return `unknown type ${ev.type}`;
  if (!tsOk(ev.ts)) return `ts ${ev.ts}`;
  switch (ev.type) {
    case 'book':
      for (const l of [...ev.bids, ...ev.asks]) if (!priceOk(l.price) || !sizeOk(l.size)) return `level ${JSON.stringify(l)}`;
      if (!priceOk(ev.lastTradePrice)) return `lastTradePrice ${ev.lastTradePrice}`;
      if (typeof ev.asset !== 'string' || ev.asset === '') return 'asset';
      return undefined;
    case 'price_change':
      for (const c of ev.changes) {
        if (!priceOk(c.price) || !sizeOk(c.size) || !priceOk(c.bestBid) || !priceOk(c.bestAsk)) return `change ${JSON.stringify(c)}`;
        if (c.side !== 'BUY' && c.side !== 'SELL') return `side ${c.side}`;
        if (typeof c.asset !== 'string' || c.asset === '') return 'asset';
      }
      return undefined;
    case 'last_trade_price':
      if (!priceOk(ev.price) || !sizeOk(ev.size)) return `trade ${ev.price} ${ev.size}`;
      if (ev.feeRateBps !== undefined && !Number.isFinite(ev.feeRateBps)) return `feeRateBps ${ev.feeRateBps}`;
      return undefined;
    case 'tick_size_change':
      return priceOk(ev.oldTick) && priceOk(ev.newTick) ? undefined : `tick ${ev.oldTick} ${ev.newTick}`;
    case 'best_bid_ask':
      return priceOk(ev.bestBid) && priceOk(ev.bestAsk) ? undefined : `bba ${ev.bestBid} ${ev.bestAsk}`;
    default:
      return undefined;
  }
}

/** Checks one frame; returns a failure description or undefined. */
function check(raw: string, tally: { events: number; errors: number }): string | undefined {
  let out: DecodedFrame;
  try {
    out = decodeFrame(raw);
  } catch (err) {
    return `threw ${(err as Error).name}: ${(err as Error).message}`;
  }
  tally.events += out.events.length;
  tally.errors += out.errors.length;
  if (!Array.isArray(out.events) || !Array.isArray(out.errors)) return 'events/errors not arrays';
  for (const e of out.errors) {
    if (!['json', 'schema', 'unknown_event', 'text'].includes(e.kind)) return `error kind ${e.kind}`;
    if (typeof e.field !== 'string' || typeof e.message !== 'string') return 'error field/message not strings';
  }
  for (const ev of out.events) {
    const bad = badEvent(ev);
    if (bad) return `bad event: ${bad}`;
  }
  // Every element of a parsed frame is accounted for exactly once.
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return out.events.length + out.errors.length > 0 || out.control ? undefined : 'unparseable frame produced nothing';
  }
  const expected = Array.isArray(parsed) ? parsed.length : 1;
  if (out.events.length + out.errors.length !== expected) return `expected ${expected} results, got ${out.events.length} events + ${out.errors.length} errors`;
  return undefined;
}

describe('decodeFrame fuzz (seeded, deterministic)', () => {
  const bases: { obj: Record<string, unknown>; text: string }[] = ALL_SAMPLES.map((o) => ({ obj: o, text: JSON.stringify(o) }));
  if (HAVE_FIXTURES) {
    for (const rel of FIXTURE_FRAMES) {
      const text = fixtureText(rel);
      bases.push({ obj: JSON.parse(text) as Record<string, unknown>, text });
    }
  }

  it('the unmutated base frames (9 samples + fixtures) decode to one event each with no errors', () => {
    for (const b of bases) {
      const r = decodeFrame(b.text);
      expect(r.errors, b.text.slice(0, 80)).toEqual([]);
      expect(r.events).toHaveLength(1);
      expect(badEvent(r.events[0]!)).toBeUndefined();
    }
  });

  it(`${FRAMES.toLocaleString('en')} mutated frames (seed 0x5eed2026): never throws, {events, errors} arrays, prices integer in [0,10000], sizes finite ≥ 0`, () => {
    const r = prng(SEED);
    const tally = { events: 0, errors: 0 };
    const failures: string[] = [];
    for (let i = 0; i < FRAMES; i++) {
      const base = pick(r, bases);
      const raw = mutate(r, base.obj, base.text);
      const bad = check(raw, tally);
      if (bad) failures.push(`#${i} ${bad} :: ${JSON.stringify(raw.slice(0, 160))}`);
      if (failures.length >= 5) break;
    }
    expect(failures).toEqual([]);
    // The mutations exercise both outcomes, not only rejections.
    expect(tally.events).toBeGreaterThan(1000);
    expect(tally.errors).toBeGreaterThan(5000);
  });

  it('deep nesting 5000 levels: [[[…frame…]]] and {"a":{"a":…}} inside bids are refused before JSON.parse, no throw', () => {
    const book = ALL_SAMPLES[0]!;
    const deepArr = decodeFrame(nest('[', ']', 5000, JSON.stringify(book)));
    expect(deepArr.events).toEqual([]);
    expect(deepArr.errors).toEqual([expect.objectContaining({ kind: 'json', message: expect.stringMatching(/nested deeper than 64/) })]);
    const deepField = decodeFrame(JSON.stringify(book).replace('"bids":[', `"bids":[${nest('{"a":', '}', 5000, 'null')},`));
    expect(deepField.events).toEqual([]);
    expect(deepField.errors[0]).toMatchObject({ kind: 'json' });
    // Nesting within the limit still decodes to a schema error on the field.
    const shallow = decodeFrame(JSON.stringify(book).replace('"bids":[', `"bids":[${nest('{"a":', '}', 20, 'null')},`));
    expect(shallow.errors[0]).toMatchObject({ kind: 'schema', field: 'bids[0].price' });
  });

  it('1e309 as a bare JSON number for a price (parses to Infinity) is a schema error on that field', () => {
    const text = JSON.stringify(ALL_SAMPLES[4]).replace('"price":"0.491"', '"price":1e309');
    expect(decodeFrame(text).errors[0]).toMatchObject({ kind: 'schema', field: 'price' });
  });
});
