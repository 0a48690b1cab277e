// Checkpoint shape of OfiTracker (persisted in tracker_state as JSON). Only
// tokens with data in a window or a recorded gap are written, and only their
// non-empty buckets, so quiet tokens cost nothing.
import { z } from 'zod';
import { parseText } from './checkpoint-text.js';

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

/** Validates a checkpoint for a tracker with these windows at `now`: the data, or why it is refused. */
export function parseOfiCheckpoint(json: unknown, now: number, windowsMs: readonly number[], buckets: number): { ok: true; ck: OfiCheckpoint } | { ok: false; reason: string } {
  const text = typeof json === 'string' ? parseText(json) : { ok: true as const, value: json };
  if (!text.ok) return { ok: false, reason: 'invalid: not JSON' };
  const parsed = ofiCheckpointSchema.safeParse(text.value);
  if (!parsed.success) return { ok: false, reason: `invalid: ${parsed.error.issues[0]?.message ?? 'schema'}` };
  const ck = parsed.data;
  if (ck.buckets !== buckets || ck.windowsMs.join() !== windowsMs.join()) return { ok: false, reason: 'window configuration changed' };
  if (ck.savedAt > now) return { ok: false, reason: 'saved in the future' };
  if (now - ck.savedAt > OFI_STALE_MS) return { ok: false, reason: `stale: ${now - ck.savedAt} ms old > ${OFI_STALE_MS} ms` };
  for (const tk of ck.tokens) {
    if (tk.w.length !== windowsMs.length || tk.w.some((d) => d.slots.some((s) => s[0]! >= buckets))) return { ok: false, reason: `bad windows for ${tk.t}` };
  }
  return { ok: true, ck };
}
