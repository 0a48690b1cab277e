// Market → reference rule. A crypto market is only worth a fair value if we
// know exactly what it settles on: which asset, which reference (the rules
// name Binance 1-minute/1-hour candles or a Chainlink data stream, older ones
// CoinGecko or Coinbase), which comparison, which strike and which instant.
// Everything is read from the market's own rules text and title, never guessed
// from a category: when the wording is not one we recognise, or the title and
// the rules disagree, the market is unmapped with the reason. A wrong mapping
// would price the wrong event; an unmapped one only costs coverage.
import { etToUtc, hour24, monthIndex, nearestYear } from './et-time.js';
import { assetFromPair, mentionedAssets } from './assets.js';

export type RuleKind = 'above' | 'below' | 'range' | 'updown' | 'reach' | 'dip';
export type RefSource = 'binance' | 'chainlink' | 'coinbase' | 'coingecko';

/** The fields of a Gamma market the resolver reads. */
export interface RefMarket {
  id: string;
  conditionId: string;
  question: string;
  slug: string;
  description: string;
  resolutionSource: string;
  endDate?: number;
  startDate?: number;
  /** Gamma's eventStartTime (window start of up/down markets), when present. */
  eventStartTime?: number;
}

export interface MappedRule {
  status: 'mapped';
  asset: string;
  kind: RuleKind;
  /** Strike in USD (lower bound for a range); null for up/down (the start price is set when the window opens). */
  strike: number | null;
  /** Upper bound of a range. */
  strikeHigh?: number;
  /** Start of the observed window (up/down start, reach/dip window start); null for a single-instant rule. */
  windowStart: number | null;
  /** The instant the rule observes (candle time, window end). */
  resolvesAt: number;
  source: RefSource;
  /** The reference series: a Binance symbol ("BTCUSDT") or Chainlink stream ("btc-usd"). */
  series?: string;
  /** Candle the rule reads (Binance). */
  candle?: '1m' | '1h';
}

export interface UnmappedRule {
  status: 'unmapped';
  /** Whether this looked like a crypto market at all. */
  crypto: boolean;
  reason: string;
}

export type ResolvedRule = MappedRule | UnmappedRule;

const HOUR = 3_600_000;
const MINUTE = 60_000;

const unmapped = (reason: string, crypto = true): UnmappedRule => ({ status: 'unmapped', crypto, reason });

// Markets that mention a coin but settle on something other than its price.
const NOT_PRICE: Array<[RegExp, string]> = [
  [/floor price|\bnft\b|opensea|blur\.io/i, 'NFT floor price, not a coin price'],
  [/\betf\b/i, 'ETF approval or flows, not a coin price'],
  [/gas price|gwei|burned|\bfees?\b/i, 'on-chain metric, not a coin price'],
  [/market cap|more valuable|flip/i, 'market-cap comparison, not a price rule'],
  [/all[- ]time high|\bath\b/i, 'all-time-high rule (depends on the whole price history)'],
  [/\bsay\b|\bsaid\b|tweet|mention/i, 'speech or post, not a price'],
  [/purchase|\bbuys?\b|\bsells?\b|\bhold\b|reserve|announce|liquidat|hard fork|satoshi|hack/i, 'corporate or government action, not a price'],
  [/perform better|outperform|higher or lower .*merge|\bor \$?[A-Z]{2,5}\b.*higher/i, 'relative performance of two assets, not one price'],
  [/ or \$?\d[\d,.]*\s*[kKmM]? first|first\?/i, 'two-barrier race (which level is hit first)'],
];

