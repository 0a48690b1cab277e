// Deribit public API (no key): DVOL, the 30-day at-the-money implied
// volatility index, for the currencies Deribit lists options on (BTC, ETH).
// One call per currency: get_volatility_index_data answers candles of the
// index; the last close is the value (in percent on the live venue).
import { z } from 'zod';
import { getJson } from '../http.js';
import type { FetchOutcome, ProviderSymbol, RefProvider, RefValue } from '../provider.js';
import { systemVenue, type VenueNow } from '../../clock.js';
import { deepFreeze } from '../../frozen.js';

const reply = z.object({ result: z.object({ data: z.array(z.array(z.number()).min(5)).max(5_000) }) });

export const DVOL_CURRENCIES = deepFreeze(['BTC', 'ETH'] as const);

export class DeribitDvol implements RefProvider {
  readonly name = 'deribit';
  readonly batchLimit = 1;
  /** Deribit's public credit budget allows ~20 requests/s; a few per minute is all this needs. */
  readonly callsPerMinute = 60;
  readonly endpoints = ['dvol'] as const;
  constructor(
    readonly baseUrl = 'https://www.deribit.com/api/v2',
    private now: VenueNow = systemVenue,
  ) {}

  async listSymbols() {
    const symbols: ProviderSymbol[] = DVOL_CURRENCIES.map((c) => ({ symbol: c, base: c, quote: 'USD', venue: 'deribit' }));
    return { ok: true as const, symbols };
  }

  async fetchBatch(endpoint: string, symbols: readonly string[]): Promise<FetchOutcome> {
    if (endpoint !== 'dvol') return { ok: false, kind: 'error', error: `deribit: no endpoint ${endpoint}` };
    const values = new Map<string, RefValue>();
    for (const c of symbols) {
      const end = this.now();
      const r = await getJson(`${this.baseUrl}/public/get_volatility_index_data?currency=${encodeURIComponent(c)}&start_timestamp=${end - 3_600_000}&end_timestamp=${end}&resolution=60`);
      if (!r.ok) return r.retryAfterMs !== undefined ? { ok: false, kind: 'rate-limited', retryAfterMs: r.retryAfterMs, error: `dvol: ${r.error}` } : { ok: false, kind: 'error', error: `dvol: ${r.error}` };
      const p = reply.safeParse(r.body);
      if (!p.success) return { ok: false, kind: 'error', error: 'dvol: unexpected shape' };
      const last = p.data.result.data.reduce<number[] | undefined>((a, row) => (!a || row[0]! > a[0]! ? row : a), undefined);
      if (!last) continue;
      // DVOL is quoted in percent (e.g. 52.3); a fraction would be below 3.
      const close = last[4]!;
      const v = close > 3 ? close / 100 : close;
      if (v > 0 && v < 5) values.set(c, { value: v, asOf: last[0]! });
    }
    return { ok: true, values };
  }
}
