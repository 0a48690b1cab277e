// A single-pass scanner for the hot frame shapes (book, current price_change,
// last_trade_price, best_bid_ask, alone or in an array) that reads fields
// straight from the frame text instead of building a JSON object tree first.
// It accepts only what it fully understands — plain strings without escapes,
// the known value types, ids within their bounds — and otherwise returns
// undefined so JSON.parse and the zod/fast-path decoders decide.
// test/protocol/frame-scanner.test.ts checks that whenever it answers, the
// answer equals decodeFrame's JSON.parse path.
import { jsonTooDeep, MAX_ID_CHARS } from './limits.js';
import { oversized } from './bounds.js';
import type { BestBidAskEvent, BookEvent, Level, MarketEvent, PriceChange, Side } from './events.js';
import { PRICE_SCALE } from './units.js';

const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;
const BACKSLASH = 92;

/** JSON literals other than strings and containers. */
const LITERAL = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;
/** JSON forbids raw control characters inside strings; real frames carry none anywhere. */
const CONTROL = /[\u0000-\u001f]/;
/**
 * Printable ASCII without the backslash, throughout. Real frames are: no
 * whitespace, no escapes, no other characters. Such a frame needs no per-id
 * character check (every id in it is printable ASCII), only lengths. (Anchored
 * and whole, V8 runs this faster than searching for one character outside it.)
 */
const PLAIN = /^[!-[\]-~]*$/;

