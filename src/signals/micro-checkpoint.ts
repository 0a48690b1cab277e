// Checkpoint shape of MicroScorer: markets with trades in the window or a
// recorded gap, with their non-empty buckets only.
import { z } from 'zod';
import { parseText } from './checkpoint-text.js';

/** A micro checkpoint older than this (a quarter of the default 120 s window) is discarded. */
export const MICRO_STALE_MS = 30_000;

const bucketRow = z.array(z.number()).length(8).refine((r) => Number.isInteger(r[0]) && r[0]! >= 0, 'bucket age must be a non-negative integer');

export const microCheckpointSchema = z.object({
  v: z.literal(1),
  kind: z.literal('micro'),
  savedAt: z.number(),
  windowMs: z.number().positive(),
  buckets: z.number().int().positive(),
  markets: z.array(
    z.object({
      m: z.string().min(1),
      y: z.string().min(1),
      n: z.string().min(1),
      f: z.number().nullable(),
      last: z.number().int().min(-1),
      /** [age, yesVol, noVol, trades, yesWhales, noWhales, firstYesPx, lastYesPx] */
      slots: z.array(bucketRow),
      g: z.array(z.tuple([z.number(), z.number().nullable()])),
    }),
  ),
});

export type MicroCheckpoint = z.infer<typeof microCheckpointSchema>;

/** Validates a checkpoint for a scorer with this window at `now`: the data, or why it is refused. */
export function parseMicroCheckpoint(json: unknown, now: number, windowMs: number, buckets: number): { ok: true; ck: MicroCheckpoint } | { ok: false; reason: string } {
  const text = typeof json === 'string' ? parseText(json) : { ok: true as const, value: json };
  if (!text.ok) return { ok: false, reason: 'invalid: not JSON' };
  const parsed = microCheckpointSchema.safeParse(text.value);
  if (!parsed.success) return { ok: false, reason: `invalid: ${parsed.error.issues[0]?.message ?? 'schema'}` };
  const ck = parsed.data;
  if (ck.windowMs !== windowMs || ck.buckets !== buckets) return { ok: false, reason: 'window configuration changed' };
  if (ck.savedAt > now) return { ok: false, reason: 'saved in the future' };
  if (now - ck.savedAt > MICRO_STALE_MS) return { ok: false, reason: `stale: ${now - ck.savedAt} ms old > ${MICRO_STALE_MS} ms` };
  if (ck.markets.some((mk) => mk.slots.some((s) => s[0]! >= buckets))) return { ok: false, reason: 'bucket age out of range' };
  return { ok: true, ck };
}
