// The CLOB market WebSocket channel (DESIGN §4, research/polymarket-protocol.md §1):
// wire schemas and frame decoding into the event types of events.ts.
import { parseUntrustedJson } from './limits.js';
import { oversized } from './bounds.js';
import { z } from 'zod';
import { describeZodError, millisText, optionalPriceText, priceText, sideText, sizeText } from './wire.js';
import type { DecodeError } from './errors.js';
export { oversized } from './bounds.js';
import { fastDecode } from './fast-decode.js';
import { scanFrame } from './frame-scanner.js';
import type { BestBidAskEvent, BookEvent, MarketEvent, MarketResolvedEvent, NewMarketEvent, PriceChange, PriceChangeEvent, Side, TickSizeEvent, TradeEvent } from './events.js';


// ---- wire schemas -------------------------------------------------------

const levelSchema = z.object({ price: priceText, size: sizeText });

export const bookSchema = z
  .object({
    event_type: z.literal('book').optional(),
    asset_id: z.string().min(1),
    market: z.string(),
    bids: z.array(levelSchema),
    asks: z.array(levelSchema),
    timestamp: millisText,
    hash: z.string().optional(),
    last_trade_price: optionalPriceText,
  })
  .transform(
    (w): BookEvent => ({
      type: 'book',
      asset: w.asset_id,
      market: w.market,
      ts: w.timestamp,
      bids: w.bids,
      asks: w.asks,
      hash: w.hash ?? '',
      ...(w.last_trade_price !== undefined ? { lastTradePrice: w.last_trade_price } : {}),
    }),
  );

const priceChangeEntry = z.object({
  asset_id: z.string().min(1),
  price: priceText,
  size: sizeText,
  side: sideText,
  hash: z.string().optional(),
  best_bid: optionalPriceText,
  best_ask: optionalPriceText,
});

function change(asset: string, e: { price: number; size: number; side: Side; hash?: string | undefined; best_bid?: number; best_ask?: number }): PriceChange {
  const out: PriceChange = { asset, price: e.price, size: e.size, side: e.side };
  if (e.hash !== undefined) out.hash = e.hash;
  if (e.best_bid !== undefined) out.bestBid = e.best_bid;
  if (e.best_ask !== undefined) out.bestAsk = e.best_ask;
  return out;
}

/** Current form (since 2025-09-15): `price_changes[]`, each entry with its own asset. */
export const priceChangeSchema = z
  .object({
    event_type: z.literal('price_change'),
    market: z.string(),
    timestamp: millisText,
    price_changes: z.array(priceChangeEntry),
  })
  .transform((w): PriceChangeEvent => ({
    type: 'price_change',
    market: w.market,
    ts: w.timestamp,
    changes: w.price_changes.map((e) => change(e.asset_id, e)),
  }));

/** Legacy form (Oct 2024 – Sep 2025): one asset, `changes[]`, one hash for the message. */
export const legacyPriceChangeSchema = z
  .object({
    event_type: z.literal('price_change'),
    asset_id: z.string().min(1),
    market: z.string(),
    timestamp: millisText,
    hash: z.string().optional(),
    changes: z.array(z.object({ price: priceText, size: sizeText, side: sideText })),
  })
  .transform((w): PriceChangeEvent => ({
    type: 'price_change',
    market: w.market,
    ts: w.timestamp,
    changes: w.changes.map((e, i) => change(w.asset_id, { ...e, hash: i === w.changes.length - 1 ? w.hash : undefined })),
  }));

/** Oldest flat form (Aug 2024): one level change at the top level. */
export const flatPriceChangeSchema = z
  .object({
    event_type: z.literal('price_change'),
    asset_id: z.string().min(1),
    market: z.string(),
    timestamp: millisText,
    hash: z.string().optional(),
    price: priceText,
    size: sizeText,
    side: sideText,
  })
  .transform((w): PriceChangeEvent => ({
    type: 'price_change',
    market: w.market,
    ts: w.timestamp,
    changes: [change(w.asset_id, w)],
  }));

