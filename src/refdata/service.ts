// One refresh of reference data for the mapped crypto markets: resolve each
// coin to a provider symbol (tiered), read spot and realised volatility in
// batches through the caches, and price every rule. Every row says where its
// numbers came from (provider, symbol, tier, age) so the screen can show it,
// and a row without fresh inputs is NEUTRAL. Up/down windows need the price at
// the window start: the service keeps the spot samples it has seen and uses
// the first one taken within a few seconds of the start, else stays neutral.
// A sample taken after the start is provisional: the caller may add the
// candle open at the start itself, which then takes its place.
import { RefBatcher, type Read } from './batcher.js';
import { fairValue, pickVol, DEFAULT_LIMITS, type FairLimits, type FairValue, type MarketInputs } from './fair.js';
import type { RefProvider } from './provider.js';
import type { MappedRule } from './resolve.js';
import { SymbolMap, type Tier } from './symbols.js';
import { systemClock, type Clock, type VenueNow } from '../clock.js';

export interface RuleRow {
  marketId: string;
  rule: MappedRule;
}

export interface FairRow {
  marketId: string;
  asset: string;
  kind: MappedRule['kind'];
  /** Provider and symbol the spot came from; tier says whether that is the series the rule names. */
  provider: string;
  symbol: string | null;
  tier: Tier;
  spotAgeMs: number | null;
  fair: FairValue;
}

export interface RefreshStats {
  symbols: number;
  /** HTTP calls this refresh made, per endpoint. */
  calls: Record<string, number>;
  neutral: number;
  priced: number;
}

export interface RefDataServiceOptions {
  /** Venue time prices the rules and ages the inputs; wall time paces the provider (cache lifetimes, budget). */
  clock?: Clock;
  /** Spot cache lifetime, wall ms (default 2 s: prices move; everything else keeps 15 min). */
  spotTtlMs?: number;
  volTtlMs?: number;
  limits?: FairLimits;
  mapCacheFile?: string;
  /** How close to a window start a spot sample must be to serve as its start price. */
  startToleranceMs?: number;
  /** Implied-volatility provider (Deribit DVOL); realised volatility is used where it has nothing. */
  implied?: RefProvider;
}

const SAMPLE_KEEP_MS = 6 * 3_600_000;

export class RefDataService {
  readonly map: SymbolMap;
  readonly batcher: RefBatcher;
  readonly impliedBatcher: RefBatcher | undefined;
  private now: VenueNow;
  private samples = new Map<string, Array<[number, number]>>();

  constructor(
    readonly provider: RefProvider,
    private opts: RefDataServiceOptions = {},
  ) {
    const clock = opts.clock ?? systemClock();
    this.now = clock.venue;
    const limits = opts.limits ?? DEFAULT_LIMITS;
    this.map = new SymbolMap(provider, { wall: clock.wall, ...(opts.mapCacheFile ? { cacheFile: opts.mapCacheFile } : {}) });
    // A value read again once half the age the pricing accepts has passed on the venue clock, so a
    // fast simulated venue never prices from a cached input it would call stale.
    this.batcher = new RefBatcher(provider, { clock, ttlMs: { price: opts.spotTtlMs ?? 2_000, rv1m: opts.volTtlMs ?? 15 * 60_000 }, staleMs: { price: limits.maxSpotAgeMs / 2, rv1m: limits.maxVolAgeMs / 2 } });
    this.impliedBatcher = opts.implied ? new RefBatcher(opts.implied, { clock, ttlMs: { dvol: 5 * 60_000 }, staleMs: { dvol: limits.maxVolAgeMs / 2 } }) : undefined;
  }