function validJson(text: string): boolean {
  if (jsonTooDeep(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Known keys get a slot; everything else is skipped. */
const KEYS = ['event_type', 'asset_id', 'market', 'timestamp', 'hash', 'bids', 'asks', 'price_changes', 'price', 'size', 'side', 'best_bid', 'best_ask', 'fee_rate_bps', 'last_trade_price', 'spread'] as const;
const K = Object.fromEntries(KEYS.map((k, i) => [k, i])) as Record<(typeof KEYS)[number], number>;
const NKEYS = KEYS.length;
/** Slot kinds. */
const ABSENT = 0;
const STRING = 1;
const ARRAY = 2;
const NULL = 3;
const OTHER = 4;

const codes = (word: string): number[] => Array.from(word, (ch) => ch.charCodeAt(0));
const CODES = KEYS.map(codes);
/** Known keys by first character (ASCII): a key is compared only with the few it could be. */
const BY_FIRST: (number[] | undefined)[] = new Array<number[] | undefined>(128).fill(undefined);
KEYS.forEach((k, i) => (BY_FIRST[k.charCodeAt(0)] ??= []).push(i));

/** `s.slice(start, start + code.length)` equals the key (startsWith with an offset is slow in V8). */
function sameAt(s: string, start: number, code: number[]): boolean {
  for (let j = 0; j < code.length; j++) if (s.charCodeAt(start + j) !== code[j]) return false;
  return true;
}

const BUY = codes('BUY');
const SELL = codes('SELL');
const BOOK = codes('book');
const PRICE_CHANGE = codes('price_change');
const LAST_TRADE_PRICE = codes('last_trade_price');
const BEST_BID_ASK = codes('best_bid_ask');
const NULL_CODES = codes('null');
/** A level exactly as the venue writes it: `{"price":"…","size":"…"}`. */
const LEVEL_HEAD = codes('{"price":"');
const LEVEL_MID = codes('","size":"');

/**
 * The known key whose text starts at `start` and is closed by a quote right
 * after it, or -1. Keys hold no escapes here, so the first quote ends them.
 */
function keyAt(s: string, start: number): number {
  const c = s.charCodeAt(start);
  // Not ASCII, or past the end (NaN): no known key; the table is never read out of range.
  if (!(c < 128)) return -1;
  const candidates = BY_FIRST[c];
  if (candidates === undefined) return -1;
  for (let j = 0; j < candidates.length; j++) {
    const k = candidates[j]!;
    const code = CODES[k]!;
    if (s.charCodeAt(start + code.length) === QUOTE && sameAt(s, start, code)) return k;
  }
  return -1;
}

/** JSON whitespace from `i` on: the index of the next other character. */
function skipWs(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else return i;
  }
}

/** Per object: kind, start, end for each known key (reused, no allocation). */
class Slots {
  readonly v = new Int32Array(NKEYS * 3);
  /** The whole object was read (its extent is known even if it is not a hot event). */
  complete = false;
  clear(): void {
    this.v.fill(0);
  }
  kind(k: number): number {
    return this.v[k * 3]!;
  }
  start(k: number): number {
    return this.v[k * 3 + 1]!;
  }
  end(k: number): number {
    return this.v[k * 3 + 2]!;
  }
  set(k: number, kind: number, start: number, end: number): void {
    this.v[k * 3] = kind;
    this.v[k * 3 + 1] = start;
    this.v[k * 3 + 2] = end;
  }
}

class Scan {
  i = 0;
  s = '';
  /** The frame is printable ASCII without backslashes (see PLAIN). */
  plain = false;
  /** One scanner is reused for every frame (scanFrame is not re-entrant): its slots are typed arrays, costly to allocate per frame. */
  reset(s: string, plain: boolean): this {
    this.s = s;
    this.i = 0;
    this.plain = plain;
    return this;
  }

  ws(): void {
    this.i = skipWs(this.s, this.i);
  }

  /**
   * Skips any JSON value; false if it is malformed. Containers and strings with
   * escapes are rare here and are checked by JSON.parse on their slice, so the
   * scanner never accepts what JSON.parse would reject.
   */
  skip(check = true): boolean {
    const s = this.s;
    const start = this.i;
    const c = s.charCodeAt(start);
    if (c === QUOTE) {
      let i = start + 1;
      let escaped = false;
      for (;;) {
        const q = s.indexOf('"', i);
        if (q < 0) return false;
        let bs = 0;
        for (let k = q - 1; k > start && s.charCodeAt(k) === BACKSLASH; k--) bs++;
        if (bs) escaped = true;
        if (bs % 2 === 0) {
          this.i = q + 1;
          return !escaped || validJson(s.slice(start, this.i));
        }
        i = q + 1;
      }
    }
    if (c === LBRACE || c === LBRACKET) {
      let depth = 0;
      for (let i = start; i < s.length; i++) {
        const d = s.charCodeAt(i);
        if (d === QUOTE) {
          this.i = i;
          if (!this.skipRawString()) return false;
          i = this.i - 1;
        } else if (d === LBRACE || d === LBRACKET) depth++;
        else if (d === RBRACE || d === RBRACKET) {
          depth--;
          if (depth === 0) {
            this.i = i + 1;
            return !check || validJson(s.slice(start, this.i));
          }
        }
      }
      return false;
    }
    let i = start;
    while (i < s.length) {
      const d = s.charCodeAt(i);
      if (d === COMMA || d === RBRACE || d === RBRACKET || d === 32 || d === 10 || d === 13 || d === 9) break;
      i++;
    }
    if (!LITERAL.test(s.slice(start, i))) return false;
    this.i = i;
    return true;
  }

  /** Moves past a string (escapes allowed) without checking it; its container is checked whole. */
  private skipRawString(): boolean {
    const s = this.s;
    let i = this.i + 1;
    for (;;) {
      const q = s.indexOf('"', i);
      if (q < 0) return false;
      let bs = 0;
      for (let k = q - 1; k > this.i && s.charCodeAt(k) === BACKSLASH; k--) bs++;
      if (bs % 2 === 0) {
        this.i = q + 1;
        return true;
      }
      i = q + 1;
    }
  }

  /** Reads an object's known fields into `out`; unknown keys are skipped. */
  object(out: Slots): boolean {
    const s = this.s;
    out.clear();
    let i = this.i;
    if (s.charCodeAt(i) !== LBRACE) return false;
    i++;
    if (s.charCodeAt(i) <= 32) i = skipWs(s, i);
    if (s.charCodeAt(i) === RBRACE) {
      this.i = i + 1;
      return true;
    }
    for (;;) {
      if (s.charCodeAt(i) <= 32) i = skipWs(s, i);
      // Strings hold no escapes (the frame has no backslash): the next quote ends them.
      if (s.charCodeAt(i) !== QUOTE) return false;
      const key = keyAt(s, i + 1);
      const ke = key >= 0 ? i + 1 + CODES[key]!.length : s.indexOf('"', i + 1);
      if (ke < 0) return false;
      i = ke + 1;
      if (s.charCodeAt(i) <= 32) i = skipWs(s, i);
      if (s.charCodeAt(i) !== COLON) return false;
      i++;
      if (s.charCodeAt(i) <= 32) i = skipWs(s, i);
      const c = s.charCodeAt(i);
      const start = i;
      if (c === QUOTE) {
        const ve = s.indexOf('"', i + 1);
        if (ve < 0) return false;
        if (key >= 0) out.set(key, STRING, i + 1, ve);
        i = ve + 1;
      } else if (c === LBRACKET && out === this.top && (key === K.bids || key === K.asks || key === K.price_changes)) {
        // Known arrays are parsed in this same pass, whatever order the keys come in.
        this.i = i;
        const parsed = key === K.price_changes ? this.entries() : this.levels();
        if (parsed === undefined) {
          // Not of the expected shape: remember that, and skip it as any JSON value.
          this.i = start;
          if (!this.skip()) return false;
        }
        if (key === K.bids) this.bids = parsed as Level[] | undefined;
        else if (key === K.asks) this.asks = parsed as Level[] | undefined;
        else this.changes = parsed as PriceChange[] | undefined;
        i = this.i;
        out.set(key, parsed === undefined ? OTHER : ARRAY, start, i);
      } else {
        this.i = i;
        if (!this.skip()) return false;
        i = this.i;
        if (key >= 0) out.set(key, c === LBRACKET ? ARRAY : i === start + 4 && sameAt(s, start, NULL_CODES) ? NULL : OTHER, start, i);
      }
      if (s.charCodeAt(i) <= 32) i = skipWs(s, i);
      const d = s.charCodeAt(i);
      i++;
      if (d === COMMA) continue;
      this.i = i;
      return d === RBRACE;
    }
  }

  /** The event's own slots, and the slots its array elements reuse. */
  readonly top = new Slots();
  readonly inner = new Slots();
  bids: Level[] | undefined;
  asks: Level[] | undefined;
  changes: PriceChange[] | undefined;

  /** Parses `[ {price, size}, … ]` from `this.i`; undefined if the shape is wrong. */
  levels(): Level[] | undefined {
    const s = this.s;
    let i = this.i + 1; // [
    const out: Level[] = [];
    if (s.charCodeAt(i) <= 32) i = skipWs(s, i);
    if (s.charCodeAt(i) === RBRACKET) {
      this.i = i + 1;
      return out;
    }
    for (;;) {
      if (s.charCodeAt(i) <= 32) i = skipWs(s, i);
      let read = false;
      // The venue's exact form is read without slots; any other spelling (key
      // order, spacing, extra keys) takes the general object reader below.
      if (sameAt(s, i, LEVEL_HEAD)) {
        const ps = i + LEVEL_HEAD.length;
        const pe = s.indexOf('"', ps);
        if (pe > 0 && sameAt(s, pe, LEVEL_MID)) {
          const zs = pe + LEVEL_MID.length;
          const ze = s.indexOf('"', zs);
          if (ze > 0 && s.charCodeAt(ze + 1) === RBRACE) {
            const p = priceIn(s, ps, pe);
            const z = sizeIn(s, zs, ze);
            if (p === undefined || z === undefined) return undefined;
            out.push({ price: p, size: z });
            i = ze + 2;
            read = true;
          }
        }
      }
      if (!read) {
        this.i = i;
        const l = this.inner;
        if (!this.object(l)) return undefined;
        const p = price(s, l, K.price);
        const z = size(s, l, K.size);
        if (p === undefined || z === undefined) return undefined;
        out.push({ price: p, size: z });
        i = this.i;
      }
      if (s.charCodeAt(i) <= 32) i = skipWs(s, i);
      const d = s.charCodeAt(i);
      i++;
      if (d === COMMA) continue;
      this.i = i;
      return d === RBRACKET ? out : undefined;
    }
  }

  /** Parses `[ {asset_id, price, size, side, …}, … ]` from `this.i`; undefined if the shape is wrong. */
  entries(): PriceChange[] | undefined {
    const s = this.s;
    this.i++; // [
    this.ws();
    const out: PriceChange[] = [];
    if (s.charCodeAt(this.i) === RBRACKET) {
      this.i++;
      return out;
    }
    const e = this.inner;
    for (;;) {
      this.ws();
      if (!this.object(e)) return undefined;
      const asset = id(this, e, K.asset_id);
      const p = price(s, e, K.price);
      const z = size(s, e, K.size);
      const sd = side(s, e, K.side);
      const hash = optId(this, e, K.hash);
      if (!asset || p === undefined || z === undefined || !sd || hash === null) return undefined;
      const bb = optPrice(s, e, K.best_bid);
      const ba = optPrice(s, e, K.best_ask);
      if (Number.isNaN(bb) || Number.isNaN(ba)) return undefined;
      const c: PriceChange = { asset, price: p, size: z, side: sd };
      if (hash !== undefined) c.hash = hash;
      if (bb !== undefined) c.bestBid = bb;
      if (ba !== undefined) c.bestAsk = ba;
      out.push(c);
      this.ws();
      const d = s.charCodeAt(this.i);
      this.i++;
      if (d === COMMA) continue;
      return d === RBRACKET ? out : undefined;
    }
  }
}

// ---- field readers (undefined = not acceptable here) ------------------------

function text(s: string, o: Slots, k: number): string | undefined {
  return o.kind(k) === STRING ? s.slice(o.start(k), o.end(k)) : undefined;
}

/**
 * An id or hash, which decodeFrame bounds in length and characters. In a plain
 * frame only the length can be out of bounds; an id over it is not read here
 * (undefined), so the general path reports it. Other frames are checked whole
 * after reading (scanFrame).
 */
function id(sc: Scan, o: Slots, k: number): string | undefined {
  if (o.kind(k) !== STRING) return undefined;
  const from = o.start(k);
  const to = o.end(k);
  if (sc.plain && to - from > MAX_ID_CHARS) return undefined;
  return sc.s.slice(from, to);
}

/** A present id must be a plain string: undefined if absent, null if of another type or too long. */
function optId(sc: Scan, o: Slots, k: number): string | undefined | null {
  const kind = o.kind(k);
  if (kind === ABSENT) return undefined;
  return kind === STRING ? (id(sc, o, k) ?? null) : null;
}

/** A price on the 0.0001 grid in [0, 1], read from `s[from, to)`. */
function priceIn(s: string, from: number, to: number): number | undefined {
  if (to === from || to - from > 32) return undefined;
  let i = from;
  let whole = 0;
  let digits = 0;
  for (; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    whole = whole * 10 + (c - 48);
    if (whole > 1) return undefined;
    digits++;
  }
  let frac = 0;
  if (i < to) {
    if (s.charCodeAt(i) !== 46) return undefined;
    i++;
    let place = 1000;
    for (; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
      digits++;
      if (place >= 1) {
        frac += (c - 48) * place;
        place /= 10;
      } else if (c !== 48) return undefined;
    }
  }
  if (digits === 0) return undefined;
  const units = whole * PRICE_SCALE + frac;
  return units <= PRICE_SCALE ? units : undefined;
}

function price(s: string, o: Slots, k: number): number | undefined {
  return o.kind(k) === STRING ? priceIn(s, o.start(k), o.end(k)) : undefined;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** A non-negative plain decimal (sizes) in `s[from, to)`. Exactly Number(text) for ≤ 15 digits. */
function sizeIn(s: string, from: number, to: number): number | undefined {
  let mant = 0;
  let digits = 0;
  let places = -1;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      if (places >= 0) places++;
    } else if (c === 46 && places < 0) places = 0;
    else return undefined;
  }
  // Long numerals: let Number() round them the standard way.
  if (digits === 0 || digits > 15) return undefined;
  return places > 0 ? mant / POW10[places]! : mant;
}

function size(s: string, o: Slots, k: number): number | undefined {
  return o.kind(k) === STRING ? sizeIn(s, o.start(k), o.end(k)) : undefined;
}

/** Optional price: absent, null or "" → undefined; malformed → NaN (not acceptable). */
function optPrice(s: string, o: Slots, k: number): number | undefined {
  const kind = o.kind(k);
  if (kind === ABSENT || kind === NULL || (kind === STRING && o.end(k) === o.start(k))) return undefined;
  const p = price(s, o, k);
  return p === undefined ? NaN : p;
}

function millis(s: string, o: Slots, k: number): number | undefined {
  if (o.kind(k) !== STRING) return undefined;
  const from = o.start(k);
  const to = o.end(k);
  if (to === from || to - from > 16) return undefined;
  let ms = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    ms = ms * 10 + (c - 48);
  }
  return ms <= Number.MAX_SAFE_INTEGER ? ms : undefined;
}