export function resolveMarket(m: RefMarket): ResolvedRule {
  const q = m.question.trim();
  const d = m.description ?? '';
  const text = `${q}\n${d}`;
  const source = sourceOf(d, m.resolutionSource);
  let assets = mentionedAssets(q);
  // A coin we have no name for: take it from the pair the rules read, if the title names it too.
  if (assets.length === 0 && (source === 'binance' || source === 'coinbase')) {
    const named = pairNamedInRules(d, q);
    if (named) assets = [named];
  }
  const looksCrypto = assets.length > 0 || (source !== undefined && source !== 'conflict');
  if (!looksCrypto) return unmapped('not a crypto market', false);
  for (const [re, reason] of NOT_PRICE) if (re.test(q) || (re.source.includes('scalar') && re.test(d))) return unmapped(reason);
  if (/scalar market/i.test(d)) return unmapped('scalar market (settles on a range of payouts, not yes/no)');
  if (assets.length > 1) return unmapped(`several assets in the title (${assets.join(', ')})`);
  if (assets.length === 0) return unmapped('no known coin named in the title');
  const asset = assets[0]!;
  if (source === undefined) return unmapped('rules name no price source');
  if (source === 'conflict') return unmapped('rules name more than one price source');
  const series = seriesOf(d, source, asset);
  if (series && assetFromPair(series) !== asset) return unmapped(`title names ${asset} but the rules read ${series}`);
  const ref = m.endDate ?? m.eventStartTime ?? m.startDate;
  if (ref === undefined) return unmapped('no end date to place the title date in a year');

  const rule = kindAndTimes(q, d, ref, m, source);
  if ('reason' in rule) return unmapped(rule.reason);
  const base = { status: 'mapped' as const, asset, source, ...(series ? { series } : {}) };
  if (rule.kind === 'updown') {
    if (!/\bup\b/i.test(q) || !/\bdown\b/i.test(q)) return unmapped('up/down rules on a market not titled Up or Down');
    return { ...base, kind: 'updown', strike: null, windowStart: rule.windowStart ?? null, resolvesAt: rule.resolvesAt, ...candleOf(source, rule) };
  }
  const strikes = strikesOf(q);
  if (strikes.length === 0) return unmapped('no strike price in the title');
  const ruleNumbers = ruleStrikes(d);
  let kind: RuleKind = rule.kind;
  if (kind === 'above' || kind === 'below' || kind === 'range') {
    // Bracket ladders share one rules text; the title says which bracket.
    if (/\bbetween\b/i.test(q)) kind = 'range';
    else if (/less than|below|under/i.test(q)) kind = 'below';
    else if (/greater than|above|over|or more|or higher/i.test(q)) kind = 'above';
    else return unmapped('title states no comparison');
    if (rule.kind === 'above' && kind !== 'above') return unmapped('rules say above, title says otherwise');
  }
  if (kind === 'range') {
    if (strikes.length !== 2 || !(strikes[0]! < strikes[1]!)) return unmapped('range without two increasing bounds');
    return { ...base, kind, strike: strikes[0]!, strikeHigh: strikes[1]!, windowStart: null, resolvesAt: rule.resolvesAt, ...candleOf(source, rule) };
  }
  if (strikes.length !== 1) return unmapped('more than one price in the title');
  const strike = strikes[0]!;
  if (ruleNumbers.length > 0 && !ruleNumbers.some((n) => Math.abs(n - strike) <= Math.max(0.011, strike * 2e-4))) {
    return unmapped(`title strike ${strike} disagrees with the rules (${ruleNumbers.join(', ')})`);
  }
  return { ...base, kind, strike, windowStart: rule.windowStart ?? null, resolvesAt: rule.resolvesAt, ...candleOf(source, rule) };
}

function candleOf(source: RefSource, rule: { candle?: '1m' | '1h' }): { candle?: '1m' | '1h' } {
  return source === 'binance' && rule.candle ? { candle: rule.candle } : {};
}

