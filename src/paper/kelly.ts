// Fractional Kelly for buying a binary share (research/quant-anchors.md §4,
// §8D): with belief p and all-in cost c per share (price + taker fee per
// share), f* = (p − c)/(1 − c) of equity, scaled by k (0.25 by default), then
// capped per token, per event, gross and by visible depth. The result says
// which cap bound and shows the arithmetic for the detail view.
import { floorShares } from './money.js';

/** Full-Kelly fraction of equity; ≤ 0 means no bet. */
export function kellyFraction(p: number, c: number): number {
  if (!(c > 0) || c >= 1) return 0;
  return (p - c) / (1 - c);
}

export interface KellyInput {
  /** Belief that the share pays $1. */
  p: number;
  /** All-in cost per share: price + fee per share, dollars. */
  c: number;
  /** Fraction of full Kelly. */
  k: number;
  equity: number;
  /** Dollars per share that turn the dollar caps into shares (the all-in cost at the limit price); default c. */
  capPrice?: number;
  /** Dollars of room left under each cap (cap − what is already held). */
  tokenRoom: number;
  eventRoom: number;
  grossRoom: number;
  /** The cap fractions, for the explanation. */
  tokenPct: number;
  eventPct: number;
  grossPct: number;
  /** Shares visible at or better than the limit, and the share of it we may take. */
  depth: number;
  depthShare: number;
  minOrderSize: number;
  /** Optional further ceilings in dollars: the order notional limit and the cash available. */
  notionalRoom?: number;
  cashRoom?: number;
}

export interface KellySizing {
  fStar: number;
  f: number;
  /** Dollars Kelly asks for (f × equity). */
  target: number;
  /** Final shares (2 decimals), 0 when refused. */
  shares: number;
  /** Caps that bound the size, in the order they bind. */
  capsHit: string[];
  /** Why no order (edge ≤ 0, below the minimum order size), else undefined. */
  refused?: 'min-edge' | 'min-size';
  explain: string;
}

const f4 = (x: number) => x.toFixed(4);
const d2 = (x: number) => `$${x.toFixed(2)}`;

export function kellySize(i: KellyInput): KellySizing {
  const fStar = kellyFraction(i.p, i.c);
  const f = Math.max(0, fStar) * i.k;
  const target = f * i.equity;
  const per = i.capPrice ?? i.c;
  const limits: [string, number][] = [
    ['kelly', target / i.c],
    [`token ${pct(i.tokenPct)}`, Math.max(0, i.tokenRoom) / per],
    [`event ${pct(i.eventPct)}`, Math.max(0, i.eventRoom) / per],
    [`gross ${pct(i.grossPct)}`, Math.max(0, i.grossRoom) / per],
    [`depth ${pct(i.depthShare)}`, i.depth * i.depthShare],
  ];
  if (i.notionalRoom !== undefined) limits.push(['notional', Math.max(0, i.notionalRoom) / per]);
  if (i.cashRoom !== undefined) limits.push(['cash', Math.max(0, i.cashRoom) / per]);
  let shares = Infinity;
  for (const [, s] of limits) shares = Math.min(shares, s);
  shares = floorShares(Math.max(0, shares));
  const capsHit = limits.slice(1).filter(([, s]) => s < limits[0]![1] - 1e-9 && floorShares(s) <= shares + 1e-9).map(([n]) => n);
  let refused: KellySizing['refused'];
  if (fStar <= 0) refused = 'min-edge';
  else if (shares < i.minOrderSize) refused = 'min-size';
  const final = refused ? 0 : shares;
  const explain =
    `p ${f4(i.p)}, c ${f4(i.c)}; f* = (p − c)/(1 − c) = ${f4(fStar)}; × k ${i.k} = ${f4(f)} of ${d2(i.equity)} = ${d2(target)}` +
    ` (${(target / i.c).toFixed(2)} sh); caps: token ${d2(i.tokenRoom)}, event ${d2(i.eventRoom)}, gross ${d2(i.grossRoom)}, depth ${pct(i.depthShare)} of ${i.depth.toFixed(2)} sh` +
    `; hit: ${capsHit.length ? capsHit.join(', ') : 'none'}` +
    (refused === 'min-edge' ? '; no edge: no order' : refused === 'min-size' ? `; ${shares.toFixed(2)} sh < min order ${i.minOrderSize}: refused` : `; final ${final.toFixed(2)} shares`);
  return { fStar, f, target, shares: final, capsHit, ...(refused ? { refused } : {}), explain };
}

function pct(x: number): string {
  return `${+(x * 100).toFixed(2)}%`;
}
