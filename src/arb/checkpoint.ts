// How long each violation has persisted, kept across restarts (tracker_state):
// zod-validated on load; a bad checkpoint is reported and ignored, never fatal.
import { z } from 'zod';

export interface TrackerEntry {
  firstSeen: number;
  lastSeen: number;
  /** Consecutive full scans the bundle was reported in. */
  cycles: number;
  bestEdge: number;
}

const entrySchema = z.object({
  id: z.string().min(1),
  firstSeen: z.number().finite(),
  lastSeen: z.number().finite(),
  cycles: z.number().int().nonnegative(),
  bestEdge: z.number().finite(),
});

export const arbCheckpointSchema = z.object({
  tracker: z.literal('arb'),
  version: z.literal(1),
  savedAt: z.number().finite(),
  entries: z.array(entrySchema),
});

export type ArbCheckpoint = z.infer<typeof arbCheckpointSchema>;

export function encodeTrackers(trackers: ReadonlyMap<string, TrackerEntry>, now: number): ArbCheckpoint {
  const entries = [...trackers].map(([id, t]) => ({ id, ...t })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { tracker: 'arb', version: 1, savedAt: now, entries };
}

export type DecodedTrackers = { ok: true; trackers: Map<string, TrackerEntry>; ageMs: number } | { ok: false; error: string };

/** Entries older than `maxAgeMs` at `now` are dropped: the violation may have ended while we were down. */
export function decodeTrackers(data: unknown, now: number, maxAgeMs: number): DecodedTrackers {
  const r = arbCheckpointSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    return { ok: false, error: `arb checkpoint: ${issue ? `${issue.path.join('.') || 'root'} ${issue.message}` : 'invalid'}` };
  }
  const trackers = new Map<string, TrackerEntry>();
  for (const e of r.data.entries) {
    if (now - e.lastSeen > maxAgeMs) continue;
    trackers.set(e.id, { firstSeen: e.firstSeen, lastSeen: e.lastSeen, cycles: e.cycles, bestEdge: e.bestEdge });
  }
  return { ok: true, trackers, ageMs: now - r.data.savedAt };
}
