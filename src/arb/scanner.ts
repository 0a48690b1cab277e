// The arbitrage scanner: build the baskets once per catalog change (rebalancing
// per market and event, plus the constraint graph's relations), scan them all
// against live books, and re-check only the baskets a changed token touches.
// Time is always passed in.
import type { CatalogMarket } from '../protocol/gamma.js';
import type { Basket, Reject } from './baskets.js';
import { BasketTable, type TokenBooks } from './basket-table.js';
import { decodeTrackers, encodeTrackers, type ArbCheckpoint, type TrackerEntry } from './checkpoint.js';
import { buildRelations, DEFAULT_GRAPH, marketTexts, relationBaskets, sameGraphInput, type GraphOptions, type GraphStats, type ParsedQuestion } from './graph.js';
import type { RelationOverride } from './overrides.js';
import { binaryBaskets, groupEvents, negRiskBaskets, type EventGroup } from './rebalance.js';
import type { Relation } from './relations.js';
import type { BookSource, BookView } from './sweep.js';
import { DEFAULT_ARB_OPTIONS, type ArbOpportunity, type ArbOptions } from './types.js';

export interface BuildStats {
  markets: number;
  events: number;
  negRiskEvents: number;
  exhaustiveEvents: number;
  baskets: number;
  graph: GraphStats;
}

export interface ScanStats {
  evaluated: number;
  /** Violations that passed every rule, before the per-event cap. */
  violations: number;
  reported: number;
  capped: number;
  rejected: Record<Reject, number>;
}

const NONE: readonly ArbOpportunity[] = Object.freeze([]);

const emptyRejects = (): Record<Reject, number> => ({ 'no-book': 0, stale: 0, edge: 0, thin: 0, capital: 0 });

export class ArbScanner {
  readonly options: ArbOptions;
  private readonly overrides: readonly RelationOverride[];
  private readonly graphOptions: GraphOptions;
  private markets: CatalogMarket[] = [];
  private groups: EventGroup[] = [];
  private relationList: Relation[] = [];
  /** The open markets and graph stats the relations were built from (a rebuild on an equal list keeps them). */
  private graphInput: readonly CatalogMarket[] | undefined;
  private graphStats: GraphStats | undefined;
  /** Parsed questions of the last build, reused by the next. */
  private readonly parsed = new Map<string, ParsedQuestion>();
  private baskets: Basket[] = [];
  /** The baskets as flat arrays, for the per-pass top-of-book test. */
  private table = new BasketTable([], [], 0);
  /** Token table: every leg's token, by index. */
  private tokens: string[] = [];
  private tokenIndex = new Map<string, number>();
  /** Token index t → baskets with a leg on it: byTokenList[byTokenStart[t] .. byTokenStart[t + 1] − 1]. */
  private byTokenStart = new Int32Array(1);
  private byTokenList = new Int32Array(0);
  /** Tokens whose books changed since the last re-check, in first-touch order (see `touch`). */
  private touchedFlag = new Uint8Array(0);
  private touchedList = new Int32Array(0);
  private touchedCount = 0;
  private lastTouched: string | undefined;
  /** Token ids as the book listener passes them → token index (−1: in no basket). */
  private touchIndex = new Map<string, number>();
  /** Book objects (see `touchBook`) → token index (−1: in no basket). */
  private bookIndex = new Map<object, number>();
  private lastBook: object | undefined;
  /** Per-scan memo of books by token index (null = no book). */
  private bookMemo: (BookView | null | undefined)[] = [];
  /** The book source's epoch the memo was filled in (NaN: refill on the next pass). */
  private memoEpoch = NaN;
  /** Basket index → the re-check pass that last evaluated it (dedupes a pass over many changed tokens). */
  private passOf = new Uint32Array(0);
  private pass = 0;
  /** Basket index → its current violation (before the per-event cap). */
  private live = new Map<number, ArbOpportunity>();
  /** Basket index → 1 while it is in `live` (a reject clears it without a map lookup). */
  private liveFlag = new Uint8Array(0);
  private reported: ArbOpportunity[] = [];
  private trackers = new Map<string, TrackerEntry>();
  lastBuild: BuildStats | undefined;
  lastScan: ScanStats = { evaluated: 0, violations: 0, reported: 0, capped: 0, rejected: emptyRejects() };