export const tradeSchema = z
  .object({
    event_type: z.literal('last_trade_price'),
    asset_id: z.string().min(1),
    market: z.string(),
    price: priceText,
    size: sizeText,
    side: sideText,
    timestamp: millisText,
    fee_rate_bps: z.string().optional(),
  })
  .transform((w): TradeEvent => {
    const out: TradeEvent = { type: 'last_trade_price', asset: w.asset_id, market: w.market, price: w.price, size: w.size, side: w.side, ts: w.timestamp };
    const bps = w.fee_rate_bps === undefined || w.fee_rate_bps === '' ? NaN : Number(w.fee_rate_bps);
    if (Number.isFinite(bps)) out.feeRateBps = bps;
    return out;
  });

export const tickSizeSchema = z
  .object({
    event_type: z.literal('tick_size_change'),
    asset_id: z.string().min(1),
    market: z.string(),
    old_tick_size: priceText,
    new_tick_size: priceText,
    timestamp: millisText,
  })
  .transform((w): TickSizeEvent => ({
    type: 'tick_size_change',
    asset: w.asset_id,
    market: w.market,
    oldTick: w.old_tick_size,
    newTick: w.new_tick_size,
    ts: w.timestamp,
  }));

export const bestBidAskSchema = z
  .object({
    event_type: z.literal('best_bid_ask'),
    asset_id: z.string().min(1),
    market: z.string(),
    best_bid: optionalPriceText,
    best_ask: optionalPriceText,
    spread: z.string().optional(),
    timestamp: millisText,
  })
  .transform((w): BestBidAskEvent => {
    const out: BestBidAskEvent = { type: 'best_bid_ask', asset: w.asset_id, market: w.market, ts: w.timestamp };
    if (w.best_bid !== undefined) out.bestBid = w.best_bid;
    if (w.best_ask !== undefined) out.bestAsk = w.best_ask;
    return out;
  });

const eventMessage = z
  .object({ id: z.union([z.string(), z.number()]).optional(), title: z.string().optional() })
  .passthrough()
  .nullable()
  .optional();

export const newMarketSchema = z
  .object({
    event_type: z.literal('new_market'),
    id: z.union([z.string(), z.number()]).transform(String),
    question: z.string(),
    market: z.string(),
    slug: z.string(),
    assets_ids: z.array(z.string()),
    outcomes: z.array(z.string()),
    event_message: eventMessage,
    tags: z.array(z.string()).nullable().optional(),
    timestamp: millisText,
  })
  .transform((w): NewMarketEvent => {
    const out: NewMarketEvent = {
      type: 'new_market',
      id: w.id,
      question: w.question,
      market: w.market,
      slug: w.slug,
      assetIds: w.assets_ids,
      outcomes: w.outcomes,
      tags: w.tags ?? [],
      ts: w.timestamp,
    };
    if (w.event_message?.id !== undefined) out.eventId = String(w.event_message.id);
    if (w.event_message?.title !== undefined) out.eventTitle = w.event_message.title;
    return out;
  });

export const marketResolvedSchema = z
  .object({
    event_type: z.literal('market_resolved'),
    id: z.union([z.string(), z.number()]).transform(String),
    market: z.string(),
    assets_ids: z.array(z.string()),
    winning_asset_id: z.string(),
    winning_outcome: z.string(),
    timestamp: millisText,
  })
  .transform((w): MarketResolvedEvent => ({
    type: 'market_resolved',
    id: w.id,
    market: w.market,
    assetIds: w.assets_ids,
    winningAssetId: w.winning_asset_id,
    winningOutcome: w.winning_outcome,
    ts: w.timestamp,
  }));

// ---- decoding -----------------------------------------------------------

export type EventResult = { ok: true; event: MarketEvent } | { ok: false; error: DecodeError };

function schemaFor(obj: Record<string, unknown>): z.ZodType<MarketEvent> | undefined {
  switch (obj['event_type']) {
    case 'book':
      return bookSchema;
    case 'price_change':
      if ('price_changes' in obj) return priceChangeSchema;
      if ('changes' in obj) return legacyPriceChangeSchema;
      return flatPriceChangeSchema;
    case 'last_trade_price':
      return tradeSchema;
    case 'tick_size_change':
      return tickSizeSchema;
    case 'best_bid_ask':
      return bestBidAskSchema;
    case 'new_market':
      return newMarketSchema;
    case 'market_resolved':
      return marketResolvedSchema;
    default:
      return undefined;
  }
}

