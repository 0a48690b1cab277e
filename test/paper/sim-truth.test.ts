// The truth test: paper trading against the in-process simulator (no servers).
// A driver submits market, limit IOC, limit GTC, sell and basket orders on the
// venue's own books; the venue's last_trade_price and market_resolved wire
// objects are fed through the real decoder. Everything the broker claims is
// checked against what the test saw itself: the book levels at fill time, the
// through-rule for maker fills, the gates, the cash identity, the settlements.
import { beforeAll, describe, expect, it } from 'vitest';
import { Simulator } from '../../src/sim/simulator.js';
import { Rng } from '../../src/sim/rng.js';
import { simCatalog, touchSimBooks } from '../../src/sim/catalog.js';
import { ArbScanner } from '../../src/arb/scanner.js';
import { decodeFrame } from '../../src/protocol/market-channel.js';
import type { CatalogMarket } from '../../src/protocol/gamma.js';
import { openDatabase, type DB } from '../../src/persist/db.js';
import { PaperTrader } from '../../src/paper/trader.js';
import { DEFAULT_PAPER_CONFIG } from '../../src/paper/config.js';
import type { OrderRequest, OrderResult, PaperFill } from '../../src/paper/types.js';
import { ledgerInvariants } from './helpers.js';

const MARKETS = 800;
// 900 steps (75 sim hours) trade, rest, settle and basket enough for every count below with room to spare; SIM_TRUTH_STEPS=1500 (npm run test:long) runs 125 h.
const STEPS = Number(process.env['SIM_TRUTH_STEPS'] ?? 900);
const STEP_SIM_MS = 300_000; // 5 sim minutes per step
const ACTIONS_PER_STEP = 40;
const INITIAL = 10_000_000_000;
const CFG = { enabled: true, cooldownMs: 0, maxDrawdownPct: 0.3, maxConsecutiveLosses: 50, dailyLossPct: 0.5 };

interface Snap {
  bids: Map<number, number>;
  asks: Map<number, number>;
  bestBid: number | undefined;
  bestAsk: number | undefined;
}

interface Run {
  db: DB;
  trader: PaperTrader;
  sim: Simulator;
  catalog: Map<string, CatalogMarket>;
  takerFills: number;
  makerFills: number;
  violations: string[];
  accepted: Record<string, number>;
  baskets: number;
  partials: number;
  exits: number;
  resolvedSeen: number;
}

let run: Run;
const setRun = (r: Run) => (run = r);