  constructor(options: Partial<ArbOptions> = {}, overrides: readonly RelationOverride[] = [], graph: Partial<GraphOptions> = {}) {
    this.options = { ...DEFAULT_ARB_OPTIONS, ...options };
    this.overrides = overrides;
    this.graphOptions = { ...DEFAULT_GRAPH, ...graph, classify: { ...DEFAULT_GRAPH.classify, endDateToleranceMs: this.options.endDateToleranceMs, ...graph.classify } };
  }

  /** Rebuilds every basket and relation from the catalog (closed markets only inform exhaustiveness). */
  build(catalog: readonly CatalogMarket[]): BuildStats {
    const open = catalog.filter((m) => !m.closed && m.tokenIds.length >= 2);
    const openIndex = new Map(open.map((m, i) => [m.id, i]));
    this.markets = open;
    this.groups = groupEvents(catalog, openIndex);
    // The graph is the costly part of a build and the catalog refresh that asks for
    // one mostly moves volumes and prices: keep the relations when no market
    // changed in a way the graph reads.
    let stats = this.graphStats;
    if (!stats || !this.sameGraph(open)) {
      const built = buildRelations(marketTexts(open, this.parsed), this.overrides, this.graphOptions);
      this.relationList = built.relations;
      stats = this.graphStats = built.stats;
    }
    this.graphInput = open;
    const relations = this.relationList;
    this.baskets = [...binaryBaskets(open), ...negRiskBaskets(this.groups, open), ...relationBaskets(relations, open, this.options.minConfidence)];
    this.tokens = [];
    this.tokenIndex = new Map();
    const byToken: number[][] = [];
    this.baskets.forEach((b, bi) => {
      for (const leg of b.legs) {
        const token = open[leg.market]!.tokenIds[leg.outcome]!;
        let ti = this.tokenIndex.get(token);
        if (ti === undefined) {
          ti = this.tokens.length;
          this.tokenIndex.set(token, ti);
          this.tokens.push(token);
          byToken.push([]);
        }
        leg.token = ti;
        const list = byToken[ti]!;
        if (list[list.length - 1] !== bi) list.push(bi);
      }
    });
    this.byTokenStart = new Int32Array(byToken.length + 1);
    let nb = 0;
    for (let ti = 0; ti < byToken.length; ti++) {
      this.byTokenStart[ti] = nb;
      nb += byToken[ti]!.length;
    }
    this.byTokenStart[byToken.length] = nb;
    this.byTokenList = new Int32Array(nb);
    for (let ti = 0; ti < byToken.length; ti++) this.byTokenList.set(byToken[ti]!, this.byTokenStart[ti]!);
    this.touchedFlag = new Uint8Array(this.tokens.length);
    this.touchedList = new Int32Array(this.tokens.length);
    this.touchedCount = 0;
    this.lastTouched = undefined;
    this.touchIndex = new Map();
    this.bookIndex = new Map();
    this.lastBook = undefined;
    this.table = new BasketTable(this.baskets, open, this.tokens.length);
    this.bookMemo = new Array(this.tokens.length);
    this.memoEpoch = NaN;
    this.passOf = new Uint32Array(this.baskets.length);
    this.pass = 0;
    this.live.clear();
    this.liveFlag = new Uint8Array(this.baskets.length);
    this.reported = [];
    const negRisk = this.groups.filter((g) => g.negRisk && g.members.length >= 2);
    this.lastBuild = {
      markets: open.length,
      events: this.groups.length,
      negRiskEvents: negRisk.length,
      exhaustiveEvents: negRisk.filter((g) => g.exhaustive).length,
      baskets: this.baskets.length,
      graph: { ...stats, relations: { ...stats.relations } },
    };
    return this.lastBuild;
  }

  private sameGraph(open: readonly CatalogMarket[]): boolean {
    const prev = this.graphInput;
    if (!prev || prev.length !== open.length) return false;
    for (let i = 0; i < open.length; i++) if (!sameGraphInput(prev[i]!, open[i]!)) return false;
    return true;
  }