function side(s: string, o: Slots, k: number): Side | undefined {
  if (o.kind(k) !== STRING) return undefined;
  const from = o.start(k);
  const n = o.end(k) - from;
  if (n === 3 && sameAt(s, from, BUY)) return 'BUY';
  if (n === 4 && sameAt(s, from, SELL)) return 'SELL';
  return undefined;
}

/** A present field must be a plain string: undefined if absent, null if of another type. */
function optText(s: string, o: Slots, k: number): string | undefined | null {
  const kind = o.kind(k);
  if (kind === ABSENT) return undefined;
  return kind === STRING ? s.slice(o.start(k), o.end(k)) : null;
}

/** A present field is a string (its value unused). */
function optString(o: Slots, k: number): boolean {
  const kind = o.kind(k);
  return kind === ABSENT || kind === STRING;
}

// ---- events -----------------------------------------------------------------

function book(sc: Scan, o: Slots): BookEvent | undefined {
  const s = sc.s;
  const asset = id(sc, o, K.asset_id);
  const market = id(sc, o, K.market);
  const ts = millis(s, o, K.timestamp);
  const hash = optId(sc, o, K.hash);
  if (!asset || market === undefined || ts === undefined || hash === null) return undefined;
  const ltp = optPrice(s, o, K.last_trade_price);
  if (Number.isNaN(ltp)) return undefined;
  const bids = o.kind(K.bids) === ARRAY ? sc.bids : undefined;
  const asks = o.kind(K.asks) === ARRAY ? sc.asks : undefined;
  if (!bids || !asks) return undefined;
  const ev: BookEvent = { type: 'book', asset, market, ts, bids, asks, hash: hash ?? '' };
  if (ltp !== undefined) ev.lastTradePrice = ltp;
  return ev;
}

