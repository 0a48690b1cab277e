// Every real capture in shared/fixtures/polymarket decodes, with values checked in
// DESIGN §3 units, and the order-book hash formulas reproduce the venue's hashes
// on the captures SOURCES.md marks as verifiable.
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/protocol/market-channel.js';
import type { MarketEvent } from '../../src/protocol/events.js';
import { decodePricesHistory, decodeRestBook } from '../../src/protocol/clob.js';
import { decodeGammaEvent, decodeGammaMarket, parseGammaTime, resolvedOutcomeIndex, type CatalogMarket } from '../../src/protocol/gamma.js';
import { bookHashV1, bookHashV2, matchingHashFormula, type WireBookSummary } from '../../src/protocol/book-hash.js';
import { fixtureJson, fixtureLines, fixtureText, HAVE_FIXTURES, listFixtures, skipNote } from './fixtures.js';

skipNote('conformance.test.ts');

const NT = 'nautilus_trader';
const WOM = 'wom-polymarket-strategy';
const POLYPY_HASH = 'polypy/tests/orderbook/data/messages_hash.jsonl';
const POLYPY_BOOK_YES = 'polypy/tests/orderbook/data/ws_msg_book_yes.json';
const POLYPY_BOOK_A = 'polypy/tests/order/data/book_data_a.json';
const POLYPY_BOOK_B = 'polypy/tests/order/data/book_data_b.json';

/** WS market-channel message fixtures: file → expected event (partial, in units). */
const WS_FIXTURES: Record<string, Partial<MarketEvent> & Record<string, unknown>> = {
  [`${NT}/ws_messages/book.json`]: {
    type: 'book',
    asset: '48331043336612883890938759509493159234755048973500640148014422747788308965732',
    ts: 1_728_799_418_260,
    hash: '655a38d4977427b086c25b985993691b753ed166',
  },
  [`${NT}/ws_messages/last_trade_price.json`]: { type: 'last_trade_price', price: 4910, size: 85.36, side: 'SELL', feeRateBps: 0, ts: 1_724_564_136_087 },
  [`${NT}/ws_messages/price_change.json`]: {
    type: 'price_change',
    ts: 1_723_967_931_411,
    changes: [
      {
        asset: '48331043336612883890938759509493159234755048973500640148014422747788308965732',
        price: 5140,
        size: 21574.08,
        side: 'SELL',
        hash: 'bf32b3746fff40c76c98021b7f3f07261169dd26',
      },
    ],
  },
  [`${NT}/ws_messages/price_change_v2.json`]: { type: 'price_change', ts: 1_729_084_877_448 },
  [`${NT}/legacy_f9a9acb408/ws_messages/price_change_v2.json`]: { type: 'price_change', ts: 1_729_084_877_448 },
  [`${NT}/ws_messages/tick_size_change.json`]: { type: 'tick_size_change', oldTick: 100, newTick: 10, ts: 1_739_068_041_853 },
  [`${NT}/test_data/ws_market_book_msg.json`]: {
    type: 'book',
    bids: [
      { price: 5000, size: 200 },
      { price: 4900, size: 350 },
    ],
    asks: [
      { price: 5100, size: 150 },
      { price: 5200, size: 250 },
    ],
    hash: '',
    ts: 1_703_875_200_000,
  },
  [`${NT}/test_data/ws_market_price_change_msg.json`]: {
    type: 'price_change',
    ts: 1_703_875_201_000,
    changes: [
      {
        asset: '71321045679252212594626385532706912750332728571942532289631379312455583992563',
        price: 5100,
        size: 150,
        side: 'BUY',
        hash: '0xhash001',
        bestBid: 5100,
        bestAsk: 5200,
      },
    ],
  },
  [`${NT}/test_data/ws_market_last_trade_msg.json`]: { type: 'last_trade_price', price: 5100, size: 25, side: 'BUY', feeRateBps: 0, ts: 1_703_875_202_000 },
  [`${NT}/test_data/ws_market_tick_size_msg.json`]: { type: 'tick_size_change', oldTick: 1000, newTick: 100, ts: 1_703_875_210_000 },
  [`${NT}/test_data/ws_market_best_bid_ask_msg.json`]: { type: 'best_bid_ask', bestBid: 7300, bestAsk: 7700, ts: 1_766_789_469_958 },
  [`${NT}/test_data/ws_market_new_market_msg.json`]: {
    type: 'new_market',
    id: '1031769',
    slug: 'nvda-above-240-on-january-30-2026',
    assetIds: [
      '76043073756653678226373981964075571318267289248134717369284518995922789326425',
      '31690934263385727664202099278545688007799199447969475608906331829650099442770',
    ],
    outcomes: ['Yes', 'No'],
    tags: ['stocks'],
    eventId: '125819',
    eventTitle: 'Will NVIDIA (NVDA) close above ___ end of January?',
    ts: 1_766_790_415_550,
  },
  [`${NT}/test_data/ws_market_resolved_msg.json`]: {
    type: 'market_resolved',
    id: '1031769',
    winningAssetId: '76043073756653678226373981964075571318267289248134717369284518995922789326425',
    winningOutcome: 'Yes',
    ts: 1_766_790_415_550,
  },
};