  /** Evaluates every basket; returns the reported opportunities, most profitable first. */
  scanAll(bookOf: BookSource, now: number, epoch?: number): ArbOpportunity[] {
    const rejected = emptyRejects();
    this.clearLive();
    // A token sits in several baskets: look each book up once per scan.
    const table = this.table;
    table.begin(this.memoised(bookOf, epoch));
    this.evaluateAll(now, rejected);
    this.reported = this.cap([...this.live.values()]);
    // Persistence: consecutive full scans each bundle was reported in.
    const next = new Map<string, TrackerEntry>();
    for (const v of this.reported) {
      const t = this.trackers.get(v.id);
      const entry: TrackerEntry = t
        ? { firstSeen: t.firstSeen, lastSeen: now, cycles: t.cycles + 1, bestEdge: Math.max(t.bestEdge, v.edge) }
        : { firstSeen: now, lastSeen: now, cycles: 1, bestEdge: v.edge };
      next.set(v.id, entry);
      v.firstSeen = entry.firstSeen;
      v.cycles = entry.cycles;
    }
    this.trackers = next;
    this.lastScan = { evaluated: this.baskets.length, violations: this.live.size, reported: this.reported.length, capped: this.live.size - this.reported.length, rejected };
    return this.reported;
  }

  /**
   * The basket loop of a full scan, in a method of its own. V8 compiles a long
   * loop while it runs (on-stack replacement) and enters that code again on
   * later calls; compiled with the loop, the code after it (not yet run when
   * the loop got hot) deoptimised on every scan of every replay.
   */
  private evaluateAll(now: number, rejected: Record<Reject, number>): void {
    const table = this.table;
    for (let bi = 0; bi < this.baskets.length; bi++) {
      const r = table.evaluate(bi, now, this.options);
      if (typeof r === 'string') rejected[r]++;
      else this.setLive(bi, r);
    }
  }

  /**
   * Evaluates every basket against `bookOf` without touching the scanner's
   * state (live set, persistence counters): the screen's pass over screened
   * prices, whose results are candidates only, never reports.
   */
  screenAll(bookOf: BookSource, now: number): ArbOpportunity[] {
    const memo: (BookView | null | undefined)[] = new Array(this.tokens.length);
    const tokens = this.tokens;
    const table = this.table;
    table.begin((ti) => {
      let v = memo[ti];
      if (v === undefined) memo[ti] = v = bookOf(tokens[ti]!) ?? null;
      return v ?? undefined;
    });
    const out: ArbOpportunity[] = [];
    for (let bi = 0; bi < this.baskets.length; bi++) {
      const r = table.evaluate(bi, now, this.options);
      if (typeof r !== 'string') out.push(r);
    }
    return this.cap(out);
  }

  /**
   * Re-evaluates only the baskets with a leg on `tokenId` (call on a book
   * change). Returns the reported opportunities among those baskets after the cap.
   */
  recheck(tokenId: string, bookOf: BookSource, now: number): readonly ArbOpportunity[] {
    const ti = this.tokenIndex.get(tokenId);
    if (ti === undefined) return NONE;
    const affected = this.byTokenList.subarray(this.byTokenStart[ti]!, this.byTokenStart[ti + 1]!);
    const tokens = this.tokens;
    const table = this.table;
    table.begin((t) => bookOf(tokens[t]!));
    let changed = false;
    let anyLive = false;
    for (const bi of affected) {
      const r = table.evaluate(bi, now, this.options);
      if (typeof r === 'string') {
        if (this.dropLive(bi)) changed = true;
      } else {
        this.setLive(bi, r);
        changed = anyLive = true;
      }
    }
    if (changed) this.reportLive();
    // The common case (nothing violating on this token) allocates nothing.
    if (!anyLive) return NONE;
    const ids = new Set<string>();
    for (const bi of affected) {
      const v = this.live.get(bi);
      if (v) ids.add(v.id);
    }
    return this.reported.filter((v) => ids.has(v.id));
  }

