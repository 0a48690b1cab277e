import { describe, expect, it } from 'vitest';
import { OFI_STALE_MS, OfiTracker } from '../../src/signals/ofi-tracker.js';
import { book, setTop, T0, trade } from './helpers.js';

// YES book 0.50×100 / 0.52×200; the mirrored NO book is 0.48×200 / 0.50×100.
function market() {
  const t = new OfiTracker();
  t.registerMarket('m1', 'Y', 'N');
  const y = book('Y', 'm1', [5000, 100], [5200, 200]);
  const n = book('N', 'm1', [4800, 200], [5000, 100]);
  t.onBook(y, 'snapshot', T0);
  t.onBook(n, 'snapshot', T0);
  return { t, y, n };
}

describe('OfiTracker: book OFI on the YES book', () => {
  it('bid size 100 → 150 gives ofi +50, normalised by average depth (300 + 350)/2 = 325 → 0.1538', () => {
    const { t, y } = market();
    t.onBook(setTop(y, [5000, 150], [5200, 200]), 'change', T0 + 100);
    const v = t.value('Y', 30_000, T0 + 200)!;
    expect(v.ofi).toBe(50);
    expect(v.depth).toBe(325);
    expect(v.normalized).toBeCloseTo(50 / 325, 12);
  });

  it('the five §8B vectors through the tracker, each from a resync of 0.50×100 / 0.52×200: +50 +40 −100 −80 +200 = +110', () => {
    const { t, y } = market();
    const steps: [number, number, number, number][] = [
      [5000, 150, 5200, 200], // bid size → 150: +50
      [5100, 40, 5200, 200], // new bid 0.51×40: +40
      [4900, 300, 5200, 200], // best bid wiped, new best 0.49×300: −100
      [5000, 100, 5100, 80], // new ask 0.51×80: −80
      [5000, 100, 5300, 500], // best ask consumed, new best 0.53×500: +200
    ];
    let now = T0;
    for (const [bp, bs, ap, as] of steps) {
      t.onBook(setTop(y, [5000, 100], [5200, 200]), 'snapshot', (now += 10));
      t.onBook(setTop(y, [bp, bs], [ap, as]), 'change', (now += 10));
    }
    expect(t.value('Y', 30_000, now)!.ofi).toBe(110);
  });

  it('a snapshot is never flow: resync snapshot 0.60×1000 / 0.62×5 after 0.50×100 / 0.52×200 leaves ofi 0', () => {
    const { t, y } = market();
    t.onBook(setTop(y, [6000, 1000], [6200, 5]), 'snapshot', T0 + 1000);
    expect(t.value('Y', 30_000, T0 + 1000)!.ofi).toBe(0);
    // ...and the next change is measured from the snapshot: bid 1000 → 1100 gives +100.
    t.onBook(setTop(y, [6000, 1100], [6200, 5]), 'change', T0 + 1100);
    expect(t.value('Y', 30_000, T0 + 1100)!.ofi).toBe(100);
  });

  it('NO book updates do not double count: YES +50 and the mirrored NO −50 give one row with ofi +50 and divergence 0', () => {
    const { t, y, n } = market();
    t.onBook(setTop(y, [5000, 150], [5200, 200]), 'change', T0 + 100);
    t.onBook(setTop(n, [4800, 200], [5000, 150]), 'change', T0 + 100);
    expect(t.value('N', 30_000, T0 + 200)!.ofi).toBe(-50);
    const rows = t.rows(10, T0 + 200);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token).toBe('Y');
    expect(rows[0]!.marketId).toBe('m1');
    expect(rows[0]!.ofi).toBe(50);
    expect(rows[0]!.divergence).toBeCloseTo(0, 12);
  });

  it('YES +50 while the NO book does not move gives divergence +0.1538 (50/325)', () => {
    const { t, y } = market();
    t.onBook(setTop(y, [5000, 150], [5200, 200]), 'change', T0 + 100);
    expect(t.rows(1, T0 + 200)[0]!.divergence).toBeCloseTo(50 / 325, 12);
  });

  it('windows roll: +50 at t=0 is in the 30 s window at 29 s, gone at 31 s, still in the 5 min window', () => {
    const { t, y } = market();
    t.onBook(setTop(y, [5000, 150], [5200, 200]), 'change', T0);
    expect(t.value('Y', 30_000, T0 + 29_000)!.ofi).toBe(50);
    expect(t.value('Y', 30_000, T0 + 31_000)!.ofi).toBe(0);
    expect(t.value('Y', 300_000, T0 + 31_000)!.ofi).toBe(50);
    expect(t.value('Y', 300_000, T0 + 301_000)!.ofi).toBe(0);
    expect(t.value('Y', 60_000, T0)).toBeUndefined();
  });

  it('windows are configurable: windowsMs [10 s] drops +50 after 11 s', () => {
    const t = new OfiTracker({ windowsMs: [10_000] });
    const y = book('Y', 'm1', [5000, 100], [5200, 200]);
    t.onBook(y, 'snapshot', T0);
    t.onBook(setTop(y, [5000, 150], [5200, 200]), 'change', T0);
    expect(t.value('Y', 10_000, T0 + 9_000)!.ofi).toBe(50);
    expect(t.value('Y', 10_000, T0 + 11_000)!.ofi).toBe(0);
  });

  it('ring buffers are bounded: 20,000 updates over an hour leave the bytes unchanged and only the last 30 s in the window', () => {
    const { t, y } = market();
    const before = t.bytes;
    let size = 100;
    for (let k = 0; k < 20_000; k++) t.onBook(setTop(y, [5000, (size = size === 100 ? 101 : 100)], [5200, 200]), 'change', T0 + k * 180);
    expect(t.bytes).toBe(before);
    // Alternating +1 / −1: the window holds at most a few units, never the hour's 20,000 events.
    expect(Math.abs(t.value('Y', 30_000, T0 + 20_000 * 180)!.ofi)).toBeLessThanOrEqual(1);
  });

  it('trade-signed flow: taker BUY 25 and SELL 10 on YES give +15; the row adds NO in YES terms (NO BUY 5 → 15 − 5 = 10)', () => {
    const { t } = market();
    t.onTrade(trade('Y', 'BUY', 5200, 25), T0 + 10);
    t.onTrade(trade('Y', 'SELL', 5000, 10), T0 + 20);
    t.onTrade(trade('N', 'BUY', 5000, 5), T0 + 30);
    expect(t.value('Y', 30_000, T0 + 40)!.tradeFlow).toBe(15);
    expect(t.value('N', 30_000, T0 + 40)!.tradeFlow).toBe(5);
    expect(t.rows(1, T0 + 40)[0]!.tradeFlow).toBe(10);
  });
});

