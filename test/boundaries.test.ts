// DESIGN's boundary: the simulator is a venue the console talks to over the
// wire, so no module of the console imports src/sim/ — static, type-only or
// dynamic — except the commands that start a simulator (composition roots).
// Everything the console needs from a simulator is handed in by them.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/paths.js';

/** The modules that may start and hold a Simulator. */
const COMPOSITION_ROOTS = ['src/cli.ts', 'src/headless.ts', 'src/scan-command.ts'];
/** Console code: everything under these folders, src/sim/ excepted. */
const SCANNED = ['src', 'store', 'components'];
const SIM = resolve(ROOT, 'src', 'sim');

/** Every module specifier a TypeScript file imports or re-exports, statically or dynamically. */
export function specifiers(text: string): string[] {
  const out: string[] = [];
  const patterns = [/\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of text.matchAll(re)) out.push(m[1]!);
  return out;
}

/** The specifiers of `file` (absolute) that resolve into src/sim/. */
function simImports(file: string, text: string): string[] {
  return specifiers(text).filter((s) => {
    if (!s.startsWith('.')) return false;
    const target = resolve(dirname(file), s);
    return target === SIM || target.startsWith(SIM + sep);
  });
}

function sources(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (p !== SIM) sources(p, out);
    } else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

describe('import boundaries', () => {
  it('the scanner sees static, type-only, re-exported and dynamic imports of src/sim/', () => {
    const file = join(ROOT, 'src', 'live', 'example.ts');
    const text = [
      "import type { Simulator } from '../sim/simulator.js';",
      "import {\n  loadTemplates,\n} from '../sim/world.js';",
      "export { thing } from '../sim/history.js';",
      "const s: import('../sim/simulator.js').Simulator = await import('../sim/simulator.js');",
      "import '../sim/side-effect.js';",
      "import { scan } from '../scan/index.js';",
      "import { Rng } from '../rng.js'; // a module named like it but elsewhere: '../simulation.js'",
    ].join('\n');
    expect(simImports(file, text)).toEqual(['../sim/simulator.js', '../sim/world.js', '../sim/history.js', '../sim/side-effect.js', '../sim/simulator.js', '../sim/simulator.js']);
  });

  it('no console module imports src/sim/ (only the named composition roots may)', () => {
    for (const r of COMPOSITION_ROOTS) expect(existsSync(join(ROOT, r)), `${r} is named as a composition root but does not exist`).toBe(true);
    const roots = new Set(COMPOSITION_ROOTS.map((r) => join(ROOT, r)));
    const files = SCANNED.flatMap((d) => sources(join(ROOT, d)));
    expect(files.length).toBeGreaterThan(100);
    const offenders: string[] = [];
    for (const f of files) {
      if (roots.has(f)) continue;
      for (const s of simImports(f, readFileSync(f, 'utf8'))) offenders.push(`${relative(ROOT, f)} imports ${s}`);
    }
    expect(offenders).toEqual([]);
  });
});
