// Catalog sync from Gamma: a full sync by keyset pages (falling back to offset
// paging within its 10,000 limit), with progress for the UI. Every market is
// validated at the edge; rejects are counted, never fatal.
import { decodeGammaMarket, keysetMarketsPage, type CatalogMarket } from '../protocol/gamma.js';
import type { RestLike } from './rest-client.js';
import type { Decoded } from '../protocol/errors.js';
import { deepFreeze } from '../frozen.js';

export interface SyncProgress {
  phase: 'idle' | 'full' | 'refresh' | 'done' | 'error';
  pages: number;
  fetched: number;
  rejected: number;
  /** Human-readable reason when phase is 'error'. */
  error?: string;
  /** Why paging stopped early (repeated cursor, empty page, the ceiling). */
  warning?: string;
  mode?: 'keyset' | 'offset';
}

const PAGE = 100;
const MAX_OFFSET = 10_000;
/** Default ceiling: well above Polymarket's ~50k active markets. */
export const DEFAULT_MARKET_CEILING = 80_000;

export class CatalogSync {
  readonly markets = new Map<string, CatalogMarket>();
  progress: SyncProgress = { phase: 'idle', pages: 0, fetched: 0, rejected: 0 };
  lastRejection = '';
  /** Newest `updatedAt` seen; incremental refreshes fetch only what changed after it. */
  watermark = 0;
  refreshes = 0;
  /** The watermark when the first full sync ended: what was already over by then is history. */
  private snapshotAt = 0;
  /** Ids taken during the current full sync (a page of only known ids ends paging). */
  private syncSeen = new Set<string>();

  constructor(
    private readonly rest: RestLike,
    private readonly gammaUrl: string,
    private readonly onPage?: (markets: CatalogMarket[]) => void,
    /** Most markets held; paging stops there with a warning. */
    readonly ceiling = DEFAULT_MARKET_CEILING,
  ) {}

  /** Pulls every open market. Returns false (with progress.error) if the host cannot be reached. */
  async fullSync(maxMarkets = Infinity): Promise<boolean> {
    this.progress = { phase: 'full', pages: 0, fetched: 0, rejected: 0, mode: 'keyset' };
    maxMarkets = Math.min(maxMarkets, this.ceiling);
    this.syncSeen = new Set();
    const keyset = await this.keysetPages(maxMarkets);
    if (keyset === 'unsupported') {
      this.progress.mode = 'offset';
      if (!(await this.offsetPages(maxMarkets))) return false;
    } else if (!keyset) return false;
    this.progress.phase = 'done';
    if (!this.snapshotAt) this.snapshotAt = this.watermark;
    return true;
  }

  private async keysetPages(maxMarkets: number): Promise<boolean | 'unsupported'> {
    let cursor: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const url = `${this.gammaUrl}/markets/keyset?limit=${PAGE}&closed=false${cursor ? `&after_cursor=${encodeURIComponent(cursor)}` : ''}`;
      const r = await this.rest.getJson(url, 'gamma /markets');
      if (!r.ok) {
        if (r.status === 404 && this.progress.pages === 0) return 'unsupported';
        return this.fail(r.error);
      }
      const page = keysetMarketsPage.safeParse(r.body);
      if (!page.success) return this.fail('gamma /markets/keyset: unexpected response shape');
      const before = this.syncSeen.size;
      this.take(page.data.markets);
      cursor = page.data.next_cursor ?? undefined;
      if (!cursor) return true;
      if (this.atCeiling(maxMarkets)) return true;
      // A venue that never ends the cursor must not page forever.
      if (seen.has(cursor)) return this.stopEarly(`catalog paging stopped: the venue repeated a cursor after ${this.markets.size.toLocaleString('en-US')} markets`);
      if (this.syncSeen.size === before) return this.stopEarly(`catalog paging stopped: a page added no new markets after ${this.markets.size.toLocaleString('en-US')}`);
      seen.add(cursor.length > 512 ? cursor.slice(0, 512) : cursor);
    }
  }

  private async offsetPages(maxMarkets: number): Promise<boolean> {
    for (let offset = 0; offset <= MAX_OFFSET; offset += PAGE) {
      const r = await this.rest.getJson(`${this.gammaUrl}/markets?limit=${PAGE}&offset=${offset}&closed=false`, 'gamma /markets');
      if (!r.ok) return this.fail(r.error);
      if (!Array.isArray(r.body)) return this.fail('gamma /markets: expected an array');
      const before = this.syncSeen.size;
      this.take(r.body);
      if (r.body.length < PAGE || this.atCeiling(maxMarkets)) return true;
      if (this.syncSeen.size === before) return this.stopEarly(`catalog paging stopped: a page added no new markets after ${this.markets.size.toLocaleString('en-US')}`);
    }
    // The venue refuses offsets past 10,000; the rest needs keyset paging.
    return true;
  }

  /**
   * Incremental refresh: markets created, or closed among those held, since the
   * watermark, newest first, a few pages at most. Returns the changed markets (empty on error).
   */
  async refresh(maxPages = 5): Promise<CatalogMarket[]> {
    const since = this.watermark;
    const changed: CatalogMarket[] = [];
    for (const closed of [false, true]) {
      for (let page = 0; page < maxPages; page++) {
        const url = `${this.gammaUrl}/markets?limit=${PAGE}&offset=${page * PAGE}&closed=${closed}&order=updatedAt&ascending=false`;
        const r = await this.rest.getJson(url, 'gamma /markets');
        if (!r.ok || !Array.isArray(r.body)) return changed;
        // Newest first: a page that reaches records older than the watermark is the last one.
        // A closed market the catalog never held is taken only if it started after the
        // first full sync (opened and closed between refreshes); one that closed
        // before it (history, not the live catalog) is not.
        let newer = 0;
        const fresh = this.take(r.body, (m) => {
          if ((m.updatedAt ?? 0) <= since) return false;
          newer++;
          return !closed || this.markets.has(m.id) || (m.startDate ?? 0) > this.snapshotAt;
        });
        changed.push(...fresh);
        if (newer < r.body.length || r.body.length < PAGE) break;
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
    const memo = this.rest.decodedMarkets;
    for (const item of items) {
      const d = memo !== undefined && typeof item === 'object' && item !== null ? decodeOnce(memo, item) : decodeGammaMarket(item);
      if (d.ok) {
        if (!keep(d.value)) continue;
        if (this.markets.size >= this.ceiling && !this.markets.has(d.value.id)) continue;
        this.markets.set(d.value.id, d.value);
        this.syncSeen.add(d.value.id);
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

  private atCeiling(maxMarkets: number): boolean {
    if (this.markets.size < maxMarkets) return false;
    if (maxMarkets >= this.ceiling) this.progress.warning = `catalog stopped at the ceiling of ${this.ceiling.toLocaleString('en-US')} markets (--market-ceiling); the rest are not tracked`;
    return true;
  }

  private stopEarly(warning: string): true {
    this.progress.warning = warning;
    return true;
  }

  private fail(error: string): false {
    this.progress.phase = 'error';
    this.progress.error = error;
    return false;
  }
}

/** A market decoded once per answer object, frozen: the next replay is served the very same market. */
function decodeOnce(memo: WeakMap<object, Decoded<CatalogMarket>>, item: object): Decoded<CatalogMarket> {
  let d = memo.get(item);
  if (d === undefined) memo.set(item, (d = deepFreeze(decodeGammaMarket(item))));
  return d;
}
