// Once per test run: the directory where simulator backfills are kept, so the
// backtest tests and every `polyconsole backtest` they spawn generate each
// backfill once (src/sim/backfill-cache.ts). Its key covers a backfill's
// inputs but not the generator's code, so the directory is named by a hash of
// the code and data that could change a backfill (src/, data/, package-lock):
// later runs of the same tree reuse it, and any edit starts a fresh one. Older
// directories are removed. Forks and their child processes inherit the variable.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, 'node_modules', '.cache', 'polyconsole-backfills');

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else out.push(p);
  }
  return out;
}

/** A hash of everything a generated backfill can depend on. */
export function codeHash(root = ROOT): string {
  const h = createHash('sha256');
  for (const f of [...files(join(root, 'src')), ...files(join(root, 'data')).filter((f) => f.endsWith('.json')), join(root, 'package-lock.json')]) {
    h.update(relative(root, f));
    h.update('\0');
    h.update(readFileSync(f));
  }
  return h.digest('hex').slice(0, 16);
}

export default function setup(): void {
  const hash = codeHash();
  const dir = join(CACHE, hash);
  mkdirSync(dir, { recursive: true });
  for (const old of readdirSync(CACHE)) if (old !== hash) rmSync(join(CACHE, old), { recursive: true, force: true });
  process.env['POLYCONSOLE_BACKFILL_CACHE'] = dir;
}
