// Arbitrage as an engine plugin: the constraint graph is built when the catalog
// changes (at most once a minute), every cycle re-checks only the tokens whose
// books changed, and a full scan runs periodically. Opportunities go to the
// signal queue with their relation and legs, are persisted, and (headless)
// become JSON lines.
import type { BookListener } from '../book/book-cache.js';
import type { Engine, EnginePlugin } from '../engine.js';
import { ArbScanner, arbCheckpointable, loadRelationOverrides, type ArbOpportunity, type ArbOptions } from '../arb/index.js';
import type { QueueItem, SignalQueue } from './queue.js';
import type { SignalsRepo } from '../persist/signals-repo.js';

const REBUILD_MIN_MS = 60_000;
const FULL_SCAN_EVERY = 5;

export class ArbLoop implements EnginePlugin {
  readonly name = 'arb';
  readonly scanner: ArbScanner;
  readonly overridesRejected: string[];
  reported = 0;
  private built = 0;
  private needBuild = true;
  private cycles = 0;
  private readonly seen = new Set<string>();

  constructor(
    private readonly engine: Engine,
    private readonly queue: SignalQueue,
    private readonly repo: SignalsRepo,
    private readonly onArb?: (o: ArbOpportunity) => void,
    options: Partial<ArbOptions> = {},
  ) {
    const loaded = loadRelationOverrides();
    this.overridesRejected = loaded.rejected.map(String);
    this.scanner = new ArbScanner(options, loaded.overrides);
    engine.checkpoints.register(arbCheckpointable(this.scanner, () => engine.now()));
    // The scanner keeps the changed tokens (by its own token index) until the next cycle.
    engine.books.onUpdate(this.onBook.bind(this));
  }

  /**
   * The book listener: a method bound to this plugin rather than a closure made
   * per engine, so the code V8 optimises for it (with the book path it inlines)
   * serves every engine in the process; a sweep worker's fresh closure per
   * replay was compiled again each time.
   */
  private onBook(book: Parameters<BookListener>[0], kind: Parameters<BookListener>[1]): void {
    if (kind !== 'trade') this.scanner.touchBook(book);
  }

  onCatalog(): void {
    this.needBuild = true;
  }

  cycle(now: number): void {
    if (this.engine.phase !== 'streaming') return;
    const bookOf = (t: string) => this.engine.books.get(t);
    if (this.needBuild && (this.built === 0 || now - this.built >= REBUILD_MIN_MS)) {
      this.scanner.build([...this.engine.catalog.markets.values()].filter((m) => !m.closed));
      this.built = now;
      this.needBuild = false;
      this.scanner.clearTouched();
      this.publish(this.scanner.scanAll(bookOf, now, this.engine.books.epoch), now, true);
      return;
    }
    this.cycles++;
    if (this.cycles % FULL_SCAN_EVERY === 0) {
      this.scanner.clearTouched();
      this.publish(this.scanner.scanAll(bookOf, now, this.engine.books.epoch), now, true);
      return;
    }
    this.scanner.recheckTouched(bookOf, now, this.engine.books.epoch);
    this.publish(this.scanner.current(), now, false);
  }

  private publish(ops: readonly ArbOpportunity[], now: number, full: boolean): void {
    const changed: QueueItem[] = [];
    const live = new Set<string>();
    const questionOf = (id: string) => this.engine.catalog.markets.get(id)?.question ?? id;
    for (const o of ops) {
      const item = toItem(o, now, questionOf);
      live.add(item.key);
      if (this.queue.upsert(item) !== 'same') changed.push(item);
      if (!this.seen.has(o.id)) {
        this.seen.add(o.id);
        this.reported++;
        this.onArb?.(o);
      }
    }
    // A full scan is authoritative: bundles it no longer reports leave the queue.
    if (full) this.queue.expire('arb', now);
    this.repo.save(changed, [], now);
    void live;
  }

  stats(): { open: number; reported: number; relations: number } {
    return { open: this.scanner.current().length, reported: this.reported, relations: this.scanner.relations().length };
  }
}

function toItem(o: ArbOpportunity, now: number, questionOf: (id: string) => string): QueueItem {
  return {
    key: `arb:${o.id}`,
    kind: 'arb',
    label: o.relation,
    tier: 'ARB',
    // Rank arbitrage by confidence, then edge (a 1.0 mechanism beats a 0.7 inference).
    priority: Math.min(0.999, 0.5 + o.confidence * 0.4 + Math.min(0.099, o.edge)),
    marketIds: o.marketIds,
    // The markets, as the operator knows them; the arithmetic is in `reasoning`.
    question: o.marketIds.length === 1 ? questionOf(o.marketIds[0]!) : `${questionOf(o.marketIds[0]!)} (+${o.marketIds.length - 1} more)`,
    side: o.legs.map((l) => `${l.side === 'BUY' ? '' : 'sell '}${l.outcome}`).join(' + '),
    edge: o.edge,
    size: o.size,
    confidence: o.confidence,
    gate: o.autoTradable ? 'ready' : `confidence ${o.confidence.toFixed(1)} < 0.9 (manual only)`,
    reasoning: `${o.reason}${o.paperGrade ? ' [paper-grade]' : ''}`,
    legs: o.legs,
    autoTradable: o.autoTradable,
    seenAt: now,
    firstSeen: o.firstSeen,
  };
}