function priceChange(sc: Scan, o: Slots): MarketEvent | undefined {
  const s = sc.s;
  const market = id(sc, o, K.market);
  const ts = millis(s, o, K.timestamp);
  const changes = o.kind(K.price_changes) === ARRAY ? sc.changes : undefined;
  if (market === undefined || ts === undefined || !changes) return undefined;
  return { type: 'price_change', market, ts, changes };
}

function trade(sc: Scan, o: Slots): MarketEvent | undefined {
  const s = sc.s;
  const asset = id(sc, o, K.asset_id);
  const market = id(sc, o, K.market);
  const p = price(s, o, K.price);
  const z = size(s, o, K.size);
  const sd = side(s, o, K.side);
  const ts = millis(s, o, K.timestamp);
  const bps = optText(s, o, K.fee_rate_bps);
  if (!asset || market === undefined || p === undefined || z === undefined || !sd || ts === undefined || bps === null) return undefined;
  const ev: MarketEvent = { type: 'last_trade_price', asset, market, price: p, size: z, side: sd, ts };
  if (bps !== undefined && bps !== '') {
    const n = Number(bps);
    if (Number.isFinite(n)) ev.feeRateBps = n;
  }
  return ev;
}

function bestBidAsk(sc: Scan, o: Slots): MarketEvent | undefined {
  const s = sc.s;
  const asset = id(sc, o, K.asset_id);
  const market = id(sc, o, K.market);
  const ts = millis(s, o, K.timestamp);
  if (!asset || market === undefined || ts === undefined || !optString(o, K.spread)) return undefined;
  const bb = optPrice(s, o, K.best_bid);
  const ba = optPrice(s, o, K.best_ask);
  if (Number.isNaN(bb) || Number.isNaN(ba)) return undefined;
  const ev: BestBidAskEvent = { type: 'best_bid_ask', asset, market, ts };
  if (bb !== undefined) ev.bestBid = bb;
  if (ba !== undefined) ev.bestAsk = ba;
  return ev;
}

