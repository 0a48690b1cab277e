// The portfolio pane as the paper desk computes it once per engine cycle:
// equity and unrealised P&L are unknown (null) until every open position has a
// mark. Text is raw (questions and outcomes come from the catalog); the store
// sanitises it for the terminal.
import type { PortfolioPane } from '../../store/snapshot.js';
import type { PaperTrader } from './trader.js';

export function portfolioView(t: PaperTrader): PortfolioPane {
  const pp = t.portfolioPane();
  const marked = pp.positions.every((p) => p.mark !== null);
  return {
    enabled: pp.enabled,
    cash: pp.cash,
    equity: marked ? pp.equity : null,
    realized: pp.realized,
    unrealized: marked ? pp.unrealized : null,
    fees: pp.fees,
    orders: pp.orders,
    fills: pp.fills,
    positions: pp.positions.slice(0, 50).map((p) => ({ tokenId: p.tokenId, marketId: p.marketId, question: p.question, outcome: p.outcome, shares: p.shares, avgCost: p.avgCost, mark: p.mark, unrealized: p.unrealized, ...(p.basket ? { basket: p.basket } : {}), realized: p.realized, fees: p.fees })),
    breaker: { state: pp.breaker.state, reason: pp.breaker.reason, drawdown: pp.breaker.drawdown, resumePending: pp.breaker.resumePending },
    lastFill: pp.lastFill,
    blotter: t.blotter(40),
  };
}
