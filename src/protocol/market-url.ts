// The polymarket.com page of a market, from its Gamma slugs. Real pages are
// /event/<event slug> for a market alone in its event (its slug is the event's
// in ~97% of the real catalog) and /event/<event slug>/<market slug> for a
// market of a multi-market event (the two slugs differ). Slugs are network
// text: a slug that is not plain URL path text is refused, never escaped into
// a link that opens something else.
import type { CatalogMarket } from './gamma.js';

export const POLYMARKET_WEB = 'https://polymarket.com';

/** Longest slug we put in a link (real ones run to ~170 characters). */
export const MAX_SLUG_CHARS = 200;

// RFC 3986 unreserved characters only: real slugs use [a-z0-9-], some with
// capitals, '.' ("1.5-points") or '_'.
const SLUG = /^[A-Za-z0-9._~-]+$/;

/** The slug when it is safe as one URL path segment, else undefined. */
export function safeSlug(slug: string | undefined): string | undefined {
  if (!slug || slug.length > MAX_SLUG_CHARS || !SLUG.test(slug)) return undefined;
  // '.' and '..' are path navigation, not names.
  return /^\.+$/.test(slug) ? undefined : slug;
}

/** The market's page, or '' when Gamma gave no usable slug. */
export function marketUrl(m: Pick<CatalogMarket, 'slug' | 'eventSlug'>): string {
  const ev = safeSlug(m.eventSlug);
  const mk = safeSlug(m.slug);
  if (ev) return mk && mk !== ev ? `${POLYMARKET_WEB}/event/${ev}/${mk}` : `${POLYMARKET_WEB}/event/${ev}`;
  // No parent event (a handful of old markets): the site's market route redirects to its page.
  return mk ? `${POLYMARKET_WEB}/market/${mk}` : '';
}
