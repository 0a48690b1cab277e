// The order desk: gates, sizing and fill planning for one order or one
// strategy entry (baskets: basket.ts), handed to the broker to commit. Every
// refusal goes back through ctx.refuse, which records it with its reason.
//
// Gate order (first refusal wins): paper on, breaker, known market, market
// open, closing soon, feed gap, confidence, daily loss, cooldown, fresh book,
// crossed book, spread, price band, minimum size, depth, notional, token /
// event / gross caps, open positions, no shorting, cash. Exits (stop-loss,
// take-profit, close) skip the entry gates but never the book checks.
// The 25%-of-visible-depth cap sizes strategy entries and baskets; a plain
// order the operator sizes may take the book up to its limit and fill partly.
import { takerFeePerShareUnits } from '../arb/fees.js';
import { MICROS, PRICE_SCALE } from '../protocol/units.js';
import type { CircuitBreaker } from './breaker.js';
import type { Broker, PlannedOrder } from './broker.js';
import type { PaperConfig } from './config.js';
import type { Exposure } from './exposure.js';
import type { Executor, ExecutorAccount } from './executor.js';
import * as G from './gates.js';
import type { StrategyIntent } from './intents.js';
import { kellySize } from './kelly.js';
import { floorShares, notionalMicros, takerFeeMicros } from './money.js';
import { PASS, refuse, type BookOf, type GateName, type GateResult, type MarketInfo, type OrderRequest, type OrderResult, type PaperBook, type Refused, type Side } from './types.js';
import { bestAsk, bestOpposite, depthAtOrBetter, depthValueUnits, walkBook, type Consumed } from './walk.js';
import { type VenueNow } from '../clock.js';

export interface RefusalInput {
  gate: GateName;
  reason: string;
  tokenId: string;
  marketId?: string;
  side: Side;
  type: string;
  limit?: number;
  size: number;
  source?: string;
  explain?: string;
}

export interface DeskContext {
  cfg: PaperConfig;
  enabled: boolean;
  breaker: CircuitBreaker;
  broker: Broker;
  /** Where gated orders go: the paper broker, or the live trader. */
  executor: Executor;
  consumed: Consumed;
  bookOf: BookOf;
  infoOf: (tokenId: string) => MarketInfo | undefined;
  gapOf: (tokenId: string) => string | undefined;
  equityMicros: () => number;
  exposure: () => Exposure;
  /** The venue account when an executor trades from one (live); undefined: the paper ledger. */
  account: () => ExecutorAccount | undefined;
  executed: Set<string>;
  /** The venue's clock (market end dates); `now` elsewhere is this process's clock (book ages, cooldowns). */
  marketNow: VenueNow;
  refuse: (r: RefusalInput, now: number, dedupe: string | undefined) => OrderResult;
}

const usd = (micros: number) => micros / MICROS;

export interface PreOrder {
  tokenId: string;
  side: Side;
  auto: boolean;
  exit: boolean;
  confidence: number;
}

/**
 * Today's P&L for the daily-loss gate: paper counts realised P&L net of fees;
 * live, the venue account's equity against the day's start (marked, so an
 * open loss counts before it is realised).
 */
function dayPnlMicros(ctx: DeskContext): number {
  const live = ctx.account();
  return live && !live.unknown ? live.equityMicros - ctx.breaker.dayStartMicros : ctx.breaker.dayPnlMicros;
}

/**
 * Gates that need no size: paper on, breaker, market, time, feed, confidence,
 * losses, book; the first refusal, in this order. Checked one after another
 * rather than as a list of closures: this runs for every queue row every cycle,
 * and the thirteen closures it made per call were re-optimised in each replay.
 */