/** REST GET /book bodies (objects with no event_type). */
const REST_BOOKS = [`${NT}/http_responses/book.json`, POLYPY_BOOK_YES];
/** polypy wrappers {book, complement_asset_id, tick_size}. */
const WRAPPED_REST_BOOKS = [POLYPY_BOOK_A, POLYPY_BOOK_B];

const GAMMA_MARKET_ARRAYS = [`${WOM}/active-markets.json`, `${WOM}/markets.json`];
const GAMMA_MARKET_FILES = [
  `${NT}/test_data/gamma_market.json`,
  `${NT}/test_data/gamma_market_closed_binary_accepting_false.json`,
  `${NT}/test_data/gamma_market_closed_binary_accepting_true.json`,
  `${NT}/test_data/gamma_market_closed_nonbinary_legacy.json`,
  `${NT}/test_data/gamma_market_closed_zero_zero_legacy.json`,
  `${NT}/test_data/gamma_market_sports_market_map_handicap.json`,
  `${NT}/test_data/gamma_market_sports_market_money_line.json`,
];
const GAMMA_EVENT_ARRAYS = [`${NT}/test_data/gamma_event.json`, `${WOM}/events.json`, `${WOM}/gamma_events.json`];
const GAMMA_SEARCH = `${NT}/test_data/search_response.json`;
const PRICE_HISTORIES = [`${WOM}/active_prices_1d.json`, `${WOM}/active_prices_1h.json`, `${WOM}/clob_prices_history_max.json`];
/** Shapes polyconsole has no decoder for (CLOB /markets, /fee-rate, Gamma /tags): JSON-parse only. */
const NO_DECODER = [
  `${NT}/http_responses/markets.json`,
  `${NT}/test_data/clob_fee_rate_response_nonzero.json`,
  `${NT}/test_data/clob_fee_rate_response_zero.json`,
  `${NT}/test_data/clob_market_closed_binary_accepting_false.json`,
  `${NT}/test_data/clob_market_closed_binary_accepting_true.json`,
  `${NT}/test_data/gamma_tags.json`,
  `${WOM}/gamma_tags.json`,
];

const CLASSIFIED = new Set<string>([
  'SOURCES.md',
  POLYPY_HASH,
  ...Object.keys(WS_FIXTURES),
  ...REST_BOOKS,
  ...WRAPPED_REST_BOOKS,
  ...GAMMA_MARKET_ARRAYS,
  ...GAMMA_MARKET_FILES,
  ...GAMMA_EVENT_ARRAYS,
  GAMMA_SEARCH,
  ...PRICE_HISTORIES,
  ...NO_DECODER,
]);
/** The real catalog corpus (Gamma markets and events in bulk) is read by the scan,
 *  cluster and crypto-resolver tests, not by the frame decoders: every file there counts as classified. */
const CORPUS_DIR = 'real-catalog/';

function only<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) expect.fail(`decode failed: ${JSON.stringify(r.error)}`);
  return r.value;
}

describe.skipIf(!HAVE_FIXTURES)('fixture inventory', () => {
  it('every file under shared/fixtures/polymarket is classified and decoded by a test below', () => {
    const files = listFixtures();
    expect(files.length).toBeGreaterThanOrEqual(41);
    expect(files.filter((f) => !CLASSIFIED.has(f) && !f.startsWith(CORPUS_DIR))).toEqual([]);
    expect([...CLASSIFIED].filter((f) => !files.includes(f))).toEqual([]);
  });

  it.each(NO_DECODER)('%s is valid JSON (no decoder for this shape in src/protocol)', (rel) => {
    expect(() => fixtureJson(rel)).not.toThrow();
  });
});

