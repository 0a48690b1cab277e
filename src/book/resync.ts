// Batched REST resync of books that are not fresh: POST /books in chunks,
// halving the chunk when the venue answers "Payload exceeds the limit".
import { decodeRestBook } from '../protocol/clob.js';
import type { RestLike } from '../feed/rest-client.js';
import type { BookCache } from './book-cache.js';

export class Resyncer {
  chunk: number;
  resynced = 0;
  failures = 0;
  lastError = '';
  private running: Promise<number> | undefined;
  private readonly queue = new Set<string>();

  constructor(
    private readonly books: BookCache,
    private readonly rest: RestLike,
    private readonly clobUrl: string,
    private readonly now: () => number = Date.now,
    initialChunk = 200,
  ) {
    this.chunk = initialChunk;
  }

  /** Queues assets (default: every book flagged for resync) and drains the queue; resolves when it is empty. */
  run(assets: Iterable<string> = this.books.needsResync): Promise<number> {
    for (const a of assets) if (this.books.get(a)) this.queue.add(a);
    if (!this.running) {
      this.running = this.drain().finally(() => (this.running = undefined));
    }
    return this.running;
  }

  private async drain(): Promise<number> {
    let done = 0;
    while (this.queue.size) {
      const batch = [...this.queue].slice(0, this.chunk);
      const r = await this.rest.postJson(`${this.clobUrl}/books`, batch.map((token_id) => ({ token_id })), 'clob /books');
      if (!r.ok) {
        if (r.status === 400 && /payload exceeds the limit/i.test(r.error) && this.chunk > 1) {
          this.chunk = Math.max(1, Math.floor(this.chunk / 2));
          continue;
        }
        this.failures++;
        this.lastError = r.error;
        break; // retried by the next cycle: the books stay stale and flagged
      }
      for (const a of batch) this.queue.delete(a);
      if (Array.isArray(r.body)) {
        const at = this.now();
        for (const item of r.body) {
          const d = decodeRestBook(item);
          if (!d.ok) continue;
          const book = this.books.applySnapshot(d.value.book, at);
          if (d.value.tickSize) book.tick = d.value.tickSize;
          done++;
        }
      }
    }
    this.resynced += done;
    return done;
  }
}