/** Decodes one parsed JSON value that should be a market-channel event. */
export function decodeEvent(value: unknown): EventResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: { kind: 'schema', field: '', message: `event is not an object (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})` } };
  }
  const obj = value as Record<string, unknown>;
  const fast = fastDecode(obj);
  if (fast) return { ok: true, event: fast };
  const schema = schemaFor(obj);
  if (!schema) {
    const type = obj['event_type'];
    return {
      ok: false,
      error: {
        kind: typeof type === 'string' ? 'unknown_event' : 'schema',
        field: 'event_type',
        message: typeof type === 'string' ? `unknown event_type ${JSON.stringify(type.slice(0, 40))}` : 'event_type: missing or not a string',
      },
    };
  }
  const parsed = schema.safeParse(obj);
  if (parsed.success) return { ok: true, event: parsed.data };
  const { field, message } = describeZodError(parsed.error);
  return { ok: false, error: { kind: 'schema', field, message: `${String(obj['event_type'])}: ${message}` } };
}

export type ControlText = 'PONG' | 'NO NEW ASSETS';

export interface DecodedFrame {
  events: MarketEvent[];
  errors: DecodeError[];
  control?: ControlText;
}

/**
 * Decodes one WebSocket text frame: a JSON object, a JSON array of events, or
 * plain text (PONG, NO NEW ASSETS). Never throws; each bad element is an error
 * and the good elements of the same frame are kept.
 */
export function decodeFrame(raw: string): DecodedFrame {
  const first = raw.charCodeAt(0);
  if (first === 123 || first === 91) {
    // Hot shapes are read straight from the text, already within the bounds below.
    const scanned = scanFrame(raw, decodeElement);
    if (scanned) return { events: scanned, errors: [] };
  }
  return decodeFrameGeneral(raw);
}

/** decodeFrame without the frame scanner: JSON.parse, the decoders, then the bounds. The scanner must agree with it. */
export function decodeFrameGeneral(raw: string): DecodedFrame {
  const d = decodeFrameUnbounded(raw);
  if (!d.events.length) return d;
  // Ids and hashes are kept per book: one oversized field must not be kept.
  let bad = false;
  for (const ev of d.events) if (oversized(ev)) bad = true;
  if (!bad) return d;
  const events: MarketEvent[] = [];
  const errors = [...d.errors];
  for (const ev of d.events) {
    const why = oversized(ev);
    if (why) errors.push({ kind: 'schema', field: why, message: `${ev.type}: ${why} longer than allowed` });
    else events.push(ev);
  }
  return { events, errors };
}

function decodeFrameUnbounded(raw: string): DecodedFrame {
  const first = raw.charCodeAt(0);
  // '{' or '[' (after optional whitespace, which the venue does not send)
  if (first !== 123 && first !== 91) {
    const text = raw.trim();
    if (text === 'PONG') return { events: [], errors: [], control: 'PONG' };
    if (text === 'NO NEW ASSETS') return { events: [], errors: [], control: 'NO NEW ASSETS' };
    if (text.startsWith('{') || text.startsWith('[')) return decodeFrameUnbounded(text);
    return { events: [], errors: [{ kind: 'text', field: '', message: `unexpected text frame ${JSON.stringify(text.slice(0, 40))}` }] };
  }
  return decodeParsed(raw);
}

/** Array elements of other types inside otherwise hot frames: JSON.parse just the element. */
export function decodeElement(slice: string): MarketEvent | undefined {
  let v: unknown;
  try {
    v = parseUntrustedJson(slice);
  } catch {
    return undefined;
  }
  const r = decodeEvent(v);
  return r.ok ? r.event : undefined;
}

/** The general path: JSON.parse, then the fast or zod decoders per event. */
export function decodeParsed(raw: string): DecodedFrame {
  let value: unknown;
  try {
    value = parseUntrustedJson(raw);
  } catch (err) {
    return { events: [], errors: [{ kind: 'json', field: '', message: `invalid JSON: ${(err as Error).message.slice(0, 80)}` }] };
  }
  if (Array.isArray(value)) {
    const events: MarketEvent[] = [];
    const errors: DecodeError[] = [];
    for (let i = 0; i < value.length; i++) {
      const r = decodeEvent(value[i]);
      if (r.ok) events.push(r.event);
      else errors.push({ ...r.error, field: `[${i}]${r.error.field ? '.' + r.error.field : ''}` });
    }
    return { events, errors };
  }
  const r = decodeEvent(value);
  return r.ok ? { events: [r.event], errors: [] } : { events: [], errors: [r.error] };
}