/** Known arrays this event type does not read: valid JSON either way (parsed ones are). */
function unusedArraysValid(s: string, o: Slots, a: number, b: number): boolean {
  for (const k of [a, b]) {
    if (k >= 0 && o.kind(k) === OTHER && s.charCodeAt(o.start(k)) === LBRACKET && !validJson(s.slice(o.start(k), o.end(k)))) return false;
  }
  return true;
}

function event(sc: Scan): MarketEvent | undefined {
  const o = sc.top;
  sc.bids = sc.asks = sc.changes = undefined;
  o.complete = false;
  if (!sc.object(o)) return undefined;
  o.complete = true;
  const end = sc.i;
  const s = sc.s;
  let ev: MarketEvent | undefined;
  if (o.kind(K.event_type) === STRING) {
    const from = o.start(K.event_type);
    const n = o.end(K.event_type) - from;
    if (n === 4 && sameAt(s, from, BOOK)) ev = unusedArraysValid(s, o, K.price_changes, -1) ? book(sc, o) : undefined;
    else if (n === 12 && sameAt(s, from, PRICE_CHANGE)) ev = o.kind(K.price_changes) !== ABSENT && unusedArraysValid(s, o, K.bids, K.asks) ? priceChange(sc, o) : undefined;
    else if (n === 16 && sameAt(s, from, LAST_TRADE_PRICE)) ev = unusedArraysValid(s, o, K.bids, K.asks) && unusedArraysValid(s, o, K.price_changes, -1) ? trade(sc, o) : undefined;
    else if (n === 12 && sameAt(s, from, BEST_BID_ASK)) ev = unusedArraysValid(s, o, K.bids, K.asks) && unusedArraysValid(s, o, K.price_changes, -1) ? bestBidAsk(sc, o) : undefined;
  }
  sc.i = end;
  return ev;
}