  /**
   * The books looked up so far, by token index. A caller whose book source
   * has an epoch (it changes whenever a book object is created or dropped)
   * keeps them across passes while the epoch holds; without one, every pass
   * looks its books up again.
   */
  private memoised(bookOf: BookSource, epoch: number | undefined): TokenBooks {
    if (epoch === undefined || epoch !== this.memoEpoch) {
      this.bookMemo.fill(undefined);
      this.memoEpoch = epoch ?? NaN;
    }
    const memo = this.bookMemo;
    const tokens = this.tokens;
    return (ti) => {
      let v = memo[ti];
      if (v === undefined) memo[ti] = v = bookOf(tokens[ti]!) ?? null;
      return v ?? undefined;
    };
  }

  private setLive(bi: number, v: ArbOpportunity): void {
    this.live.set(bi, v);
    this.liveFlag[bi] = 1;
  }

  /** True when `bi` was live. */
  private dropLive(bi: number): boolean {
    if (this.liveFlag[bi] === 0) return false;
    this.liveFlag[bi] = 0;
    return this.live.delete(bi);
  }

  private clearLive(): void {
    if (this.live.size === 0) return;
    for (const bi of this.live.keys()) this.liveFlag[bi] = 0;
    this.live.clear();
  }

  /**
   * Re-evaluates the baskets with a leg on any of `tokenIds`, each basket once
   * and each book looked up once: the state after it is the state after calling
   * `recheck` per token (books do not move between those calls, so a second
   * evaluation of a basket only repeats the first), at a fraction of the work
   * when many legs of one basket changed in the same cycle.
   */
  recheckMany(tokenIds: Iterable<string>, bookOf: BookSource, now: number, epoch?: number): void {
    const list: number[] = [];
    for (const tokenId of tokenIds) {
      const ti = this.tokenIndex.get(tokenId);
      if (ti !== undefined) list.push(ti);
    }
    this.recheckTokens(list, list.length, bookOf, now, epoch);
  }

  /**
   * Notes that `tokenId`'s book changed (call from the book listener, while
   * the id is at hand); `recheckTouched` re-checks them all at once. Ids in no
   * basket are ignored, and a run of changes to one book costs one comparison.
   */
  touch(tokenId: string): void {
    if (tokenId === this.lastTouched) return;
    this.lastTouched = tokenId;
    let ti = this.touchIndex.get(tokenId);
    if (ti === undefined) {
      // The caller's string is usually another copy of the id than the catalog's: a map keyed by
      // the caller's own copy finds it next time by identity instead of comparing 70-odd digits.
      if (this.touchIndex.size >= 4 * this.tokens.length + 1024) this.touchIndex.clear();
      this.touchIndex.set(tokenId, (ti = this.tokenIndex.get(tokenId) ?? -1));
    }
    this.mark(ti);
  }

  /**
   * `touch` for a book object that keeps its token id in `asset` (the book
   * cache's): found by the object itself after the first time, which costs no
   * read of the id string.
   */
  touchBook(book: { readonly asset: string }): void {
    if (book === this.lastBook) return;
    this.lastBook = book;
    let ti = this.bookIndex.get(book);
    if (ti === undefined) {
      // Books dropped and tracked again leave entries behind: bounded, like the ids.
      if (this.bookIndex.size >= 4 * this.tokens.length + 1024) this.bookIndex.clear();
      this.bookIndex.set(book, (ti = this.tokenIndex.get(book.asset) ?? -1));
    }
    this.mark(ti);
  }

  private mark(ti: number): void {
    if (ti < 0 || this.touchedFlag[ti]) return;
    this.touchedFlag[ti] = 1;
    this.touchedList[this.touchedCount++] = ti;
  }

  /** `recheckMany` over the tokens touched since the last re-check or scan, then forgets them. */
  recheckTouched(bookOf: BookSource, now: number, epoch?: number): void {
    const n = this.touchedCount;
    this.clearTouched();
    this.recheckTokens(this.touchedList, n, bookOf, now, epoch);
  }

