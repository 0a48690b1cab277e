import { describe, expect, it } from 'vitest';
import { Deduper, digestText } from '../../src/alerts/dedupe.js';

/** Drives one key with an injected clock; returns what went out. */
function drive(triggers: number[], until: number, severity: 'info' | 'critical' = 'info') {
  const d = new Deduper();
  const out: { at: number; kind: 'send' | 'digest'; suppressed: number }[] = [];
  let ti = 0;
  for (let now = 0; now <= until; now += 100) {
    while (ti < triggers.length && triggers[ti]! <= now) {
      const v = d.offer('feed:stall:3', severity, 'FEED STALL on shard 3', triggers[ti]!);
      if (v.send) out.push({ at: triggers[ti]!, kind: 'send', suppressed: v.suppressed });
      ti++;
    }
    for (const g of d.due(now)) out.push({ at: now, kind: 'digest', suppressed: g.suppressed });
  }
  return { out, d };
}

describe('per-key dedupe with back-off', () => {
  it('100 triggers of one alert in 60 s → 2 messages and 1 "N more suppressed" digest, every trigger accounted for', () => {
    const triggers = Array.from({ length: 100 }, (_, i) => i * 600); // one every 0.6 s for 60 s
    const { out, d } = drive(triggers, 30 * 60_000);
    const sends = out.filter((o) => o.kind === 'send');
    const digests = out.filter((o) => o.kind === 'digest');
    expect(sends.length).toBe(2);
    expect(digests.length).toBe(1);
    expect(sends[0]!.at).toBe(0);
    expect(sends[1]!.at).toBeGreaterThanOrEqual(30_000); // backed off for the base interval
    // 2 sent + what the second send and the digest report = 100.
    expect(2 + sends[1]!.suppressed + digests[0]!.suppressed).toBe(100);
    expect(d.suppressedTotal).toBe(98);
    expect(d.active).toBe(0); // quiet afterwards: forgotten, back-off reset
  });

  it('the digest says how many and what', () => {
    expect(digestText({ key: 'k', severity: 'info', suppressed: 49, firstAt: 30_000, lastAt: 59_400, title: 'FEED STALL on shard 3' })).toBe('49 more suppressed over 29 s: FEED STALL on shard 3');
  });

  it('a condition repeating for an hour is reported ever more rarely (doubling to the 15-minute ceiling)', () => {
    const triggers = Array.from({ length: 3600 }, (_, i) => i * 1000);
    const { out } = drive(triggers, 3 * 3_600_000);
    expect(out.length).toBeLessThanOrEqual(9);
    const total = out.filter((o) => o.kind === 'send').length + out.reduce((s, o) => s + o.suppressed, 0);
    expect(total).toBe(3600);
  });

  it('criticals: at most one per 5 s per key', () => {
    const triggers = Array.from({ length: 100 }, (_, i) => i * 100); // 10 s of triggers
    const { out } = drive(triggers, 120_000, 'critical');
    const sends = out.filter((o) => o.kind === 'send').map((o) => o.at);
    for (let i = 1; i < sends.length; i++) expect(sends[i]! - sends[i - 1]!).toBeGreaterThanOrEqual(5000);
    expect(sends.length).toBe(2);
  });

  it('different keys do not suppress each other', () => {
    const d = new Deduper();
    expect(d.offer('fill:1', 'info', 'a', 0).send).toBe(true);
    expect(d.offer('fill:2', 'info', 'b', 0).send).toBe(true);
    expect(d.offer('fill:1', 'info', 'a', 10).send).toBe(false);
  });
});