export function preGates(ctx: DeskContext, o: PreOrder, info: MarketInfo | undefined, book: PaperBook | undefined, now: number): GateResult {
  const { cfg, breaker } = ctx;
  const entry = !o.exit;
  const buy = entry && o.side === 'BUY';
  let r: GateResult;
  if (entry) {
    if (!(r = G.enabledGate(ctx.enabled)).ok) return r;
    if (!(r = G.breakerGate(breaker.status, breaker.reason)).ok) return r;
    if (!(r = G.accountGate(ctx.account()?.unknown)).ok) return r;
  }
  if (!info) return refuse('unknown-market', `no catalog entry for token ${o.tokenId.slice(0, 16)}`);
  if (info.closed) return refuse('market-closed', 'market closed');
  if (entry && !(r = G.closingGate(info.endDate, ctx.marketNow(), cfg)).ok) return r;
  if (!(r = G.feedGapGate(ctx.gapOf(o.tokenId))).ok) return r;
  if (entry && !(r = G.confidenceGate(o.confidence, o.auto ? cfg.autoConfidence : cfg.minConfidence)).ok) return r;
  if (buy) {
    if (!(r = G.dailyLossGate(usd(dayPnlMicros(ctx)), usd(breaker.dayStartMicros), cfg)).ok) return r;
    if (!(r = G.cooldownGate(breaker.lastLossAt, now, cfg)).ok) return r;
  }
  if (!(r = G.freshBookGate(book, now, cfg)).ok) return r;
  if (!(r = G.crossedGate(book!)).ok) return r;
  if (entry && !(r = G.spreadGate(book!, cfg)).ok) return r;
  return PASS;
}

function result(c: { orderId: number; status: OrderResult['status']; fills: OrderResult['fills']; filled: number; feeMicros: number }, resting: number, explain?: string): OrderResult {
  let notional = 0;
  for (const f of c.fills) notional += f.price * f.size;
  const r: OrderResult = { ok: true, orderIds: [c.orderId], status: c.status, filled: c.filled, avgPrice: c.filled > 0 ? notional / c.filled : NaN, feeMicros: c.feeMicros, fills: c.fills, resting };
  if (explain) r.kellyExplain = explain;
  return r;
}

export type OrderPlan = { ok: true; plan: PlannedOrder; book: PaperBook } | { ok: false; refusal: Refused; limit?: number };

/**
 * Every gate for one order and its fill plan, without committing anything:
 * market (IOC, walks to best ± slippage), limit IOC, or limit GTC (the rest rests).
 */
export function planOrder(ctx: DeskContext, req: OrderRequest, now: number): OrderPlan {
  const { cfg, broker } = ctx;
  const info = ctx.infoOf(req.tokenId);
  const book = ctx.bookOf(req.tokenId);
  const exit = req.exit ?? false;
  const no = (r: Refused, limit?: number): OrderPlan => (limit === undefined ? { ok: false, refusal: r } : { ok: false, refusal: r, limit });
  if (!(req.size > 0) || !Number.isFinite(req.size)) return no(refuse('bad-order', `size ${req.size} is not a positive number`));
  if (req.type === 'limit' && (req.limit === undefined || !(req.limit > 0 && req.limit < PRICE_SCALE))) return no(refuse('bad-order', 'a limit order needs a limit price strictly between 0 and 1'));
  const pre = preGates(ctx, { tokenId: req.tokenId, side: req.side, auto: req.auto ?? false, exit, confidence: req.confidence ?? 1 }, info, book, now);
  if (!pre.ok) return no(pre);
  const b = book!;
  const mi = info!;
  const size = floorShares(req.size);
  const best = bestOpposite(b, req.side);
  let limit: number;
  if (req.type === 'market') {
    if (best === undefined) return no(refuse('no-liquidity', `no ${req.side === 'BUY' ? 'asks' : 'bids'} to take`));
    const slip = Math.round(cfg.slippage * PRICE_SCALE);
    limit = req.limit ?? (req.side === 'BUY' ? Math.min(best + slip, PRICE_SCALE - 1) : Math.max(best - slip, 1));
  } else limit = req.limit!;
  const walk = walkBook(b, req.side, size, limit, ctx.consumed, req.tokenId);
  const tif = req.type === 'market' ? 'IOC' : (req.tif ?? 'GTC');
  const rest = tif === 'GTC' ? floorShares(size - walk.filled + 1e-9) : 0;
  let taker = 0;
  let fees = 0;
  for (const t of walk.takes) {
    taker += notionalMicros(t.price, t.size);
    fees += takerFeeMicros(t.size, t.price, mi.fee);
  }
  const restMicros = notionalMicros(limit, rest);
  const takes = walk.filled > 0 || (best !== undefined && (req.side === 'BUY' ? best <= limit : best >= limit));
  const checks: (() => GateResult)[] = [
    () => (exit ? PASS : G.priceBandGate(req.type === 'market' ? [best!] : [limit], cfg)),
    () => G.minSizeGate(size, mi.minOrderSize),
    () => (exit || !takes ? PASS : G.depthGate(depthValueUnits(b, req.side, limit) / PRICE_SCALE, cfg)),
    () => (exit ? PASS : G.notionalGate(usd(taker + restMicros), cfg)),
  ];
  if (req.side === 'BUY') {
    const x = ctx.exposure();
    const equity = usd(ctx.equityMicros());
    const adding = usd(taker + restMicros);
    checks.push(
      () => G.tokenCapGate(usd(x.token.get(req.tokenId) ?? 0), adding, equity, cfg),
      () => G.eventCapGate(usd(x.event.get(mi.eventId) ?? 0), adding, equity, cfg),
      () => G.grossCapGate(usd(x.gross), adding, equity, cfg),
      () => G.maxPositionsGate(x.open.size, x.open.has(req.tokenId) ? 0 : 1, cfg),
      () => G.cashGate(cashAvailableMicros(ctx), taker + fees + restMicros),
    );
  } else {
    const live = ctx.account();
    // Live: only shares the venue confirmed, less what open SELLs already offer.
    const free = live ? (live.holdings.get(req.tokenId)?.sellable ?? 0) : (broker.positions.get(req.tokenId)?.shares ?? 0) - broker.reservedShares(req.tokenId);
    checks.push(() => G.noShortGate(free, size));
  }
  const g = G.firstRefusal(checks);
  if (!g.ok) return no(g, limit);
  const type = req.type === 'market' ? 'market' : `limit-${tif}`;
  const plan: PlannedOrder = { info: mi, side: req.side, type, limit, size, takes: walk.takes, rest, reason: req.reason };
  if (req.source) plan.source = req.source;
  return { ok: true, plan, book: b };
}

