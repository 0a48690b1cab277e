// Venue trades (last_trade_price) buffered in memory and written once per
// cycle in a single transaction with a reused prepared statement.
import type { TradeEvent } from '../protocol/market-channel.js';
import type { DB } from './db.js';

const MAX_BUFFER = 50_000;

export class TradesRepo {
  private buffer: { t: TradeEvent; at: number }[] = [];
  private readonly insert;
  /** Trades dropped because the buffer was full (the disk could not keep up). */
  dropped = 0;
  written = 0;

  constructor(private readonly db: DB) {
    this.insert = db.prepare('INSERT INTO trades (token_id, market, price, size, side, ts, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  }

  add(t: TradeEvent, receivedAt: number): void {
    if (this.buffer.length >= MAX_BUFFER) {
      this.dropped++;
      return;
    }
    this.buffer.push({ t, at: receivedAt });
  }

  flush(): number {
    const batch = this.buffer;
    if (!batch.length) return 0;
    this.buffer = [];
    try {
      this.db.transaction(() => {
        for (const { t, at } of batch) this.insert.run(t.asset, t.market, t.price, t.size, t.side, t.ts, at);
      })();
    } catch (err) {
      // The transaction rolled back: keep the batch for the next attempt (bounded).
      const keep = batch.concat(this.buffer);
      this.dropped += Math.max(0, keep.length - MAX_BUFFER);
      this.buffer = keep.length > MAX_BUFFER ? keep.slice(keep.length - MAX_BUFFER) : keep;
      throw err;
    }
    this.written += batch.length;
    return batch.length;
  }
}
