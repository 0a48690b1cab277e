// Fault injection flags for the simulator: `--faults drop=20,stall=45,garbage=0.001,reorder=0.001,slowrest=200`
// for the public feed, and for the trading desk
// `lostack=0.1,lateack=3000,ghost=0.3,userdrop=30,http429=0.05,http403=0.05,http425=0.05,http503=0.05,versionflip=120`.

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
  /** Share of accepted order posts whose answer is never sent (the order is booked anyway). */
  lostack?: number;
  /** Delay before every accepted order post is answered (booked at once), ms. */
  lateack?: number;
  /** Share of matched fills that fail on chain (MATCHED, then FAILED and reversed). */
  ghost?: number;
  /** Drop every user-channel connection every N seconds (wall); nothing is replayed. */
  userdrop?: number;
  /** Share of order posts refused with 429 (JSON), 403 (Cloudflare HTML), 425 (engine restarting), 503. */
  http429?: number;
  http403?: number;
  http425?: number;
  http503?: number;
  /** Flip the exchange version (2 ↔ 3) every N seconds (wall): orders signed for the old one get order_version_mismatch. */
  versionflip?: number;
}

/** The desk's part of the faults: what the trading desk reads (see DeskFaults in trading.ts). */
export const DESK_FAULT_KEYS = ['lostack', 'lateack', 'ghost', 'userdrop', 'http429', 'http403', 'http425', 'http503', 'versionflip'] as const;
const RATES = new Set<keyof Faults>(['garbage', 'reorder', 'lostack', 'ghost', 'http429', 'http403', 'http425', 'http503']);
const KEYS = ['drop', 'stall', 'garbage', 'reorder', 'slowrest', ...DESK_FAULT_KEYS] as const;

export const STALL_MS = 40_000;

export interface FaultCounts {
  drops: number;
  stalls: number;
  garbage: number;
  reorders: number;
  slowRest: number;
  rateLimited: number;
  userDrops: number;
  versionFlips: number;
}

export function emptyFaultCounts(): FaultCounts {
  return { drops: 0, stalls: 0, garbage: 0, reorders: 0, slowRest: 0, rateLimited: 0, userDrops: 0, versionFlips: 0 };
}

/** Parses the comma list; throws a one-line error naming the bad item. */
export function parseFaults(text: string | undefined): Faults {
  const out: Faults = {};
  if (!text) return out;
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z0-9]+)=([0-9.]+)$/.exec(item);
    if (!m || !(KEYS as readonly string[]).includes(m[1]!)) throw new Error(`bad fault "${item}": expected one of ${FAULTS_HELP}`);
    const key = m[1] as keyof Faults;
    const value = Number(m[2]);
    if (!Number.isFinite(value) || value < 0) throw new Error(`bad fault "${item}": value must be a non-negative number`);
    if (RATES.has(key) && value > 1) throw new Error(`bad fault "${item}": ${key} is a fraction in [0, 1]`);
    if ((key === 'userdrop' || key === 'versionflip' || key === 'drop' || key === 'stall') && value > 0 && value < 0.1) throw new Error(`bad fault "${item}": ${key} is a period in seconds (at least 0.1)`);
    out[key] = value;
  }
  const refused = (out.http429 ?? 0) + (out.http403 ?? 0) + (out.http425 ?? 0) + (out.http503 ?? 0);
  if (refused > 1) throw new Error(`bad faults: http429+http403+http425+http503 add up to ${refused}, more than every order post`);
  return out;
}

/** The accepted items, for --help and error messages. */
export const FAULTS_HELP =
  'drop=S, stall=S, garbage=RATE, reorder=RATE, slowrest=MS (public feed); lostack=RATE, lateack=MS, ghost=RATE, userdrop=S, http429=RATE, http403=RATE, http425=RATE, http503=RATE, versionflip=S (trading desk)';
