// Gamma REST market and event objects (research/polymarket-protocol.md §2):
// JSON-encoded string fields decoded, number-as-string fields coerced, the
// non-ISO closedTime ("2026-05-09 02:07:01+00") parsed.
import { ID_TEXT, MAX_ID_CHARS, MAX_TEXT_CHARS, parseUntrustedJson } from './limits.js';
import { z } from 'zod';
import type { Decoded } from './errors.js';
import { describeZodError, looseNumber, probValue } from './wire.js';
import { PRICE_SCALE } from './units.js';
import { deepFreeze } from '../frozen.js';

export interface FeeSchedule {
  /** Taker rate r in fee = shares × r × (p(1−p))^exponent. 0 when fees are off. */
  rate: number;
  exponent: number;
  takerOnly: boolean;
  rebateRate: number;
}

export const NO_FEES: FeeSchedule = deepFreeze({ rate: 0, exponent: 1, takerOnly: true, rebateRate: 0 });

/** A Gamma market as the engine uses it (DESIGN §3 units). */
export interface CatalogMarket {
  id: string;
  conditionId: string;
  question: string;
  slug: string;
  outcomes: string[];
  /** Outcome prices in 0.0001 units (mid prices; ["1","0"] once resolved). */
  outcomePrices: number[];
  tokenIds: string[];
  active: boolean;
  closed: boolean;
  closedTime?: number;
  endDate?: number;
  startDate?: number;
  updatedAt?: number;
  volume: number;
  liquidity: number;
  negRisk: boolean;
  negRiskMarketId?: string;
  fee: FeeSchedule;
  /** Minimum tick in 0.0001 units. */
  tickSize: number;
  minOrderSize: number;
  bestBid?: number;
  bestAsk?: number;
  eventId?: string;
  eventTitle?: string;
  eventSlug?: string;
  /** The event may gain outcomes later ("Other" placeholders): not exhaustive. */
  eventAugmented?: boolean;
  tags: string[];
  category?: string;
  groupItemTitle?: string;
  /** The parent event's series slug ("nba", "elon-tweets", "nyc-daily-weather"). */
  seriesSlug?: string;
  /** Gamma's sports market shape ("moneyline", "totals", "spreads", "map_handicap"). */
  sportsMarketType?: string;
  /** The opening of the description (bounded): the categoriser's last resort. */
  description?: string;
  /**
   * The rules text up to 2,000 characters, when longer than `description`: the
   * crypto resolver reads the reference and the instant from it (real rules run
   * to ~900 characters; cut at 400, 12 of 956 mapped markets resolve differently).
   */
  rules?: string;
  /** Gamma's resolutionSource (a URL or a name), bounded. */
  resolutionSource?: string;
  /** Start of the observed window (up/down markets): the market's eventStartTime, else its event's startTime. */
  eventStartTime?: number;
}

export interface CatalogEvent {
  id: string;
  title: string;
  slug: string;
  tags: string[];
  negRisk: boolean;
  augmented: boolean;
  closed: boolean;
  endDate?: number;
  volume: number;
  markets: CatalogMarket[];
}

/**
 * Parses Gamma timestamps: ISO ("2025-12-31T12:00:00Z", with or without
 * microseconds) and the Postgres form used by closedTime ("2026-05-09 02:07:01+00").
 */
export function parseGammaTime(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [, date, time = '00:00:00', frac = '', zone = 'Z'] = m;
  const ms = frac ? frac.slice(0, 4).padEnd(4, '0') : '';
  let tz = zone;
  if (tz !== 'Z') {
    const sign = tz[0];
    const digits = tz.slice(1).replace(':', '');
    tz = `${sign}${digits.slice(0, 2)}:${(digits.slice(2) || '00').padEnd(2, '0')}`;
  }
  const t = Date.parse(`${date}T${time.length === 5 ? time + ':00' : time}${ms}${tz}`);
  if (!Number.isFinite(t)) return undefined;
  const [y, mo, d] = date!.split('-').map(Number) as [number, number, number];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return t;
}

const timeText = z.string().transform((text, ctx) => {
  if (text === '') return undefined;
  const t = parseGammaTime(text);
  if (t === undefined) {
    ctx.issues.push({ code: 'custom', message: `not a timestamp: ${JSON.stringify(text.slice(0, 32))}`, input: text });
    return z.NEVER;
  }
  return t;
});

/** A JSON array encoded as a string ("[\"Yes\", \"No\"]"), or a real array. */
function jsonStringArray<T extends z.ZodType>(item: T) {
  // Built once with the field's schema, not per value: a schema built per call
  // was new code to V8 (zod compiles its checks) in every parse of every market.
  const items = z.array(item);
  return z.union([z.string(), z.array(z.unknown())]).transform((value, ctx): z.output<T>[] => {
    let arr: unknown = value;
    if (typeof value === 'string') {
      if (value === '') return [];
      try {
        arr = parseUntrustedJson(value);
      } catch {
        ctx.issues.push({ code: 'custom', message: 'not a JSON-encoded array', input: value });
        return z.NEVER;
      }
    }
    const parsed = items.safeParse(arr);
    if (!parsed.success) {
      const d = describeZodError(parsed.error);
      ctx.issues.push({ code: 'custom', message: `encoded array: ${d.message}`, input: value });
      return z.NEVER;
    }
    return parsed.data;
  });
}