describe.skipIf(!HAVE_FIXTURES)('WS market-channel messages: decodeFrame(file text) → one event, no errors', () => {
  it.each(Object.entries(WS_FIXTURES))('%s', (rel, expected) => {
    const r = decodeFrame(fixtureText(rel));
    expect(r.errors).toEqual([]);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject(expected);
  });

  it('nautilus ws book.json: 76 bids / 86 asks, wire order kept; best bid "0.511" → 5110 is bids[75], best ask "0.514" → 5140 is asks[85]', () => {
    const ev = decodeFrame(fixtureText(`${NT}/ws_messages/book.json`)).events[0]!;
    if (ev.type !== 'book') expect.fail(ev.type);
    expect(ev.bids).toHaveLength(76);
    expect(ev.asks).toHaveLength(86);
    expect(ev.bids[75]).toEqual({ price: 5110, size: 1304.72 });
    expect(ev.asks[85]).toEqual({ price: 5140, size: 20230.87 });
    expect(ev.asks[0]).toEqual({ price: 9990, size: 10_500_100 });
  });

  it('current price_changes[] form: 3 entries, entry 0 "0.6"/"3300" BUY → 6000/3300 with best_bid 6000, best_ask 7000', () => {
    const ev = decodeFrame(fixtureText(`${NT}/ws_messages/price_change_v2.json`)).events[0]!;
    if (ev.type !== 'price_change') expect.fail(ev.type);
    expect(ev.changes).toHaveLength(3);
    expect(ev.changes[0]).toEqual({
      asset: '52114319501245915516055106046884209969926127482827954674443846427813813222426',
      price: 6000,
      size: 3300,
      side: 'BUY',
      hash: 'bf32b3746fff40c76c98021b7f3f07261169dd26',
      bestBid: 6000,
      bestAsk: 7000,
    });
    expect(ev.changes.map((c) => c.price)).toEqual([6000, 5000, 7000]);
  });

  it('legacy changes[] form: 3 entries on asset 5211…, prices 6000/5000/7000, the message hash on the last entry only', () => {
    const ev = decodeFrame(fixtureText(`${NT}/legacy_f9a9acb408/ws_messages/price_change_v2.json`)).events[0]!;
    if (ev.type !== 'price_change') expect.fail(ev.type);
    const asset = '52114319501245915516055106046884209969926127482827954674443846427813813222426';
    expect(ev.changes).toEqual([
      { asset, price: 6000, size: 3300, side: 'BUY' },
      { asset, price: 5000, size: 3400, side: 'BUY' },
      { asset, price: 7000, size: 3400, side: 'BUY', hash: 'bf32b3746fff40c76c98021b7f3f07261169dd26' },
    ]);
  });

  it('all 13 WS fixtures sent as one JSON array frame → 13 events in order, no errors', () => {
    const rels = Object.keys(WS_FIXTURES);
    const r = decodeFrame(`[${rels.map((rel) => fixtureText(rel)).join(',')}]`);
    expect(r.errors).toEqual([]);
    expect(r.events.map((e) => e.type)).toEqual(rels.map((rel) => WS_FIXTURES[rel]!.type));
  });
});