/** Decodes one array element of a type the scanner does not read itself, or undefined if it does not decode. */
export type ElementDecoder = (slice: string) => MarketEvent | undefined;

const SCAN = new Scan();

/**
 * The events of a frame made only of hot shapes, or undefined to let the
 * general decoder handle it (anything unusual, invalid, out of bounds, or of
 * another type). Every event returned is within decodeFrame's bounds
 * (oversized() finds nothing). `other` decodes single array elements of other
 * types inside an otherwise hot array (the caller owns the general path);
 * without it such a frame is left to the caller whole.
 */
export function scanFrame(raw: string, other?: ElementDecoder): MarketEvent[] | undefined {
  const plain = PLAIN.test(raw);
  // Escapes and control characters never occur in hot frames: leave them to JSON.parse.
  if (!plain && (CONTROL.test(raw) || raw.indexOf('\\') >= 0)) return undefined;
  const sc = SCAN.reset(raw, plain);
  sc.ws();
  const first = raw.charCodeAt(sc.i);
  const out: MarketEvent[] = [];
  if (first === LBRACE) {
    const ev = event(sc);
    if (!ev) return undefined;
    out.push(ev);
  } else if (first === LBRACKET) {
    sc.i++;
    sc.ws();
    if (raw.charCodeAt(sc.i) === RBRACKET) sc.i++;
    else {
      for (;;) {
        sc.ws();
        const start = sc.i;
        let ev = event(sc);
        if (!ev) {
          // Another event type (tick_size_change, …) in the same array: decode just this
          // element the general way; if it does not decode or is out of bounds, the whole
          // frame goes there.
          if (!sc.top.complete || !other) return undefined;
          ev = other(raw.slice(start, sc.i));
          if (!ev || oversized(ev) !== undefined) return undefined;
        }
        out.push(ev);
        sc.ws();
        const d = raw.charCodeAt(sc.i);
        sc.i++;
        if (d === COMMA) continue;
        if (d === RBRACKET) break;
        return undefined;
      }
    }
  } else return undefined;
  sc.ws();
  if (sc.i !== raw.length) return undefined;
  // Outside plain frames ids may hold characters the bounds refuse: check them whole.
  if (!plain) for (const ev of out) if (oversized(ev) !== undefined) return undefined;
  return out;
}
