// Synthetic resolved markets and strategies for backtest tests.
import type { ResolvedMarket } from '../../src/backtest/types.js';
import { parseStrategies, type Strategy } from '../../src/scan/strategies.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const T0 = Date.UTC(2026, 0, 1);

export interface MarketSpec {
  id: string;
  eventId?: string;
  category?: string;
  question?: string;
  endMs: number;
  closedMs?: number;
  /** 0 = YES won, 1 = NO won. */
  winner: 0 | 1;
  /** [ms, YES price in probability] points; the settlement point is appended at closedMs. */
  points: [number, number][];
  feeRate?: number;
}

export function market(s: MarketSpec): ResolvedMarket {
  const closedMs = s.closedMs ?? s.endMs + 30 * 60_000;
  const pts = [...s.points, [closedMs, s.winner === 0 ? 1 : 0] as [number, number]];
  const question = s.question ?? `Will the highest temperature in Paris be 40°F or higher on day ${s.id}?`;
  return {
    id: s.id,
    eventId: s.eventId ?? `ev-${s.id}`,
    question,
    folded: question.toLowerCase(),
    category: s.category ?? 'Weather/Temperature',
    tokenIds: [`${s.id}1`, `${s.id}2`],
    endMs: s.endMs,
    closedMs,
    winner: s.winner,
    fee: { rate: s.feeRate ?? 0.05, exponent: 1 },
    t: Int32Array.from(pts.map(([t]) => Math.floor(t / 1000))),
    p: Uint16Array.from(pts.map(([, p]) => Math.round(p * 10_000))),
    volume: 1000,
    source: 'files',
  };
}

/** Hourly YES prices from `fromMs` to `toMs` (inclusive) at a constant value. */
export function flat(fromMs: number, toMs: number, yes: number): [number, number][] {
  const out: [number, number][] = [];
  for (let t = fromMs; t <= toMs; t += HOUR) out.push([t, yes]);
  return out;
}

export function strategy(over: Partial<{ id: string; category: string; outcome: 'YES' | 'NO'; priceBand: [number, number]; hours: [number, number]; utcHours: [number, number]; pattern: string; claimed: number }> = {}): Strategy {
  const r = parseStrategies({
    version: 1,
    strategies: [
      {
        id: over.id ?? 'TEST_FADE',
        category: over.category ?? 'Weather/Temperature',
        side: 'BUY',
        outcome: over.outcome ?? 'NO',
        entry: {
          priceBand: over.priceBand ?? [0.85, 0.99],
          hoursToResolution: over.hours ?? [1, 72],
          ...(over.utcHours ? { utcHours: over.utcHours } : {}),
          ...(over.pattern ? { questionPattern: over.pattern } : {}),
        },
        claimed: { winRate: over.claimed ?? 0.939, edge: 0.439 },
      },
    ],
  });
  if (!r.ok) throw new Error(r.error);
  return r.set.strategies[0]!;
}

/**
 * `n` one-market events, one a day, each NO priced at `noMid` for the three
 * days before its end; NO wins in a fraction `winRate` of them, spread evenly.
 */
export function fadeEvents(n: number, noMid: number, winRate: number, start = T0, prefix = 'm'): ResolvedMarket[] {
  const out: ResolvedMarket[] = [];
  let losses = 0;
  for (let i = 0; i < n; i++) {
    const end = start + (i + 4) * DAY;
    // Deterministic spread: lose whenever the running loss count falls behind (1 − winRate)·(i + 1).
    const lose = losses < Math.floor((1 - winRate) * (i + 1) + 1e-9);
    if (lose) losses++;
    out.push(market({ id: `${prefix}${String(i).padStart(4, '0')}`, endMs: end, winner: lose ? 0 : 1, points: flat(end - 3 * DAY, end, 1 - noMid) }));
  }
  return out;
}
