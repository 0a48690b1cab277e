// Gamma objects as the venue serves them: every field most real markets and
// events carry (field sets and types checked against real captures), backed by
// the simulator's world — prices from the books, volumes from the fills,
// price changes from the mid history. Fields the world has no notion of
// (images, admin flags, UMA bond) carry the values typical real markets show.
import { createHash } from 'node:crypto';
import type { Exchange } from './exchange.js';
import type { World } from './world.js';
import type { SimEvent, SimMarket } from './world-types.js';
import { fmtPrice } from './wire-out.js';
import { PRICE_SCALE } from '../protocol/units.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WINDOWS = { d1: DAY, w1: 7 * DAY, m1: 30 * DAY, y1: 365 * DAY } as const;
const IMAGE_BASE = 'https://polymarket-upload.s3.us-east-2.amazonaws.com/';

/** "2026-03-04T17:04:01Z" (Gamma endDate/startDate). */
export const isoSec = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** "2026-03-04T17:04:01.608000Z" (Gamma createdAt/updatedAt carry microseconds). */
const isoMicro = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');
/** "2026-03-04" (endDateIso/startDateIso). */
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** "2026-05-09 02:07:01+00" (closedTime is not ISO-T on the venue). */
const pgTime = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '+00');
const round = (x: number, d = 6): number => Math.round(x * 10 ** d) / 10 ** d;
const hex = (text: string, n: number): string => createHash('sha256').update(text).digest('hex').slice(0, n);

