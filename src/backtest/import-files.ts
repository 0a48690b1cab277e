// Importing resolved markets from files in the venue's own formats
// (research/polymarket-protocol.md §2–3):
//
// markets: a Gamma /markets page (JSON array of market objects), one market
//   object, a keyset page {markets: [...]}, a /events page (events with nested
//   `markets`), or JSON lines of any of those.
// history: a directory (every *.json / *.jsonl inside) or a list of files.
//   A file named after a token id (or market id, conditionId or slug) holds
//   that market's GET /prices-history answer {"history":[{t,p}]}; a file may
//   instead map ids to series: {"<token>": {history:[…]}} or {"<token>": […]},
//   or carry POST /batch-prices-history's {"history": {"<token>": […]}}.
//
// Every market that cannot be used is counted by reason (ResolveReject, plus
// 'schema' for undecodable objects); so are history files that match nothing.
import { parseUntrustedJson } from '../protocol/limits.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { decodePricesHistory, type HistoryPoint } from '../protocol/clob.js';
import { decodeGammaEvent, decodeGammaMarket, type CatalogMarket } from '../protocol/gamma.js';
import { defaultTaxonomy, type Taxonomy } from '../scan/taxonomy.js';
import { count, resolvedFromGamma } from './resolved.js';
import type { LoadResult, RejectCounts } from './types.js';

export interface ImportSpec {
  /** One file, or several. */
  markets: string | string[];
  /** A directory, one file, or a list of files. */
  history: string | string[];
}

export interface ImportResult extends LoadResult {
  /** Counts of what was read. */
  read: { marketFiles: number; marketObjects: number; historyFiles: number; series: number };
}

export function importFiles(spec: ImportSpec, taxonomy: Taxonomy = defaultTaxonomy()): ImportResult {
  const rejects: RejectCounts = {};
  const read = { marketFiles: 0, marketObjects: 0, historyFiles: 0, series: 0 };
  const catalog: CatalogMarket[] = [];
  for (const file of list(spec.markets)) {
    read.marketFiles++;
    for (const value of readJsonValues(file, rejects)) {
      for (const raw of flattenMarkets(value)) {
        read.marketObjects++;
        if (isEvent(raw)) {
          const ev = decodeGammaEvent(raw);
          if (!ev.ok) {
            count(rejects, 'schema');
            continue;
          }
          if (ev.marketErrors) count(rejects, 'schema', ev.marketErrors);
          catalog.push(...ev.value.markets);
          continue;
        }
        const m = decodeGammaMarket(raw);
        if (m.ok) catalog.push(m.value);
        else count(rejects, 'schema');
      }
    }
  }
  const series = new Map<string, HistoryPoint[]>();
  for (const file of historyFiles(spec.history)) {
    read.historyFiles++;
    const stem = basename(file, extname(file));
    for (const value of readJsonValues(file, rejects)) {
      for (const [key, points] of seriesIn(value, stem, rejects)) {
        read.series++;
        const prev = series.get(key);
        series.set(key, prev ? prev.concat(points) : points);
      }
    }
  }
  const used = new Set<string>();
  const markets = [];
  const seen = new Set<string>();
  for (const m of catalog) {
    if (seen.has(m.id)) {
      count(rejects, 'duplicate market');
      continue;
    }
    seen.add(m.id);
    // The YES token's series first, then the NO token's (mirrored), then one keyed by the market itself.
    let key: string | undefined;
    let token: string | undefined;
    for (const k of [m.tokenIds[0], m.tokenIds[1], m.id, m.conditionId, m.slug]) {
      if (k && series.has(k)) {
        key = k;
        token = k === m.tokenIds[0] || k === m.tokenIds[1] ? k : m.tokenIds[0];
        break;
      }
    }
    const r = resolvedFromGamma(m, key ? series.get(key)! : [], token, taxonomy, 'files');
    if (typeof r === 'string') count(rejects, r);
    else markets.push(r);
    if (key) used.add(key);
  }
  const unused = [...series.keys()].filter((k) => !used.has(k)).length;
  if (unused) count(rejects, 'history matching no market', unused);
  return { markets, rejects, read };
}

function list(x: string | string[]): string[] {
  return Array.isArray(x) ? x : [x];
}

function historyFiles(x: string | string[]): string[] {
  const out: string[] = [];
  for (const p of list(x)) {
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) if (/\.jsonl?$/i.test(f)) out.push(join(p, f));
    } else out.push(p);
  }
  return out;
}

/** One JSON document, or JSON lines; unreadable text is counted, not thrown. */
function readJsonValues(file: string, rejects: RejectCounts): unknown[] {
  const text = readFileSync(file, 'utf8');
  try {
    return [parseUntrustedJson(text)];
  } catch {
    const out: unknown[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(parseUntrustedJson(line));
      } catch {
        count(rejects, 'unreadable JSON');
      }
    }
    return out;
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isEvent(x: unknown): boolean {
  return isObject(x) && Array.isArray(x['markets']) && typeof x['title'] === 'string' && !('question' in x);
}

function flattenMarkets(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isObject(value) && Array.isArray(value['markets']) && !('title' in value)) return value['markets'] as unknown[];
  if (isObject(value) && Array.isArray(value['data'])) return value['data'] as unknown[];
  return [value];
}

/** The series a history document holds, keyed by id. */
function seriesIn(value: unknown, stem: string, rejects: RejectCounts): [string, HistoryPoint[]][] {
  if (isObject(value) && Array.isArray(value['history'])) {
    const d = decodePricesHistory(value);
    if (!d.ok) {
      count(rejects, 'history schema');
      return [];
    }
    return [[stem, d.value]];
  }
  const map = isObject(value) && isObject(value['history']) ? value['history'] : value;
  if (!isObject(map)) {
    count(rejects, 'history schema');
    return [];
  }
  const out: [string, HistoryPoint[]][] = [];
  for (const [key, v] of Object.entries(map)) {
    const d = decodePricesHistory(Array.isArray(v) ? { history: v } : v);
    if (d.ok) out.push([key, d.value]);
    else count(rejects, 'history schema');
  }
  return out;
}
