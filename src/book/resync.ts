// Batched REST resync of books that are not fresh: POST /books in chunks,
// halving the chunk when the venue answers "Payload exceeds the limit".
import { decodeRestBook } from '../protocol/clob.js';
import type { RestClient } from '../feed/rest-client.js';
import type { BookCache } from './book-cache.js';

export class Resyncer {
  chunk: number;
  resynced = 0;
  failures = 0;
  lastError = '';
  private running = false;

  constructor(
    private readonly books: BookCache,
    private readonly rest: RestClient,
    private readonly clobUrl: string,
    private readonly now: () => number = Date.now,
    initialChunk = 200,
  ) {
    this.chunk = initialChunk;
  }

  /** Resyncs the given assets (default: every book flagged out-of-sync). */
  async run(assets: string[] = [...this.books.needsResync]): Promise<number> {
    if (this.running || !assets.length) return 0;
    this.running = true;
    let done = 0;
    try {
      let i = 0;
      while (i < assets.length) {
        const batch = assets.slice(i, i + this.chunk);
        const r = await this.rest.postJson(`${this.clobUrl}/books`, batch.map((token_id) => ({ token_id })), 'clob /books');
        if (!r.ok) {
          if (r.status === 400 && /payload exceeds the limit/i.test(r.error) && this.chunk > 1) {
            this.chunk = Math.max(1, Math.floor(this.chunk / 2));
            continue;
          }
          this.failures++;
          this.lastError = r.error;
          break;
        }
        if (Array.isArray(r.body)) {
          const at = this.now();
          for (const item of r.body) {
            const d = decodeRestBook(item);
            if (!d.ok) continue;
            this.books.applySnapshot(d.value.book, at);
            if (d.value.tickSize) this.books.get(d.value.book.asset)!.tick = d.value.tickSize;
            done++;
          }
        }
        i += batch.length;
      }
    } finally {
      this.running = false;
    }
    this.resynced += done;
    return done;
  }
}