beforeAll(() => {
  const sim = new Simulator({ seed: 'paper-truth', markets: MARKETS, speed: 600, rate: 80, clockStart: 'manual', stepMs: 500 });
  const db = openDatabase(':memory:').db;
  const rng = new Rng('paper-driver');
  let now = sim.exchange.now;
  const violations: string[] = [];
  const bookOf = (t: string) => sim.exchange.book(t);
  // The test's own view of the books, taken before every trader call.
  let snaps = new Map<string, Snap>();
  let taken = new Map<string, number>();
  let trigger: { kind: 'trade'; price: number; asset: string } | { kind: 'book'; asset: string } | { kind: 'none' } = { kind: 'none' };
  const limits = new Map<number, number>();
  const r: Run = { db, trader: undefined as unknown as PaperTrader, sim, catalog: new Map(), takerFills: 0, makerFills: 0, violations, accepted: {}, baskets: 0, partials: 0, exits: 0, resolvedSeen: 0 };
  const snapshot = (tokens: Iterable<string>) => {
    snaps = new Map();
    taken = new Map();
    for (const t of tokens) {
      const b = bookOf(t);
      if (!b) continue;
      snaps.set(t, { bids: new Map(b.bidPx.map((p, i) => [p, b.bidSz[i]!])), asks: new Map(b.askPx.map((p, i) => [p, b.askSz[i]!])), bestBid: b.bestBid, bestAsk: b.bestAsk });
    }
  };
  const onFill = (f: PaperFill) => {
    if (f.liquidity === 'taker') {
      r.takerFills++;
      const s = snaps.get(f.tokenId);
      const level = s ? (f.side === 'BUY' ? s.asks : s.bids).get(f.price) : undefined;
      const key = `${f.tokenId}|${f.side}|${f.price}`;
      const used = (taken.get(key) ?? 0) + f.size;
      taken.set(key, used);
      if (level === undefined) violations.push(`taker fill ${f.side} ${f.size} @ ${f.price} on ${f.tokenId}: no such level in the book`);
      else if (used > level + 1e-9) violations.push(`taker fills ${used} @ ${f.price} exceed the level's ${level}`);
    } else if (f.liquidity === 'split') {
      // Minted from collateral: half of a $1 YES+NO set, no book, no fee.
      if (f.price !== 5000 || f.side !== 'BUY' || f.feeMicros !== 0) violations.push(`split fill ${f.side} @ ${f.price} fee ${f.feeMicros}: not half of a $1 set`);
    } else {
      r.makerFills++;
      const limit = (db.prepare('SELECT limit_price AS l FROM orders WHERE id = ?').get(f.orderId) as { l: number }).l;
      if (f.price !== limit) violations.push(`maker fill at ${f.price} ≠ its limit ${limit}`);
      if (f.feeMicros !== 0) violations.push('maker fill charged a fee');
      if (trigger.kind === 'trade') {
        if (!(f.side === 'BUY' ? trigger.price < f.price : trigger.price > f.price)) violations.push(`maker ${f.side} @ ${f.price} filled by a print at ${trigger.price}: not through`);
      } else if (trigger.kind === 'book') {
        const s = snaps.get(f.tokenId)!;
        const best = f.side === 'BUY' ? s.bestAsk : s.bestBid;
        if (best === undefined || !(f.side === 'BUY' ? best < f.price : best > f.price)) violations.push(`maker ${f.side} @ ${f.price} filled with the opposite best at ${best}: not through`);
      } else violations.push('maker fill outside a trade or book update');
    }
    limits.set(f.orderId, f.price);
  };
  const byTokenCat = new Map<string, CatalogMarket>();
  const trader = PaperTrader.load(db, { bookOf, config: CFG, onFill }, now);
  r.trader = trader;
  setRun(r);
  const refreshCatalog = () => {
    const cat = simCatalog(sim);
    for (const m of cat) {
      r.catalog.set(m.id, m);
      for (const t of m.tokenIds) byTokenCat.set(t, m);
    }
    trader.onCatalog(cat, now);
  };
  touchSimBooks(sim, now);
  refreshCatalog();

  // Independent gate check for an accepted entry: recomputed from the test's snapshot and the DB.
  const checkEntry = (req: OrderRequest | undefined, tokens: string[], res: OrderResult, equityBefore: number, armed: boolean, single: boolean) => {
    const cfg = { ...DEFAULT_PAPER_CONFIG, ...CFG };
    if (!armed) violations.push('an entry was accepted while the breaker was not ARMED');
    for (const t of tokens) {
      const s = snaps.get(t)!;
      const m = byTokenCat.get(t)!;
      if (s.bestBid !== undefined && s.bestAsk !== undefined && s.bestBid >= s.bestAsk) violations.push(`accepted on a crossed book ${t}`);
      if (single && (s.bestBid === undefined || s.bestAsk === undefined || s.bestAsk - s.bestBid > cfg.maxSpread * 10_000 + 1e-9)) violations.push(`accepted with spread ${s.bestBid}/${s.bestAsk}`);
      if (m.closed) violations.push(`accepted on a closed market ${m.id}`);
      if (m.endDate !== undefined && m.endDate - now < cfg.closingBufferMin * 60_000) violations.push(`accepted ${((m.endDate - now) / 60_000).toFixed(1)} min before close`);
    }
    const fills = res.fills;
    for (const f of fills) if (f.price < cfg.priceBand[0] * 10_000 || f.price > cfg.priceBand[1] * 10_000) violations.push(`fill at ${f.price} outside the price band`);
    if (req) {
      const m = byTokenCat.get(req.tokenId)!;
      if (req.size < m.minOrderSize) violations.push(`accepted ${req.size} < minimum ${m.minOrderSize}`);
    }
    // Traded notional: split mints are collateral, not trades.
    const notional = fills.filter((f) => f.liquidity !== 'split').reduce((s, f) => s + f.price * f.size, 0) / 10_000 + (req ? (res.resting * (req.limit ?? 0)) / 10_000 : 0);
    if (notional > cfg.maxNotionalUsd + 1e-6) violations.push(`notional ${notional} > max`);
    // Exposure after the order, from the DB: positions' cost basis + resting BUY reservations.
    const pos = db.prepare('SELECT token_id, cost_micros FROM positions WHERE shares > 0').all() as { token_id: string; cost_micros: number }[];
    const rest = db.prepare("SELECT o.token_id, o.limit_price * (o.size - COALESCE((SELECT SUM(f.size) FROM fills f WHERE f.order_id = o.id), 0)) * 100 AS m FROM orders o WHERE o.status = 'open' AND o.side = 'BUY'").all() as { token_id: string; m: number }[];
    const byToken = new Map<string, number>();
    for (const p of pos) byToken.set(p.token_id, (byToken.get(p.token_id) ?? 0) + p.cost_micros);
    for (const o of rest) byToken.set(o.token_id, (byToken.get(o.token_id) ?? 0) + o.m);
    const eventOf = (t: string) => {
      const m = byTokenCat.get(t);
      return m ? (m.eventId ?? m.id) : t;
    };
    const byEvent = new Map<string, number>();
    let gross = 0;
    for (const [t, v] of byToken) {
      byEvent.set(eventOf(t), (byEvent.get(eventOf(t)) ?? 0) + v);
      gross += v;
    }
    const slack = 2; // micro-dollars of rounding
    for (const t of tokens) {
      if ((byToken.get(t) ?? 0) > cfg.maxTokenPct * equityBefore + slack) violations.push(`token ${t} exposure ${byToken.get(t)} > ${cfg.maxTokenPct} × ${equityBefore}`);
      const e = eventOf(t);
      if ((byEvent.get(e) ?? 0) > cfg.maxEventPct * equityBefore + slack) violations.push(`event ${e} exposure ${byEvent.get(e)} > cap`);
    }
    if (gross > cfg.maxGrossPct * equityBefore + slack) violations.push(`gross ${gross} > cap`);
    if (byToken.size > cfg.maxOpenPositions) violations.push(`${byToken.size} open positions > max`);
    if (trader.broker.cashMicros < 0) violations.push('cash went negative');
  };

  const submit = (req: OrderRequest) => {
    snapshot([req.tokenId]);
    trigger = { kind: 'none' };
    const equity = trader.equityMicros();
    const armed = trader.breaker.status === 'ARMED';
    const res = trader.submit(req, now);
    if (res.ok) {
      r.accepted[req.type + (req.tif ?? '') + req.side] = (r.accepted[req.type + (req.tif ?? '') + req.side] ?? 0) + 1;
      if (res.status === 'partial') r.partials++;
      if (req.side === 'BUY') checkEntry(req, [req.tokenId], res, equity, armed, true);
    }
    return res;
  };

  const scanner = new ArbScanner();
  let candidates: { tokenIds: [string, string]; min: number }[] = [];
  for (let step = 0; step < STEPS; step++) {
    sim.exchange.step(STEP_SIM_MS, ACTIONS_PER_STEP);
    now = sim.exchange.now;
    touchSimBooks(sim, now);
    // Feed the venue's wire objects through the real decoder.
    const touched = new Set<string>();
    for (const o of sim.exchange.out) {
      if (o.kind === 'pc') {
        for (const e of o.entries) touched.add(e.asset_id);
        continue;
      }
      const type = o.obj['event_type'];
      if (type !== 'last_trade_price' && type !== 'market_resolved') continue;
      for (const ev of decodeFrame(JSON.stringify(o.obj)).events) {
        if (ev.type === 'last_trade_price') {
          trigger = { kind: 'trade', price: ev.price, asset: ev.asset };
          snapshot([ev.asset]);
          trader.onTrade(ev, now);
        } else if (ev.type === 'market_resolved') {
          r.resolvedSeen++;
          trigger = { kind: 'none' };
          trader.onResolved(ev, now);
        }
      }
    }
    sim.exchange.out.length = 0;
    for (const t of touched) {
      if (!bookOf(t)) continue;
      trigger = { kind: 'book', asset: t };
      snapshot([t]);
      const before = trader.broker.fills;
      const f = trader.onBook(t, now);
      if (f.some((x) => x.liquidity === 'taker')) r.exits++;
      void before;
    }
    trigger = { kind: 'none' };
    trader.cycle(now);
    if (step % 60 === 0) {
      refreshCatalog();
      const horizon = sim.exchange.now + (STEPS - step) * STEP_SIM_MS;
      candidates = sim.world.markets.filter((m) => !m.closed && m.endMs > now + 2 * 3_600_000 && m.endMs < horizon).map((m) => ({ tokenIds: m.tokenIds, min: m.minOrderSize }));
    }
    if (step % 100 === 50) {
      scanner.build([...r.catalog.values()].filter((m) => !m.closed));
      const ops = scanner.scanAll(bookOf, now);
      const tokens = ops.flatMap((o) => o.legs.map((l) => l.tokenId));
      for (const op of ops.slice(0, 6)) {
        snapshot(tokens);
        const equity = trader.equityMicros();
        const armed = trader.breaker.status === 'ARMED';
        const res = op.autoTradable ? trader.autoTrade([], [op], now)[0] : trader.execute(op, now);
        if (res?.ok) {
          r.baskets++;
          const sizes = new Map<string, number>();
          for (const f of res.fills) sizes.set(f.tokenId, (sizes.get(f.tokenId) ?? 0) + f.size);
          const legSizes = op.legs.map((l) => Math.round((sizes.get(l.tokenId) ?? 0) * 100) / 100);
          if (new Set(legSizes).size !== 1) violations.push(`basket legs filled unequally: ${legSizes.join(', ')}`);
          checkEntry(undefined, op.legs.map((l) => l.tokenId), res, equity, armed, false);
        }
      }
    }
    // The driver: a few orders per step on markets that will resolve during the run.
    for (let k = 0; k < 3 && candidates.length; k++) {
      const c = rng.pick(candidates);
      const token = c.tokenIds[rng.int(0, 2)]!;
      const b = bookOf(token);
      if (!b || b.bestAsk === undefined || b.bestBid === undefined) continue;
      const size = c.min + rng.int(0, 30);
      const u = rng.next();
      const held = trader.broker.positions.get(token)?.shares ?? 0;
      if (u < 0.3) submit({ tokenId: token, side: 'BUY', type: 'market', size, reason: 'driver market' });
      else if (u < 0.5) submit({ tokenId: token, side: 'BUY', type: 'limit', tif: 'IOC', limit: b.bestAsk, size: Math.min(b.bestAskSize + c.min, Math.floor(60 / (b.bestAsk / 10_000))), reason: 'driver ioc' });
      else if (u < 0.7) submit({ tokenId: token, side: 'BUY', type: 'limit', tif: 'GTC', limit: rng.chance(0.5) ? b.bestBid : b.bestAsk, size, reason: 'driver gtc' });
      else if (u < 0.85 && held > 0) submit({ tokenId: token, side: 'SELL', type: 'market', size: Math.min(held, size), reason: 'driver sell' });
      else if (held - trader.broker.reservedShares(token) >= c.min) submit({ tokenId: token, side: 'SELL', type: 'limit', tif: 'GTC', limit: b.bestAsk + b.tick, size: Math.min(held - trader.broker.reservedShares(token), size), reason: 'driver resting sell' });
      else if (held === 0) submit({ tokenId: token, side: 'SELL', type: 'market', size, reason: 'driver naked sell' }); // must be refused: no shorting
    }
  }
  refreshCatalog();
}, 120_000);