export function tagSlug(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export interface GammaTag {
  id: string;
  label: string;
  slug: string;
  forceShow: boolean;
  createdAt: string;
  updatedAt: string;
  requiresTranslation: boolean;
}

/** One id per tag label across the whole world (the venue's tags are global). */
export class TagRegistry {
  private readonly byLabel = new Map<string, GammaTag>();
  readonly byId = new Map<string, GammaTag>();
  readonly bySlug = new Map<string, GammaTag>();

  constructor(
    world: World,
    private readonly epochMs: number,
  ) {
    const labels = new Set<string>();
    for (const ev of world.events) for (const t of ev.tags) labels.add(t);
    for (const ev of world.backfill?.events ?? []) for (const t of ev.tags) labels.add(t);
    for (const l of [...labels].sort()) this.of(l);
  }

  /** The tag of a label, registered on first sight (respawned events may bring new ones). */
  of(label: string): GammaTag {
    let t = this.byLabel.get(label);
    if (t) return t;
    const n = this.byLabel.size;
    t = {
      id: String(100_100 + n),
      label,
      slug: tagSlug(label),
      forceShow: false,
      createdAt: isoMicro(this.epochMs - (400 - (n % 300)) * DAY),
      updatedAt: isoMicro(this.epochMs - (n % 30) * DAY),
      requiresTranslation: false,
    };
    this.byLabel.set(label, t);
    this.byId.set(t.id, t);
    if (!this.bySlug.has(t.slug)) this.bySlug.set(t.slug, t);
    return t;
  }

  all(): GammaTag[] {
    return [...this.byLabel.values()];
  }
}

/** Volumes over the venue's windows: pre-sim volume spread evenly before the epoch, plus the simulation's fills. */
export interface Volumes {
  total: number;
  d1: number;
  w1: number;
  m1: number;
  y1: number;
}

export class GammaWire {
  readonly tags: TagRegistry;

  constructor(
    private readonly world: World,
    private readonly exchange: Exchange,
  ) {
    this.tags = new TagRegistry(world, world.epochMs);
  }

  liquidity(m: SimMarket): number {
    return m.closed ? 0 : Math.round(m.depth * 12 * 50) / 100;
  }

  volumes(m: SimMarket): Volumes {
    const now = this.exchange.now;
    const live = this.isLive(m);
    const traded = live ? this.exchange.tradedSince(m.index, 0) : 0;
    const pre = Math.max(0, m.volume - traded);
    // Volume a market brings into the simulation accrued before it: spread it
    // evenly over its life before the epoch, at least a month (the initial
    // catalog is listed at the epoch but arrives with its history's volume).
    const to = Math.min(this.world.epochMs, m.closedMs ?? this.world.epochMs);
    const from = Math.min(m.createdMs, to - 30 * DAY);
    const share = (w: number) => {
      const lo = Math.max(from, now - w);
      return lo >= to ? 0 : (pre * (to - lo)) / (to - from);
    };
    const win = (w: number) => round(share(w) + (live ? this.exchange.tradedSince(m.index, now - w) : 0));
    return { total: m.volume, d1: win(WINDOWS.d1), w1: win(WINDOWS.w1), m1: win(WINDOWS.m1), y1: win(WINDOWS.y1) };
  }

  /** A market of the world itself (not a backfill market, which the exchange never traded). */
  private isLive(m: SimMarket): boolean {
    return this.world.markets[m.index] === m;
  }

  /** YES outcome price change over `ms` from the mid history (0 when there is no sample that old). */
  private priceChange(m: SimMarket, ms: number, current: number): number {
    const h: ArrayLike<number> | undefined = this.exchange.history.get(m.tokenIds[0]) ?? this.world.backfill?.history.get(m.tokenIds[0]);
    if (!h || h.length < 2) return 0;
    const at = Math.floor((this.exchange.now - ms) / 1000);
    for (let i = h.length - 2; i >= 0; i -= 2) {
      if (h[i]! <= at) return round(current - h[i + 1]! / PRICE_SCALE, 4);
    }
    return 0;
  }

  /** YES and NO prices in units: the YES mid (or the estimate) while open, 1/0 once resolved. */
  prices(m: SimMarket): [number, number] {
    if (m.closed) return m.winner ? [PRICE_SCALE, 0] : [0, PRICE_SCALE];
    const yes = this.exchange.book(m.tokenIds[0]);
    const mid = yes && yes.bestBid !== undefined && yes.bestAsk !== undefined ? Math.round((yes.bestBid + yes.bestAsk) / 2) : Math.round(m.estimate * PRICE_SCALE);
    return [mid, PRICE_SCALE - mid];
  }

  rewards(m: SimMarket): { minSize: number; maxSpread: number; daily: number } {
    const tier = m.index % 4;
    return { minSize: [20, 50, 100, 200][tier]!, maxSpread: [3.5, 4.5, 3.5, 5.5][tier]!, daily: m.depth > 400 ? [5, 10, 25, 50][tier]! : 0 };
  }

  eventOf(m: SimMarket): SimEvent {
    const bf = this.world.backfill;
    return bf && bf.byId.get(m.id) === m ? bf.events[m.event]! : this.world.events[m.event]!;
  }

  market(m: SimMarket, withTags: boolean): Record<string, unknown> {
    const ev = this.eventOf(m);
    const prices = this.prices(m);
    const book = this.exchange.book(m.tokenIds[0]);
    const bb = book?.bestBid;
    const ba = book?.bestAsk;
    const vol = this.volumes(m);
    const liq = this.liquidity(m);
    const spread = bb !== undefined && ba !== undefined ? (ba - bb) / PRICE_SCALE : 1;
    const last = book?.lastTradePrice ?? prices[0];
    const current = prices[0] / PRICE_SCALE;
    const rw = this.rewards(m);
    const image = `${IMAGE_BASE}${ev.slug}.png`;
    // Changes only when the market's own record does (created, resolved): clients sync incrementally on it.
    const updated = m.closedMs ?? m.createdMs;
    const out: Record<string, unknown> = {
      id: m.id,
      question: m.question,
      conditionId: m.conditionId,
      slug: m.slug,
      resolutionSource: '',
      endDate: isoSec(m.endMs),
      liquidity: String(liq),
      startDate: isoSec(m.createdMs),
      image,
      icon: image,
      description: m.description,
      outcomes: JSON.stringify(m.outcomes),
      outcomePrices: JSON.stringify(prices.map((p) => fmtPrice(p))),
      volume: String(vol.total),
      active: true,
      closed: m.closed,
      marketMakerAddress: '',
      createdAt: isoMicro(m.createdMs - HOUR),
      updatedAt: isoMicro(updated),
      new: this.exchange.now - m.createdMs < DAY,
      featured: false,
      submitted_by: '0x' + hex(`submitter:${this.world.seed}`, 40),
      archived: false,
      resolvedBy: '0x' + hex(`resolver:${this.world.seed}`, 40),
      restricted: true,
      groupItemTitle: m.groupItemTitle ?? '',
      groupItemThreshold: String(m.member),
      questionID: m.questionId,
      enableOrderBook: true,
      orderPriceMinTickSize: m.tick / PRICE_SCALE,
      orderMinSize: m.minOrderSize,
      volumeNum: vol.total,
      liquidityNum: liq,
      endDateIso: isoDay(m.endMs),
      startDateIso: isoDay(m.createdMs),
      hasReviewedDates: true,
      volume24hr: vol.d1,
      volume1wk: vol.w1,
      volume1mo: vol.m1,
      volume1yr: vol.y1,
      clobTokenIds: JSON.stringify(m.tokenIds),
      umaBond: '500',
      umaReward: '5',
      volume24hrClob: vol.d1,
      volume1wkClob: vol.w1,
      volume1moClob: vol.m1,
      volume1yrClob: vol.y1,
      volumeClob: vol.total,
      liquidityClob: liq,
      acceptingOrders: !m.closed,
      negRisk: m.negRisk,
      ready: false,
      funded: false,
      acceptingOrdersTimestamp: isoSec(m.createdMs),
      cyom: false,
      competitive: round(Math.max(0, 1 - spread / 0.2), 6),
      pagerDutyNotificationEnabled: false,
      approved: true,
      rewardsMinSize: rw.minSize,
      rewardsMaxSpread: rw.maxSpread,
      spread: round(spread, 4),
      oneDayPriceChange: this.priceChange(m, DAY, current),
      oneHourPriceChange: this.priceChange(m, HOUR, current),
      oneWeekPriceChange: this.priceChange(m, 7 * DAY, current),
      oneMonthPriceChange: this.priceChange(m, 30 * DAY, current),
      oneYearPriceChange: this.priceChange(m, 365 * DAY, current),
      lastTradePrice: last / PRICE_SCALE,
      bestBid: bb !== undefined ? bb / PRICE_SCALE : 0,
      bestAsk: ba !== undefined ? ba / PRICE_SCALE : 1,
      automaticallyActive: true,
      clearBookOnStart: true,
      customLiveness: 0,
      seriesColor: '',
      showGmpSeries: false,
      showGmpOutcome: false,
      manualActivation: false,
      negRiskOther: ev.augmented && m.member === ev.markets.length - 1,
      umaResolutionStatuses: m.closed ? '["proposed","resolved"]' : '[]',
      pendingDeployment: false,
      deploying: false,
      deployingTimestamp: isoMicro(m.createdMs - HOUR + 60_000),
      rfqEnabled: false,
      holdingRewardsEnabled: false,
      feesEnabled: m.feeRate > 0,
      requiresTranslation: false,
      feeSchedule: { exponent: 1, rate: m.feeRate, rebateRate: m.rebateRate, takerOnly: true },
      events: [this.eventCore(ev, withTags)],
    };
    // Game sub-markets carry the venue's sports fields (gameStartTime in its Postgres form).
    if (m.sportsMarketType) out['sportsMarketType'] = m.sportsMarketType;
    if (m.gameStartMs !== undefined) out['gameStartTime'] = pgTime(m.gameStartMs);
    if (m.line !== undefined) out['line'] = m.line;
    if (m.feeRate > 0) out['feeType'] = `${tagSlug(m.category.split('/')[0]!)}_fees`;
    if (m.negRisk) {
      if (ev.negRiskMarketId) out['negRiskMarketID'] = ev.negRiskMarketId;
      out['negRiskRequestID'] = '0x' + hex(`nrreq:${m.conditionId}`, 64);
    } else out['negRiskRequestID'] = '';
    if (m.closed) {
      const closedMs = m.closedMs ?? m.endMs;
      out['closedTime'] = pgTime(closedMs);
      out['umaEndDate'] = isoMicro(closedMs);
      out['umaResolutionStatus'] = 'resolved';
      out['automaticallyResolved'] = true;
      out['fpmmLive'] = false;
      // Closed markets carry the legacy AMM volume fields (zero: the simulator never ran an AMM).
      out['volume1wkAmm'] = 0;
      out['volume1moAmm'] = 0;
      out['volume1yrAmm'] = 0;
    }
    if (withTags) out['tags'] = this.eventTags(ev);
    return out;
  }

  eventTags(ev: SimEvent): GammaTag[] {
    return ev.tags.map((t) => this.tags.of(t));
  }

  private eventClosed(ev: SimEvent): boolean {
    return ev.markets.every((i) => this.marketAt(ev, i).closed);
  }

  /** The event's markets live in the world, or in the backfill for backfill events. */
  private marketAt(ev: SimEvent, i: number): SimMarket {
    const bf = this.world.backfill;
    return bf && bf.events[ev.index] === ev ? bf.markets[i]! : this.world.markets[i]!;
  }

  /** The ~40 scalar fields of an event (nested in each market, and the body of /events items). */
  private eventCore(ev: SimEvent, withTags: boolean): Record<string, unknown> {
    const markets = ev.markets.map((i) => this.marketAt(ev, i));
    let volume = 0;
    let liquidity = 0;
    const v = { d1: 0, w1: 0, m1: 0, y1: 0 };
    for (const m of markets) {
      const mv = this.volumes(m);
      volume += mv.total;
      v.d1 += mv.d1;
      v.w1 += mv.w1;
      v.m1 += mv.m1;
      v.y1 += mv.y1;
      liquidity += this.liquidity(m);
    }
    const closed = this.eventClosed(ev);
    const image = `${IMAGE_BASE}${ev.slug}.png`;
    const out: Record<string, unknown> = {
      id: ev.id,
      ticker: ev.slug,
      slug: ev.slug,
      title: ev.title,
      description: ev.description,
      resolutionSource: '',
      startDate: isoMicro(ev.createdMs),
      creationDate: isoMicro(ev.createdMs - 1000),
      endDate: isoSec(ev.endMs),
      image,
      icon: image,
      active: true,
      closed,
      archived: false,
      new: this.exchange.now - ev.createdMs < DAY,
      featured: false,
      restricted: true,
      liquidity: round(liquidity),
      volume: round(volume),
      openInterest: 0,
      createdAt: isoMicro(ev.createdMs - HOUR),
      updatedAt: isoMicro(Math.max(ev.createdMs, ...markets.map((m) => m.closedMs ?? m.createdMs))),
      competitive: markets.length ? round(markets.reduce((s, m) => s + (m.closed ? 0 : 1), 0) / markets.length, 6) : 0,
      volume24hr: round(v.d1),
      volume1wk: round(v.w1),
      volume1mo: round(v.m1),
      volume1yr: round(v.y1),
      enableOrderBook: true,
      liquidityClob: round(liquidity),
      negRisk: ev.negRisk,
      commentCount: (ev.index * 7) % 50,
      cyom: false,
      showAllOutcomes: true,
      showMarketImages: markets.length > 1,
      enableNegRisk: ev.negRisk,
      automaticallyActive: true,
      gmpChartMode: 'default',
      negRiskAugmented: ev.augmented,
      cumulativeMarkets: false,
      pendingDeployment: false,
      deploying: false,
      deployingTimestamp: isoMicro(ev.createdMs - HOUR + 60_000),
      requiresTranslation: false,
    };
    if (markets.length > 1) out['sortBy'] = 'price';
    if (closed) {
      out['closedTime'] = pgTime(Math.max(...markets.map((m) => m.closedMs ?? m.endMs)));
      out['automaticallyResolved'] = true;
    }
    if (ev.negRisk && ev.negRiskMarketId) out['negRiskMarketID'] = ev.negRiskMarketId;
    if (ev.series !== null) {
      const series = this.seriesOf(ev, v.d1, volume, liquidity);
      out['seriesSlug'] = series['slug'];
      out['series'] = [series];
    }
    if (withTags) out['tags'] = this.eventTags(ev);
    return out;
  }

  /**
   * Recurring families (daily up/down, weekly counts, …) belong to their own
   * series, as on the venue; every other event to its category's series (most
   * real single-market events carry one: leagues, assets, topics).
   */
  private seriesOf(ev: SimEvent, volume24hr: number, volume: number, liquidity: number): Record<string, unknown> {
    if (ev.series) return this.namedSeries(ev, ev.series.slug, ev.series.title, ev.series.recurrence, volume24hr, volume, liquidity);
    const m = this.marketAt(ev, ev.markets[0]!);
    const fam = this.isLive(m) ? this.world.families[m.family] : undefined;
    const recurMs = fam?.recurMs ?? 0;
    const key = fam && recurMs > 0 ? `${fam.template.category}#${fam.template.family}` : ev.category;
    const slug = fam && recurMs > 0 ? `${tagSlug(fam.template.category)}-${fam.template.family}-series` : `${tagSlug(ev.category)}-series`;
    const days = recurMs / DAY;
    const title = recurMs > 0 ? `${ev.category} recurring ${fam!.template.family}` : ev.category;
    const recurrence = recurMs <= 0 ? 'daily' : days < 1 ? 'hourly' : days <= 1 ? 'daily' : days <= 7 ? 'weekly' : days <= 31 ? 'monthly' : 'annual';
    return this.namedSeries(ev, slug, title, recurrence, volume24hr, volume, liquidity, key);
  }

  /** A series record; its id is drawn from `idKey` (a named series: one id per slug). */
  private namedSeries(ev: SimEvent, slug: string, title: string, recurrence: string, volume24hr: number, volume: number, liquidity: number, idKey = `series:${slug}`): Record<string, unknown> {
    return {
      id: String(10_000 + (parseInt(hex(idKey, 6), 16) % 90_000)),
      ticker: slug,
      slug,
      title,
      seriesType: 'single',
      recurrence,
      image: '',
      icon: '',
      active: true,
      closed: false,
      archived: false,
      featured: false,
      restricted: true,
      createdAt: isoMicro(this.world.epochMs - 90 * DAY),
      updatedAt: isoMicro(ev.createdMs),
      volume24hr: round(volume24hr),
      volume: round(volume),
      liquidity: round(liquidity),
      commentCount: 0,
      requiresTranslation: false,
    };
  }

  /** A full /events item: the event's fields, its markets and its tags. */
  event(ev: SimEvent): Record<string, unknown> {
    const core = this.eventCore(ev, true);
    const markets = ev.markets.map((i) => this.market(this.marketAt(ev, i), false));
    const { tags, ...rest } = core;
    return { ...rest, markets, tags };
  }
}
