// Checkpoint shape of OfiTracker (persisted in tracker_state as JSON). Only
// tokens with data in a window or a recorded gap are written, and only their
// non-empty buckets, so quiet tokens cost nothing.
import { z } from 'zod';

/** A checkpoint older than this is discarded on start: its windows no longer describe the book. */
export const OFI_STALE_MS = 10_000;

const bucketRow = z.array(z.number()).length(5).refine((r) => Number.isInteger(r[0]) && r[0]! >= 0, 'bucket age must be a non-negative integer');

export const ofiCheckpointSchema = z.object({
  v: z.literal(1),
  kind: z.literal('ofi'),
  savedAt: z.number(),
  windowsMs: z.array(z.number().positive()),
  buckets: z.number().int().positive(),
  tokens: z.array(
    z.object({
      t: z.string().min(1),
      m: z.string(),
      r: z.enum(['yes', 'no', 'none']),
      f: z.number().nullable(),
      /** Per window: last bucket number and [age, ofi, flow, depthSum, depthN] rows. */
      w: z.array(z.object({ last: z.number().int().min(-1), slots: z.array(bucketRow) })),
      /** Gap intervals [start, end | null (open)]. */
      g: z.array(z.tuple([z.number(), z.number().nullable()])),
    }),
  ),
});

export type OfiCheckpoint = z.infer<typeof ofiCheckpointSchema>;
