import { describe, expect, it } from 'vitest';
import { SpikeDetector, spikeZ } from '../../src/signals/spikes.js';
import { T0 } from './helpers.js';

/** One mid per second: a ±50-unit wiggle (std 50) for `seconds` seconds. */
function wiggle(d: SpikeDetector, token: string, seconds: number, from = T0, base = 5000): number {
  let t = from;
  for (let k = 0; k < seconds; k++) d.onMid(token, base + (k % 2 ? 50 : 0), (t = from + k * 1_000));
  return t;
}

describe('spikeZ', () => {
  it('move 300 against mean 0, std 50 gives z 6; std 5 with floor 20 gives z 15', () => {
    expect(spikeZ(300, 0, 50, 20)).toBe(6);
    expect(spikeZ(300, 0, 5, 20)).toBe(15);
  });
});

describe('SpikeDetector', () => {
  it('after 60 s of ±50 wiggle, a +300 jump (z ≈ 6 ≥ 4) is a spike; a +150 move (z ≈ 3) is not', () => {
    const d = new SpikeDetector();
    const t = wiggle(d, 'Y', 60);
    d.onMid('Y', 5150, t + 1_000); // last mid was 5050: +100 move → z ≈ 2
    expect(d.spikes(t + 1_000)).toHaveLength(0);
    d.onMid('Y', 5350, t + 2_000); // +200 from 5150
    d.onMid('Y', 5650, t + 3_000); // +300 from 5350
    const s = d.spikes(t + 3_000);
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ token: 'Y', move: 300, mid: 5650, gap: false });
    expect(s[0]!.z).toBeGreaterThanOrEqual(4);
  });

  it('a market still for 60 s then moving 0.01 (100 units): z (100 − 50/60)/floor 20 = 4.96, a spike; 0.005 (50 units) is below the 100-unit minimum', () => {
    const d = new SpikeDetector();
    for (let k = 0; k < 60; k++) d.onMid('Y', 5000, T0 + k * 1_000);
    d.onMid('Y', 5050, T0 + 60_000);
    expect(d.spikes(T0 + 60_000)).toHaveLength(0);
    d.onMid('Y', 5150, T0 + 61_000);
    const s = d.spikes(T0 + 61_000);
    expect(s).toHaveLength(1);
    expect(s[0]!.z).toBeCloseTo((100 - 50 / 60) / 20, 9);
  });

  it('no spike before 10 buckets of history', () => {
    const d = new SpikeDetector();
    d.onMid('Y', 5000, T0);
    d.onMid('Y', 6000, T0 + 1_000);
    expect(d.spikes(T0 + 1_000)).toHaveLength(0);
  });

  it('after reset (stale book / gap) the first mid is a reference: a 0.10 jump across the gap is not a spike; later spikes carry gap: true', () => {
    const d = new SpikeDetector();
    const t = wiggle(d, 'Y', 30);
    d.reset('Y', t + 500);
    d.onMid('Y', 6000, t + 5_000);
    expect(d.spikes(t + 5_000)).toHaveLength(0);
    d.onMid('Y', 6500, t + 6_000);
    expect(d.spikes(t + 6_000)[0]).toMatchObject({ move: 500, gap: true });
  });

  it('spikes(now) keeps only the last window (60 s) by default, newest first', () => {
    const d = new SpikeDetector();
    wiggle(d, 'A', 20);
    wiggle(d, 'B', 20);
    d.onMid('A', 6000, T0 + 20_000);
    d.onMid('B', 6000, T0 + 21_000);
    expect(d.spikes(T0 + 21_000).map((s) => s.token)).toEqual(['B', 'A']);
    expect(d.spikes(T0 + 80_500).map((s) => s.token)).toEqual(['B']);
  });

  it('memory is fixed per token: 3,600 mids over an hour do not change bytes', () => {
    const d = new SpikeDetector();
    d.onMid('Y', 5000, T0);
    const before = d.bytes;
    wiggle(d, 'Y', 3_600);
    expect(d.bytes).toBe(before);
  });
});
