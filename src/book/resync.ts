// Batched REST resync of books that are not fresh: POST /books in chunks,
// halving the chunk when the venue answers "Payload exceeds the limit".
// A REST answer is served at one moment and lands later; a gap the feed finds
// while it travels (another lost frame) is not covered by it, so such a book is
// asked for again and the older answer is not applied to it.
import { decodeRestBook } from '../protocol/clob.js';
import type { RestLike } from '../feed/rest-client.js';
import type { BookCache } from './book-cache.js';
import { systemWall, type WallNow } from '../clock.js';

export class Resyncer {
  chunk: number;
  resynced = 0;
  /** REST answers not applied: older than the live book, or asked for before a newer gap. */
  superseded = 0;
  failures = 0;
  lastError = '';
  private running: Promise<number> | undefined;
  private queue = new Set<string>();
  /** Assets in the request on the wire, with their gap count when it was sent. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly books: BookCache,
    private readonly rest: RestLike,
    private readonly clobUrl: string,
    private readonly now: WallNow = systemWall,
    initialChunk = 200,
  ) {
    this.chunk = initialChunk;
  }

  /** Queues assets (default: every book flagged for resync) and drains the queue; resolves when it is empty. */
  run(assets: Iterable<string> = this.books.needsResync): Promise<number> {
    for (const a of assets) {
      if (!this.books.get(a)) continue;
      // Already asked for, and no gap since: the answer on the wire covers it.
      if (this.inFlight.get(a) === this.books.gapCount(a)) continue;
      this.queue.add(a);
    }
    if (!this.running) {
      this.running = this.drain().finally(() => (this.running = undefined));
    }
    return this.running;
  }

  private async drain(): Promise<number> {
    let done = 0;
    while (this.queue.size) {
      const batch = [...this.queue].slice(0, this.chunk);
      // Off the queue while on the wire, so a new gap queues the asset again.
      for (const a of batch) {
        this.queue.delete(a);
        this.inFlight.set(a, this.books.gapCount(a));
      }
      const asked = new Map(this.inFlight);
      let r;
      try {
        r = await this.rest.postJson(`${this.clobUrl}/books`, batch.map((token_id) => ({ token_id })), 'clob /books');
      } finally {
        this.inFlight.clear();
      }
      if (!r.ok) {
        // Not answered: back to the front of the queue.
        this.queue = new Set([...batch, ...this.queue]);
        if (r.status === 400 && /payload exceeds the limit/i.test(r.error) && this.chunk > 1) {
          this.chunk = Math.max(1, Math.floor(this.chunk / 2));
          continue;
        }
        this.failures++;
        this.lastError = r.error;
        break; // retried by the next cycle: the books stay stale and flagged
      }
      if (Array.isArray(r.body)) {
        const at = this.now();
        for (const item of r.body) {
          const d = decodeRestBook(item);
          if (!d.ok) continue;
          const ev = d.value.book;
          const gaps = asked.get(ev.asset);
          if (gaps !== undefined && gaps !== this.books.gapCount(ev.asset)) {
            this.superseded++;
            continue;
          }
          const { book, applied } = this.books.applyRestSnapshot(ev, at);
          if (!applied) {
            this.superseded++;
            continue;
          }
          if (d.value.tickSize) book.tick = d.value.tickSize;
          done++;
        }
      }
    }
    this.resynced += done;
    return done;
  }
}