describe.skipIf(!HAVE_FIXTURES)('polypy messages_hash.jsonl (real, 2025-10-23)', () => {
  const lines = (): any[] => fixtureLines(POLYPY_HASH);
  const rawLines = (): string[] => fixtureText(POLYPY_HASH).split('\n').filter((l) => l.trim() !== '');

  it('has 5 lines: WS book, price_change, REST book, price_change, REST book', () => {
    expect(lines().map((l) => l.event_type ?? 'rest')).toEqual(['book', 'price_change', 'rest', 'price_change', 'rest']);
  });

  it('lines with event_type decode with decodeFrame; line 1 book (numeric timestamp 1761179883493): 18 bids, best "0.33" → 3300; 17 asks, best "0.34" → 3400', () => {
    const raws = rawLines();
    for (const i of [0, 1, 3]) {
      const r = decodeFrame(raws[i]!);
      expect(r.errors, `line ${i + 1}`).toEqual([]);
      expect(r.events, `line ${i + 1}`).toHaveLength(1);
    }
    const book = decodeFrame(raws[0]!).events[0]!;
    if (book.type !== 'book') expect.fail(book.type);
    expect(book.ts).toBe(1_761_179_883_493);
    expect(book.bids).toHaveLength(18);
    expect(book.bids[17]).toEqual({ price: 3300, size: 152.17 });
    expect(book.asks).toHaveLength(17);
    expect(book.asks[16]).toEqual({ price: 3400, size: 914.14 });
  });

  it('line 2 price_change covers both tokens: asset 3329… "0.08" BUY size 0, asset 9402… "0.92" SELL size 0 with best 3300/3400', () => {
    const ev = decodeFrame(rawLines()[1]!).events[0]!;
    if (ev.type !== 'price_change') expect.fail(ev.type);
    expect(ev.ts).toBe(1_761_179_949_036);
    expect(ev.changes.map((c) => [c.asset.slice(0, 4), c.price, c.size, c.side, c.bestBid, c.bestAsk])).toEqual([
      ['3329', 800, 0, 'BUY', 6600, 6700],
      ['9402', 9200, 0, 'SELL', 3300, 3400],
    ]);
  });

  it('lines 3 and 5 (REST /book, no event_type) decode with decodeRestBook: tick "0.01" → 100, min_order_size 5, neg_risk false', () => {
    const ls = lines();
    for (const i of [2, 4]) {
      const rb = only(decodeRestBook(ls[i]));
      expect(rb.tickSize).toBe(100);
      expect(rb.minOrderSize).toBe(5);
      expect(rb.negRisk).toBe(false);
      expect(rb.book.ts).toBe(ls[i].timestamp);
      expect(rb.book.hash).toBe(ls[i].hash);
      expect(rb.book.bids).toHaveLength(18);
      expect(rb.book.asks).toHaveLength(16);
    }
  });
});

describe.skipIf(!HAVE_FIXTURES)('REST /book captures decode with decodeRestBook', () => {
  it('polypy ws_msg_book_yes.json (no event_type as stored): 14 bids, best "0.216" → 2160; 4 asks, best "0.254" → 2540', () => {
    const rb = only(decodeRestBook(fixtureJson(POLYPY_BOOK_YES)));
    expect(rb.book.ts).toBe(1_732_928_643_796);
    expect(rb.book.bids).toHaveLength(14);
    expect(rb.book.bids[13]).toEqual({ price: 2160, size: 20 });
    expect(rb.book.asks).toEqual([
      { price: 9990, size: 150_000 },
      { price: 4000, size: 125 },
      { price: 3700, size: 200 },
      { price: 2540, size: 150 },
    ]);
    expect(rb.tickSize).toBeUndefined();
  });

  it('nautilus http_responses/book.json: 5 bids up to "0.1" → 1000, 7 asks down to "0.14" → 1400', () => {
    const rb = only(decodeRestBook(fixtureJson(`${NT}/http_responses/book.json`)));
    expect(rb.book.bids.at(-1)).toEqual({ price: 1000, size: 125 });
    expect(rb.book.asks.at(-1)).toEqual({ price: 1400, size: 705 });
    expect(rb.book.asks).toHaveLength(7);
  });

  it.each(WRAPPED_REST_BOOKS)('%s .book decodes: tick "0.01" → 100, min 5, neg_risk false, level counts match', (rel) => {
    const raw = fixtureJson(rel).book;
    const rb = only(decodeRestBook(raw));
    expect(rb.book.asset).toBe(raw.asset_id);
    expect(rb.book.ts).toBe(Number(raw.timestamp));
    expect(rb.book.bids).toHaveLength(raw.bids.length);
    expect(rb.book.asks).toHaveLength(raw.asks.length);
    expect(rb.tickSize).toBe(100);
    expect(rb.minOrderSize).toBe(5);
    expect(rb.negRisk).toBe(false);
  });
});

