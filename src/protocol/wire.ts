// Shared zod building blocks for wire values. Every number on the Polymarket wire
// is a string; these turn them into DESIGN §3 units or fail with a named field.
import { z } from 'zod';
import { parseMillis, parsePrice, parseSize, PRICE_SCALE } from './units.js';

export const priceText = z.string().transform((text, ctx) => {
  const units = parsePrice(text);
  if (units === undefined) {
    ctx.issues.push({ code: 'custom', message: `not a price in [0,1] on the 0.0001 grid: ${JSON.stringify(text.slice(0, 24))}`, input: text });
    return z.NEVER;
  }
  return units;
});

/** best_bid / best_ask: absent or "" means "no level on that side". */
export const optionalPriceText = z
  .union([z.string(), z.null()])
  .optional()
  .transform((text, ctx) => {
    if (text === undefined || text === null || text === '') return undefined;
    const units = parsePrice(text);
    if (units === undefined) {
      ctx.issues.push({ code: 'custom', message: `not a price: ${JSON.stringify(text.slice(0, 24))}`, input: text });
      return z.NEVER;
    }
    return units;
  });

export const sizeText = z.string().transform((text, ctx) => {
  const size = parseSize(text);
  if (size === undefined) {
    ctx.issues.push({ code: 'custom', message: `not a non-negative size: ${JSON.stringify(text.slice(0, 24))}`, input: text });
    return z.NEVER;
  }
  return size;
});

/** Timestamps are strings on the wire; some captures store them as numbers. */
export const millisText = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseMillis(value);
  if (ms === undefined) {
    ctx.issues.push({ code: 'custom', message: `not a millisecond timestamp: ${JSON.stringify(String(value).slice(0, 24))}`, input: value });
    return z.NEVER;
  }
  return ms;
});

/** A probability given as a number or decimal string, any precision, rounded to units. */
export const probValue = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const n = typeof value === 'number' ? value : value === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    ctx.issues.push({ code: 'custom', message: `not a probability: ${JSON.stringify(String(value).slice(0, 24))}`, input: value });
    return z.NEVER;
  }
  return Math.round(n * PRICE_SCALE);
});

/** A number that may arrive as a number or a numeric string ("12.5"). */
export const looseNumber = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const n = typeof value === 'number' ? value : value === '' ? NaN : Number(value);
  if (!Number.isFinite(n)) {
    ctx.issues.push({ code: 'custom', message: `not a number: ${JSON.stringify(String(value).slice(0, 24))}`, input: value });
    return z.NEVER;
  }
  return n;
});

export const sideText = z.enum(['BUY', 'SELL']);

/** Turns a zod error into one line naming the first failing field. */
export function describeZodError(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { field: '', message: 'invalid' };
  const field = formatPath(issue.path);
  return { field, message: `${field || '(root)'}: ${issue.message}` };
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
