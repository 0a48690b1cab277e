// DESIGN §3: prices are integers in units of 0.0001 (every Polymarket tick is a
// multiple), sizes are shares, cash is integer micro-dollars. Conversion happens
// here, at the edge, and nowhere else.

/** Price units per 1.0 (one share pays 1.0 = 10_000 units at resolution). */
export const PRICE_SCALE = 10_000;
/** Micro-dollars per dollar. */
export const MICROS = 1_000_000;

const MAX_NUMERIC_TEXT = 32;
/** Plain decimal numerals only: Number() would also take "0x1", "0b1", "0o1". */
const DECIMAL = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^\d+$/;

/**
 * Parses a wire price ("0.512", ".48", "1") into integer units of 0.0001.
 * Returns undefined for anything that is not a finite price in [0, 1] on the
 * 0.0001 grid.
 */
export function parsePrice(text: string): number | undefined {
  if (text.length === 0 || text.length > MAX_NUMERIC_TEXT || !DECIMAL.test(text)) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) return undefined;
  const units = Math.round(value * PRICE_SCALE);
  // Reject prices off the 0.0001 grid instead of silently rounding them.
  if (Math.abs(value * PRICE_SCALE - units) > 1e-6) return undefined;
  return units;
}

/** Parses a non-negative finite decimal (sizes, notional). */
export function parseSize(text: string): number | undefined {
  if (text.length === 0 || text.length > MAX_NUMERIC_TEXT || !DECIMAL.test(text)) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) return undefined;
  return value;
}

/** Parses a millisecond timestamp sent as a string (or, in some captures, a number). */
export function parseMillis(value: string | number): number | undefined {
  const n = typeof value === 'number' ? value : value.length === 0 || value.length > 20 || !INTEGER.test(value) ? NaN : Number(value);
  if (!Number.isSafeInteger(n) || n < 0) return undefined;
  return n;
}

/** Formats price units as a wire price string, shortest form ("0.5", "0.512"). */
export function formatPrice(units: number): string {
  return String(units / PRICE_SCALE);
}

/** Converts price units to a probability in [0, 1]. */
export function unitsToProb(units: number): number {
  return units / PRICE_SCALE;
}

/** Converts a probability to the nearest price unit. */
export function probToUnits(prob: number): number {
  return Math.round(prob * PRICE_SCALE);
}

/** Converts dollars to integer micro-dollars. */
export function toMicros(dollars: number): number {
  return Math.round(dollars * MICROS);
}

/** Converts micro-dollars to dollars. */
export function fromMicros(micros: number): number {
  return micros / MICROS;
}