/** Cash free for new BUYs: the venue balance less open BUYs when live, else the paper ledger's. */
export function cashAvailableMicros(ctx: DeskContext): number {
  const a = ctx.account();
  return a ? a.cashMicros - a.reservedMicros : ctx.broker.cashMicros - ctx.broker.reservedMicros();
}

/** One order through every gate, committed in one transaction; a refusal is recorded. */
export function executeOrder(ctx: DeskContext, req: OrderRequest, now: number, explain?: string): OrderResult {
  const p = planOrder(ctx, req, now);
  if (!p.ok) {
    const exit = req.exit ?? false;
    const dedupe = req.auto || exit ? (req.source ?? `${exit ? 'exit' : 'auto'}:${req.tokenId}`) : undefined;
    const x: RefusalInput = { gate: p.refusal.gate, reason: p.refusal.reason, tokenId: req.tokenId, side: req.side, type: req.type === 'market' ? 'market' : `limit-${req.tif ?? 'GTC'}`, size: req.size };
    const info = ctx.infoOf(req.tokenId);
    if (info) x.marketId = info.marketId;
    const lim = p.limit ?? req.limit;
    if (lim !== undefined) x.limit = lim;
    if (req.source) x.source = req.source;
    if (explain) x.explain = explain;
    return ctx.refuse(x, now, dedupe);
  }
  const [c] = ctx.executor.commit([p.plan], now);
  ctx.consumed.record(req.tokenId, p.book, req.side, p.plan.takes);
  if (req.source) ctx.executed.add(req.source);
  return result(c!, p.plan.rest, explain);
}

export type StrategyPlan =
  | { ok: true; req: OrderRequest; explain: string }
  | { ok: false; refusal: Refused; limit?: number; explain?: string };

/**
 * Sizes a strategy entry: BUY the signal's token by fractional Kelly, as an
 * IOC limit at the highest price that still clears the minimum edge (and at
 * most `slippage` above the best ask). Nothing is traded or recorded.
 */
