// Length and character bounds on the ids and texts a decoded event carries:
// they are kept per book and reach the terminal and the database as keys.
import { ID_TEXT, MAX_ID_CHARS, MAX_TEXT_CHARS } from './limits.js';
import type { MarketEvent } from './events.js';

// Ids and hashes are printable ASCII on the real venue; anything else (escapes,
// bidi or invisible characters) would reach the terminal and the database as a key.
const longId = (s: string | undefined) => s !== undefined && (s.length > MAX_ID_CHARS || !ID_TEXT.test(s));
const longText = (s: string | undefined) => s !== undefined && s.length > MAX_TEXT_CHARS;

/** The first field of an event over its length cap, or undefined. */
export function oversized(ev: MarketEvent): string | undefined {
  switch (ev.type) {
    case 'book':
      return longId(ev.asset) ? 'asset_id' : longId(ev.market) ? 'market' : longId(ev.hash) ? 'hash' : undefined;
    case 'price_change':
      if (longId(ev.market)) return 'market';
      for (const c of ev.changes) if (longId(c.asset) || longId(c.hash)) return longId(c.asset) ? 'asset_id' : 'hash';
      return undefined;
    case 'new_market':
    case 'market_resolved': {
      if (longId(ev.id) || longId(ev.market)) return 'id';
      if (ev.assetIds.length > 100 || ev.assetIds.some(longId)) return 'assets_ids';
      if (ev.type === 'new_market') {
        if (longText(ev.question) || longText(ev.slug) || longText(ev.eventTitle) || longId(ev.eventId)) return 'question';
        if (ev.outcomes.length > 100 || ev.outcomes.some(longText) || ev.tags.length > 100 || ev.tags.some(longText)) return 'outcomes';
      } else if (longId(ev.winningAssetId) || longText(ev.winningOutcome)) return 'winning_asset_id';
      return undefined;
    }
    default:
      return longId(ev.asset) || longId(ev.market) ? 'asset_id' : undefined;
  }
}
