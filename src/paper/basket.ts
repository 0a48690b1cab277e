// Arbitrage baskets priced against depth (VWAP sweep, slippage ceiling, worst
// fill price): all legs or none. Sets are sized by every cap at once
// (token, event, gross, notional, cash, 25% of each leg's depth inside its
// ceiling), every leg must fill the whole size within its ceiling, and the
// bundle must still clear basketMinEdge at the prices it would fill at. The
// legs commit in one transaction.
import type { ArbLeg } from '../arb/types.js';
import { takerFeePerShareUnits } from '../arb/fees.js';
import { MICROS, PRICE_SCALE } from '../protocol/units.js';
import type { PlannedOrder } from './broker.js';
import { preGates, type DeskContext, type RefusalInput } from './desk.js';
import * as G from './gates.js';
import type { BasketIntent } from './intents.js';
import { floorShares, notionalMicros, takerFeeMicros } from './money.js';
import { PASS, refuse, type GateResult, type MarketInfo, type OrderResult, type PaperBook, type Refused } from './types.js';
import { depthAtOrBetter, depthValueUnits, walkBook, type Walk } from './walk.js';

const usd = (micros: number) => micros / MICROS;
const p4 = (units: number) => (units / PRICE_SCALE).toFixed(4);

/**
 * What one set pays at resolution, recovered from the scanner's own numbers:
 * edge + what a set cost (BUY legs) − what it raised (SELL legs). 1 for most
 * bundles, n − 1 for a negRisk short.
 */
function payoffOf(it: BasketIntent): number {
  let paid = 0;
  for (const l of it.legs) {
    const fee = l.size > 0 ? l.fee / l.size : 0;
    paid += l.side === 'BUY' ? l.vwap / PRICE_SCALE + fee : -(l.vwap / PRICE_SCALE - fee);
  }
  const p = Math.round(it.edge + paid);
  return p === 0 && it.legs.every((l) => l.side === 'BUY') ? 1 : p;
}

export type BasketPlan =
  | { ok: true; plans: PlannedOrder[]; books: PaperBook[]; sets: number; feeMicros: number; explain: string }
  | { ok: false; refusal: Refused; leg: ArbLeg; sets: number; explain?: string };

/**
 * Plans an arbitrage basket, all legs or none (each leg's ceiling is the
 * scanner's limit ± basketSlippage). Nothing is traded or recorded.
 */
