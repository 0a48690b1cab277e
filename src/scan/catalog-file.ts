// A saved Gamma /markets dump as scan input: a JSON array of market objects,
// or {markets: [...]} (a keyset page). Each item is decoded alone with
// decodeGammaMarket; a bad item is counted and skipped, never fatal.
import { parseUntrustedJson } from '../protocol/limits.js';
import { readFileSync } from 'node:fs';
import { decodeGammaMarket, type CatalogMarket } from '../protocol/gamma.js';
import { sanitize } from '../text/sanitize.js';

/** The decoded markets, with how many items were rejected and why (first few). */
export type LoadedCatalog = CatalogMarket[] & { rejected: number; errors: string[] };

/** The file cannot be used at all (missing, not JSON, wrong shape): a one-line message for the CLI. */
export class CatalogFileError extends Error {
  override name = 'CatalogFileError';
}

const MAX_ERRORS = 5;

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
  items.forEach((item, i) => {
    const d = decodeGammaMarket(item);
    if (d.ok) out.push(d.value);
    else {
      out.rejected++;
      if (out.errors.length < MAX_ERRORS) out.errors.push(sanitize(`item ${i}: ${d.error.message}`, 200));
    }
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