/** "for Ethena (ENA/USDT)", "for FARTCOINUSDT", "for BLUR-USD": the base, when the title names it or the name beside it. */
function pairNamedInRules(d: string, q: string): string | undefined {
  const r = /candle for\s+(?:([A-Z][A-Za-z0-9 .]{1,30}?)\s+\()?\$?([A-Z0-9]{2,12}?)[\/_-]?(USDT|USDC|USD)\b/.exec(d);
  if (!r) return undefined;
  const base = r[2]!;
  const name = r[1]?.trim();
  const inTitle = (w: string) => new RegExp(`(?:^|[^A-Za-z0-9])\\$?${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`, 'i').test(q);
  return inTitle(base) || (name !== undefined && inTitle(name)) ? base : undefined;
}

/** Which reference the rules name. Description first; the resolutionSource URL only when the text names none. */
export function sourceOf(description: string, resolutionSource: string): RefSource | 'conflict' | undefined {
  const found = new Set<RefSource>();
  if (/chainlink/i.test(description)) found.add('chainlink');
  if (/binance/i.test(description)) found.add('binance');
  if (/coingecko/i.test(description)) found.add('coingecko');
  if (/coinbase\.com|coinbase pro|on coinbase|coinbase 1 minute/i.test(description)) found.add('coinbase');
  if (found.size === 0) {
    const u = (resolutionSource ?? '').toLowerCase();
    if (u.includes('chain.link')) found.add('chainlink');
    else if (u.includes('binance.com')) found.add('binance');
    else if (u.includes('coingecko.com')) found.add('coingecko');
    else if (u.includes('coinbase.com')) found.add('coinbase');
  }
  if (found.size > 1) return 'conflict';
  return [...found][0];
}

/** The exact reference series in the rules: Binance pair or Chainlink stream. */
function seriesOf(description: string, source: RefSource, asset: string): string | undefined {
  if (source === 'chainlink') {
    const s = /streams\/([a-z0-9]+)-usd\b/i.exec(description);
    return s ? `${s[1]!.toLowerCase()}-usd` : undefined;
  }
  if (source === 'coinbase') {
    const p = /\b([A-Z0-9]{2,10})-USD\b/.exec(description);
    return p ? `${p[1]}-USD` : undefined;
  }
  if (source === 'binance') {
    const p = /\b([A-Z0-9]{2,10})[\/_-]?(USDT|USDC|USD)\b/.exec(description.replace(/trade\/([A-Z0-9]+)_(USDT|USDC)/g, '$1$2'));
    return p ? `${p[1]}${p[2]}` : `${asset}USDT`;
  }
  return undefined;
}

type Times = { kind: RuleKind; windowStart?: number; resolvesAt: number; candle?: '1m' | '1h' } | { reason: string };

function kindAndTimes(q: string, d: string, ref: number, m: RefMarket, source: RefSource): Times {
  // Up/down over a window (Chainlink streams: "price at the end of the time range … greater than or equal to the price at the beginning").
  if (/resolve to "?“?up/i.test(d) || /\bup or down\b/i.test(q)) {
    if (/end of the time range/i.test(d)) {
      const w = titleWindow(q, ref);
      if (!w) return { reason: 'up/down window not readable from the title' };
      if (m.eventStartTime !== undefined && m.eventStartTime !== w.start) return { reason: 'title window disagrees with eventStartTime' };
      return { kind: 'updown', windowStart: w.start, resolvesAt: w.end };
    }
    if (/1 hour candle|"1H"|“1H”/i.test(d)) {
      const start = titleHour(q, ref);
      if (start === undefined) return { reason: 'hourly candle time not readable from the title' };
      if (m.eventStartTime !== undefined && m.eventStartTime !== start) return { reason: 'title hour disagrees with eventStartTime' };
      return { kind: 'updown', windowStart: start, resolvesAt: start + HOUR, candle: '1h' };
    }
    const pair = candlePair(d);
    if (pair && /is lower than the final/i.test(d)) return { kind: 'updown', windowStart: pair[0], resolvesAt: pair[1], candle: '1m' };
    return { reason: 'up/down rule wording not recognised' };
  }
  // Touch rules: any 1-minute candle's High (reach) or Low (dip) within a window.
  const touch = /any .{0,40}(?:1 minute|1-minute) candle/i.test(d) || /at any time within/i.test(d);
  if (touch) {
    const hi = /"?“?high"?”? price/i.test(d);
    const lo = /"?“?low"?”? price/i.test(d) || /falls below|dips? to|drops? to/i.test(d);
    if (hi === lo) return { reason: 'touch rule names neither or both of High and Low' };
    const kind: RuleKind = hi ? 'reach' : 'dip';
    // Some ladders title every rung "reach" and let the rules say Low for the rungs below spot: the rules win.
    if (kind === 'reach' && !/\b(reach|hit|above)\b/i.test(q)) return { reason: 'High-price rule on a title that is not "reach"' };
    if (kind === 'dip' && !/\b(dips?|below|fall|drop|reach|hit)\b/i.test(q)) return { reason: 'Low-price rule on a title that is not "dip"' };
    if (source !== 'binance' && !(source === 'coinbase' && /coinbase 1 minute candle/i.test(d))) return { reason: `touch rule on ${source} prices without 1-minute candles` };
    const w = touchWindow(q, d, ref);
    if ('reason' in w) return w;
    return { kind, windowStart: w.start, resolvesAt: w.end, candle: '1m' };
  }
  // Single-instant rules: a 1-minute candle close at a stated ET time.
  if (/clos(e|ing)/i.test(d) && source !== 'chainlink') {
    const at = closeInstant(q, d, ref);
    if (at === undefined) return { reason: 'observation time not readable' };
    const kind: RuleKind = /resolve according to the final/i.test(d) ? 'range' : 'above';
    if (kind === 'above' && !/(higher than the price|or higher|or more|greater than|above)/i.test(d)) return { reason: 'close rule without an above comparison' };
    return { kind, resolvesAt: at, candle: '1m' };
  }
  return { reason: `rule wording not recognised for ${source}` };
}

const MON = '(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\.?';

/** "September 21, 4:00PM-4:15PM ET" (an end before the start rolls to the next day). */
function titleWindow(q: string, ref: number): { start: number; end: number } | undefined {
  const r = new RegExp(`${MON}\\s+(\\d{1,2}),?\\s+(\\d{1,2})(?::(\\d{2}))?\\s*(AM|PM)\\s*[-–]\\s*(\\d{1,2})(?::(\\d{2}))?\\s*(AM|PM)\\s*ET`, 'i').exec(q);
  if (!r) return undefined;
  const mo = monthIndex(r[1]!);
  if (mo === undefined) return undefined;
  const day = Number(r[2]);
  const y = nearestYear(mo, day, ref);
  const h1 = hour24(Number(r[3]), r[5]!);
  const h2 = hour24(Number(r[6]), r[8]!);
  const start = etToUtc(y, mo, day, h1, Number(r[4] ?? 0));
  let end = etToUtc(y, mo, day, h2, Number(r[7] ?? 0));
  if (end <= start) end = etToUtc(y, mo, day + 1, h2, Number(r[7] ?? 0));
  if (end - start > 24 * HOUR) return undefined;
  return { start, end };
}

/** Hourly candle start: "June 11, 1 AM ET", "June 21, 11AM ET", "May 30 (4 AM ET Candle)". */
function titleHour(q: string, ref: number): number | undefined {
  const r = new RegExp(`${MON}\\s+(\\d{1,2}),?\\s*\\(?\\s*(\\d{1,2})(?::(\\d{2}))?\\s*(AM|PM)\\s*ET`, 'i').exec(q);
  if (!r) return undefined;
  const mo = monthIndex(r[1]!);
  if (mo === undefined) return undefined;
  const day = Number(r[2]);
  return etToUtc(nearestYear(mo, day, ref), mo, day, hour24(Number(r[3]), r[5]!), Number(r[4] ?? 0));
}

/** Two explicit candles "29 May '25 12:00 … 30 May '25 12:00" (daily up/down): start and end instants. */
function candlePair(d: string): [number, number] | undefined {
  // "29 May '25 12:00", "Sep 19 '25 12:00", "Jun 1, 25 12:00", "30 Apr '25 23:59".
  const dm = new RegExp(`(\\d{1,2})\\s+${MON}\\s+'(\\d{2})\\s+(\\d{1,2}):(\\d{2})`, 'gi');
  const md = new RegExp(`${MON}\\s+(\\d{1,2}),?\\s+'?(\\d{2})\\s+(\\d{1,2}):(\\d{2})`, 'gi');
  const found: number[] = [];
  for (const r of d.matchAll(dm)) {
    const mo = monthIndex(r[2]!);
    if (mo === undefined) return undefined;
    found.push(etToUtc(2000 + Number(r[3]), mo, Number(r[1]), Number(r[4]), Number(r[5])));
  }
  if (found.length === 0) {
    for (const r of d.matchAll(md)) {
      const mo = monthIndex(r[1]!);
      if (mo === undefined) return undefined;
      found.push(etToUtc(2000 + Number(r[3]), mo, Number(r[2]), Number(r[4]), Number(r[5])));
    }
  }
  const uniq = [...new Set(found)];
  if (uniq.length !== 2 || !(uniq[0]! < uniq[1]!)) return undefined;
  return [uniq[0]!, uniq[1]!];
}

/** The single instant of a close rule. */
function closeInstant(q: string, d: string, ref: number): number | undefined {
  // Explicit in the rules: "DOGEUSDT 10 Jan '25 12:00 in the ET timezone" or "titled 2023/04/14 12:00".
  const e1 = new RegExp(`(\\d{1,2})\\s+${MON}\\s+'(\\d{2})\\s+(\\d{1,2}):(\\d{2})\\s+in the ET`, 'i').exec(d);
  if (e1) {
    const mo = monthIndex(e1[2]!);
    if (mo === undefined) return undefined;
    return etToUtc(2000 + Number(e1[3]), mo, Number(e1[1]), Number(e1[4]), Number(e1[5]));
  }
  const e2 = /(\d{4})\/(\d{2})\/(\d{2})\s+(\d{1,2}):(\d{2})\s+in the ET/i.exec(d);
  if (e2) return etToUtc(Number(e2[1]), Number(e2[2]) - 1, Number(e2[3]), Number(e2[4]), Number(e2[5]));
  // Older CoinGecko rules: "closing price … on November 22nd 2021, 12pm ET" / "on May 6, 2022, 12 PM ET".
  const e3 = new RegExp(`closing price[\\s\\S]{0,120}?\\bon\\s+${MON}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4}),?\\s+(\\d{1,2})(?::(\\d{2}))?\\s*(am|pm)\\s+ET\\b`, 'i').exec(d);
  if (e3) {
    const mo = monthIndex(e3[1]!);
    if (mo === undefined) return undefined;
    return etToUtc(Number(e3[3]), mo, Number(e3[2]), hour24(Number(e3[4]), e3[6]!), Number(e3[5] ?? 0));
  }
  const date = titleDate(q, ref);
  if (!date) return undefined;
  if (/12:00 in the ET timezone \(noon\) on the date specified in the title/i.test(d)) {
    if (date.hour !== undefined) return undefined;
    return etToUtc(date.y, date.mo, date.day, 12);
  }
  if (/on the time and date specified in the title/i.test(d)) {
    if (date.hour === undefined) return undefined;
    return etToUtc(date.y, date.mo, date.day, date.hour, date.minute);
  }
  return undefined;
}

/** "on August 17 at 8AM ET", "on May 31 at 5 PM ET", "on June 10", "on October 3, 2025". */
function titleDate(q: string, ref: number): { y: number; mo: number; day: number; hour?: number; minute?: number } | undefined {
  const r = new RegExp(`\\bon\\s+${MON}\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?(?:,?\\s+at\\s+(\\d{1,2})(?::(\\d{2}))?\\s*(AM|PM)\\s*ET)?`, 'i').exec(q);
  if (!r) return undefined;
  const mo = monthIndex(r[1]!);
  if (mo === undefined) return undefined;
  const day = Number(r[2]);
  const y = r[3] ? Number(r[3]) : nearestYear(mo, day, ref);
  const out: { y: number; mo: number; day: number; hour?: number; minute?: number } = { y, mo, day };
  if (r[4]) {
    out.hour = hour24(Number(r[4]), r[6]!);
    out.minute = Number(r[5] ?? 0);
  }
  return out;
}

/** Window of a touch rule, from explicit rules text or from the title as the rules direct. */
function touchWindow(q: string, d: string, ref: number): { start: number; end: number } | { reason: string } {
  // "between April 1, 2025, 00:00 and April 30, 2025, 23:59 in the ET timezone"
  const a = new RegExp(`between\\s+${MON}\\s+(\\d{1,2}),\\s+(\\d{4}),\\s+(\\d{1,2}):(\\d{2})\\s+and\\s+${MON}\\s+(\\d{1,2}),\\s+(\\d{4}),\\s+(\\d{1,2}):(\\d{2})\\s+in the ET`, 'i').exec(d);
  if (a) {
    const m1 = monthIndex(a[1]!);
    const m2 = monthIndex(a[6]!);
    if (m1 === undefined || m2 === undefined) return { reason: 'touch window months not readable' };
    return { start: etToUtc(Number(a[3]), m1, Number(a[2]), Number(a[4]), Number(a[5])), end: etToUtc(Number(a[8]), m2, Number(a[7]), Number(a[9]), Number(a[10])) + MINUTE };
  }
  // "between 2024/07/29 10:00 and 2024/08/31 23:59 in the ET timezone"
  const b = /between\s+(\d{4})\/(\d{2})\/(\d{2})\s+(\d{1,2}):(\d{2})\s+and\s+(\d{4})\/(\d{2})\/(\d{2})\s+(\d{1,2}):(\d{2})\s+in the ET/i.exec(d);
  if (b) {
    return { start: etToUtc(Number(b[1]), Number(b[2]) - 1, Number(b[3]), Number(b[4]), Number(b[5])), end: etToUtc(Number(b[6]), Number(b[7]) - 1, Number(b[8]), Number(b[9]), Number(b[10])) + MINUTE };
  }
  // "between 28 Mar '23 12:00 and 7 Apr '23 23:59 (inclusive) in the ET timezone"
  const c = new RegExp(`between\\s+(\\d{1,2})\\s+${MON}\\s+'(\\d{2})\\s+(\\d{1,2}):(\\d{2})\\s+and\\s+(\\d{1,2})\\s+${MON}\\s+'(\\d{2})\\s+(\\d{1,2}):(\\d{2})(?:\\s+\\(inclusive\\))?\\s+in the ET`, 'i').exec(d);
  if (c) {
    const m1 = monthIndex(c[2]!);
    const m2 = monthIndex(c[7]!);
    if (m1 === undefined || m2 === undefined) return { reason: 'touch window months not readable' };
    return { start: etToUtc(2000 + Number(c[3]), m1, Number(c[1]), Number(c[4]), Number(c[5])), end: etToUtc(2000 + Number(c[8]), m2, Number(c[6]), Number(c[9]), Number(c[10])) + MINUTE };
  }
  if (/during the month specified in the title/i.test(d)) {
    const r = new RegExp(`\\bin\\s+${MON}\\??\\s*$`, 'i').exec(q.trim());
    if (!r) return { reason: 'month not readable from the title' };
    const mo = monthIndex(r[1]!)!;
    const y = nearestYear(mo, 15, ref);
    return { start: etToUtc(y, mo, 1, 0), end: etToUtc(y, mo + 1, 1, 0) };
  }
  if (/during the date range specified in the title/i.test(d)) {
    // "July 28–August 3" or "September 22-28"
    const r = new RegExp(`${MON}\\s+(\\d{1,2})\\s*[-–]\\s*(?:${MON}\\s+)?(\\d{1,2})\\??\\s*$`, 'i').exec(q.trim());
    if (!r) return { reason: 'date range not readable from the title' };
    const m1 = monthIndex(r[1]!)!;
    const m2 = r[3] ? monthIndex(r[3])! : m1;
    const d1 = Number(r[2]);
    const d2 = Number(r[4]);
    const y2 = nearestYear(m2, d2, ref);
    const y1 = m1 > m2 ? y2 - 1 : y2;
    const start = etToUtc(y1, m1, d1, 0);
    const end = etToUtc(y2, m2, d2 + 1, 0);
    if (end <= start || end - start > 40 * 24 * HOUR) return { reason: 'date range not increasing' };
    return { start, end };
  }
  if (/on the date specified in the title,? between 12:00 AM ET and 11:59 PM ET/i.test(d)) {
    const t = titleDate(q, ref);
    if (!t || t.hour !== undefined) return { reason: 'date not readable from the title' };
    return { start: etToUtc(t.y, t.mo, t.day, 0), end: etToUtc(t.y, t.mo, t.day + 1, 0) };
  }
  return { reason: 'touch window not readable' };
}

/** Dollar amounts in a title: "$116.4K" → 116400, "$1m" → 1e6, "8¢" → 0.08, "reach 70k" → 70000. */
export function strikesOf(q: string): number[] {
  const out: number[] = [];
  for (const r of q.matchAll(/\$\s?(\d[\d,]*(?:\.\d+)?)\s*([kKmMbB])?\b|(\d+(?:\.\d+)?)\s*¢|\b(?:reach|hit|to|above|below)\s+(\d[\d,]*(?:\.\d+)?)([kK])\b/g)) {
    if (r[3] !== undefined) {
      out.push(Number(r[3]) / 100);
      continue;
    }
    const num = Number((r[1] ?? r[4])!.replace(/,/g, ''));
    const suf = (r[2] ?? r[5] ?? '').toLowerCase();
    const mult = suf === 'k' ? 1e3 : suf === 'm' ? 1e6 : suf === 'b' ? 1e9 : 1;
    if (Number.isFinite(num)) out.push(Math.round(num * mult * 1e8) / 1e8);
  }
  return out;
}

/** Prices the rules text states for the comparison ("106,000.01 or higher", "$85,000 or higher", "64,999.99 or less"). */
function ruleStrikes(d: string): number[] {
  const out: number[] = [];
  for (const r of d.matchAll(/\$?(\d[\d,]*(?:\.\d+)?)\s+or\s+(?:higher|more|lower|less)/gi)) out.push(Number(r[1]!.replace(/,/g, '')));
  return out;
}

