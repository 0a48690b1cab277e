// Differential test of the hand-written fast path against the zod schemas it
// shortcuts: whenever fastDecode accepts an object, zod must accept it too and
// produce the same event.
import { describe, expect, it } from 'vitest';
import { fastDecode } from '../../src/protocol/fast-decode.js';
import { bookSchema, decodeEvent, priceChangeSchema, tradeSchema } from '../../src/protocol/market-channel.js';
import type { MarketEvent } from '../../src/protocol/events.js';
import { ALL_SAMPLES, bookSample, clone, HOT_SAMPLES, prng, priceChangeSample, tradeSample } from './samples.js';
import { fixtureLines, fixtureJson, HAVE_FIXTURES, skipNote } from './fixtures.js';

skipNote('fast-decode.test.ts (fixture part)');

type Obj = Record<string, unknown>;

const HOT_FIXTURES = [
  'nautilus_trader/ws_messages/book.json',
  'nautilus_trader/ws_messages/price_change_v2.json',
  'nautilus_trader/ws_messages/last_trade_price.json',
  'nautilus_trader/test_data/ws_market_book_msg.json',
  'nautilus_trader/test_data/ws_market_price_change_msg.json',
  'nautilus_trader/test_data/ws_market_last_trade_msg.json',
];
const POLYPY_HASH = 'polypy/tests/orderbook/data/messages_hash.jsonl';

function hotFixtures(): [string, Obj][] {
  if (!HAVE_FIXTURES) return [];
  const out: [string, Obj][] = HOT_FIXTURES.map((rel) => [rel, fixtureJson<Obj>(rel)]);
  fixtureLines<Obj>(POLYPY_HASH).forEach((l, i) => {
    if (l['event_type']) out.push([`${POLYPY_HASH} line ${i + 1}`, l]);
  });
  return out;
}

/** The zod schema fastDecode shortcuts for this event type. */
function zodDecode(obj: Obj, type: MarketEvent['type']) {
  switch (type) {
    case 'book':
      return bookSchema.safeParse(obj);
    case 'price_change':
      return priceChangeSchema.safeParse(obj);
    case 'last_trade_price':
      return tradeSchema.safeParse(obj);
    default:
      throw new Error(`fastDecode returned an unexpected type ${type}`);
  }
}

/** Returns a mismatch description, or undefined when fast and zod agree. */
function differ(obj: Obj): { accepted: boolean; problem?: string } {
  const fast = fastDecode(obj);
  if (!fast) return { accepted: false };
  const slow = zodDecode(obj, fast.type);
  if (!slow.success) return { accepted: true, problem: `fast accepted, zod rejected: ${slow.error.issues[0]?.message}` };
  try {
    expect(fast).toStrictEqual(slow.data);
  } catch {
    return { accepted: true, problem: `values differ: fast ${JSON.stringify(fast).slice(0, 200)} zod ${JSON.stringify(slow.data).slice(0, 200)}` };
  }
  return { accepted: true };
}

describe('fastDecode is actually used for the three hot shapes', () => {
  it.each(HOT_SAMPLES.map((s) => [s['event_type'] as string, s] as const))('built-in %s sample: fastDecode accepts and equals the zod result', (_t, sample) => {
    const fast = fastDecode(clone(sample));
    expect(fast).toBeDefined();
    expect(differ(clone(sample))).toEqual({ accepted: true });
  });

  it('book sample: fastDecode gives bids [{100,110000},{3200,448.56},{3300,152.17}] and lastTradePrice 3300', () => {
    const ev = fastDecode(clone(bookSample));
    expect(ev).toMatchObject({
      type: 'book',
      bids: [
        { price: 100, size: 110_000 },
        { price: 3200, size: 448.56 },
        { price: 3300, size: 152.17 },
      ],
      lastTradePrice: 3300,
    });
  });

  it('fastDecode defers (undefined) for legacy/flat price_change and the four other event types', () => {
    for (const s of ALL_SAMPLES) {
      const hot = s === bookSample || s === priceChangeSample || s === tradeSample;
      if (!hot) expect(fastDecode(clone(s)), String(s['event_type'])).toBeUndefined();
    }
  });

  it('decodeEvent on the hot samples returns the fast-path value (same as fastDecode)', () => {
    for (const s of HOT_SAMPLES) {
      const r = decodeEvent(clone(s));
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.event).toStrictEqual(fastDecode(clone(s)));
    }
  });
});

describe.skipIf(!HAVE_FIXTURES)('fastDecode accepts every valid hot fixture and agrees with zod', () => {
  it.each(hotFixtures())('%s', (_rel, obj) => {
    expect(fastDecode(obj)).toBeDefined();
    expect(differ(obj)).toEqual({ accepted: true });
  });
});

