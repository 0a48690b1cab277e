// What paper trading shows: the headless summary key `paper` (dollars), one
// JSON line per fill, and the Portfolio pane's rows. Plain values; the
// components only render them.
import { PRICE_SCALE } from '../protocol/units.js';
import type { BreakerView } from './breaker.js';
import { dollars, usd } from './money.js';
import type { PaperFill } from './types.js';
import type { PaperTrader } from './trader.js';

export interface PaperSummary {
  orders: number;
  fills: number;
  cash: number;
  equity: number;
  realized: number;
  unrealized: number;
  fees: number;
  /** Open positions. */
  open: number;
  breaker: string;
  refused: number;
  enabled: boolean;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

export function summaryOf(t: PaperTrader): PaperSummary {
  const equity = t.equityMicros();
  let unrealized = 0;
  let open = 0;
  for (const h of t.holdings()) {
    open++;
    unrealized += h.valueMicros - h.costMicros;
  }
  return {
    orders: t.broker.orders,
    fills: t.broker.fills,
    // Live: the venue's balance and equity (what the desk sizes from), not the paper ledger's.
    cash: r2(dollars(t.liveAccount()?.cashMicros ?? t.broker.cashMicros)),
    equity: r2(dollars(equity)),
    realized: r2(dollars(t.broker.realizedMicros)),
    unrealized: r2(dollars(unrealized)),
    fees: r2(dollars(t.broker.feesMicros)),
    open,
    breaker: t.breaker.status,
    refused: t.broker.refused,
    enabled: t.enabled,
  };
}

/**
 * `{"type":"fill", ts, tokenId, marketId, outcome, question, side, price, size, fee, orderId, reason}`:
 * price as a probability, fee in dollars. The outcome label ("Yes", "No", "Up", a named
 * outcome) and the question come from the market the desk traded (already sanitised);
 * absent when the desk never saw the market.
 */
export function fillJson(f: PaperFill, market?: { outcome: string; question: string }): string {
  return JSON.stringify({
    type: 'fill',
    ts: f.ts,
    tokenId: f.tokenId,
    marketId: f.marketId,
    ...(market?.outcome ? { outcome: market.outcome } : {}),
    ...(market?.question ? { question: market.question } : {}),
    side: f.side,
    price: f.price / PRICE_SCALE,
    size: f.size,
    fee: dollars(f.feeMicros),
    liquidity: f.liquidity,
    orderId: f.orderId,
    reason: f.reason,
  });
}

/** One open position (store/snapshot.ts PositionRow is this without realised, fees and flag). */
export interface PositionRowView {
  tokenId: string;
  marketId: string;
  /** Sanitised question ('' before the catalog is known). */
  question: string;
  /** Outcome label ("Yes", "No", "Up"…). */
  outcome: string;
  shares: number;
  /** Average cost per share, probability units. */
  avgCost: number;
  /** Executable bid (the mark), probability units; null before the first book. */
  mark: number | null;
  unrealized: number;
  realized: number;
  fees: number;
  /** Why a closed market's position is still open (voided…). */
  flag?: string;
  /** A complete YES+NO basket: sets held, the dollars it locks in at resolution, and what it cost. */
  basket?: { sets: number; locked: number; cost: number };
}

export interface PortfolioPane {
  enabled: boolean;
  cash: number;
  equity: number;
  realized: number;
  unrealized: number;
  fees: number;
  reserved: number;
  orders: number;
  fills: number;
  refused: number;
  resting: number;
  breaker: BreakerView;
  positions: PositionRowView[];
  /** Label/value lines for the pane's header, already formatted. */
  rows: { label: string; value: string; tone?: 'good' | 'bad' | 'warn' }[];
  lastRefusal?: string;
  /** "BUY 100 Yes @ 0.5000 (fee $1.75) — reason", or ''. */
  lastFill: string;
  kellyExplain: string;
}

export function portfolioPane(t: PaperTrader): PortfolioPane {
  const equity = t.equityMicros();
  const breaker = t.breaker.view(equity);
  const positions: PositionRowView[] = [];
  let unrealized = 0;
  // A complete YES+NO basket is one line, valued at the $1 per set it locks in.
  for (const h of t.holdings()) {
    const u = h.valueMicros - h.costMicros;
    unrealized += u;
    const legs = h.tokenIds.map((id) => t.broker.positions.get(id)!);
    const info = t.marketInfo(h.tokenId);
    const row: PositionRowView = {
      tokenId: h.tokenId,
      marketId: h.marketId,
      question: info?.question ?? '',
      outcome: h.kind === 'basket' ? 'YES+NO' : (info?.outcome ?? ''),
      shares: h.shares,
      avgCost: h.costMicros / h.shares / 1e6,
      mark: h.mark === undefined ? null : h.mark / PRICE_SCALE,
      unrealized: dollars(u),
      realized: dollars(legs.reduce((x, p) => x + p.realizedMicros, 0)),
      fees: dollars(legs.reduce((x, p) => x + p.feesMicros, 0)),
    };
    if (h.kind === 'basket') row.basket = { sets: h.shares, locked: dollars(h.valueMicros), cost: dollars(h.costMicros) };
    const flag = legs.find((p) => p.flag)?.flag;
    if (flag) row.flag = flag;
    positions.push(row);
  }
  positions.sort((a, b) => b.shares * b.avgCost - a.shares * a.avgCost || (a.tokenId < b.tokenId ? -1 : a.tokenId > b.tokenId ? 1 : a.outcome < b.outcome ? -1 : 1));
  const realized = t.broker.realizedMicros;
  const tone = (x: number) => (x > 0 ? 'good' : x < 0 ? 'bad' : undefined);
  const rows: PortfolioPane['rows'] = [
    { label: 'paper', value: t.enabled ? 'ON' : 'off', ...(t.enabled ? { tone: 'good' as const } : {}) },
    { label: 'cash', value: usd(t.broker.cashMicros) },
    { label: 'equity', value: usd(equity) },
    { label: 'realised', value: usd(realized), ...withTone(tone(realized)) },
    { label: 'unrealised', value: usd(unrealized), ...withTone(tone(unrealized)) },
    { label: 'fees paid', value: usd(t.broker.feesMicros) },
    { label: 'open', value: `${positions.length} positions, ${t.broker.resting.size} resting` },
    {
      label: 'breaker',
      value: `${breaker.state}${breaker.reason ? ` (${breaker.reason})` : ''}; drawdown ${(breaker.drawdown * 100).toFixed(1)}%, losing run ${breaker.consecutiveLosses}`,
      ...(breaker.state === 'ARMED' ? {} : { tone: 'bad' as const }),
    },
  ];
  const last = t.refusals[t.refusals.length - 1];
  const pane: PortfolioPane = {
    enabled: t.enabled,
    cash: dollars(t.broker.cashMicros),
    equity: dollars(equity),
    realized: dollars(realized),
    unrealized: dollars(unrealized),
    fees: dollars(t.broker.feesMicros),
    reserved: dollars(t.broker.reservedMicros()),
    orders: t.broker.orders,
    fills: t.broker.fills,
    refused: t.broker.refused,
    resting: t.broker.resting.size,
    breaker,
    positions,
    rows,
    lastFill: t.lastFill ? fillLine(t.lastFill, t.marketInfo(t.lastFill.tokenId)?.outcome ?? '') : '',
    kellyExplain: t.lastKellyExplain,
  };
  if (last) pane.lastRefusal = `${last.gate}: ${last.reason}`;
  return pane;
}

function withTone(t: 'good' | 'bad' | undefined): { tone?: 'good' | 'bad' } {
  return t ? { tone: t } : {};
}

function fillLine(f: PaperFill, outcome: string): string {
  return `${f.side} ${f.size} ${outcome || f.tokenId.slice(0, 10)} @ ${(f.price / PRICE_SCALE).toFixed(4)} (${f.liquidity}, fee ${usd(f.feeMicros)}) — ${f.reason}`;
}
