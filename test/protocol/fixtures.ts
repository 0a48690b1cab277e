// Locates the shared Polymarket captures (shared/fixtures/polymarket, a sibling
// of the repo) and reads them. Tests that need them use describe.skipIf(!HAVE_FIXTURES).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURES = path.resolve(here, '../../../shared/fixtures/polymarket');
export const HAVE_FIXTURES = fs.existsSync(FIXTURES);

export function fixtureText(rel: string): string {
  return fs.readFileSync(path.join(FIXTURES, rel), 'utf8');
}

export function fixtureJson<T = any>(rel: string): T {
  return JSON.parse(fixtureText(rel)) as T;
}

/** The JSON lines of a .jsonl capture, parsed. */
export function fixtureLines<T = any>(rel: string): T[] {
  return fixtureText(rel)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

/** Every file under the fixtures folder, as paths relative to it. */
export function listFixtures(): string[] {
  if (!HAVE_FIXTURES) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(FIXTURES, p).split(path.sep).join('/'));
    }
  };
  walk(FIXTURES);
  return out.sort();
}

export function skipNote(suite: string): void {
  if (!HAVE_FIXTURES) console.log(`${suite}: skipped, fixtures folder not found at ${FIXTURES}`);
}
