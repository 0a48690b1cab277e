// Quality against the simulator's planted truth. The scanner sees only what the
// engine would see (the catalog as Gamma serves it, and the books); the sim's
// families and planted list are used here, to grade it.
import { beforeAll, describe, expect, it } from 'vitest';
import { Simulator } from '../../src/sim/simulator.js';
import { ArbScanner } from '../../src/arb/scanner.js';
import { simCatalog, touchSimBooks } from '../../src/sim/catalog.js';
import type { ArbOpportunity } from '../../src/arb/types.js';
import type { PlantedTruth } from '../../src/sim/world-types.js';

const SEEDS = ['arb-q1', 'arb-q2', 'arb-q3'];
const MARKETS = 2_500;

interface Run {
  sim: Simulator;
  scanner: ArbScanner;
  opps: ArbOpportunity[];
  planted: PlantedTruth[];
  now: number;
}

const runs: Run[] = [];

beforeAll(() => {
  for (const seed of SEEDS) {
    // 60 s of sim time per step, ~10 market actions per step; 5 steps.
    const sim = new Simulator({ seed, markets: MARKETS, speed: 1_200, rate: 200 });
    for (let i = 0; i < 5; i++) sim.stepOnce();
    const now = sim.exchange.now;
    touchSimBooks(sim, now - 500);
    const scanner = new ArbScanner();
    scanner.build(simCatalog(sim));
    const opps = scanner.scanAll((t) => sim.exchange.book(t), now);
    const planted = sim.world.planted.filter((p) => p.kind !== 'duplicate');
    runs.push({ sim, scanner, opps, planted, now });
  }
});

const matches = (v: ArbOpportunity, p: PlantedTruth) => v.kind === p.kind && v.marketIds.some((id) => p.marketIds.includes(id));

describe(`planted mispricings, ${SEEDS.length} seeds × ${MARKETS} markets`, () => {
  it('recall ≥ 95% over planted binary + negrisk + implication', () => {
    let found = 0;
    let total = 0;
    const missed: string[] = [];
    for (const r of runs) {
      for (const p of r.planted) {
        total++;
        if (r.opps.some((v) => matches(v, p))) found++;
        else missed.push(`${p.kind}: ${p.marketIds.map((id) => r.sim.world.market(id)!.question).join(' | ')}`);
      }
    }
    expect(total).toBeGreaterThanOrEqual(40);
    expect(found / total, missed.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('precision ≥ 90%: reported violations that match a planted one (same kind, overlapping markets)', () => {
    let good = 0;
    let total = 0;
    const extra: string[] = [];
    for (const r of runs) {
      for (const v of r.opps) {
        total++;
        if (r.planted.some((p) => matches(v, p))) good++;
        else extra.push(v.reason);
      }
    }
    expect(total).toBeGreaterThan(0);
    expect(good / total, extra.join('\n')).toBeGreaterThanOrEqual(0.9);
  });

  it('finds every planted kind: binary, negrisk and implication', () => {
    const kinds = new Set(runs.flatMap((r) => r.opps.map((v) => v.kind)));
    expect([...kinds].sort()).toEqual(['binary', 'implication', 'negrisk']);
  });

  it('never reports a long or short basket on an augmented ("Other") event — the trap', () => {
    for (const r of runs) {
      const augmented = new Set(r.sim.world.events.filter((e) => e.augmented).map((e) => e.id));
      expect(augmented.size).toBeGreaterThan(0);
      for (const v of r.opps) if (v.relation === 'negrisk-long' || v.relation === 'negrisk-short') expect(v.eventIds.some((e) => augmented.has(e))).toBe(false);
    }
  });

  it('every reported bundle is ≥ 0.01 per set, ≥ 10 shares, and at most 3 per event', () => {
    for (const r of runs) {
      const perEvent = new Map<string, number>();
      for (const v of r.opps) {
        expect(v.edge).toBeGreaterThanOrEqual(0.01 - 1e-9);
        expect(v.size).toBeGreaterThanOrEqual(10);
        for (const e of v.eventIds) perEvent.set(e, (perEvent.get(e) ?? 0) + 1);
      }
      for (const n of perEvent.values()) expect(n).toBeLessThanOrEqual(3);
    }
  });

  it('uses no leg whose book is older than 2 s', () => {
    const r = runs[0]!;
    // Age every NO book: baskets with a NO leg drop out; split-sell/long baskets on YES only may remain.
    for (const m of r.sim.world.markets) {
      const b = r.sim.exchange.book(m.tokenIds[1]);
      if (b) b.receivedAt = r.now - 2_001;
    }
    const opps = r.scanner.scanAll((t) => r.sim.exchange.book(t), r.now);
    for (const v of opps) for (const l of v.legs) expect(l.outcome).toBe('YES');
    touchSimBooks(r.sim, r.now - 500);
  });
});

describe('constraint graph against the simulator families', () => {
  it('links every adjacent pair of temporal, threshold, parent/child and conditional families in the logical direction, at ≥ 0.7', () => {
    for (const r of runs) {
      const w = r.sim.world;
      const rel = new Map<string, number>();
      for (const x of r.scanner.relations()) {
        const a = r.scanner.market(x.from)!.id;
        const b = r.scanner.market(x.to)!.id;
        rel.set(`${a}>${b}`, x.confidence);
        if (x.logic === 'equivalent') rel.set(`${b}>${a}`, x.confidence);
      }
      let expected = 0;
      for (const f of w.families) {
        if (!['temporal', 'threshold', 'parentchild', 'conditional'].includes(f.kind)) continue;
        const ms = f.markets.map((i) => w.markets[i]!);
        if (ms.some((m) => m.closed)) continue;
        for (let i = 0; i + 1 < ms.length; i++) {
          // Temporal members run earliest first; threshold rungs and parent/child run "implied first".
          const [from, to] = f.kind === 'temporal' ? [ms[i]!, ms[i + 1]!] : [ms[i + 1]!, ms[i]!];
          expected++;
          expect(rel.get(`${from.id}>${to.id}`), `${from.question} ⇒ ${to.question}`).toBeGreaterThanOrEqual(0.7);
          expect(rel.has(`${to.id}>${from.id}`), `reverse of ${from.question}`).toBe(false);
        }
      }
      expect(expected).toBeGreaterThan(300);
    }
  });

  it('relates no two markets of different families at reportable confidence (≥ 0.5)', () => {
    for (const r of runs) {
      for (const x of r.scanner.relations()) {
        if (x.confidence < 0.5) continue;
        const a = r.sim.world.market(r.scanner.market(x.from)!.id)!;
        const b = r.sim.world.market(r.scanner.market(x.to)!.id)!;
        expect(a.family, `${a.question} / ${b.question}`).toBe(b.family);
      }
    }
  });
});
