// Checkpoint shape of MicroScorer: markets with trades in the window or a
// recorded gap, with their non-empty buckets only.
import { z } from 'zod';

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
