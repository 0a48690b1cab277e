// Synthetic scorer samples: events resolving over `days`, 1–3 markets each,
// decided a day after the decision time. The label is drawn from
// σ(logit(mid) + signal·z) where z is written into the OFI slot, so
// signal = 0 is an efficient market and signal > 0 a real, learnable edge.
import { defaultFeatureSpec, F, logit, sigmoid } from '../../src/model/features.js';
import type { Samples } from '../../src/model/samples.js';
import { Rng } from '../../src/rng.js';

export const DAY = 86_400_000;

export function synthetic(opts: { events: number; signal: number; seed: string; days?: number }): Samples {
  const spec = defaultFeatureSpec();
  const rng = new Rng(opts.seed);
  const rows: { x: Float64Array; mid: number; y: number; res: number; at: number; ev: number }[] = [];
  const t0 = Date.UTC(2026, 0, 1);
  const span = (opts.days ?? 90) * DAY;
  for (let e = 0; e < opts.events; e++) {
    const res = t0 + Math.floor((e / opts.events) * span) + Math.floor(rng.next() * 3_600_000);
    const k = 1 + Math.floor(rng.next() * 3);
    for (let j = 0; j < k; j++) {
      const mid = 0.03 + rng.next() * 0.94;
      const z = rng.next() * 2 - 1;
      const x = spec.vector({ atMs: res - DAY, mid, endMs: res, category: 'Weather/Temperature', ofi: z });
      const y = rng.next() < sigmoid(logit(mid) + opts.signal * z) ? 1 : 0;
      rows.push({ x, mid, y, res, at: res - DAY, ev: e });
    }
  }
  const n = rows.length;
  const d = spec.width;
  const s: Samples = {
    n,
    d,
    x: new Float64Array(n * d),
    mid: new Float64Array(n),
    y: new Float64Array(n),
    resolvedMs: new Float64Array(n),
    atMs: new Float64Array(n),
    event: new Int32Array(n),
    market: new Int32Array(n),
    feeRate: new Float64Array(n).fill(0.02),
    feeExp: new Float64Array(n).fill(1),
    eventIds: Array.from({ length: opts.events }, (_, i) => `e${i}`),
    skipped: 0,
    closedBefore: 0,
  };
  rows.forEach((r, i) => {
    s.x.set(r.x, i * d);
    s.mid[i] = r.mid;
    s.y[i] = r.y;
    s.resolvedMs[i] = r.res;
    s.atMs[i] = r.at;
    s.event[i] = r.ev;
    s.market[i] = i;
  });
  return s;
}

export { F };