describe('OfiTracker: gaps', () => {
  it('stale at 10 s, resync at 15 s: changes while stale are not flow, window flagged, coverage 15/30 = 0.5, confidence 0.25', () => {
    const { t, y } = market();
    y.state = 'stale';
    t.onBook(y, 'state', T0 + 10_000);
    t.onBook(setTop(y, [5000, 900], [5200, 200]), 'change', T0 + 12_000); // ignored: book not fresh
    y.state = 'fresh';
    t.onBook(y, 'state', T0 + 15_000);
    t.onBook(setTop(y, [5000, 120], [5200, 200]), 'snapshot', T0 + 15_000);
    const v = t.value('Y', 30_000, T0 + 20_000)!;
    expect(v.ofi).toBe(0);
    expect(v.gap).toBe(true);
    expect(v.coverage).toBeCloseTo(0.5, 12);
    expect(v.confidence).toBeCloseTo(0.25, 12);
    expect(t.stats.ignored).toBe(1);
    // 30 s after the gap closed the 30 s window is clean again; the 5 min window still sees it.
    expect(t.value('Y', 30_000, T0 + 46_000)!.gap).toBe(false);
    expect(t.value('Y', 300_000, T0 + 46_000)!.gap).toBe(true);
  });

  it('markGap without an end drops the baseline: the next change (bid 100 → 150) is a new baseline, not +50, and closes the gap', () => {
    const { t, y } = market();
    t.markGap(['Y'], T0 + 1_000);
    expect(t.value('Y', 30_000, T0 + 2_000)!.gap).toBe(true);
    expect(t.rows(1, T0 + 2_000)[0]!.stale).toBe(true);
    t.onBook(setTop(y, [5000, 150], [5200, 200]), 'change', T0 + 3_000);
    const v = t.value('Y', 30_000, T0 + 4_000)!;
    expect(v.ofi).toBe(0);
    expect(v.gap).toBe(true);
    expect(v.coverage).toBeCloseTo((4_000 - 2_000) / 30_000, 12);
  });

  it('markGap [5 s, 8 s] flags the row and cuts its confidence: coverage (20 − 3)/30, confidence × 0.5', () => {
    const { t, y } = market();
    t.onBook(setTop(y, [5000, 150], [5200, 200]), 'change', T0 + 100);
    t.markGap(['Y', 'N'], T0 + 5_000, T0 + 8_000);
    const row = t.rows(1, T0 + 20_000)[0]!;
    expect(row.gap).toBe(true);
    expect(row.stale).toBe(false);
    expect(row.coverage).toBeCloseTo(17 / 30, 12);
    expect(row.confidence).toBeCloseTo((17 / 30) * 0.5, 12);
  });

  it('a stale NO book flags the market row (gap, stale, confidence × 0.5) while the YES value itself is clean', () => {
    const { t, y, n } = market();
    t.onBook(setTop(y, [5000, 150], [5200, 200]), 'change', T0 + 100);
    n.state = 'stale';
    t.onBook(n, 'state', T0 + 1_000);
    expect(t.value('Y', 30_000, T0 + 2_000)!.gap).toBe(false);
    const row = t.rows(1, T0 + 2_000)[0]!;
    expect(row).toMatchObject({ token: 'Y', gap: true, stale: true });
    expect(row.confidence).toBeCloseTo(row.coverage * 0.5, 12);
  });
});