describe.skipIf(!HAVE_FIXTURES)('order-book hash formulas reproduce the venue hash on raw captures', () => {
  const lines = (): WireBookSummary[] => fixtureLines(POLYPY_HASH);

  it('messages_hash line 3 (REST, numeric timestamp 1761179949036): bookHashV2 = b9ee8c0d… = line 2 price_changes hash of asset 9402…', () => {
    const ls = lines() as any[];
    const rest = ls[2] as WireBookSummary;
    expect(typeof rest.timestamp).toBe('number');
    expect(bookHashV2(rest)).toBe('b9ee8c0d2cc9a436dc6e70692b6882b881434d7b');
    expect(bookHashV2(rest)).toBe(rest.hash);
    const entry = ls[1].price_changes.find((c: any) => c.asset_id === rest.asset_id);
    expect(entry.hash).toBe(rest.hash);
    expect(matchingHashFormula(rest)).toBe('v2');
  });

  it('messages_hash line 5 (REST, ts 1761179967114): bookHashV2 = b93c4a66… = line 4 price_changes hash of asset 9402…', () => {
    const ls = lines() as any[];
    const rest = ls[4] as WireBookSummary;
    expect(bookHashV2(rest)).toBe('b93c4a66e54f5d95852a5350c83631ae695ebf31');
    expect(bookHashV2(rest)).toBe(rest.hash);
    const entry = ls[3].price_changes.find((c: any) => c.asset_id === rest.asset_id);
    expect(entry.hash).toBe(rest.hash);
  });

  it('the six-field v1 formula does not reproduce the 2025 REST hashes (lines 3, 5)', () => {
    const ls = lines();
    expect(bookHashV1(ls[2]!)).not.toBe(ls[2]!.hash);
    expect(bookHashV1(ls[4]!)).not.toBe(ls[4]!.hash);
  });

  it('polypy ws_msg_book_yes.json (Nov 2024): bookHashV1 = c298a908…', () => {
    const b = fixtureJson<WireBookSummary>(POLYPY_BOOK_YES);
    expect(bookHashV1(b)).toBe('c298a90870afa056768fc82bf5217c9aa8665284');
    expect(bookHashV1(b)).toBe(b.hash);
  });

  it('polypy book_data_a.book: bookHashV1 = 8480f7d6…, book_data_b.book: bookHashV1 = bfe36383… (appended keys excluded)', () => {
    const a = fixtureJson(POLYPY_BOOK_A).book as WireBookSummary;
    const b = fixtureJson(POLYPY_BOOK_B).book as WireBookSummary;
    expect(bookHashV1(a)).toBe('8480f7d629ddc92fa7e53e63b7c74a6a2129fe77');
    expect(bookHashV1(a)).toBe(a.hash);
    expect(bookHashV1(b)).toBe('bfe36383f80af358589a66dc8f51eb48b2f9cd9a');
    expect(bookHashV1(b)).toBe(b.hash);
    // The keys polypy appended in 2025 make the v2 formula miss, so v1 is chosen.
    expect(bookHashV2(a)).not.toBe(a.hash);
    expect(matchingHashFormula(a)).toBe('v1');
    expect(matchingHashFormula(b)).toBe('v1');
  });

  it('timestamp as number 1761179949036 and as string "1761179949036" hash the same (the formula stringifies it)', () => {
    const rest = lines()[2]!;
    expect(bookHashV2({ ...rest, timestamp: String(rest.timestamp) })).toBe(bookHashV2(rest));
  });

  it('tampering one size breaks the match: line 3 bids[0].size "110000" → "110001", ws_msg_book_yes asks[0].size → "150001"', () => {
    const rest = structuredClone(lines()[2]!);
    expect(rest.bids[0]!.size).toBe('110000');
    rest.bids[0]!.size = '110001';
    expect(bookHashV2(rest)).not.toBe(rest.hash);
    expect(matchingHashFormula(rest)).toBeUndefined();

    const yes = fixtureJson<WireBookSummary>(POLYPY_BOOK_YES);
    yes.asks[0]!.size = '150001';
    expect(bookHashV1(yes)).not.toBe(yes.hash);
    expect(matchingHashFormula(yes)).toBeUndefined();
  });

  it('nautilus book.json captures (timestamp added by hand, per SOURCES.md) match no formula', () => {
    expect(matchingHashFormula(fixtureJson(`${NT}/ws_messages/book.json`))).toBeUndefined();
    expect(matchingHashFormula(fixtureJson(`${NT}/http_responses/book.json`))).toBeUndefined();
  });

  // Regression (fixed): bookHashV2 on a book without min_order_size/tick_size/neg_risk drops the undefined keys in JSON.stringify, so it equals bookHashV1 and matchingHashFormula labels a 2024 six-field book 'v2'.
  it("matchingHashFormula(ws_msg_book_yes.json, a 2024 six-field book) = 'v1'", () => {
    expect(matchingHashFormula(fixtureJson(POLYPY_BOOK_YES))).toBe('v1');
  });
});