describe(`paper trading against the simulator (${MARKETS} markets, ${STEPS} steps of 5 sim-minutes)`, () => {
  it('traded enough to mean something: taker, maker, partial, basket fills, exits and many settlements', () => {
    const settlements = (run.db.prepare('SELECT COUNT(*) AS n FROM settlements').get() as { n: number }).n;
    const summary = run.trader.summary();
    const q = (sql: string) => (run.db.prepare(sql).get() as { v: number }).v;
    // Settled shares: the average cost paid against the share that won (the driver trades at random: it pays the spread).
    const settledCost = q('SELECT SUM(payout_micros - realized_micros) * 1.0 / SUM(shares) AS v FROM settlements') / 1e6;
    const settledWon = q('SELECT SUM(CASE WHEN payout_micros > 0 THEN shares ELSE 0 END) * 1.0 / SUM(shares) AS v FROM settlements');
    console.log(JSON.stringify({ settledCost, settledWon, summary, takerFills: run.takerFills, makerFills: run.makerFills, accepted: run.accepted, baskets: run.baskets, partials: run.partials, exits: run.exits, settlements, resolvedSeen: run.resolvedSeen, refusals: Object.fromEntries(run.trader.refusalCounts) }));
    expect(run.resolvedSeen).toBeGreaterThan(200);
    expect(run.takerFills).toBeGreaterThan(300);
    expect(run.makerFills).toBeGreaterThan(10);
    expect(run.partials).toBeGreaterThan(0);
    expect(run.baskets).toBeGreaterThan(0);
    expect(settlements).toBeGreaterThan(50);
    expect(run.trader.refusalCounts.get('no-short')).toBeGreaterThan(0);
  });

  it('every taker fill price existed in the book at that moment (and no level was over-taken); every maker fill traded through', () => {
    expect(run.violations.filter((v) => v.includes('fill'))).toEqual([]);
  });

  it('no gate breached: no accepted order that a gate should have refused', () => {
    expect(run.violations).toEqual([]);
    const n = (sql: string) => (run.db.prepare(sql).get() as { v: number }).v;
    // No shorting: no position ever below zero (every naked sell was refused and recorded).
    expect(n('SELECT COALESCE(MIN(shares), 0) AS v FROM positions')).toBeGreaterThanOrEqual(0);
    expect(n("SELECT COUNT(*) AS v FROM orders WHERE status = 'refused'")).toBe(run.trader.broker.refused);
    expect(n("SELECT COUNT(*) AS v FROM orders WHERE status = 'refused' AND reason NOT LIKE '%: %'")).toBe(0);
  });

  it('cash = initial + Σ realised P&L − Σ fees − open cost basis, exactly in micro-dollars (DB and memory agree)', () => {
    const db = run.db;
    const n = (sql: string) => (db.prepare(sql).get() as { v: number | null }).v ?? 0;
    const realized = n('SELECT SUM(realized_micros) AS v FROM positions');
    const fees = n('SELECT SUM(fee_micros) AS v FROM fills');
    const openCost = n('SELECT SUM(cost_micros) AS v FROM positions WHERE shares > 0');
    const inv = ledgerInvariants(db);
    expect(inv.last).toBe(inv.sum);
    expect(inv.mismatched).toBe(0);
    expect(inv.last).toBe(INITIAL + realized - fees - openCost);
    expect(run.trader.broker.cashMicros).toBe(inv.last);
    expect(run.trader.broker.realizedMicros).toBe(realized);
    expect(run.trader.broker.feesMicros).toBe(fees);
    // Closed positions alone: their cost is all released, so cash − open cost = initial + realised − fees.
    const closedRealized = n('SELECT SUM(realized_micros) AS v FROM positions WHERE shares = 0');
    const openRealized = n('SELECT SUM(realized_micros) AS v FROM positions WHERE shares > 0');
    expect(closedRealized + openRealized).toBe(realized);
  });

  it('every position in a resolved market is settled, at 1 for the winner and 0 for the loser', () => {
    const db = run.db;
    const pos = db.prepare('SELECT token_id, shares FROM positions').all() as { token_id: string; shares: number }[];
    let checked = 0;
    for (const p of pos) {
      const ref = run.sim.world.byToken.get(p.token_id)!;
      const m = run.sim.world.markets[ref.market]!;
      if (!m.closed) continue;
      checked++;
      expect(p.shares, `${m.id} closed`).toBe(0);
    }
    expect(checked).toBeGreaterThan(50);
    const rows = db.prepare('SELECT token_id, shares, payout_micros FROM settlements').all() as { token_id: string; shares: number; payout_micros: number }[];
    for (const s of rows) {
      const ref = run.sim.world.byToken.get(s.token_id)!;
      const m = run.sim.world.markets[ref.market]!;
      const wins = (m.winner === 1) === (ref.outcome === 1);
      expect(s.payout_micros).toBe(wins ? Math.round(s.shares * 1_000_000) : 0);
    }
  });
});