describe('OfiTracker: rows and top', () => {
  function three() {
    const t = new OfiTracker();
    const books = ['A', 'B', 'C'].map((id, k) => {
      t.registerMarket(`m${id}`, id, `${id}-no`);
      const b = book(id, `m${id}`, [5000, 100], [5200, 200]);
      t.onBook(b, 'snapshot', T0);
      return b;
    });
    // A +50, B −100 (bid wiped to 0.49×300), C +10.
    t.onBook(setTop(books[0]!, [5000, 150], [5200, 200]), 'change', T0 + 1_500);
    t.onBook(setTop(books[1]!, [4900, 300], [5200, 200]), 'change', T0 + 1_500);
    t.onBook(setTop(books[2]!, [5000, 110], [5200, 200]), 'change', T0 + 1_500);
    return t;
  }

  it('rows(2) are the top 2 by |normalised OFI|: B (−100/400 = −0.25) then A (+50/325 = 0.1538)', () => {
    const rows = three().rows(2, T0 + 2_000);
    expect(rows.map((r) => r.token)).toEqual(['B', 'A']);
    expect(rows[0]!.normalized).toBeCloseTo(-0.25, 12);
    expect(rows[0]!.marketId).toBe('mB');
    expect(rows[0]!.windows.map((w) => w.windowMs)).toEqual([30_000, 300_000]);
    expect(rows[0]!.divergence).toBeNull(); // no NO book seen
  });

  it('history has 30 one-second points, oldest first, summing to the normalised value; the +50 sits at second −1', () => {
    const row = three().rows(3, T0 + 2_000).find((r) => r.token === 'A')!;
    expect(row.history).toHaveLength(30);
    expect(row.history.reduce((a, b) => a + b, 0)).toBeCloseTo(row.normalized, 12);
    const b0 = Math.floor(T0 / 1000);
    const bNow = Math.floor((T0 + 2_000) / 1000);
    const bEvent = Math.floor((T0 + 1_500) / 1000);
    expect(row.history[29 - (bNow - bEvent)]).toBeCloseTo(50 / 325, 12);
    expect(bNow - b0).toBeGreaterThan(0);
  });

  it('top(10) for the headless summary: compact, rounded, same order', () => {
    const top = three().top(10, T0 + 2_000);
    expect(top).toHaveLength(3);
    expect(top[0]).toEqual({ market: 'mB', token: 'B', norm: -0.25, ofi: -100, flow: 0, div: null, gap: false, stale: false });
    expect(top.map((r) => r.token)).toEqual(['B', 'A', 'C']);
  });

  it('a token silent for longer than the window has no row', () => {
    expect(three().rows(10, T0 + 40_000)).toHaveLength(0);
  });

  it('maxTokens 2: a third token is refused and counted', () => {
    const t = new OfiTracker({ maxTokens: 2, initialCapacity: 1 });
    for (const id of ['a', 'b', 'c']) t.onBook(book(id, 'm', [5000, 1], [5100, 1]), 'snapshot', T0);
    expect(t.size).toBe(2);
    expect(t.rejected).toBe(1);
  });
});

