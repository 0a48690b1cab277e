// Catalog sync from Gamma: a full sync by keyset pages (falling back to offset
// paging within its 10,000 limit), with progress for the UI. Every market is
// validated at the edge; rejects are counted, never fatal.
import { decodeGammaMarket, keysetMarketsPage, type CatalogMarket } from '../protocol/gamma.js';
import type { RestLike } from './rest-client.js';

export interface SyncProgress {
  phase: 'idle' | 'full' | 'refresh' | 'done' | 'error';
  pages: number;
  fetched: number;
  rejected: number;
  /** Human-readable reason when phase is 'error'. */
  error?: string;
  mode?: 'keyset' | 'offset';
}

const PAGE = 100;
const MAX_OFFSET = 10_000;

export class CatalogSync {
  readonly markets = new Map<string, CatalogMarket>();
  progress: SyncProgress = { phase: 'idle', pages: 0, fetched: 0, rejected: 0 };
  lastRejection = '';
  /** Newest `updatedAt` seen; incremental refreshes fetch only what changed after it. */
  watermark = 0;
  refreshes = 0;

  constructor(
    private readonly rest: RestLike,
    private readonly gammaUrl: string,
    private readonly onPage?: (markets: CatalogMarket[]) => void,
  ) {}

  /** Pulls every open market. Returns false (with progress.error) if the host cannot be reached. */
  async fullSync(maxMarkets = Infinity): Promise<boolean> {
    this.progress = { phase: 'full', pages: 0, fetched: 0, rejected: 0, mode: 'keyset' };
    const keyset = await this.keysetPages(maxMarkets);
    if (keyset === 'unsupported') {
      this.progress.mode = 'offset';
      if (!(await this.offsetPages(maxMarkets))) return false;
    } else if (!keyset) return false;
    this.progress.phase = 'done';
    return true;
  }

  private async keysetPages(maxMarkets: number): Promise<boolean | 'unsupported'> {
    let cursor: string | undefined;
    for (;;) {
      const url = `${this.gammaUrl}/markets/keyset?limit=${PAGE}&closed=false${cursor ? `&after_cursor=${encodeURIComponent(cursor)}` : ''}`;
      const r = await this.rest.getJson(url, 'gamma /markets');
      if (!r.ok) {
        if (r.status === 404 && this.progress.pages === 0) return 'unsupported';
        return this.fail(r.error);
      }
      const page = keysetMarketsPage.safeParse(r.body);
      if (!page.success) return this.fail('gamma /markets/keyset: unexpected response shape');
      this.take(page.data.markets);
      cursor = page.data.next_cursor ?? undefined;
      if (!cursor || this.markets.size >= maxMarkets) return true;
    }
  }

  private async offsetPages(maxMarkets: number): Promise<boolean> {
    for (let offset = 0; offset <= MAX_OFFSET; offset += PAGE) {
      const r = await this.rest.getJson(`${this.gammaUrl}/markets?limit=${PAGE}&offset=${offset}&closed=false`, 'gamma /markets');
      if (!r.ok) return this.fail(r.error);
      if (!Array.isArray(r.body)) return this.fail('gamma /markets: expected an array');
      this.take(r.body);
      if (r.body.length < PAGE || this.markets.size >= maxMarkets) return true;
    }
    // The venue refuses offsets past 10,000; the rest needs keyset paging.
    return true;
  }

  /**
   * Incremental refresh: markets created or closed since the watermark, newest
   * first, a few pages at most. Returns the changed markets (empty on error).
   */
  async refresh(maxPages = 5): Promise<CatalogMarket[]> {
    const since = this.watermark;
    const changed: CatalogMarket[] = [];
    for (const closed of [false, true]) {
      for (let page = 0; page < maxPages; page++) {
        const url = `${this.gammaUrl}/markets?limit=${PAGE}&offset=${page * PAGE}&closed=${closed}&order=updatedAt&ascending=false`;
        const r = await this.rest.getJson(url, 'gamma /markets');
        if (!r.ok || !Array.isArray(r.body)) return changed;
        const fresh = this.take(r.body, (m) => (m.updatedAt ?? 0) > since);
        changed.push(...fresh);
        if (fresh.length < r.body.length || r.body.length < PAGE) break;
      }
    }
    this.refreshes++;
    return changed;
  }

  /** Fetches specific markets by id (new_market / market_resolved events). */
  async fetchIds(ids: string[]): Promise<CatalogMarket[]> {
    const out: CatalogMarket[] = [];
    for (let i = 0; i < ids.length; i += 50) {
      const q = ids.slice(i, i + 50).map((id) => `id=${encodeURIComponent(id)}`).join('&');
      const r = await this.rest.getJson(`${this.gammaUrl}/markets?${q}&limit=${PAGE}`, 'gamma /markets');
      if (r.ok && Array.isArray(r.body)) out.push(...this.take(r.body));
    }
    return out;
  }

  private take(items: unknown[], keep: (m: CatalogMarket) => boolean = () => true): CatalogMarket[] {
    const good: CatalogMarket[] = [];
    for (const item of items) {
      const d = decodeGammaMarket(item);
      if (d.ok) {
        if (!keep(d.value)) continue;
        this.markets.set(d.value.id, d.value);
        if ((d.value.updatedAt ?? 0) > this.watermark) this.watermark = d.value.updatedAt!;
        good.push(d.value);
      } else {
        this.progress.rejected++;
        this.lastRejection = d.error.message;
      }
    }
    this.progress.pages++;
    this.progress.fetched += items.length;
    this.onPage?.(good);
    return good;
  }

  private fail(error: string): false {
    this.progress.phase = 'error';
    this.progress.error = error;
    return false;
  }
}
