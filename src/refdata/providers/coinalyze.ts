// Coinalyze (key in header `api_key`): perpetual market list, and funding
// rate / open interest for up to 20 symbols per call, 40 calls per minute per
// key. Symbols carry the venue after the dot (BTCUSDT_PERP.A is Binance).
import { z } from 'zod';
import { getJson } from '../http.js';
import type { FetchOutcome, ProviderSymbol, RefProvider, RefValue } from '../provider.js';
import { Secret } from '../../alerts/secret.js';
import { systemVenue, type VenueNow } from '../../clock.js';

const markets = z.array(z.object({ symbol: z.string().max(60), exchange: z.string().max(8), base_asset: z.string().max(20), quote_asset: z.string().max(20), is_perpetual: z.boolean().optional() })).max(20_000);
const rows = z.array(z.object({ symbol: z.string().max(60), value: z.number().finite(), update: z.number().optional() })).max(1_000);

const ENDPOINT_PATH: Record<string, string> = { funding: 'funding-rate', oi: 'open-interest', 'predicted-funding': 'predicted-funding-rate' };

export class Coinalyze implements RefProvider {
  readonly name = 'coinalyze';
  readonly batchLimit = 20;
  /** 40 per minute per key; keep two in hand. */
  readonly callsPerMinute = 38;
  readonly endpoints = ['funding', 'oi', 'predicted-funding'] as const;
  /** Held as a Secret: the provider object prints, logs and serialises without it. */
  private readonly apiKey: Secret;
  constructor(
    apiKey: string | Secret,
    readonly baseUrl = 'https://api.coinalyze.net/v1',
    private now: VenueNow = systemVenue,
  ) {
    this.apiKey = typeof apiKey === 'string' ? new Secret(apiKey) : apiKey;
  }

  private headers() {
    return { api_key: this.apiKey.reveal() };
  }

  async listSymbols() {
    const r = await getJson(`${this.baseUrl}/future-markets`, { headers: this.headers() });
    if (!r.ok) return { ok: false as const, error: `future-markets: ${r.error}` };
    const p = markets.safeParse(r.body);
    if (!p.success) return { ok: false as const, error: 'future-markets: unexpected shape' };
    const symbols: ProviderSymbol[] = p.data.filter((m) => m.is_perpetual !== false).map((m) => ({ symbol: m.symbol, base: m.base_asset, quote: m.quote_asset, venue: m.exchange }));
    return { ok: true as const, symbols };
  }

  async fetchBatch(endpoint: string, symbols: readonly string[]): Promise<FetchOutcome> {
    const path = ENDPOINT_PATH[endpoint];
    if (!path) return { ok: false, kind: 'error', error: `coinalyze: no endpoint ${endpoint}` };
    if (symbols.length > this.batchLimit) return { ok: false, kind: 'error', error: `coinalyze: ${symbols.length} symbols over ${this.batchLimit}` };
    const r = await getJson(`${this.baseUrl}/${path}?symbols=${symbols.map(encodeURIComponent).join(',')}`, { headers: this.headers() });
    if (!r.ok) return r.retryAfterMs !== undefined ? { ok: false, kind: 'rate-limited', retryAfterMs: r.retryAfterMs, error: `${path}: ${r.error}` } : { ok: false, kind: 'error', error: `${path}: ${r.error}` };
    const p = rows.safeParse(r.body);
    if (!p.success) return { ok: false, kind: 'error', error: `${path}: unexpected shape` };
    const values = new Map<string, RefValue>();
    for (const row of p.data) values.set(row.symbol, { value: row.value, asOf: row.update ?? this.now() });
    return { ok: true, values };
  }
}
