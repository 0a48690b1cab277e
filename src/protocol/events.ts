// The venue's event types, defined once: what the market and user WebSocket
// channels carry on the wire (every number a decimal string, as the venue
// sends it) and the internal events the market channel decodes to (prices in
// 0.0001 units, sizes in shares, ms timestamps). The decoder (market-channel.ts),
// the books, signals, paper trading, replay, the simulator's wire output and
// the user-channel client all take their shapes from here, so a field renamed
// on the venue is renamed in one place.
// research/polymarket-protocol.md §1.6 (market channel), live-execution.md a.1 (user channel).
import { deepFreeze } from '../frozen.js';

// ---- internal (decoded) market-channel events ---------------------------

export type Side = 'BUY' | 'SELL';

/** One book level: price in 0.0001 units, size in shares. */
export interface Level {
  price: number;
  size: number;
}

export interface BookEvent {
  type: 'book';
  asset: string;
  market: string;
  ts: number;
  bids: Level[];
  asks: Level[];
  hash: string;
  lastTradePrice?: number;
  /**
   * The same levels as columns, when the event was built from them (a compiled
   * recording): a book reads these instead of `bids`/`asks`, which stay correct
   * for any other reader.
   */
  columns?: LevelColumns;
}

/** Levels in columns: prices and sizes from `start`, `bids` bid levels then `asks` ask levels, in the order received. */
export interface LevelColumns {
  px: Float64Array;
  sz: Float64Array;
  start: number;
  bids: number;
  asks: number;
}

export interface PriceChange {
  asset: string;
  price: number;
  /** New aggregate size of the level; 0 removes it. */
  size: number;
  /** BUY = a bid level, SELL = an ask level. */
  side: Side;
  hash?: string;
  bestBid?: number;
  bestAsk?: number;
}

export interface PriceChangeEvent {
  type: 'price_change';
  market: string;
  ts: number;
  changes: PriceChange[];
}

export interface TradeEvent {
  type: 'last_trade_price';
  asset: string;
  market: string;
  price: number;
  size: number;
  /** The taker's side. */
  side: Side;
  ts: number;
  feeRateBps?: number;
}

export interface TickSizeEvent {
  type: 'tick_size_change';
  asset: string;
  market: string;
  oldTick: number;
  newTick: number;
  ts: number;
}

export interface BestBidAskEvent {
  type: 'best_bid_ask';
  asset: string;
  market: string;
  bestBid?: number;
  bestAsk?: number;
  ts: number;
}

export interface NewMarketEvent {
  type: 'new_market';
  id: string;
  question: string;
  market: string;
  slug: string;
  assetIds: string[];
  outcomes: string[];
  tags: string[];
  eventId?: string;
  eventTitle?: string;
  ts: number;
}

export interface MarketResolvedEvent {
  type: 'market_resolved';
  id: string;
  market: string;
  assetIds: string[];
  winningAssetId: string;
  winningOutcome: string;
  ts: number;
}

export type MarketEvent =
  | BookEvent
  | PriceChangeEvent
  | TradeEvent
  | TickSizeEvent
  | BestBidAskEvent
  | NewMarketEvent
  | MarketResolvedEvent;

/** The `event_type` of every market-channel event, as sent and as decoded. */
export type MarketEventType = MarketEvent['type'];
export const MARKET_EVENT_TYPES: readonly MarketEventType[] = deepFreeze(['book', 'price_change', 'last_trade_price', 'tick_size_change', 'best_bid_ask', 'new_market', 'market_resolved']);

// ---- market channel on the wire -----------------------------------------

/** One book level as sent: decimal strings. */
export interface WireLevel {
  price: string;
  size: string;
}

/** Full book of one token (subscription dump, and after every trade that touches it). Bids ascending, asks descending: best last. */
export interface WireBook {
  event_type: 'book';
  market: string;
  asset_id: string;
  timestamp: string;
  hash: string;
  bids: WireLevel[];
  asks: WireLevel[];
  /** '' when the token has not traded. */
  last_trade_price?: string;
}

/** One level change inside a current-form price_change (each entry names its own asset). */
export interface WirePriceChangeEntry {
  asset_id: string;
  price: string;
  /** New aggregate size of the level; '0' removes it. */
  size: string;
  side: Side;
  hash?: string;
  best_bid?: string;
  best_ask?: string;
}

/** Current form (since 2025-09-15); the legacy forms are only decoded, never sent by us. */
export interface WirePriceChange {
  event_type: 'price_change';
  market: string;
  timestamp: string;
  price_changes: WirePriceChangeEntry[];
}