const feeScheduleSchema = z.object({
  rate: looseNumber,
  exponent: looseNumber.optional(),
  takerOnly: z.boolean().optional(),
  rebateRate: looseNumber.optional(),
});

const tagSchema = z.union([
  z.string().max(MAX_TEXT_CHARS),
  z.object({ label: z.string().nullable().optional(), slug: z.string().nullable().optional() }).transform((t) => t.label ?? t.slug ?? ''),
]);

/** Ids are keys in the database and on screen: printable ASCII, bounded. */
const idText = z.string().max(MAX_ID_CHARS).regex(ID_TEXT, 'not a printable id');

const nestedEventSchema = z.object({
  id: z.union([idText, z.number()]).transform(String),
  title: z.string().max(MAX_TEXT_CHARS).nullable().optional(),
  slug: z.string().max(MAX_TEXT_CHARS).nullable().optional(),
  negRiskAugmented: z.boolean().nullable().optional(),
  tags: z.array(tagSchema).nullable().optional(),
  seriesSlug: z.string().nullable().optional().catch(undefined),
  series: z.array(z.object({ slug: z.string().nullable().optional() }).passthrough()).nullable().optional().catch(undefined),
  startTime: timeText.nullable().optional().catch(undefined),
});

const opt = <T extends z.ZodType>(s: T) => s.nullable().optional();

export const gammaMarketSchema = z
  .object({
    id: z.union([idText, z.number()]).transform(String),
    question: z.string().max(MAX_TEXT_CHARS),
    conditionId: idText,
    slug: opt(z.string().max(MAX_TEXT_CHARS)),
    outcomes: opt(jsonStringArray(z.string().max(MAX_TEXT_CHARS))),
    outcomePrices: opt(jsonStringArray(probValue)),
    clobTokenIds: opt(jsonStringArray(idText)),
    active: opt(z.boolean()),
    closed: opt(z.boolean()),
    closedTime: opt(timeText),
    endDate: opt(timeText),
    startDate: opt(timeText),
    updatedAt: opt(timeText),
    volume: opt(looseNumber),
    volumeNum: opt(looseNumber),
    liquidity: opt(looseNumber),
    liquidityNum: opt(looseNumber),
    negRisk: opt(z.boolean()),
    negRiskMarketID: opt(idText),
    feesEnabled: opt(z.boolean()),
    feeSchedule: opt(feeScheduleSchema),
    takerBaseFee: opt(looseNumber),
    orderPriceMinTickSize: opt(looseNumber),
    orderMinSize: opt(looseNumber),
    bestBid: opt(probValue),
    bestAsk: opt(probValue),
    events: opt(z.array(nestedEventSchema)),
    tags: opt(z.array(tagSchema)),
    category: opt(z.string().max(MAX_TEXT_CHARS)),
    groupItemTitle: opt(z.string().max(MAX_TEXT_CHARS)),
    sportsMarketType: opt(z.string().max(MAX_TEXT_CHARS)).catch(undefined),
    // Long rules texts are common; only a bounded head is kept (see the transform).
    description: opt(z.string()).catch(undefined),
    resolutionSource: opt(z.string()).catch(undefined),
    eventStartTime: opt(timeText).catch(undefined),
  })
  .transform((w): CatalogMarket => {
    const event = w.events?.[0];
    const out: CatalogMarket = {
      id: w.id,
      conditionId: w.conditionId,
      question: w.question,
      slug: w.slug ?? '',
      outcomes: w.outcomes ?? [],
      outcomePrices: w.outcomePrices ?? [],
      tokenIds: w.clobTokenIds ?? [],
      active: w.active ?? false,
      closed: w.closed ?? false,
      volume: w.volumeNum ?? w.volume ?? 0,
      liquidity: w.liquidityNum ?? w.liquidity ?? 0,
      negRisk: w.negRisk ?? false,
      fee: feeOf(w.feesEnabled ?? false, w.feeSchedule ?? undefined, w.takerBaseFee ?? undefined),
      tickSize: w.orderPriceMinTickSize ? Math.max(1, Math.round(w.orderPriceMinTickSize * PRICE_SCALE)) : 100,
      minOrderSize: w.orderMinSize ?? 5,
      tags: [...(w.tags ?? []), ...(event?.tags ?? [])].filter((t) => t !== ''),
    };
    if (w.closedTime != null) out.closedTime = w.closedTime;
    if (w.endDate != null) out.endDate = w.endDate;
    if (w.startDate != null) out.startDate = w.startDate;
    if (w.updatedAt != null) out.updatedAt = w.updatedAt;
    if (w.negRiskMarketID) out.negRiskMarketId = w.negRiskMarketID;
    if (w.bestBid != null) out.bestBid = w.bestBid;
    if (w.bestAsk != null) out.bestAsk = w.bestAsk;
    if (event) {
      out.eventId = event.id;
      if (event.title) out.eventTitle = event.title;
      if (event.slug) out.eventSlug = event.slug;
      if (event.negRiskAugmented) out.eventAugmented = true;
    }
    if (w.category) out.category = w.category;
    if (w.groupItemTitle) out.groupItemTitle = w.groupItemTitle;
    const series = event?.seriesSlug ?? event?.series?.find((x) => x.slug)?.slug;
    if (series) out.seriesSlug = series;
    if (w.sportsMarketType) out.sportsMarketType = w.sportsMarketType;
    if (w.description) out.description = w.description.slice(0, 400);
    if (w.description && w.description.length > 400) out.rules = w.description.slice(0, 2_000);
    if (w.resolutionSource) out.resolutionSource = w.resolutionSource.slice(0, 300);
    const start = w.eventStartTime ?? event?.startTime;
    if (start != null) out.eventStartTime = start;
    return out;
  });

