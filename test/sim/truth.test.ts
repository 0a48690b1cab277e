// Ground-truth export (what tests and scanners are scored against): every exported market is served by Gamma
// with the same identity, and each planted mispricing is visible in the served books.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sim/simulator.js';
import { loadTemplates } from '../../src/sim/world.js';
import { SimPool, bestOf, getJson, manualClock, type Json } from './helpers.js';

const pool = new SimPool();
let sim: Simulator;
let gamma: string;
let clob: string;
let truth: Json;

beforeAll(async () => {
  // Frozen clock: the planted quotes are exactly as generated.
  ({ sim, urls: { gamma, clob } } = await pool.start({ seed: 'truth-1', markets: 450, ...manualClock(60_000, 5) }));
  truth = sim.world.exportTruth();
});
afterAll(() => pool.stopAll());

async function best(token: string): Promise<{ bid: number; ask: number }> {
  const { status, body } = await getJson(`${clob}/book?token_id=${token}`);
  expect(status).toBe(200);
  const b = bestOf(body);
  expect(b.bid).toBeDefined();
  expect(b.ask).toBeDefined();
  return { bid: b.bid!, ask: b.ask! };
}

const byId = (id: string) => truth.markets.find((m: Json) => m.id === id);

describe('exportTruth()', () => {
  it('has {seed, markets:[{id, conditionId, question, category, eventId, negRisk, tokenIds}], planted:[{kind, marketIds}]}', async () => {
    expect(truth.seed).toBe('truth-1');
    // The 450 markets asked for, then the real-shaped catalog on top of them.
    expect(truth.markets).toHaveLength(450 + Math.round(450 * loadTemplates().catalog!.share));
    for (const m of truth.markets) {
      expect(Object.keys(m).sort()).toEqual(['category', 'conditionId', 'eventId', 'id', 'negRisk', 'question', 'tokenIds']);
      expect(m.tokenIds).toHaveLength(2);
      expect(typeof m.negRisk).toBe('boolean');
    }
    for (const p of truth.planted) {
      expect(Object.keys(p).sort()).toEqual(['kind', 'marketIds']);
      for (const id of p.marketIds) expect(byId(id)).toBeDefined();
    }
    expect(new Set(truth.planted.map((p: Json) => p.kind))).toEqual(new Set(['binary', 'negrisk', 'implication', 'duplicate']));
    // Served on the wire as well.
    const served = await getJson(`${gamma}/sim/truth`);
    expect(served.body).toEqual(JSON.parse(JSON.stringify(truth)));
  });

  it('every exported market appears in Gamma with the same question, conditionId, clobTokenIds, event and negRisk', async () => {
    const ids: string[] = truth.markets.map((m: Json) => m.id);
    const served = new Map<string, Json>();
    for (let i = 0; i < ids.length; i += 50) {
      const q = ids.slice(i, i + 50).map((id) => `id=${id}`).join('&');
      const { status, body } = await getJson(`${gamma}/markets?${q}&limit=100`);
      expect(status).toBe(200);
      for (const m of body) served.set(m.id, m);
    }
    expect(served.size).toBe(ids.length);
    for (const t of truth.markets) {
      const g = served.get(t.id)!;
      expect(g.question).toBe(t.question);
      expect(g.conditionId).toBe(t.conditionId);
      expect(JSON.parse(g.clobTokenIds)).toEqual(t.tokenIds);
      expect(g.negRisk).toBe(t.negRisk);
      expect(g.events[0].id).toBe(t.eventId);
    }
    // And the same set is what offset paging of open markets returns (nothing is closed yet).
    const paged: string[] = [];
    for (let off = 0; ; off += 100) {
      const { body } = await getJson(`${gamma}/markets?limit=100&offset=${off}`);
      paged.push(...body.map((m: Json) => m.id));
      if (body.length < 100) break;
    }
    expect(new Set(paged)).toEqual(new Set(ids));
  });
});

describe('planted mispricings are visible in the served books', () => {
  it("binary: YES ask + NO ask < 1, or YES bid + NO bid > 1", async () => {
    const planted = truth.planted.filter((p: Json) => p.kind === 'binary');
    expect(planted.length).toBeGreaterThan(0);
    for (const p of planted) {
      const [yes, no] = byId(p.marketIds[0]).tokenIds;
      const y = await best(yes);
      const n = await best(no);
      const cheap = y.ask + n.ask < 1 - 1e-9;
      const rich = y.bid + n.bid > 1 + 1e-9;
      expect(cheap || rich, `market ${p.marketIds[0]}: YES ${y.bid}/${y.ask}, NO ${n.bid}/${n.ask}`).toBe(true);
    }
  });

  it('negrisk: Σ YES asks < 1, or Σ NO asks < n − 1', async () => {
    const planted = truth.planted.filter((p: Json) => p.kind === 'negrisk');
    expect(planted.length).toBeGreaterThan(0);
    for (const p of planted) {
      const n = p.marketIds.length;
      expect(n).toBeGreaterThanOrEqual(2);
      const eventIds = new Set(p.marketIds.map((id: string) => byId(id).eventId));
      expect(eventIds.size).toBe(1);
      let yesAsks = 0;
      let noAsks = 0;
      for (const id of p.marketIds) {
        const m = byId(id);
        expect(m.negRisk).toBe(true);
        yesAsks += (await best(m.tokenIds[0])).ask;
        noAsks += (await best(m.tokenIds[1])).ask;
      }
      expect(yesAsks < 1 - 1e-9 || noAsks < n - 1 - 1e-9, `event ${[...eventIds][0]}: Σ YES asks ${yesAsks}, Σ NO asks ${noAsks}, n ${n}`).toBe(true);
    }
  });

  it("implication [a, b]: a's best bid is above b's best ask", async () => {
    const planted = truth.planted.filter((p: Json) => p.kind === 'implication');
    expect(planted.length).toBeGreaterThan(0);
    for (const p of planted) {
      const [a, b] = p.marketIds.map((id: string) => byId(id));
      const ba = await best(a.tokenIds[0]);
      const bb = await best(b.tokenIds[0]);
      expect(ba.bid, `${a.question} (bid ${ba.bid}) ⇒ ${b.question} (ask ${bb.ask})`).toBeGreaterThan(bb.ask);
    }
  });

  it('duplicate: two distinct markets, in distinct events, with distinct questions', async () => {
    const planted = truth.planted.filter((p: Json) => p.kind === 'duplicate');
    expect(planted.length).toBeGreaterThan(0);
    for (const p of planted) {
      expect(p.marketIds).toHaveLength(2);
      const [a, b] = p.marketIds.map((id: string) => byId(id));
      expect(a.id).not.toBe(b.id);
      expect(a.question).not.toBe(b.question);
      expect(a.eventId).not.toBe(b.eventId);
      expect(a.category).toBe(b.category);
    }
  });
});
