// Once per test run: a fresh directory where simulator backfills are kept, so
// the backtest tests and every `polyconsole backtest` they spawn generate each
// backfill once per run instead of once per file (src/sim/backfill-cache.ts).
// Forks and their child processes inherit the variable; the directory goes at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'pc-backfills-'));
  process.env['POLYCONSOLE_BACKFILL_CACHE'] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
