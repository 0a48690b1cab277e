// Local asset → provider symbol, in tiers: the series on the venue the rule
// names (resolved), else another listed series for the same coin (aggregated),
// else nothing (neutral — the caller scores it as "no data", never as a
// penalty). The provider's market list is fetched at most once per 24 h and
// may be kept in a JSON file across restarts. The 24 h is the provider's
// courtesy, so it runs on wall time (the file's stamp is wall time too).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { ProviderSymbol, RefProvider } from './provider.js';
import { systemWall, type WallNow } from '../clock.js';

export type Tier = 'resolved' | 'aggregated' | 'neutral';
export interface SymbolChoice {
  symbol: string | null;
  tier: Tier;
}

export const MAP_TTL_MS = 24 * 3_600_000;

const fileSchema = z.object({ provider: z.string(), fetchedAt: z.number(), symbols: z.array(z.object({ symbol: z.string(), base: z.string(), quote: z.string(), venue: z.string() })) });

export class SymbolMap {
  private symbols: ProviderSymbol[] = [];
  private fetchedAt = -Infinity;
  private pending: Promise<void> | undefined;
  /** Network fetches of the market list (for the budget check: ≤ 1 per 24 h). */
  fetches = 0;
  lastError: string | undefined;

  constructor(
    private provider: RefProvider,
    private opts: { wall: WallNow; cacheFile?: string; ttlMs?: number; quotes?: readonly string[] } = { wall: systemWall },
  ) {
    if (opts.cacheFile) this.loadFile(opts.cacheFile);
  }

  get ageMs(): number {
    return this.opts.wall() - this.fetchedAt;
  }

  get size(): number {
    return this.symbols.length;
  }

  /** Refreshes the market list when older than the TTL; one fetch at a time; errors keep the old list. */
  async ensure(): Promise<void> {
    if (this.ageMs < (this.opts.ttlMs ?? MAP_TTL_MS)) return;
    this.pending ??= (async () => {
      this.fetches++;
      const r = await this.provider.listSymbols();
      if (r.ok) {
        this.symbols = r.symbols;
        this.fetchedAt = this.opts.wall();
        this.lastError = undefined;
        if (this.opts.cacheFile) this.saveFile(this.opts.cacheFile);
      } else this.lastError = r.error;
    })().finally(() => (this.pending = undefined));
    await this.pending;
  }

  /** Series for `base` on `venue` (resolved), else an aggregated or other-venue series, else neutral. */
  resolve(base: string, venue?: string): SymbolChoice {
    const quotes = this.opts.quotes ?? ['USDT', 'USD', 'USDC'];
    const b = base.toUpperCase();
    const cands = this.symbols.filter((s) => s.base.toUpperCase() === b && quotes.includes(s.quote.toUpperCase()));
    const rank = (s: ProviderSymbol) => quotes.indexOf(s.quote.toUpperCase());
    const pick = (list: ProviderSymbol[]) => list.sort((x, y) => rank(x) - rank(y))[0];
    const exact = pick(cands.filter((s) => (venue === undefined ? s.venue !== 'aggregated' : s.venue === venue)));
    if (exact) return { symbol: exact.symbol, tier: 'resolved' };
    const agg = pick(cands.filter((s) => s.venue === 'aggregated')) ?? pick(cands);
    if (agg) return { symbol: agg.symbol, tier: 'aggregated' };
    return { symbol: null, tier: 'neutral' };
  }

  private loadFile(path: string): void {
    try {
      const p = fileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      if (p.success && p.data.provider === this.provider.name) {
        this.symbols = p.data.symbols;
        this.fetchedAt = p.data.fetchedAt;
      }
    } catch {
      // Absent or unreadable cache: fetch on first use.
    }
  }

  private saveFile(path: string): void {
    try {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, JSON.stringify({ provider: this.provider.name, fetchedAt: this.fetchedAt, symbols: this.symbols }));
      renameSync(tmp, path);
    } catch (e) {
      this.lastError = `cannot write symbol cache: ${(e as Error).message}`;
    }
  }
}