export interface WireLastTradePrice {
  event_type: 'last_trade_price';
  asset_id: string;
  market: string;
  price: string;
  size: string;
  /** The taker's side. */
  side: Side;
  timestamp: string;
  fee_rate_bps?: string;
  transaction_hash?: string;
}

export interface WireTickSizeChange {
  event_type: 'tick_size_change';
  asset_id: string;
  market: string;
  old_tick_size: string;
  new_tick_size: string;
  timestamp: string;
}

/** Custom-feature event. */
export interface WireBestBidAsk {
  event_type: 'best_bid_ask';
  asset_id: string;
  market: string;
  best_bid?: string;
  best_ask?: string;
  spread?: string;
  timestamp: string;
}

/** The parent event of a market, as the custom-feature events embed it. */
export interface WireEventMessage {
  id?: string | number;
  ticker?: string;
  slug?: string;
  title?: string;
  description?: string;
}

/** Custom-feature event: a market was listed. */
export interface WireNewMarket {
  event_type: 'new_market';
  id: string | number;
  question: string;
  market: string;
  slug: string;
  description?: string;
  assets_ids: string[];
  outcomes: string[];
  event_message?: WireEventMessage | null;
  tags?: string[] | null;
  timestamp: string;
  condition_id?: string;
  active?: boolean;
  clob_token_ids?: string[];
  order_price_min_tick_size?: string;
  group_item_title?: string;
  sports_market_type?: string;
  line?: string | number;
  /** RFC 3339 or ''. */
  game_start_time?: string;
}

/** Custom-feature event: a market resolved. */
export interface WireMarketResolved {
  event_type: 'market_resolved';
  id: string | number;
  market: string;
  assets_ids: string[];
  winning_asset_id: string;
  winning_outcome: string;
  timestamp: string;
  question?: string;
  slug?: string;
  description?: string;
  outcomes?: string[];
  event_message?: WireEventMessage | null;
  tags?: string[] | null;
}

export type WireMarketEvent = WireBook | WirePriceChange | WireLastTradePrice | WireTickSizeChange | WireBestBidAsk | WireNewMarket | WireMarketResolved;

// ---- CLOB order and trade records, and the user channel -----------------

/** An open order as REST /data/orders lists it. */
export interface WireOpenOrder {
  id: string;
  status: string;
  asset_id: string;
  side: string;
  original_size: string;
  size_matched: string;
  price: string;
}

/** One maker order filled by a trade. */
export interface WireMakerOrder {
  order_id: string;
  matched_amount: string;
  price: string;
  side: Side;
  maker_address: string;
  owner?: string;
  fee_rate_bps?: string;
  asset_id?: string;
  outcome?: string;
}

/** A trade record as REST /data/trades lists it (the user channel's trade events carry the same fields). */
export interface WireTrade {
  id: string;
  taker_order_id: string;
  asset_id: string;
  side: Side;
  size: string;
  price: string;
  /** MATCHED → MINED → CONFIRMED, or RETRYING / FAILED. */
  status: string;
  match_time: string;
  transaction_hash?: string;
  trader_side: 'TAKER' | 'MAKER';
  maker_orders: WireMakerOrder[];
  market?: string;
  outcome?: string;
  owner?: string;
  maker_address?: string;
  fee_rate_bps?: string;
  last_update?: string;
  bucket_index?: number;
}

/** The `event_type` of every user-channel event. */
export type UserEventType = UserEvent['event_type'];
export const USER_EVENT_TYPES: readonly UserEventType[] = deepFreeze(['order', 'trade']);

/** User channel: one of the key's orders was placed, (partly) filled or cancelled. */
export interface UserOrderEvent {
  event_type: 'order';
  type: 'PLACEMENT' | 'UPDATE' | 'CANCELLATION';
  id: string;
  asset_id: string;
  market: string;
  side: Side;
  price: string;
  original_size: string;
  size_matched: string;
  outcome: string;
  owner: string;
  order_owner?: string;
  associate_trades?: string[] | null;
  timestamp: string;
}

/** User channel: a trade of one of the key's orders, or a settlement update of it. */
export interface UserTradeEvent extends WireTrade {
  event_type: 'trade';
  type: 'TRADE';
  matchtime?: string;
  trade_owner?: string;
  timestamp: string;
}

export type UserEvent = UserOrderEvent | UserTradeEvent;

/** A user-channel event as received: only its event_type has been checked, every other field is still untrusted. */
export interface ReceivedUserEvent {
  event_type: UserEventType;
  [field: string]: unknown;
}
