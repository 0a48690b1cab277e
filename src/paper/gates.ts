// Pre-trade gates, the first of the safety layers: each a named pure function that
// says {ok} or why not. The broker runs them in a fixed order and records the
// first refusal with its reason. Caps compare dollars with a micro-dollar of
// slack, because sizing fills a cap exactly.
import type { PaperConfig } from './config.js';
import { bestAsk, bestBid } from './walk.js';
import { PASS, refuse, type GateResult, type PaperBook } from './types.js';
import type { BreakerStatus } from './breaker.js';
import { type VenueMs } from '../clock.js';

const SLACK = 1e-6;
const money = (x: number) => `$${x.toFixed(2)}`;
const p4 = (units: number) => (units / 10_000).toFixed(4);
const pct = (x: number) => `${+(x * 100).toPrecision(3)}%`;
const fmtPct = pct;

export function enabledGate(enabled: boolean): GateResult {
  return enabled ? PASS : refuse('disabled', 'paper trading is off');
}

export function breakerGate(status: BreakerStatus, reason: string): GateResult {
  return status === 'ARMED' ? PASS : refuse('breaker', `circuit breaker ${status}${reason ? `: ${reason}` : ''}`);
}

/** Only fresh books, heard from within `maxBookAgeMs`, feed fills (DESIGN §3). */
export function freshBookGate(book: PaperBook | undefined, now: number, cfg: Pick<PaperConfig, 'maxBookAgeMs'>): GateResult {
  if (!book) return refuse('stale-book', 'no book');
  if (book.state !== 'fresh') return refuse('stale-book', `book ${book.state}`);
  const age = now - book.receivedAt;
  if (age > cfg.maxBookAgeMs) return refuse('stale-book', `book last heard ${Math.round(age / 1000)} s ago > ${Math.round(cfg.maxBookAgeMs / 1000)} s`);
  return PASS;
}

export function crossedGate(book: PaperBook): GateResult {
  const b = bestBid(book);
  const a = bestAsk(book);
  return b !== undefined && a !== undefined && b >= a ? refuse('crossed-book', `bid ${p4(b)} ≥ ask ${p4(a)}`) : PASS;
}

export function spreadGate(book: PaperBook, cfg: Pick<PaperConfig, 'maxSpread'>): GateResult {
  const b = bestBid(book);
  const a = bestAsk(book);
  if (b === undefined || a === undefined) return refuse('spread', `one-sided book (${b === undefined ? 'no bid' : 'no ask'})`);
  const spread = (a - b) / 10_000;
  return spread > cfg.maxSpread + 1e-9 ? refuse('spread', `spread ${spread.toFixed(4)} > ${cfg.maxSpread}`) : PASS;
}

/** Visible depth (dollars) at or better than the limit. */
export function depthGate(depthUsd: number, cfg: Pick<PaperConfig, 'minDepthUsd'>): GateResult {
  return depthUsd + SLACK < cfg.minDepthUsd ? refuse('depth', `depth ${money(depthUsd)} at or better than the limit < ${money(cfg.minDepthUsd)}`) : PASS;
}

/** Every price the order may trade at lies inside the sanity band. */
export function priceBandGate(prices: readonly number[], cfg: Pick<PaperConfig, 'priceBand'>): GateResult {
  const [lo, hi] = cfg.priceBand;
  for (const units of prices) {
    const p = units / 10_000;
    if (!(p >= lo - 1e-9 && p <= hi + 1e-9)) return refuse('price-band', `price ${p.toFixed(4)} outside [${lo}, ${hi}]`);
  }
  return PASS;
}

export function notionalGate(notionalUsd: number, cfg: Pick<PaperConfig, 'maxNotionalUsd'>): GateResult {
  return notionalUsd > cfg.maxNotionalUsd + SLACK ? refuse('notional', `notional ${money(notionalUsd)} > ${money(cfg.maxNotionalUsd)}`) : PASS;
}

/** `held` + `adding` dollars of cost basis against `pct` of equity. */
function capGate(gate: 'token-cap' | 'event-cap' | 'gross-cap', what: string, held: number, adding: number, equity: number, pct: number): GateResult {
  const cap = pct * equity;
  return held + adding > cap + SLACK ? refuse(gate, `${what} ${money(held)} + ${money(adding)} > ${fmtPct(pct)} of equity ${money(cap)}`) : PASS;
}

export function tokenCapGate(held: number, adding: number, equity: number, cfg: Pick<PaperConfig, 'maxTokenPct'>): GateResult {
  return capGate('token-cap', 'token exposure', held, adding, equity, cfg.maxTokenPct);
}