describe('parseGammaTime worked examples', () => {
  it.each<[string, number | undefined]>([
    ['2026-05-09 02:07:01+00', Date.UTC(2026, 4, 9, 2, 7, 1)],
    ['2020-11-02 16:31:01+00', Date.UTC(2020, 10, 2, 16, 31, 1)],
    ['2025-12-31T12:00:00Z', Date.UTC(2025, 11, 31, 12)],
    ['2026-03-11T09:29:01.328428Z', Date.UTC(2026, 2, 11, 9, 29, 1, 328)],
    ['2026-03-11T09:29:01.3Z', Date.UTC(2026, 2, 11, 9, 29, 1, 300)],
    ['2026-05-09 02:07:01-05', Date.UTC(2026, 4, 9, 7, 7, 1)],
    ['2026-05-09T02:07:01+05:30', Date.UTC(2026, 4, 8, 20, 37, 1)],
    ['2028-11-07', Date.UTC(2028, 10, 7)],
    ['', undefined],
    ['yesterday', undefined],
    ['2026-13-01 00:00:00+00', undefined],
  ])('parseGammaTime(%j) = %s', (text, ms) => {
    expect(parseGammaTime(text)).toBe(ms);
  });

  // Regression (fixed): parseGammaTime("2026-02-30 00:00:00+00") rolls the impossible date over to 2026-03-02 (Date.parse leniency) instead of rejecting it.
  it('parseGammaTime("2026-02-30 00:00:00+00") is undefined (no 30 February)', () => {
    expect(parseGammaTime('2026-02-30 00:00:00+00')).toBeUndefined();
  });
});

/** Decodes a Gamma market and checks the JSON-encoded arrays against an independent decode. */
function checkGammaMarket(raw: any): CatalogMarket {
  const m = only(decodeGammaMarket(raw));
  const arr = (v: unknown): unknown[] => (typeof v === 'string' ? (v === '' ? [] : JSON.parse(v)) : ((v as unknown[] | null | undefined) ?? []));
  expect(m.id).toBe(String(raw.id));
  expect(m.outcomes).toEqual(arr(raw.outcomes));
  expect(m.tokenIds).toEqual(arr(raw.clobTokenIds));
  expect(m.outcomePrices).toEqual(arr(raw.outcomePrices).map((p) => Math.round(Number(p) * 10_000)));
  for (const p of m.outcomePrices) expect(Number.isInteger(p) && p >= 0 && p <= 10_000).toBe(true);
  if (typeof raw.closedTime === 'string' && raw.closedTime !== '') {
    // "2026-05-09 02:07:01+00" → "2026-05-09T02:07:01Z", parsed independently.
    expect(m.closedTime).toBe(Date.parse(raw.closedTime.replace(' ', 'T').replace(/\+00$/, 'Z')));
  } else expect(m.closedTime).toBeUndefined();
  if (typeof raw.endDate === 'string') expect(m.endDate).toBe(Date.parse(raw.endDate));
  return m;
}