  /** Forgets the touched tokens (a full scan covers them). */
  clearTouched(): void {
    for (let k = 0; k < this.touchedCount; k++) this.touchedFlag[this.touchedList[k]!] = 0;
    this.touchedCount = 0;
    this.lastTouched = undefined;
    this.lastBook = undefined;
  }

  private recheckTokens(list: ArrayLike<number>, n: number, bookOf: BookSource, now: number, epoch: number | undefined): void {
    if (++this.pass === 0xffffffff) {
      this.passOf.fill(0);
      this.pass = 1;
    }
    this.table.begin(this.memoised(bookOf, epoch));
    if (this.recheckBaskets(list, n, now)) this.reportLive();
  }

  /**
   * After a re-check changed the live set: the capped report again, each
   * re-evaluated bundle (a new object) carrying the persistence counters the
   * last full scan gave it.
   */
  private reportLive(): void {
    this.reported = this.cap([...this.live.values()]);
    for (const v of this.reported) {
      const t = this.trackers.get(v.id);
      if (t) {
        v.firstSeen = t.firstSeen;
        v.cycles = t.cycles;
      }
    }
  }

  /**
   * The loop of a re-check, in a method of its own (see `evaluateAll`): each
   * basket with a leg on a listed token is evaluated once. True when the live
   * set changed.
   */
  private recheckBaskets(list: ArrayLike<number>, n: number, now: number): boolean {
    const pass = this.pass;
    const passOf = this.passOf;
    const table = this.table;
    const start = this.byTokenStart;
    const baskets = this.byTokenList;
    let changed = false;
    for (let t = 0; t < n; t++) {
      const ti = list[t]!;
      const end = start[ti + 1]!;
      for (let x = start[ti]!; x < end; x++) {
        const bi = baskets[x]!;
        if (passOf[bi] === pass) continue;
        passOf[bi] = pass;
        const r = table.evaluate(bi, now, this.options);
        if (typeof r === 'string') {
          if (this.dropLive(bi)) changed = true;
        } else {
          this.setLive(bi, r);
          changed = true;
        }
      }
    }
    return changed;
  }

  /** The opportunities reported by the last scan or re-check. */
  current(): readonly ArbOpportunity[] {
    return this.reported;
  }

  /** Every inferred or overridden relation (including those below the report confidence). */
  relations(): readonly Relation[] {
    return this.relationList;
  }

  /** Relations touching a market, for the detail view. */
  relationsOf(marketId: string): Relation[] {
    return this.relationList.filter((r) => this.markets[r.from]?.id === marketId || this.markets[r.to]?.id === marketId);
  }

  market(index: number): CatalogMarket | undefined {
    return this.markets[index];
  }

  eventGroups(): readonly EventGroup[] {
    return this.groups;
  }

  basketCount(): number {
    return this.baskets.length;
  }

  toCheckpoint(now: number): ArbCheckpoint {
    return encodeTrackers(this.trackers, now);
  }

  /** Restores persistence counters; entries not seen within `maxAgeMs` are dropped. */
  fromCheckpoint(data: unknown, now: number, maxAgeMs = 60_000): { ok: true; restored: number; ageMs: number } | { ok: false; error: string } {
    const r = decodeTrackers(data, now, maxAgeMs);
    if (!r.ok) return r;
    this.trackers = r.trackers;
    return { ok: true, restored: r.trackers.size, ageMs: r.ageMs };
  }

  /**
   * At most `perEventCap` bundles per event, greedy over every event a bundle
   * touches: higher confidence first (a guessed pairing never evicts a certain
   * rebalance), then the most profitable.
   */
  private cap(list: ArbOpportunity[]): ArbOpportunity[] {
    list.sort((a, b) => b.confidence - a.confidence || b.profit - a.profit || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const counts = new Map<string, number>();
    const out: ArbOpportunity[] = [];
    for (const v of list) {
      if (v.eventIds.some((e) => (counts.get(e) ?? 0) >= this.options.perEventCap)) continue;
      for (const e of v.eventIds) counts.set(e, (counts.get(e) ?? 0) + 1);
      out.push(v);
    }
    return out;
  }
}
