// The signals pane's rows as the queue holds them after this cycle's gater:
// tier, gate, size and sizing arithmetic (decided by the paper desk), the
// scorer's read, the token's OFI and a crypto row's fair value beside the YES
// mid. Computed once per engine cycle; text is raw (names, questions and
// reasons come from the network) and the store sanitises it for the terminal.
import type { SignalPaneRow } from '../../store/snapshot.js';
import type { App } from '../app.js';
import { fairPaneView } from '../refdata/fair-view.js';
import type { FairRow } from '../refdata/service.js';
import { PRICE_SCALE } from '../protocol/units.js';

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

export function signalPaneRows(app: App, n: number, now: number): SignalPaneRow[] {
  const paused = app.engine.paused;
  return app.queue.ranked(n).map((q, i) => {
    const gate = paused && q.kind !== 'spike' ? 'paused: the engine is paused (p resumes)' : q.gate;
    const row: SignalPaneRow = { key: q.key, rank: i + 1, tier: q.tier, kind: q.kind, label: q.label, question: q.question, side: q.side, confidence: q.confidence, gate, reasoning: q.reasoning, marketIds: q.marketIds };
    if (q.entry !== undefined) row.entry = q.entry;
    if (q.edge !== undefined) row.edge = q.edge;
    if (q.exec && q.exec.shares > 0) row.size = q.exec.shares;
    if (q.kind === 'strategy') row.verdict = q.verdict ?? 'UNPROVEN';
    const category = q.signal?.category ?? (q.marketIds[0] !== undefined ? app.scan.categoryOf.get(q.marketIds[0]) : undefined);
    if (category) row.category = category;
    if (q.size !== undefined) row.depth = q.size;
    // In 10 s steps, so the pane is not redrawn for the age alone.
    row.ageMs = Math.max(0, Math.floor((app.engine.now() - q.firstSeen) / 10_000) * 10_000);
    if (q.claimedWinRate !== undefined) row.claimed = q.claimedWinRate;
    if (q.validated !== undefined) row.validated = q.validated;
    if (q.legs) row.legs = q.legs.map((l) => ({ outcome: l.outcome, side: l.side, price: l.price, size: l.size, fee: l.fee }));
    if (q.exec?.explain) row.kelly = q.exec.explain;
    else if (q.kind === 'arb') row.kelly = 'a basket: sized by depth within the slippage ceiling and by the token/event/gross caps, not by Kelly';
    const fair = q.marketIds.length === 1 ? app.refdata?.fair.get(q.marketIds[0]!) : undefined;
    if (fair) row.fair = fairView(app, fair, now);
    if (q.model) {
      const m = q.model;
      row.model = { verdict: m.verdict, note: m.note };
      if (m.p !== undefined && m.mid !== undefined) {
        row.model.p = round4(m.p);
        row.model.diff = round4(m.p - m.mid);
      }
    }
    if (q.weight) row.weight = { weight: round4(q.weight.weight), rank: round4(q.weight.rank), arithmetic: q.weight.arithmetic };
    if (q.tokenId) {
      const v = app.signals.hub.ofi.value(q.tokenId, 30_000, now);
      if (v) {
        row.ofi = round4(v.normalized);
        row.ofiGap = v.gap;
      }
    }
    return row;
  });
}

/** A crypto row's fair value beside the YES mid and the market's microstructure class. */
function fairView(app: App, fair: FairRow, now: number): NonNullable<SignalPaneRow['fair']> {
  const m = app.engine.catalog.markets.get(fair.marketId);
  const micro = app.signals.hub.score(fair.marketId, now, { feedUp: app.engine.phase === 'streaming', closed: m?.closed ?? false });
  return fairPaneView(fair, yesMid(app, fair.marketId), micro.type, app.refdata?.funding.get(fair.asset));
}

function yesMid(app: App, marketId: string): number | undefined {
  const m = app.engine.catalog.markets.get(marketId);
  const b = m?.tokenIds[0] ? app.engine.books.get(m.tokenIds[0]) : undefined;
  const bid = b?.state === 'fresh' ? b.bestBid : undefined;
  const ask = b?.state === 'fresh' ? b.bestAsk : undefined;
  return bid !== undefined && ask !== undefined ? (bid + ask) / 2 / PRICE_SCALE : undefined;
}