  async refresh(rows: readonly RuleRow[]): Promise<{ rows: FairRow[]; stats: RefreshStats }> {
    const before = { ...this.batcher.stats.calls };
    await this.map.ensure();
    const choice = new Map<string, { symbol: string | null; tier: Tier }>();
    for (const r of rows) {
      if (choice.has(r.rule.asset)) continue;
      const c = this.map.resolve(r.rule.asset);
      choice.set(r.rule.asset, c);
    }
    const symbols = [...new Set([...choice.values()].map((c) => c.symbol).filter((s): s is string => s !== null))];
    const assets = [...choice.keys()];
    const ivBefore = { ...(this.impliedBatcher?.stats.calls ?? {}) };
    const [spot, vol, iv] = await Promise.all([this.batcher.get('price', symbols), this.batcher.get('rv1m', symbols), this.impliedBatcher ? this.impliedBatcher.get('dvol', assets.filter((a) => a === 'BTC' || a === 'ETH')) : Promise.resolve(new Map<string, Read>())]);
    const now = this.now();
    for (const [sym, r] of spot) if (r.status === 'ok') this.record(sym, r.asOf, r.value, now);
    const out: FairRow[] = [];
    let neutral = 0;
    for (const r of rows) {
      const c = choice.get(r.rule.asset)!;
      // A price from a venue other than the one the rule reads (e.g. Binance for a Chainlink window) is a proxy.
      const tier: Tier = c.tier === 'resolved' && r.rule.source !== this.provider.name ? 'aggregated' : c.tier;
      const s = c.symbol ? spot.get(c.symbol) : undefined;
      const v = c.symbol ? vol.get(c.symbol) : undefined;
      const inputs: MarketInputs = {};
      if (s?.status === 'ok') inputs.spot = { value: s.value, source: `${this.provider.name} ${c.symbol}`, tier, ageMs: Math.max(0, now - s.asOf) };
      const realised = v?.status === 'ok' ? { value: v.value, kind: 'realised' as const, source: `${this.provider.name} ${c.symbol} 1m EWMA`, ageMs: Math.max(0, now - v.asOf) } : undefined;
      const i = iv.get(r.rule.asset);
      const implied = i?.status === 'ok' ? { value: i.value, kind: 'implied' as const, source: `${this.opts.implied!.name} DVOL ${r.rule.asset}`, ageMs: Math.max(0, now - i.asOf) } : undefined;
      const chosen = pickVol(implied, realised, (this.opts.limits ?? DEFAULT_LIMITS).maxVolAgeMs);
      if (chosen) inputs.vol = chosen;
      if (r.rule.kind === 'updown' && r.rule.windowStart !== null && c.symbol) {
        const sp = this.startPrice(c.symbol, r.rule.windowStart);
        if (sp !== undefined) inputs.startPrice = sp;
      }
      const fair = fairValue(r.rule, inputs, now, this.opts.limits ?? DEFAULT_LIMITS);
      if (fair.status === 'neutral') neutral++;
      out.push({ marketId: r.marketId, asset: r.rule.asset, kind: r.rule.kind, provider: this.provider.name, symbol: c.symbol, tier: s?.status === 'ok' ? tier : 'neutral', spotAgeMs: s?.status === 'ok' ? Math.max(0, now - s.asOf) : null, fair });
    }
    const calls: Record<string, number> = {};
    for (const [k, n] of Object.entries(this.batcher.stats.calls)) if (n - (before[k] ?? 0) > 0) calls[k] = n - (before[k] ?? 0);
    for (const [k, n] of Object.entries(this.impliedBatcher?.stats.calls ?? {})) if (n - (ivBefore[k] ?? 0) > 0) calls[k] = n - (ivBefore[k] ?? 0);
    return { rows: out, stats: { symbols: symbols.length, calls, neutral, priced: out.length - neutral } };
  }

  private record(symbol: string, t: number, price: number, now: number): void {
    let s = this.samples.get(symbol);
    if (!s) this.samples.set(symbol, (s = []));
    if (s.length === 0 || s[s.length - 1]![0] < t) s.push([t, price]);
    while (s.length > 0 && s[0]![0] < now - SAMPLE_KEEP_MS) s.shift();
  }

  /**
   * A price observed at instant `t` by other means (the provider's candle open
   * at a window start), kept in time order beside the refresh samples.
   */
  addSample(symbol: string, t: number, price: number): void {
    if (!(price > 0) || !Number.isFinite(t)) return;
    let s = this.samples.get(symbol);
    if (!s) this.samples.set(symbol, (s = []));
    const i = s.findIndex(([x]) => x >= t);
    if (i < 0) s.push([t, price]);
    else if (s[i]![0] !== t) s.splice(i, 0, [t, price]);
  }

  /** Whether a sample sits exactly at the start (a candle open there), so no provisional one stands in for it. */
  hasExactStart(symbol: string, startMs: number): boolean {
    return this.samples.get(symbol)?.some(([t]) => t === startMs) ?? false;
  }

  /** First sample at or after the start, if it is within the tolerance. */
  startPrice(symbol: string, startMs: number): number | undefined {
    const s = this.samples.get(symbol);
    if (!s) return undefined;
    const tol = this.opts.startToleranceMs ?? 5_000;
    const hit = s.find(([t]) => t >= startMs);
    return hit && hit[0] - startMs <= tol ? hit[1] : undefined;
  }
}

export type { Read };