describe('OfiTracker: checkpoints', () => {
  function busy() {
    const { t, y, n } = market();
    t.onBook(setTop(y, [5000, 150], [5200, 200]), 'change', T0 + 1_000);
    t.onBook(setTop(y, [5100, 40], [5200, 200]), 'change', T0 + 40_000);
    t.onBook(setTop(n, [4800, 200], [4900, 40]), 'change', T0 + 40_000);
    t.onTrade(trade('Y', 'BUY', 5200, 25), T0 + 41_000);
    return t;
  }

  it('round trip through JSON 5 s later: same ofi/flow on both windows, downtime flagged as a gap and stale until the next snapshot', () => {
    const t = busy();
    const saved = T0 + 42_000;
    const json = JSON.parse(JSON.stringify(t.toCheckpoint(saved)));
    const r = new OfiTracker();
    r.registerMarket('m1', 'Y', 'N');
    expect(r.fromCheckpoint(json, saved + 5_000)).toBe(true);
    for (const w of [30_000, 300_000]) {
      const a = t.value('Y', w, saved + 5_000)!;
      const b = r.value('Y', w, saved + 5_000)!;
      expect(b.ofi).toBe(a.ofi);
      expect(b.tradeFlow).toBe(a.tradeFlow);
      expect(b.depth).toBeCloseTo(a.depth, 3);
      expect(b.gap).toBe(true);
    }
    expect(r.value('Y', 300_000, saved + 5_000)!.ofi).toBe(90);
    expect(r.rows(1, saved + 5_000)[0]!.stale).toBe(true);
    expect(r.rows(1, saved + 5_000)[0]!.divergence).not.toBeNull();
  });

  it('restores pairs without registerMarket: the NO token still gives no row of its own', () => {
    const t = busy();
    const saved = T0 + 42_000;
    const r = new OfiTracker();
    expect(r.fromCheckpoint(JSON.parse(JSON.stringify(t.toCheckpoint(saved))), saved + 1)).toBe(true);
    expect(r.roleOf('N')).toBe('no');
    expect(r.rows(10, saved + 1).map((x) => x.token)).toEqual(['Y']);
  });

  it('accepts the checkpoint as JSON text too; truncated text is rejected', () => {
    const text = JSON.stringify(busy().toCheckpoint(T0 + 42_000));
    expect(new OfiTracker().fromCheckpoint(text, T0 + 43_000)).toBe(true);
    const r = new OfiTracker();
    expect(r.fromCheckpoint(text.slice(0, 40), T0 + 43_000)).toBe(false);
    expect(r.restoreError).toBe('invalid: not JSON');
  });

  it(`rejects a checkpoint older than OFI_STALE_MS = 10 s (10,001 ms) and leaves the tracker fresh`, () => {
    const ck = busy().toCheckpoint(T0 + 42_000);
    const r = new OfiTracker();
    expect(OFI_STALE_MS).toBe(10_000);
    expect(r.fromCheckpoint(ck, T0 + 42_000 + 10_001)).toBe(false);
    expect(r.restoreError).toMatch(/stale/);
    expect(r.size).toBe(0);
  });

  it.each([
    ['garbage text', 'not json at all'],
    ['null', null],
    ['wrong version', { v: 2, kind: 'ofi', savedAt: T0, windowsMs: [30_000, 300_000], buckets: 30, tokens: [] }],
    ['string where a number belongs', { v: 1, kind: 'ofi', savedAt: 'yesterday', windowsMs: [30_000, 300_000], buckets: 30, tokens: [] }],
    ['bucket row of 4 numbers', { v: 1, kind: 'ofi', savedAt: T0, windowsMs: [30_000, 300_000], buckets: 30, tokens: [{ t: 'Y', m: 'm', r: 'yes', f: T0, w: [{ last: 1, slots: [[0, 1, 2, 3]] }, { last: 1, slots: [] }], g: [] }] }],
    ['bucket age 30 ≥ 30 buckets', { v: 1, kind: 'ofi', savedAt: T0, windowsMs: [30_000, 300_000], buckets: 30, tokens: [{ t: 'Y', m: 'm', r: 'yes', f: T0, w: [{ last: 100, slots: [[30, 1, 2, 3, 4]] }, { last: 1, slots: [] }], g: [] }] }],
    ['other windows [60 s]', { v: 1, kind: 'ofi', savedAt: T0, windowsMs: [60_000], buckets: 30, tokens: [] }],
  ])('rejects corrupt data (%s): returns false, restoreError set, nothing restored', (_name, json) => {
    const r = new OfiTracker();
    expect(r.fromCheckpoint(json, T0 + 1_000)).toBe(false);
    expect(r.restoreError).not.toBe('');
    expect(r.size).toBe(0);
  });
});