// ---- mutations ----------------------------------------------------------

/** Values that are near-valid on purpose, so many mutations still pass the fast path. */
const VALUES: unknown[] = [
  '0.5', '0', '1', '', '.5', '0.50', '1.0', '-0', ' 0.5', '0.5 ', '0x1', '1e-4', '5e-1', '0.0001', '0.00001', '0.50000000001',
  '1.5', '-0.5', 'abc', '1e309', '99999999999999999999', '1761179883493', '1761179883493.5', '-1', 'BUY', 'SELL', 'book',
  'price_change', 'last_trade_price', 'hash', '0xhash', '😀', '\u0000',
  0, 1, 0.5, -1, 1.5, 1761179883493, 1761179883493.5, 9007199254740993, -0,
  null, true, false, [], {}, [{ price: '0.5', size: '1' }], { price: '0.5', size: '1' },
];
/** Raw JSON numbers that JSON.parse turns into Infinity / 0. */
const RAW_NUMBERS = ['1e309', '-1e309', '1e-400'];

type Path = (string | number)[];
function paths(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (prefix.length) out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) paths((v as Obj)[k], [...prefix, k], out);
  return out;
}
function parentOf(root: unknown, p: Path): any {
  let cur: any = root;
  for (let i = 0; i < p.length - 1; i++) cur = cur[p[i]!];
  return cur;
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function mutateOnce(r: () => number, obj: Obj): Obj {
  const ps = paths(obj);
  const p = pick(r, ps);
  const parent = parentOf(obj, p);
  const key = p[p.length - 1]!;
  switch (Math.floor(r() * 8)) {
    case 0:
    case 1:
    case 2:
      parent[key] = structuredClone(pick(r, VALUES));
      return obj;
    case 3:
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return obj;
    case 4: {
      const v = parent[key];
      if (typeof v === 'string' && v !== '' && Number.isFinite(Number(v))) parent[key] = Number(v);
      else if (typeof v === 'number') parent[key] = String(v);
      return obj;
    }
    case 5: {
      // a raw JSON number that only exists as text (1e309 → Infinity)
      const MARK = '\u0001M\u0001';
      parent[key] = MARK;
      return JSON.parse(JSON.stringify(obj).replace(JSON.stringify(MARK), pick(r, RAW_NUMBERS))) as Obj;
    }
    case 6: {
      const v = parent[key];
      if (Array.isArray(v) && v.length) {
        const k = Math.floor(r() * 3);
        if (k === 0) v.reverse();
        else if (k === 1) v.push(structuredClone(v[0]));
        else v.length = 0;
      } else parent['extra_' + String(key)] = pick(r, VALUES);
      return obj;
    }
    default:
      obj['event_type'] = pick(r, ['book', 'price_change', 'last_trade_price', 'tick_size_change']);
      return obj;
  }
}

const ownedByFastPath = (o: Obj): boolean =>
  o['event_type'] === 'book' || o['event_type'] === 'last_trade_price' || (o['event_type'] === 'price_change' && 'price_changes' in o);

describe('fastDecode vs zod on mutations (seeded)', () => {
  const MUTATIONS = 6000;

  it(`${MUTATIONS.toLocaleString('en')} mutations of the hot samples/fixtures (seed 0xfa57): whenever fastDecode accepts, zod accepts with a deep-equal event`, () => {
    const bases: Obj[] = [...HOT_SAMPLES.map((s) => clone(s)), ...hotFixtures().map(([, o]) => o)];
    const r = prng(0xfa57);
    let accepted = 0;
    let zodOnly = 0;
    const problems: string[] = [];
    for (let i = 0; i < MUTATIONS && problems.length < 5; i++) {
      let obj = structuredClone(pick(r, bases));
      const n = 1 + Math.floor(r() * 3);
      for (let k = 0; k < n; k++) obj = mutateOnce(r, obj);
      // The wire hands us parsed JSON: normalise (NaN → null, undefined dropped).
      obj = JSON.parse(JSON.stringify(obj)) as Obj;
      const d = differ(obj);
      if (d.problem) problems.push(`#${i} ${d.problem} :: ${JSON.stringify(obj).slice(0, 300)}`);
      if (d.accepted) accepted++;
      else if (ownedByFastPath(obj) && decodeEvent(obj).ok) zodOnly++;
    }
    expect(problems).toEqual([]);
    // The differential is only meaningful if the fast path accepts a good share of mutants.
    expect(accepted).toBeGreaterThan(MUTATIONS / 10);
    // Deferring is allowed (zod decides), but it should be rare for shapes the fast path owns.
    expect(zodOnly).toBeLessThan(MUTATIONS / 20);
  });
});