export function planBasket(ctx: DeskContext, it: BasketIntent, now: number, auto: boolean): BasketPlan {
  const { cfg, broker } = ctx;
  const legs = it.legs;
  const first = legs[0];
  const fail = (r: Refused, leg: ArbLeg = first, sets = 0, explain?: string): BasketPlan => ({ ok: false, refusal: r, leg, sets, ...(explain ? { explain } : {}) });
  if (!first) return { ok: false, refusal: refuse('bad-order', 'a basket without legs'), leg: { marketId: '', tokenId: '', side: 'BUY', outcome: 'YES', price: 0, vwap: 0, size: 0, fee: 0 }, sets: 0 };
  if (auto && !it.autoTradable) return fail(refuse('confidence', `confidence ${it.conviction.toFixed(2)}: not auto-tradable`));
  const infos: MarketInfo[] = [];
  const books: PaperBook[] = [];
  for (const l of legs) {
    const info = ctx.infoOf(l.tokenId);
    const book = ctx.bookOf(l.tokenId);
    const pre = preGates(ctx, { tokenId: l.tokenId, side: l.side, auto, exit: false, confidence: it.conviction }, info, book, now);
    // A basket's legs are taken at one side only: the spread of the other side does not change the edge.
    if (!pre.ok && pre.gate !== 'spread') return fail(pre, l);
    infos.push(info!);
    books.push(book!);
  }
  // Split and sell: every leg a SELL of the YES and NO of one market. The venue mints
  // a YES+NO set for $1 of collateral; the basket splits first, then sells both.
  const split = legs.length === 2 && legs.every((l) => l.side === 'SELL') && legs[0]!.marketId === legs[1]!.marketId && legs[0]!.outcome !== legs[1]!.outcome;
  // No shorting: a SELL leg needs shares we hold (at least the market minimum).
  for (const [i, l] of legs.entries()) {
    if (l.side !== 'SELL' || split) continue;
    const free = (broker.positions.get(l.tokenId)?.shares ?? 0) - broker.reservedShares(l.tokenId);
    if (free + 1e-9 < infos[i]!.minOrderSize) return fail(refuse('no-short', `basket sells ${l.outcome} with ${free.toFixed(2)} held (no shorting; buy the other outcome)`), l);
  }
  const slip = Math.round(cfg.basketSlippage * PRICE_SCALE);
  const ceilings = legs.map((l) => (l.side === 'BUY' ? Math.min(l.price + slip, PRICE_SCALE - 1) : Math.max(l.price - slip, 1)));
  const band = G.priceBandGate(ceilings, cfg);
  if (!band.ok) return fail(band);
  // A leg whose book moved past its ceiling (less than the market minimum left inside it) sinks the basket.
  for (const [i, l] of legs.entries()) {
    const inside = depthAtOrBetter(books[i]!, l.side, ceilings[i]!, ctx.consumed, l.tokenId);
    if (inside + 1e-9 < infos[i]!.minOrderSize) return fail(refuse('slippage', `leg ${l.outcome}: ${inside.toFixed(2)} shares within ceiling ${p4(ceilings[i]!)} (< minimum ${infos[i]!.minOrderSize}): none of the basket`), l);
  }
  // Sets: the scanner's size, then every cap in sets.
  const equity = usd(ctx.equityMicros());
  const xp = ctx.exposure();
  const limits: [string, number][] = [['opportunity', it.size]];
  let buyPerSet = 0;
  let allPerSet = 0;
  let cashPerSet = 0;
  const byEvent = new Map<string, number>();
  legs.forEach((l, i) => {
    const px = ceilings[i]! / PRICE_SCALE;
    const depth = depthAtOrBetter(books[i]!, l.side, ceilings[i]!, ctx.consumed, l.tokenId);
    limits.push([`depth ${l.outcome} ${(cfg.maxDepthShare * 100).toFixed(0)}%`, depth * cfg.maxDepthShare]);
    allPerSet += px;
    if (l.side === 'SELL') {
      if (!split) limits.push([`held ${l.outcome}`, (broker.positions.get(l.tokenId)?.shares ?? 0) - broker.reservedShares(l.tokenId)]);
      return;
    }
    buyPerSet += px;
    cashPerSet += px + takerFeePerShareUnits(ceilings[i]!, infos[i]!.fee);
    limits.push([`token ${l.outcome}`, (cfg.maxTokenPct * equity - usd(xp.token.get(l.tokenId) ?? 0)) / px]);
    byEvent.set(infos[i]!.eventId, (byEvent.get(infos[i]!.eventId) ?? 0) + px);
  });
  for (const [e, px] of byEvent) limits.push([`event ${e.slice(0, 10)}`, (cfg.maxEventPct * equity - usd(xp.event.get(e) ?? 0)) / px]);
  if (buyPerSet > 0) limits.push(['gross', (cfg.maxGrossPct * equity - usd(xp.gross)) / buyPerSet]);
  if (allPerSet > 0) limits.push(['notional', cfg.maxNotionalUsd / allPerSet]);
  if (cashPerSet > 0) limits.push(['cash', usd(broker.cashMicros - broker.reservedMicros()) / cashPerSet]);
  // A split costs $1 per set up front (the sales pay it back in the same transaction).
  if (split) limits.push(['split cash $1/set', usd(broker.cashMicros - broker.reservedMicros())]);
  let sets = Infinity;
  for (const [, s] of limits) sets = Math.min(sets, s);
  sets = floorShares(Math.max(0, sets));
  const binding = limits.filter(([, s]) => floorShares(Math.max(0, s)) <= sets + 1e-9).map(([n]) => n);
  const minSize = Math.max(...infos.map((m) => m.minOrderSize));
  let explain = `basket ${it.label}: sets = min(${limits.map(([n, s]) => `${n} ${s.toFixed(2)}`).join(', ')}) = ${sets.toFixed(2)} (bound by ${binding.join(', ')})`;
  const small = G.minSizeGate(sets, minSize);
  if (!small.ok) return fail(small, first, sets, explain);
  // Walk every leg for the full size inside its ceiling: all or none.
  const walks: Walk[] = [];
  for (let i = 0; i < legs.length; i++) {
    const w = walkBook(books[i]!, legs[i]!.side, sets, ceilings[i]!, ctx.consumed, legs[i]!.tokenId);
    if (w.filled + 1e-9 < sets) return fail(refuse('slippage', `leg ${legs[i]!.outcome} fills ${w.filled.toFixed(2)} of ${sets.toFixed(2)} within ${p4(ceilings[i]!)}: none of the basket`), legs[i]!, sets, explain);
    walks.push(w);
  }
  const payoff = payoffOf(it);
  let perSet = payoff;
  let taker = 0;
  let fees = 0;
  let buyMicros = 0;
  const eventAdds = new Map<string, number>();
  walks.forEach((w, i) => {
    const l = legs[i]!;
    let legFee = 0;
    let legNotional = 0;
    for (const t of w.takes) {
      legFee += takerFeeMicros(t.size, t.price, infos[i]!.fee);
      legNotional += notionalMicros(t.price, t.size);
    }
    taker += legNotional;
    fees += legFee;
    if (l.side === 'BUY') {
      buyMicros += legNotional;
      eventAdds.set(infos[i]!.eventId, (eventAdds.get(infos[i]!.eventId) ?? 0) + legNotional);
    }
    perSet += (l.side === 'BUY' ? -(legNotional + legFee) : legNotional - legFee) / MICROS / sets;
  });
  explain += `; edge at fills ${perSet.toFixed(4)}/set (payoff ${payoff})`;
  const checks: (() => GateResult)[] = [
    () => (perSet + 1e-9 < cfg.basketMinEdge ? refuse('min-edge', `edge at fill prices ${perSet.toFixed(4)}/set < ${cfg.basketMinEdge}`) : PASS),
    () => G.depthGate(Math.min(...walks.map((w, i) => depthValueUnits(books[i]!, legs[i]!.side, ceilings[i]!) / PRICE_SCALE)), cfg),
    () => G.notionalGate(usd(taker), cfg),
    ...legs.map((l, i) => () => (l.side === 'BUY' ? G.tokenCapGate(usd(xp.token.get(l.tokenId) ?? 0), usd(notionalMicros(walks[i]!.vwap, sets)), equity, cfg) : PASS)),
    ...[...eventAdds].map(([e, add]) => () => G.eventCapGate(usd(xp.event.get(e) ?? 0), usd(add), equity, cfg)),
    () => G.grossCapGate(usd(xp.gross), usd(buyMicros), equity, cfg),
    () => G.maxPositionsGate(xp.open.size, new Set(legs.filter((l) => l.side === 'BUY' && !xp.open.has(l.tokenId)).map((l) => l.tokenId)).size, cfg),
    () => G.cashGate(broker.cashMicros - broker.reservedMicros(), buyMicros + fees + (split ? Math.round(sets * MICROS) : 0)),
  ];
  const g = G.firstRefusal(checks);
  if (!g.ok) return fail(g, first, sets, explain);
  const reason = `${auto ? 'auto' : 'operator'} basket ${it.label} ${it.key}`;
  const plans: PlannedOrder[] = legs.map((l, i) => ({ info: infos[i]!, side: l.side, type: 'basket', limit: ceilings[i]!, size: sets, takes: walks[i]!.takes, rest: 0, reason, source: it.key }));
  if (split) {
    // The set first: YES and NO at $0.50 each ($1 per set), in the same transaction as the sales.
    const half = PRICE_SCALE / 2;
    const mint: PlannedOrder[] = legs.map((l, i) => ({ info: infos[i]!, side: 'BUY', type: 'split', limit: half, size: sets, takes: [{ price: half, size: sets }], rest: 0, reason: `${reason} (split $1 into YES+NO)`, source: it.key, liquidity: 'split' }));
    plans.unshift(...mint);
  }
  return { ok: true, plans, books, sets, feeMicros: fees, explain };
}

