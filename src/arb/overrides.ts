// Hand-mapped relations from data/relations.json (confidence 1.0): they add a
// relation the rules cannot see, or veto one they got wrong ("none").
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { dataPath } from '../paths.js';

const overrideSchema = z.object({
  /** Market id, conditionId or slug. */
  a: z.string().min(1),
  b: z.string().min(1),
  /** implies: a ⇒ b; equivalent: a ⇔ b; exclusive: never both YES; none: no relation (veto). */
  relation: z.enum(['implies', 'equivalent', 'exclusive', 'none']),
  note: z.string().optional(),
});

const fileSchema = z.object({
  $comment: z.string().optional(),
  relations: z.array(z.unknown()),
});

export type RelationOverride = z.infer<typeof overrideSchema>;

export interface LoadedOverrides {
  overrides: RelationOverride[];
  /** One message per rejected entry (or for the whole file). */
  rejected: string[];
}

/** Validates the file's content; bad entries are counted and skipped, never fatal. */
export function parseRelationOverrides(json: unknown): LoadedOverrides {
  const file = fileSchema.safeParse(json);
  if (!file.success) return { overrides: [], rejected: [`relations file: ${file.error.issues[0]?.message ?? 'invalid'}`] };
  const overrides: RelationOverride[] = [];
  const rejected: string[] = [];
  file.data.relations.forEach((entry, i) => {
    const r = overrideSchema.safeParse(entry);
    if (r.success) overrides.push(r.data);
    else rejected.push(`relations[${i}]: ${r.error.issues.map((x) => `${x.path.join('.') || 'entry'} ${x.message}`).join('; ')}`);
  });
  return { overrides, rejected };
}

export function loadRelationOverrides(path = dataPath('relations.json')): LoadedOverrides {
  if (!existsSync(path)) return { overrides: [], rejected: [] };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return { overrides: [], rejected: [`relations file: ${(err as Error).message}`] };
  }
  return parseRelationOverrides(json);
}
