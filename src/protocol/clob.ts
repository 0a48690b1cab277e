// CLOB REST shapes: GET /book, POST /books, GET /prices-history.
import { z } from 'zod';
import type { Decoded } from './errors.js';
import { bookSchema } from './market-channel.js';
import type { BookEvent } from './events.js';
import { describeZodError, probValue } from './wire.js';
import { parsePrice, parseSize } from './units.js';

export interface RestBook {
  book: BookEvent;
  /** Tick in 0.0001 units, when the response carries it. */
  tickSize?: number;
  minOrderSize?: number;
  negRisk?: boolean;
}

const restBookExtras = z.object({
  min_order_size: z.string().optional(),
  tick_size: z.string().optional(),
  neg_risk: z.boolean().optional(),
});

/** Decodes one OrderBookSummary (GET /book, or an element of POST /books). */
export function decodeRestBook(value: unknown): Decoded<RestBook> {
  const b = bookSchema.safeParse(value);
  if (!b.success) {
    const d = describeZodError(b.error);
    return { ok: false, error: { kind: 'schema', field: d.field, message: `book: ${d.message}` } };
  }
  const extras = restBookExtras.safeParse(value);
  const out: RestBook = { book: b.data };
  if (extras.success) {
    const tick = extras.data.tick_size !== undefined ? parsePrice(extras.data.tick_size) : undefined;
    const min = extras.data.min_order_size !== undefined ? parseSize(extras.data.min_order_size) : undefined;
    if (tick !== undefined) out.tickSize = tick;
    if (min !== undefined) out.minOrderSize = min;
    if (extras.data.neg_risk !== undefined) out.negRisk = extras.data.neg_risk;
  }
  return { ok: true, value: out };
}

export interface HistoryPoint {
  /** Unix seconds. */
  t: number;
  /** Price in 0.0001 units. */
  p: number;
}

export const pricesHistorySchema = z.object({
  history: z.array(z.object({ t: z.number().int(), p: probValue })),
});

export function decodePricesHistory(value: unknown): Decoded<HistoryPoint[]> {
  const r = pricesHistorySchema.safeParse(value);
  if (r.success) return { ok: true, value: r.data.history };
  const d = describeZodError(r.error);
  return { ok: false, error: { kind: 'schema', field: d.field, message: `prices-history: ${d.message}` } };
}