describe.skipIf(!HAVE_FIXTURES)('Gamma markets decode with decodeGammaMarket', () => {
  it('active-markets.json: all 100 markets decode with zero errors; arrays decoded from JSON-encoded strings', () => {
    const arr = fixtureJson<any[]>(`${WOM}/active-markets.json`);
    expect(arr).toHaveLength(100);
    const ms = arr.map(checkGammaMarket);
    for (const m of ms) {
      expect(m.outcomes.length).toBeGreaterThanOrEqual(2);
      expect(m.tokenIds).toHaveLength(m.outcomes.length);
      expect(m.outcomePrices).toHaveLength(m.outcomes.length);
    }
  });

  it('active-markets.json[0] (id 517310): outcomes ["Yes","No"], prices "0.058"/"0.942" → 580/9420, endDate 2025-12-31T12:00:00Z, tick 0.001 → 10, negRisk', () => {
    const m = checkGammaMarket(fixtureJson<any[]>(`${WOM}/active-markets.json`)[0]);
    expect(m).toMatchObject({
      id: '517310',
      outcomes: ['Yes', 'No'],
      outcomePrices: [580, 9420],
      endDate: Date.UTC(2025, 11, 31, 12),
      tickSize: 10,
      negRisk: true,
      negRiskMarketId: '0xa69729ae3d9838ec5754e0f74bf57dedd5ddbecd9e31b15a04f48f081168ba00',
      bestBid: 510,
      volume: 1_100_779.902896,
      eventId: '16282',
      fee: { rate: 0, exponent: 1, takerOnly: true, rebateRate: 0 },
    });
    expect(m.tokenIds).toEqual([
      '101676997363687199724245607342877036148401850938023978421879460310389391082353',
      '4153292802911610701832309484716814274802943278345248636922528170020319407796',
    ]);
  });

  it('markets.json (2020 era): all 10 decode; id 12 closedTime "2020-11-02 16:31:01+00" → 1604334661000, prices ["0","0"] → no resolved outcome', () => {
    const arr = fixtureJson<any[]>(`${WOM}/markets.json`);
    expect(arr).toHaveLength(10);
    const ms = arr.map(checkGammaMarket);
    const m12 = ms.find((m) => m.id === '12')!;
    expect(m12.closedTime).toBe(1_604_334_661_000);
    expect(m12.outcomePrices).toEqual([0, 0]);
    expect(resolvedOutcomeIndex(m12)).toBeUndefined();
  });

  it.each(GAMMA_MARKET_FILES)('%s decodes with zero errors', (rel) => {
    checkGammaMarket(fixtureJson(rel));
  });

  it('closed_binary_accepting_true: closedTime "2026-05-09 02:07:01+00" → 1778292421000, prices ["1","0"] → resolvedOutcomeIndex 0', () => {
    const m = checkGammaMarket(fixtureJson(`${NT}/test_data/gamma_market_closed_binary_accepting_true.json`));
    expect(m.closed).toBe(true);
    expect(m.closedTime).toBe(1_778_292_421_000);
    expect(m.closedTime).toBe(Date.UTC(2026, 4, 9, 2, 7, 1));
    expect(m.outcomePrices).toEqual([10_000, 0]);
    expect(resolvedOutcomeIndex(m)).toBe(0);
  });

  it('closed_binary_accepting_false: closedTime "2026-03-19 23:20:15+00", prices ["0","1"] → resolvedOutcomeIndex 1', () => {
    const m = checkGammaMarket(fixtureJson(`${NT}/test_data/gamma_market_closed_binary_accepting_false.json`));
    expect(m.closedTime).toBe(Date.UTC(2026, 2, 19, 23, 20, 15));
    expect(m.outcomePrices).toEqual([0, 10_000]);
    expect(resolvedOutcomeIndex(m)).toBe(1);
  });

  it('closed_nonbinary_legacy: "0.5843311669077693146635445446077281" → 5843, not settled → resolvedOutcomeIndex undefined', () => {
    const m = checkGammaMarket(fixtureJson(`${NT}/test_data/gamma_market_closed_nonbinary_legacy.json`));
    expect(m.outcomePrices).toEqual([5843, 4157]);
    expect(resolvedOutcomeIndex(m)).toBeUndefined();
  });

  it('closed_zero_zero_legacy: prices ["0","0"] → resolvedOutcomeIndex undefined', () => {
    const m = checkGammaMarket(fixtureJson(`${NT}/test_data/gamma_market_closed_zero_zero_legacy.json`));
    expect(m.closed).toBe(true);
    expect(m.outcomePrices).toEqual([0, 0]);
    expect(resolvedOutcomeIndex(m)).toBeUndefined();
  });

  it('sports money_line: feeSchedule {rate 0.03, rebateRate 0.25, exponent 1, takerOnly} read; tick 0.001 → 10; resolved to index 0', () => {
    const m = checkGammaMarket(fixtureJson(`${NT}/test_data/gamma_market_sports_market_money_line.json`));
    expect(m.fee).toEqual({ rate: 0.03, exponent: 1, takerOnly: true, rebateRate: 0.25 });
    expect(m.tickSize).toBe(10);
    expect(resolvedOutcomeIndex(m)).toBe(0);
  });

  it('sports map_handicap: feeSchedule rate 0.03 read, closedTime "2026-04-05 19:38:35+00", resolved to index 0', () => {
    const m = checkGammaMarket(fixtureJson(`${NT}/test_data/gamma_market_sports_market_map_handicap.json`));
    expect(m.fee.rate).toBe(0.03);
    expect(m.closedTime).toBe(Date.UTC(2026, 3, 5, 19, 38, 35));
    expect(resolvedOutcomeIndex(m)).toBe(0);
  });

  it('gamma_market.json (BTC 5-min): outcomes ["Up","Down"], "0.505"/"0.495" → 5050/4950, startDate with microseconds → …01.328, open → no resolved outcome', () => {
    const m = checkGammaMarket(fixtureJson(`${NT}/test_data/gamma_market.json`));
    expect(m.outcomes).toEqual(['Up', 'Down']);
    expect(m.outcomePrices).toEqual([5050, 4950]);
    expect(m.startDate).toBe(Date.UTC(2026, 2, 11, 9, 29, 1, 328));
    expect(m.closed).toBe(false);
    expect(resolvedOutcomeIndex(m)).toBeUndefined();
    // feesEnabled: true with feeSchedule null still charges takers.
    expect(m.fee.rate).toBeGreaterThan(0);
  });
});

