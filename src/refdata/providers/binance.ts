// Binance public REST (no key). Spot: exchangeInfo for the market list,
// ticker/price?symbols=[…] for a batch of last prices (one invalid symbol
// fails the whole call with code −1121, which is why symbols go through the
// 24 h market list first), klines per symbol for realised volatility.
// USDⓈ-M futures: premiumIndex answers every symbol in one call (mark price,
// last funding rate).
import { z } from 'zod';
import { getJson } from '../http.js';
import { ewmaVol } from '../fair.js';
import type { FetchOutcome, ProviderSymbol, RefProvider, RefValue } from '../provider.js';
import { systemVenue, type VenueNow } from '../../clock.js';

const num = z.union([z.string(), z.number()]).transform((v) => Number(v)).pipe(z.number().finite());
const exchangeInfo = z.object({ symbols: z.array(z.object({ symbol: z.string().max(40), status: z.string().optional(), baseAsset: z.string().max(20), quoteAsset: z.string().max(20), contractType: z.string().optional() })).max(10_000) });
const tickerPrices = z.array(z.object({ symbol: z.string().max(40), price: num })).max(10_000);
const premiumIndex = z.array(z.object({ symbol: z.string().max(40), markPrice: num, lastFundingRate: num.optional(), time: z.number().optional() })).max(10_000);
const klines = z.array(z.array(z.union([z.string(), z.number()])).min(5)).max(1500);

function fail(error: string, _status: number, retryAfterMs?: number): FetchOutcome {
  return retryAfterMs !== undefined ? { ok: false, kind: 'rate-limited', retryAfterMs, error } : { ok: false, kind: 'error', error };
}

export class BinanceSpot implements RefProvider {
  readonly name = 'binance';
  /** Symbols per ticker/price call: Binance sets no count cap, the URL does; 100 keeps it under 2 kB. */
  readonly batchLimit = 100;
  /** 6,000 weight per minute; a batched ticker/price costs 4 and a kline 2: 600 calls leaves a wide margin. */
  readonly callsPerMinute = 600;
  readonly endpoints = ['price', 'rv1m'] as const;
  constructor(
    readonly baseUrl = 'https://api.binance.com',
    private now: VenueNow = systemVenue,
  ) {}

  async listSymbols() {
    const r = await getJson(`${this.baseUrl}/api/v3/exchangeInfo`);
    if (!r.ok) return { ok: false as const, error: `exchangeInfo: ${r.error}` };
    const p = exchangeInfo.safeParse(r.body);
    if (!p.success) return { ok: false as const, error: 'exchangeInfo: unexpected shape' };
    const symbols: ProviderSymbol[] = p.data.symbols.filter((s) => !s.status || s.status === 'TRADING').map((s) => ({ symbol: s.symbol, base: s.baseAsset, quote: s.quoteAsset, venue: 'binance' }));
    return { ok: true as const, symbols };
  }

  async fetchBatch(endpoint: string, symbols: readonly string[]): Promise<FetchOutcome> {
    if (endpoint === 'price') {
      const q = encodeURIComponent(JSON.stringify(symbols));
      const r = await getJson(`${this.baseUrl}/api/v3/ticker/price?symbols=${q}`);
      if (!r.ok) return fail(`ticker/price: ${r.error}`, r.status, r.retryAfterMs);
      const p = tickerPrices.safeParse(r.body);
      if (!p.success) return fail('ticker/price: unexpected shape', r.status);
      const at = this.now();
      return { ok: true, values: new Map(p.data.map((t) => [t.symbol, { value: t.price, asOf: at }])) };
    }
    if (endpoint === 'rv1m') {
      // No batch klines on Binance: one call per symbol (batchLimit for this endpoint is 1).
      const values = new Map<string, RefValue>();
      for (const s of symbols) {
        const r = await getJson(`${this.baseUrl}/api/v3/klines?symbol=${encodeURIComponent(s)}&interval=1m&limit=120`);
        if (!r.ok) return fail(`klines: ${r.error}`, r.status, r.retryAfterMs);
        const p = klines.safeParse(r.body);
        if (!p.success) return fail('klines: unexpected shape', r.status);
        const closes = p.data.map((k) => Number(k[4]));
        const v = ewmaVol(closes, 60_000);
        const last = Number(p.data[p.data.length - 1]?.[0]);
        if (v !== undefined && Number.isFinite(v)) values.set(s, { value: v, asOf: Number.isFinite(last) ? last + 60_000 : this.now() });
      }
      return { ok: true, values };
    }
    return { ok: false, kind: 'error', error: `binance: no endpoint ${endpoint}` };
  }