export function planStrategy(ctx: DeskContext, it: StrategyIntent, now: number, auto: boolean): StrategyPlan {
  const { cfg } = ctx;
  const info = ctx.infoOf(it.tokenId);
  const book = ctx.bookOf(it.tokenId);
  const no = (r: Refused, limit?: number, explain?: string): StrategyPlan => ({ ok: false, refusal: r, ...(limit !== undefined ? { limit } : {}), ...(explain ? { explain } : {}) });
  const pre = preGates(ctx, { tokenId: it.tokenId, side: 'BUY', auto, exit: false, confidence: it.conviction }, info, book, now);
  if (!pre.ok) return no(pre);
  // Only a validated lower bound is a belief worth money; a claim is not.
  if (it.p === undefined) return no(refuse('unvalidated', `${it.label} has no validated win rate (unproven or rejected by its backtest): nothing to size`));
  const p = it.p;
  const mi = info!;
  const b = book!;
  const a = bestAsk(b);
  if (a === undefined) return no(refuse('no-liquidity', 'no asks to take'));
  const cost = (units: number) => units / PRICE_SCALE + takerFeePerShareUnits(units, mi.fee);
  const c = cost(a);
  const edge = G.edgeGate(p, c, cfg);
  if (!edge.ok) return no(edge, a);
  // Highest price (on the tick grid above the ask) whose all-in cost still clears the edge.
  const tick = mi.tickSize > 0 ? mi.tickSize : 100;
  const ceiling = Math.min(a + Math.round(cfg.slippage * PRICE_SCALE), Math.round(cfg.priceBand[1] * PRICE_SCALE));
  let limit = a;
  for (let x = a + tick; x <= ceiling && x < PRICE_SCALE; x += tick) {
    if (p - cost(x) + 1e-9 < cfg.minEdge) break;
    limit = x;
  }
  const equity = usd(ctx.equityMicros());
  const xp = ctx.exposure();
  const sizing = kellySize({
    p: p,
    c,
    capPrice: cost(limit),
    k: cfg.kellyFraction,
    equity,
    tokenRoom: cfg.maxTokenPct * equity - usd(xp.token.get(it.tokenId) ?? 0),
    eventRoom: cfg.maxEventPct * equity - usd(xp.event.get(mi.eventId) ?? 0),
    grossRoom: cfg.maxGrossPct * equity - usd(xp.gross),
    tokenPct: cfg.maxTokenPct,
    eventPct: cfg.maxEventPct,
    grossPct: cfg.maxGrossPct,
    depth: depthAtOrBetter(b, 'BUY', limit, ctx.consumed, it.tokenId),
    depthShare: cfg.maxDepthShare,
    minOrderSize: mi.minOrderSize,
    notionalRoom: cfg.maxNotionalUsd,
    cashRoom: usd(cashAvailableMicros(ctx)),
  });
  const explain = `${it.label}: ${sizing.explain}`;
  if (sizing.refused === 'min-edge') return no(refuse('min-edge', `no Kelly edge at c ${c.toFixed(4)}`), limit, explain);
  if (sizing.refused === 'min-size') return no(refuse('min-size', `sized ${floorShares(sizing.target / c).toFixed(2)} → capped below the market minimum ${mi.minOrderSize}`), limit, explain);
  const reason = `${auto ? 'auto' : 'operator'} ${it.label}: p ${p.toFixed(4)} c ${c.toFixed(4)} f ${sizing.f.toFixed(4)}`;
  return { ok: true, req: { tokenId: it.tokenId, side: 'BUY', type: 'limit', tif: 'IOC', size: sizing.shares, limit, reason, source: it.key, confidence: it.conviction, auto }, explain };
}

/** A strategy entry, sized (planStrategy) and executed through every order gate. */
export function executeStrategy(ctx: DeskContext, it: StrategyIntent, now: number, auto: boolean): OrderResult {
  const p = planStrategy(ctx, it, now, auto);
  if (p.ok) return executeOrder(ctx, p.req, now, p.explain);
  const x: RefusalInput = { gate: p.refusal.gate, reason: p.refusal.reason, tokenId: it.tokenId, side: 'BUY', type: 'limit-IOC', size: 0, source: it.key };
  const info = ctx.infoOf(it.tokenId);
  if (info) x.marketId = info.marketId;
  if (p.limit !== undefined) x.limit = p.limit;
  if (p.explain) x.explain = p.explain;
  return ctx.refuse(x, now, auto ? it.key : undefined);
}
