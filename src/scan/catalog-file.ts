// A saved Gamma /markets dump as scan input: a JSON array of market objects,
// or {markets: [...]} (a keyset page). Each item is decoded alone; one bad
// field costs only that field (an empty volume, a date in another format, a
// mistyped price): the field is dropped and counted, and the market stays.
// An item is rejected only without an id or a question. A missing conditionId
// is kept as '' (categorising and clustering need only id and question) and
// counted. A UTF-8 byte-order mark before the JSON is ignored.
import { parseUntrustedJson } from '../protocol/limits.js';
import { readFileSync } from 'node:fs';
import { decodeGammaMarket, type CatalogMarket } from '../protocol/gamma.js';
import { sanitize } from '../text/sanitize.js';

/** The decoded markets, with what was lost and why (first few of each). */
export type LoadedCatalog = CatalogMarket[] & {
  /** Items that were not a market at all (no id or question). */
  rejected: number;
  errors: string[];
  /** Fields dropped from otherwise usable markets, by field name. */
  droppedFields: Record<string, number>;
  fieldErrors: string[];
  /** Markets kept without a conditionId (they cannot be traded or deduplicated by condition). */
  noConditionId: number;
};

/** The file cannot be used at all (missing, not JSON, wrong shape): a one-line message for the CLI. */
export class CatalogFileError extends Error {
  override name = 'CatalogFileError';
}

const MAX_ERRORS = 5;
/** A market has a few dozen fields; more retries than this means the object is not a market. */
const MAX_DROPS = 12;

export type DecodedItem = { ok: true; market: CatalogMarket; dropped: string[]; errors: string[]; noConditionId: boolean } | { ok: false; error: string };

/** One dump item: strict decode, then field by field what the strict decode refuses. */
export function decodeItem(item: unknown): DecodedItem {
  const first = decodeGammaMarket(item);
  if (first.ok) return { ok: true, market: first.value, dropped: [], errors: [], noConditionId: false };
  if (!item || typeof item !== 'object' || Array.isArray(item)) return { ok: false, error: first.error.message };
  const copy: Record<string, unknown> = { ...(item as Record<string, unknown>) };
  const id = copy['id'];
  if ((typeof id !== 'string' && typeof id !== 'number') || String(id) === '' || typeof copy['question'] !== 'string') {
    return { ok: false, error: 'gamma market: needs an id and a question' };
  }
  const dropped: string[] = [];
  const errors: string[] = [];
  let noConditionId = false;
  if (typeof copy['conditionId'] !== 'string') {
    copy['conditionId'] = '';
    noConditionId = true;
  }
  let d = decodeGammaMarket(copy);
  for (let k = 0; !d.ok && k < MAX_DROPS; k++) {
    const field = d.error.field.split(/[.[]/)[0] ?? '';
    if (!field || field === 'id' || field === 'question' || !(field in copy)) return { ok: false, error: d.error.message };
    errors.push(d.error.message);
    delete copy[field];
    dropped.push(field);
    d = decodeGammaMarket(copy);
  }
  if (!d.ok) return { ok: false, error: d.error.message };
  return { ok: true, market: d.value, dropped, errors, noConditionId };
}

/** Decodes a parsed dump (array or {markets}); undefined when the shape is neither. */
export function decodeCatalog(value: unknown): LoadedCatalog | undefined {
  const items = Array.isArray(value)
    ? value
    : value && typeof value === 'object' && Array.isArray((value as { markets?: unknown }).markets)
      ? ((value as { markets: unknown[] }).markets)
      : undefined;
  if (!items) return undefined;
  const out = [] as unknown as LoadedCatalog;
  out.rejected = 0;
  out.errors = [];
  out.droppedFields = {};
  out.fieldErrors = [];
  out.noConditionId = 0;
  items.forEach((item, i) => {
    const d = decodeItem(item);
    if (!d.ok) {
      out.rejected++;
      if (out.errors.length < MAX_ERRORS) out.errors.push(sanitize(`item ${i}: ${d.error}`, 200));
      return;
    }
    out.push(d.market);
    if (d.noConditionId) out.noConditionId++;
    for (const f of d.dropped) out.droppedFields[f] = (out.droppedFields[f] ?? 0) + 1;
    for (const e of d.errors) if (out.fieldErrors.length < MAX_ERRORS) out.fieldErrors.push(sanitize(`item ${i}: ${e}`, 200));
  });
  return out;
}

export function loadCatalogFile(path: string): LoadedCatalog {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CatalogFileError(`catalog ${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = parseUntrustedJson(text);
  } catch (e) {
    throw new CatalogFileError(`catalog ${path}: not JSON (${sanitize((e as Error).message, 120)})`);
  }
  const out = decodeCatalog(value);
  if (!out) throw new CatalogFileError(`catalog ${path}: expected a JSON array of markets or {"markets": [...]}`);
  return out;
}

/** The newest timestamp the dump itself holds (updatedAt, closedTime, startDate), for a reproducible "now". */
export function newestTimestamp(markets: readonly CatalogMarket[]): number | undefined {
  let t: number | undefined;
  for (const m of markets) {
    for (const x of [m.updatedAt, m.closedTime, m.startDate]) if (x !== undefined && (t === undefined || x > t)) t = x;
  }
  return t;
}
