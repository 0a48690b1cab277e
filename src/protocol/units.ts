// DESIGN §3: prices are integers in units of 0.0001 (every Polymarket tick is a
// multiple), sizes are shares, cash is integer micro-dollars. Conversion happens
// here, at the edge, and nowhere else.

/** Price units per 1.0 (one share pays 1.0 = 10_000 units at resolution). */
export const PRICE_SCALE = 10_000;
/** Micro-dollars per dollar. */
export const MICROS = 1_000_000;

const MAX_NUMERIC_TEXT = 32;

/**
 * Parses a wire price ("0.512", ".48", "1") into integer units of 0.0001.
 * Returns undefined for anything that is not a plain decimal in [0, 1] on the
 * 0.0001 grid. A character scan: this runs once per level on the hot path.
 */
export function parsePrice(text: string): number | undefined {
  const n = text.length;
  if (n === 0 || n > MAX_NUMERIC_TEXT) return undefined;
  let i = 0;
  let whole = 0;
  let digits = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    whole = whole * 10 + (c - 48);
    if (whole > 1) return undefined;
    digits++;
  }
  let frac = 0;
  if (i < n) {
    if (text.charCodeAt(i) !== 46) return undefined; // '.'
    i++;
    let place = 1000;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
      digits++;
      if (place >= 1) {
        frac += (c - 48) * place;
        place /= 10;
      } else if (c !== 48) return undefined; // off the 0.0001 grid
    }
  }
  if (digits === 0) return undefined;
  const units = whole * PRICE_SCALE + frac;
  return units <= PRICE_SCALE ? units : undefined;
}

/** True when text is a plain non-negative decimal ("12", "12.5", ".5", "12."). */
function isPlainDecimal(text: string): boolean {
  const n = text.length;
  let digits = 0;
  let dot = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !dot) dot = true;
    else return false;
  }
  return digits > 0;
}

/** Parses a non-negative finite plain decimal (sizes, notional). */
export function parseSize(text: string): number | undefined {
  if (text.length === 0 || text.length > MAX_NUMERIC_TEXT || !isPlainDecimal(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Parses a millisecond timestamp sent as a string (or, in some captures, a number). */
export function parseMillis(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  const n = value.length;
  if (n === 0 || n > 16) return undefined;
  let ms = 0;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    ms = ms * 10 + (c - 48);
  }
  return ms <= Number.MAX_SAFE_INTEGER ? ms : undefined;
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