export function eventCapGate(held: number, adding: number, equity: number, cfg: Pick<PaperConfig, 'maxEventPct'>): GateResult {
  return capGate('event-cap', 'event exposure', held, adding, equity, cfg.maxEventPct);
}

export function grossCapGate(held: number, adding: number, equity: number, cfg: Pick<PaperConfig, 'maxGrossPct'>): GateResult {
  return capGate('gross-cap', 'gross exposure', held, adding, equity, cfg.maxGrossPct);
}

/** Opening `opening` new positions when `open` are already open. */
export function maxPositionsGate(open: number, opening: number, cfg: Pick<PaperConfig, 'maxOpenPositions'>): GateResult {
  return opening > 0 && open + opening > cfg.maxOpenPositions ? refuse('max-positions', `${open} open + ${opening} new > max ${cfg.maxOpenPositions} positions`) : PASS;
}

/** `dayPnl` is today's realised P&L net of fees (dollars); a loss reaching the limit stops new orders. */
export function dailyLossGate(dayPnl: number, dayStartEquity: number, cfg: Pick<PaperConfig, 'dailyLossPct'>): GateResult {
  const limit = cfg.dailyLossPct * dayStartEquity;
  return dayPnl < 0 && -dayPnl + SLACK >= limit ? refuse('daily-loss', `today's loss ${money(-dayPnl)} ≥ ${pct(cfg.dailyLossPct)} of ${money(dayStartEquity)}`) : PASS;
}

export function cooldownGate(lastLossAt: number | undefined, now: number, cfg: Pick<PaperConfig, 'cooldownMs'>): GateResult {
  if (lastLossAt === undefined) return PASS;
  const left = lastLossAt + cfg.cooldownMs - now;
  return left > 0 ? refuse('cooldown', `cooling down after a loss: ${Math.ceil(left / 1000)} s left`) : PASS;
}

/** A feed gap (rejected frame, stall, reconnect) on this token's shard: its book may be missing changes. */
export function feedGapGate(gap: string | undefined): GateResult {
  return gap ? refuse('feed-gap', `feed gap: ${gap}`) : PASS;
}

export function confidenceGate(confidence: number, threshold: number): GateResult {
  return confidence + 1e-9 < threshold ? refuse('confidence', `confidence ${confidence.toFixed(2)} < ${threshold.toFixed(2)}`) : PASS;
}

export function closingGate(endDate: number | undefined, now: VenueMs, cfg: Pick<PaperConfig, 'closingBufferMin'>): GateResult {
  if (endDate === undefined) return PASS;
  const mins = (endDate - now) / 60_000;
  return mins < cfg.closingBufferMin ? refuse('closing', mins <= 0 ? 'market past its end date' : `market closes in ${mins.toFixed(1)} min < ${cfg.closingBufferMin} min`) : PASS;
}

/** Orders below the market's minimum are refused, never rounded up. */
export function minSizeGate(shares: number, minOrderSize: number): GateResult {
  return shares + 1e-9 < minOrderSize ? refuse('min-size', `${shares.toFixed(2)} shares < market minimum ${minOrderSize}`) : PASS;
}

/** Trade only if p − c clears the minimum edge (quant-anchors §8D). */
export function edgeGate(p: number, c: number, cfg: Pick<PaperConfig, 'minEdge'>): GateResult {
  return p - c + 1e-9 < cfg.minEdge ? refuse('min-edge', `p ${p.toFixed(4)} − c ${c.toFixed(4)} = ${(p - c).toFixed(4)} < ${cfg.minEdge}`) : PASS;
}

/** No shorting: a SELL needs the shares (to be short YES, buy NO). */
export function noShortGate(held: number, selling: number): GateResult {
  return selling > held + 1e-9 ? refuse('no-short', `selling ${selling.toFixed(2)} with ${held.toFixed(2)} held (no shorting; buy the other outcome)`) : PASS;
}

/** Live: the venue account (balance) is unknown or stale; no entry may be sized from a guess. */
export function accountGate(unknown: string | undefined): GateResult {
  return unknown ? refuse('account', `live account unknown: ${unknown}`) : PASS;
}

export function cashGate(availableMicros: number, needMicros: number): GateResult {
  return needMicros > availableMicros ? refuse('cash', `needs ${money(needMicros / 1e6)}, ${money(availableMicros / 1e6)} available`) : PASS;
}

/** First refusal of a list of lazily evaluated gates. */
export function firstRefusal(gates: readonly (() => GateResult)[]): GateResult {
  for (const g of gates) {
    const r = g();
    if (!r.ok) return r;
  }
  return PASS;
}
