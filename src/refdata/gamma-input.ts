// Raw Gamma market JSON → the fields the resolver reads. Kept apart from the
// catalog decoder because only the resolver needs the rules text.
import { z } from 'zod';
import { parseGammaTime } from '../protocol/gamma.js';
import type { RefMarket } from './resolve.js';

const MAX_TEXT = 8_000;
const text = z.string().nullable().optional().transform((s) => (s ?? '').slice(0, MAX_TEXT));
const time = z.string().nullable().optional().transform((s) => (s ? parseGammaTime(s) : undefined));

const schema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  conditionId: z.string().nullable().optional().transform((s) => s ?? ''),
  question: z.string().max(MAX_TEXT),
  slug: text,
  description: text,
  resolutionSource: text,
  endDate: time,
  startDate: time,
  eventStartTime: time,
  events: z.array(z.object({ startTime: time }).passthrough()).nullable().optional(),
});

export function decodeRefMarket(value: unknown): { ok: true; value: RefMarket } | { ok: false; error: string } {
  const r = schema.safeParse(value);
  if (!r.success) return { ok: false, error: r.error.issues[0] ? `${r.error.issues[0].path.join('.') || 'item'}: ${r.error.issues[0].message}` : 'invalid market' };
  const w = r.data;
  const out: RefMarket = { id: w.id, conditionId: w.conditionId, question: w.question, slug: w.slug, description: w.description, resolutionSource: w.resolutionSource };
  if (w.endDate !== undefined) out.endDate = w.endDate;
  if (w.startDate !== undefined) out.startDate = w.startDate;
  const est = w.eventStartTime ?? w.events?.[0]?.startTime;
  if (est !== undefined) out.eventStartTime = est;
  return { ok: true, value: out };
}
