// Locates the package's own folders (data/) whether running from src/ or dist/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('polyconsole: cannot find the package root (data/ folder missing)');
}

export const PACKAGE_ROOT = packageRoot();

/** Path of a file in the embedded defaults folder `data/`. */
export function dataPath(name: string): string {
  return join(PACKAGE_ROOT, 'data', name);
}
