// One interface for every reference-data provider. A provider knows its
// market list (cached 24 h by the symbol map), its batch limit, its rate
// budget, and how to fetch one batch of one endpoint in one HTTP call.

/** A listed instrument: `venue` is an exchange code, or 'aggregated' for a cross-venue series. */
export interface ProviderSymbol {
  symbol: string;
  base: string;
  quote: string;
  venue: string;
}

/** One value for one symbol, as the provider stamped it. */
export interface RefValue {
  value: number;
  /** Provider's own timestamp if it sent one, else our receive time (epoch ms). */
  asOf: number;
}

export type FetchOutcome =
  | { ok: true; values: Map<string, RefValue> }
  /** Rate limited: no calls until `retryAfterMs` has passed. */
  | { ok: false; kind: 'rate-limited'; retryAfterMs: number; error: string }
  | { ok: false; kind: 'error'; error: string };

export interface RefProvider {
  readonly name: string;
  /** Most symbols one call may carry. */
  readonly batchLimit: number;
  /** Calls allowed per minute (the provider's published budget, with margin). */
  readonly callsPerMinute: number;
  /** Endpoints this provider serves. */
  readonly endpoints: readonly string[];
  /** Per-endpoint limit where an endpoint cannot batch (e.g. 1 for per-symbol candles). */
  batchLimitFor?(endpoint: string): number;
  /** The provider's market list. */
  listSymbols(): Promise<{ ok: true; symbols: ProviderSymbol[] } | { ok: false; error: string }>;
  /** One HTTP call for ≤ batchLimit symbols of one endpoint. Symbols absent from the answer are simply absent. */
  fetchBatch(endpoint: string, symbols: readonly string[]): Promise<FetchOutcome>;
}
