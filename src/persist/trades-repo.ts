// Venue trades (last_trade_price) buffered in memory and written once per
// cycle in a single transaction with reused prepared statements. Tokens are
// stored once in `tokens` and referenced by integer key (see migration 2).
import type { TradeEvent } from '../protocol/events.js';
import type { DB } from './db.js';

const MAX_BUFFER = 50_000;

export class TradesRepo {
  private buffer: { t: TradeEvent; at: number }[] = [];
  private readonly insert;
  private readonly addToken;
  private readonly tokenKey;
  /** token id → integer key, filled lazily. */
  private readonly keys = new Map<string, number>();
  /** Trades dropped because the buffer was full (the disk could not keep up). */
  dropped = 0;
  written = 0;

  constructor(private readonly db: DB) {
    this.insert = db.prepare('INSERT INTO trades (token, price, size, side, ts, received_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.addToken = db.prepare("INSERT INTO tokens (token_id, market) VALUES (?, ?) ON CONFLICT(token_id) DO UPDATE SET market = excluded.market WHERE tokens.market = ''");
    this.tokenKey = db.prepare('SELECT id FROM tokens WHERE token_id = ?').pluck();
  }

  add(t: TradeEvent, receivedAt: number): void {
    if (this.buffer.length >= MAX_BUFFER) {
      this.dropped++;
      return;
    }
    this.buffer.push({ t, at: receivedAt });
  }

  /** The integer key of a token, created on first use (inside the caller's transaction). */
  private keyOf(token: string, market: string): number {
    let k = this.keys.get(token);
    if (k === undefined) {
      this.addToken.run(token, market);
      k = this.tokenKey.get(token) as number;
      this.keys.set(token, k);
    }
    return k;
  }

  flush(): number {
    const batch = this.buffer;
    if (!batch.length) return 0;
    this.buffer = [];
    const fresh: string[] = [];
    try {
      this.db.transaction(() => {
        for (const { t, at } of batch) {
          if (!this.keys.has(t.asset)) fresh.push(t.asset);
          this.insert.run(this.keyOf(t.asset, t.market), t.price, t.size, t.side === 'BUY' ? 0 : 1, t.ts, at);
        }
      })();
    } catch (err) {
      // The transaction rolled back, new token keys with it; keep the batch for the next attempt (bounded).
      for (const tok of fresh) this.keys.delete(tok);
      const keep = batch.concat(this.buffer);
      this.dropped += Math.max(0, keep.length - MAX_BUFFER);
      this.buffer = keep.length > MAX_BUFFER ? keep.slice(keep.length - MAX_BUFFER) : keep;
      throw err;
    }
    this.written += batch.length;
    return batch.length;
  }
}