  batchLimitFor(endpoint: string): number {
    return endpoint === 'rv1m' ? 1 : this.batchLimit;
  }

  /**
   * Open of the 1-minute candle that starts at `startMs` (one klines call,
   * weight 2): the price at a window's start when no spot sample was taken
   * then. Undefined unless the answer holds exactly that minute.
   */
  async openAt(symbol: string, startMs: number): Promise<{ ok: true; price: number | undefined } | { ok: false; error: string; retryAfterMs?: number }> {
    const r = await getJson(`${this.baseUrl}/api/v3/klines?symbol=${encodeURIComponent(symbol)}&interval=1m&startTime=${Math.floor(startMs)}&limit=1`);
    if (!r.ok) return { ok: false, error: `klines: ${r.error}`, ...(r.retryAfterMs !== undefined ? { retryAfterMs: r.retryAfterMs } : {}) };
    const p = klines.safeParse(r.body);
    if (!p.success) return { ok: false, error: 'klines: unexpected shape' };
    const k = p.data[0];
    const open = k && Number(k[0]) === startMs ? Number(k[1]) : NaN;
    return { ok: true, price: Number.isFinite(open) && open > 0 ? open : undefined };
  }
}

export class BinanceFutures implements RefProvider {
  readonly name = 'binance-futures';
  /** premiumIndex without a symbol answers every perpetual in one call. */
  readonly batchLimit = 10_000;
  readonly callsPerMinute = 600;
  readonly endpoints = ['mark', 'funding'] as const;
  constructor(
    readonly baseUrl = 'https://fapi.binance.com',
    private now: VenueNow = systemVenue,
  ) {}

  async listSymbols() {
    const r = await getJson(`${this.baseUrl}/fapi/v1/exchangeInfo`);
    if (!r.ok) return { ok: false as const, error: `fapi exchangeInfo: ${r.error}` };
    const p = exchangeInfo.safeParse(r.body);
    if (!p.success) return { ok: false as const, error: 'fapi exchangeInfo: unexpected shape' };
    return { ok: true as const, symbols: p.data.symbols.filter((s) => (!s.status || s.status === 'TRADING') && (!s.contractType || s.contractType === 'PERPETUAL')).map((s) => ({ symbol: s.symbol, base: s.baseAsset, quote: s.quoteAsset, venue: 'binance' })) };
  }

  async fetchBatch(endpoint: string, symbols: readonly string[]): Promise<FetchOutcome> {
    if (endpoint !== 'mark' && endpoint !== 'funding') return { ok: false, kind: 'error', error: `binance-futures: no endpoint ${endpoint}` };
    const r = await getJson(`${this.baseUrl}/fapi/v1/premiumIndex`);
    if (!r.ok) return fail(`premiumIndex: ${r.error}`, r.status, r.retryAfterMs);
    const p = premiumIndex.safeParse(r.body);
    if (!p.success) return fail('premiumIndex: unexpected shape', r.status);
    const want = new Set(symbols);
    const values = new Map<string, RefValue>();
    for (const row of p.data) {
      if (!want.has(row.symbol)) continue;
      const v = endpoint === 'mark' ? row.markPrice : row.lastFundingRate;
      if (v !== undefined) values.set(row.symbol, { value: v, asOf: row.time ?? this.now() });
    }
    return { ok: true, values };
  }
}
