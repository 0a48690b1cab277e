import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CLI = join(ROOT, 'dist', 'src', 'cli.js');
export const FIXTURES = resolve(ROOT, '..', 'shared', 'fixtures', 'polymarket');

export function tempDir(prefix = 'pc-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