function feeOf(enabled: boolean, schedule: z.output<typeof feeScheduleSchema> | undefined, takerBaseFeeBps: number | undefined): FeeSchedule {
  if (!enabled) return NO_FEES;
  if (schedule) {
    return { rate: schedule.rate, exponent: schedule.exponent ?? 1, takerOnly: schedule.takerOnly ?? true, rebateRate: schedule.rebateRate ?? 0 };
  }
  // Legacy markets flagged feesEnabled without a schedule carry a base fee in bps.
  return { ...NO_FEES, rate: (takerBaseFeeBps ?? 0) / 10_000 };
}

export const gammaEventSchema = z
  .object({
    id: z.union([z.string(), z.number()]).transform(String),
    title: z.string(),
    slug: opt(z.string()),
    tags: opt(z.array(tagSchema)),
    negRisk: opt(z.boolean()),
    negRiskAugmented: opt(z.boolean()),
    closed: opt(z.boolean()),
    endDate: opt(timeText),
    volume: opt(looseNumber),
    markets: opt(z.array(z.unknown())),
  })
  .transform((w) => w);

/** Decodes one Gamma market object. */
export function decodeGammaMarket(value: unknown): Decoded<CatalogMarket> {
  const r = gammaMarketSchema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  const d = describeZodError(r.error);
  return { ok: false, error: { kind: 'schema', field: d.field, message: `gamma market: ${d.message}` } };
}

/** Decodes one Gamma event object with its nested markets (each market validated alone). */
export function decodeGammaEvent(value: unknown): Decoded<CatalogEvent> & { marketErrors?: number } {
  const r = gammaEventSchema.safeParse(value);
  if (!r.success) {
    const d = describeZodError(r.error);
    return { ok: false, error: { kind: 'schema', field: d.field, message: `gamma event: ${d.message}` } };
  }
  const w = r.data;
  const tags = (w.tags ?? []).filter((t) => t !== '');
  const markets: CatalogMarket[] = [];
  let marketErrors = 0;
  for (const raw of w.markets ?? []) {
    const m = decodeGammaMarket(raw);
    if (!m.ok) {
      marketErrors++;
      continue;
    }
    const market = m.value;
    market.eventId ??= w.id;
    market.eventTitle ??= w.title;
    if (w.slug) market.eventSlug ??= w.slug;
    if (w.negRiskAugmented) market.eventAugmented = true;
    if (market.tags.length === 0) market.tags = [...tags];
    markets.push(market);
  }
  const event: CatalogEvent = {
    id: w.id,
    title: w.title,
    slug: w.slug ?? '',
    tags,
    negRisk: w.negRisk ?? false,
    augmented: w.negRiskAugmented ?? false,
    closed: w.closed ?? false,
    volume: w.volume ?? 0,
    markets,
  };
  if (w.endDate != null) event.endDate = w.endDate;
  return { ok: true, value: event, marketErrors };
}

/** Gamma list endpoints answer an array; keyset endpoints wrap it with a cursor. */
export const keysetMarketsPage = z.object({ markets: z.array(z.unknown()), next_cursor: z.string().nullable().optional() });
export const keysetEventsPage = z.object({ events: z.array(z.unknown()), next_cursor: z.string().nullable().optional() });

/** Outcome of a closed market from its outcomePrices: the winning index, or undefined if not settled 1/0. */
export function resolvedOutcomeIndex(m: Pick<CatalogMarket, 'closed' | 'outcomePrices'>): number | undefined {
  if (!m.closed) return undefined;
  const idx = m.outcomePrices.findIndex((p) => p === PRICE_SCALE);
  if (idx < 0) return undefined;
  return m.outcomePrices.every((p, i) => i === idx || p === 0) ? idx : undefined;
}