/** Executes a basket: planBasket, then every leg in one transaction; a refusal is recorded. */
export function executeBasket(ctx: DeskContext, it: BasketIntent, now: number, auto: boolean): OrderResult {
  const p = planBasket(ctx, it, now, auto);
  if (!p.ok) {
    const x: RefusalInput = { gate: p.refusal.gate, reason: p.refusal.reason, tokenId: p.leg.tokenId, marketId: p.leg.marketId, side: p.leg.side, type: 'basket', size: p.sets, source: it.key };
    if (p.explain) x.explain = p.explain;
    return ctx.refuse(x, now, auto ? it.key : undefined);
  }
  if (!ctx.executor.baskets) {
    const x: RefusalInput = { gate: 'bad-order', reason: `${ctx.executor.kind} trading does not send baskets: the venue cannot take all legs or none`, tokenId: p.plans[0]!.info.tokenId, marketId: p.plans[0]!.info.marketId, side: p.plans[0]!.side, type: 'basket', size: p.sets, source: it.key };
    return ctx.refuse(x, now, auto ? it.key : undefined);
  }
  const committed = ctx.executor.commit(p.plans, now);
  // Book legs only (a split takes nothing from a book); books align with them.
  p.plans.filter((plan) => plan.liquidity !== 'split').forEach((plan, i) => ctx.consumed.record(plan.info.tokenId, p.books[i]!, plan.side, plan.takes));
  ctx.executed.add(it.key);
  const all = committed.flatMap((c) => c.fills);
  let notional = 0;
  for (const f of all) notional += f.price * f.size;
  const filled = committed.reduce((s, c) => s + c.filled, 0);
  return { ok: true, orderIds: committed.map((c) => c.orderId), status: 'filled', filled: p.sets, avgPrice: filled > 0 ? notional / filled : NaN, feeMicros: p.feeMicros, fills: all, resting: 0, kellyExplain: p.explain };
}