describe.skipIf(!HAVE_FIXTURES)('Gamma events decode with decodeGammaEvent', () => {
  it.each(GAMMA_EVENT_ARRAYS)('%s: every event and every nested market decodes (marketErrors 0)', (rel) => {
    const arr = fixtureJson<any[]>(rel);
    expect(arr.length).toBeGreaterThan(0);
    for (const raw of arr) {
      const r = decodeGammaEvent(raw);
      if (!r.ok) expect.fail(JSON.stringify(r.error));
      expect(r.marketErrors).toBe(0);
      expect(r.value.markets).toHaveLength((raw.markets ?? []).length);
      for (const m of r.value.markets) expect(m.eventId).toBe(String(raw.id));
    }
  });

  it('gamma_event.json: event 30829 "Democratic Presidential Nominee 2028", negRisk, augmented, 2 markets, endDate 2028-11-07, tags include "Politics"', () => {
    const r = decodeGammaEvent(fixtureJson<any[]>(`${NT}/test_data/gamma_event.json`)[0]);
    if (!r.ok) expect.fail(JSON.stringify(r.error));
    expect(r.value).toMatchObject({ id: '30829', title: 'Democratic Presidential Nominee 2028', negRisk: true, augmented: true, closed: false });
    expect(r.value.endDate).toBe(Date.UTC(2028, 10, 7));
    expect(r.value.volume).toBeCloseTo(799_823_812.487094, 3);
    expect(r.value.tags).toContain('Politics');
    expect(r.value.markets.map((m) => m.id)).toEqual(['559657', '559659']);
    expect(r.value.markets.every((m) => m.eventAugmented === true)).toBe(true);
  });

  it('search_response.json .events[0]: event 246060 "Bitcoin above ___ on March 11?" with 1 market', () => {
    const raw = fixtureJson(GAMMA_SEARCH).events[0];
    const r = decodeGammaEvent(raw);
    if (!r.ok) expect.fail(JSON.stringify(r.error));
    expect(r.value).toMatchObject({ id: '246060', title: 'Bitcoin above ___ on March 11?', negRisk: false });
    expect(r.value.endDate).toBe(Date.UTC(2026, 2, 11, 16));
    expect(r.value.markets).toHaveLength(1);
    expect(r.marketErrors).toBe(0);
  });
});

describe.skipIf(!HAVE_FIXTURES)('CLOB /prices-history decodes with decodePricesHistory', () => {
  it('active_prices_1d.json: 1440 points, first {t 1770394157, p 0.23} → p 2300; every p = round(raw p × 10000)', () => {
    const raw = fixtureJson(`${WOM}/active_prices_1d.json`);
    const pts = only(decodePricesHistory(raw));
    expect(pts).toHaveLength(1440);
    expect(pts[0]).toEqual({ t: 1_770_394_157, p: 2300 });
    expect(pts.map((p) => p.p)).toEqual(raw.history.map((h: any) => Math.round(h.p * 10_000)));
  });

  it('active_prices_1h.json: 62 points, first p 0.225 → 2250', () => {
    const pts = only(decodePricesHistory(fixtureJson(`${WOM}/active_prices_1h.json`)));
    expect(pts).toHaveLength(62);
    expect(pts[0]).toEqual({ t: 1_770_476_912, p: 2250 });
  });

  it('clob_prices_history_max.json {"history":[]} → []', () => {
    expect(only(decodePricesHistory(fixtureJson(`${WOM}/clob_prices_history_max.json`)))).toEqual([]);
  });
});
