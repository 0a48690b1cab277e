// Versioned schema migrations (DESIGN §6). Append new versions; never edit old ones.
import { deepFreeze } from '../frozen.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = deepFreeze([
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE markets (
        id TEXT PRIMARY KEY,
        condition_id TEXT NOT NULL,
        question TEXT NOT NULL,
        slug TEXT,
        category TEXT,
        event_id TEXT,
        event_title TEXT,
        outcomes TEXT NOT NULL,
        token_ids TEXT NOT NULL,
        outcome_prices TEXT,
        neg_risk INTEGER NOT NULL DEFAULT 0,
        neg_risk_market_id TEXT,
        augmented INTEGER NOT NULL DEFAULT 0,
        fee_rate REAL NOT NULL DEFAULT 0,
        fee_exponent REAL NOT NULL DEFAULT 1,
        tick INTEGER NOT NULL DEFAULT 100,
        min_order_size REAL NOT NULL DEFAULT 5,
        volume REAL NOT NULL DEFAULT 0,
        end_ms INTEGER,
        closed INTEGER NOT NULL DEFAULT 0,
        closed_ms INTEGER,
        winner INTEGER,
        tags TEXT,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX markets_event ON markets(event_id);
      CREATE INDEX markets_condition ON markets(condition_id);
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        slug TEXT,
        tags TEXT,
        neg_risk INTEGER NOT NULL DEFAULT 0,
        augmented INTEGER NOT NULL DEFAULT 0,
        end_ms INTEGER,
        closed INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE price_snapshots (
        token_id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        price INTEGER NOT NULL,
        PRIMARY KEY (token_id, ts)
      ) WITHOUT ROWID;
      CREATE TABLE trades (
        id INTEGER PRIMARY KEY,
        token_id TEXT NOT NULL,
        market TEXT NOT NULL,
        price INTEGER NOT NULL,
        size REAL NOT NULL,
        side TEXT NOT NULL,
        ts INTEGER NOT NULL,
        received_at INTEGER NOT NULL
      );
      CREATE INDEX trades_token_ts ON trades(token_id, ts);
      CREATE TABLE signals (
        id INTEGER PRIMARY KEY,
        created_at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        strategy TEXT,
        market_id TEXT,
        token_id TEXT,
        side TEXT,
        entry INTEGER,
        edge REAL,
        size REAL,
        priority REAL,
        tier TEXT,
        confidence REAL,
        gate TEXT,
        reason TEXT NOT NULL,
        json TEXT
      );
      CREATE TABLE clusters (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        event_type TEXT NOT NULL,
        summary TEXT NOT NULL,
        supporting_ids TEXT NOT NULL,
        confidence REAL NOT NULL,
        json TEXT
      );
      CREATE TABLE orders (
        id INTEGER PRIMARY KEY,
        created_at INTEGER NOT NULL,
        token_id TEXT NOT NULL,
        market_id TEXT,
        side TEXT NOT NULL,
        type TEXT NOT NULL,
        limit_price INTEGER,
        size REAL NOT NULL,
        status TEXT NOT NULL,
        reason TEXT,
        signal_id INTEGER,
        basket_id TEXT
      );
      CREATE TABLE fills (
        id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        token_id TEXT NOT NULL,
        side TEXT NOT NULL,
        price INTEGER NOT NULL,
        size REAL NOT NULL,
        fee_micros INTEGER NOT NULL,
        liquidity TEXT NOT NULL
      );
      CREATE INDEX fills_order ON fills(order_id);
      CREATE TABLE positions (
        token_id TEXT PRIMARY KEY,
        market_id TEXT NOT NULL,
        shares REAL NOT NULL,
        cost_micros INTEGER NOT NULL,
        realized_micros INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE cash_ledger (
        id INTEGER PRIMARY KEY,
        ts INTEGER NOT NULL,
        delta_micros INTEGER NOT NULL,
        kind TEXT NOT NULL,
        ref TEXT,
        balance_micros INTEGER NOT NULL
      );
      CREATE TABLE settlements (
        id INTEGER PRIMARY KEY,
        ts INTEGER NOT NULL,
        market_id TEXT NOT NULL,
        token_id TEXT NOT NULL,
        shares REAL NOT NULL,
        payout_micros INTEGER NOT NULL,
        realized_micros INTEGER NOT NULL
      );
      CREATE TABLE tracker_state (
        name TEXT PRIMARY KEY,
        json TEXT NOT NULL,
        cycle INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE operator_actions (
        id INTEGER PRIMARY KEY,
        ts INTEGER NOT NULL,
        action TEXT NOT NULL,
        old_value TEXT,
        new_value TEXT,
        detail TEXT
      );
      CREATE TABLE feed_incidents (
        id INTEGER PRIMARY KEY,
        shard INTEGER,
        kind TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER,
        assets INTEGER NOT NULL DEFAULT 0,
        detail TEXT
      );
    `,
  },
  {
    version: 2,
    name: 'integer token keys for trades',
    // Token ids are ~77-digit strings and market ids 66 characters: as the text
    // key of every trade (and of its index) they were most of the database.
    // Trades now point at a tokens row; the trades_text view reads like before.
    // No per-token index: nothing reads trades by token, and the index cost as
    // much as the rows (retention walks the rowid).
    sql: `
      CREATE TABLE tokens (
        id INTEGER PRIMARY KEY,
        token_id TEXT NOT NULL UNIQUE,
        market TEXT NOT NULL DEFAULT ''
      );
      INSERT OR IGNORE INTO tokens (token_id, market) SELECT token_id, MAX(market) FROM trades GROUP BY token_id;
      CREATE TABLE trades_v2 (
        id INTEGER PRIMARY KEY,
        token INTEGER NOT NULL,
        price INTEGER NOT NULL,
        size REAL NOT NULL,
        side INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        received_at INTEGER NOT NULL
      );
      INSERT INTO trades_v2 (id, token, price, size, side, ts, received_at)
        SELECT t.id, k.id, t.price, t.size, CASE t.side WHEN 'BUY' THEN 0 ELSE 1 END, t.ts, t.received_at FROM trades t JOIN tokens k ON k.token_id = t.token_id;
      DROP TABLE trades;
      ALTER TABLE trades_v2 RENAME TO trades;
      CREATE VIEW trades_text AS
        SELECT t.id, k.token_id, k.market, t.price, t.size, CASE t.side WHEN 0 THEN 'BUY' ELSE 'SELL' END AS side, t.ts, t.received_at
        FROM trades t JOIN tokens k ON k.id = t.token;
    `,
  },
  {
    version: 3,
    name: 'alert outbox',
    // These tables were created by the outbox itself before they were a
    // migration, so a database may already hold them: IF NOT EXISTS lets such a
    // database upgrade without touching its rows.
    sql: `
      CREATE TABLE IF NOT EXISTS alert_outbox (
        id INTEGER PRIMARY KEY,
        created_at INTEGER NOT NULL,
        target TEXT NOT NULL,
        kind TEXT NOT NULL,
        dedupe_key TEXT NOT NULL,
        silent INTEGER NOT NULL DEFAULT 0,
        text TEXT NOT NULL,
        ord REAL NOT NULL,
        prio INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER NOT NULL DEFAULT 0,
        sent_at INTEGER,
        error TEXT
      );
      CREATE INDEX IF NOT EXISTS alert_outbox_due ON alert_outbox(target, state, prio, ord);
      CREATE INDEX IF NOT EXISTS alert_outbox_key ON alert_outbox(dedupe_key, created_at);
      CREATE INDEX IF NOT EXISTS alert_outbox_state ON alert_outbox(state, target);
      CREATE TABLE IF NOT EXISTS alert_state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS alert_updates (update_id INTEGER PRIMARY KEY, at INTEGER NOT NULL);
    `,
  },
  {
    version: 4,
    name: 'live order journal',
    // Created by the journal itself before it was a migration: IF NOT EXISTS, as above.
    sql: `
      CREATE TABLE IF NOT EXISTS live_orders (
        hash TEXT PRIMARY KEY,
        token_id TEXT NOT NULL,
        market TEXT,
        side TEXT NOT NULL,
        price TEXT NOT NULL,
        size TEXT NOT NULL,
        order_type TEXT NOT NULL,
        post_only INTEGER NOT NULL DEFAULT 0,
        exchange_version INTEGER NOT NULL,
        neg_risk INTEGER NOT NULL,
        signature_type INTEGER NOT NULL,
        maker TEXT NOT NULL,
        salt TEXT NOT NULL,
        expiration TEXT NOT NULL,
        state TEXT NOT NULL,
        size_matched TEXT NOT NULL DEFAULT '0',
        venue_error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS live_orders_state ON live_orders(state);
      CREATE TABLE IF NOT EXISTS live_fills (
        trade_id TEXT NOT NULL,
        order_hash TEXT NOT NULL,
        token_id TEXT NOT NULL,
        side TEXT NOT NULL,
        price TEXT NOT NULL,
        size TEXT NOT NULL,
        trader_side TEXT NOT NULL,
        status TEXT NOT NULL,
        tx_hash TEXT,
        matched_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        reversed INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (trade_id, order_hash)
      );
      CREATE TABLE IF NOT EXISTS live_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
]);
