// Fault injection flags for the simulator: `--faults drop=20,stall=45,garbage=0.001,reorder=0.001,slowrest=200`.

export interface Faults {
  /** Close a random connection every N seconds (wall). */
  drop?: number;
  /** One connection stops sending for 40 s every N seconds (wall). */
  stall?: number;
  /** Fraction of outgoing frames corrupted into invalid JSON. */
  garbage?: number;
  /** Fraction of subscribed assets that get a price_change before their book. */
  reorder?: number;
  /** Extra latency on every REST response, ms. */
  slowrest?: number;
}

export const STALL_MS = 40_000;

export interface FaultCounts {
  drops: number;
  stalls: number;
  garbage: number;
  reorders: number;
  slowRest: number;
  rateLimited: number;
}

export function emptyFaultCounts(): FaultCounts {
  return { drops: 0, stalls: 0, garbage: 0, reorders: 0, slowRest: 0, rateLimited: 0 };
}

/** Parses the comma list; throws a one-line error naming the bad item. */
export function parseFaults(text: string | undefined): Faults {
  const out: Faults = {};
  if (!text) return out;
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(drop|stall|garbage|reorder|slowrest)=([0-9.]+)$/.exec(item);
    if (!m) throw new Error(`bad fault "${item}": expected drop=S, stall=S, garbage=RATE, reorder=RATE or slowrest=MS`);
    const key = m[1] as keyof Faults;
    const value = Number(m[2]);
    if (!Number.isFinite(value) || value < 0) throw new Error(`bad fault "${item}": value must be a non-negative number`);
    if ((key === 'garbage' || key === 'reorder') && value > 1) throw new Error(`bad fault "${item}": ${key} is a fraction in [0, 1]`);
    out[key] = value;
  }
  return out;
}
