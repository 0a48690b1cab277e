// Module-level state is shared by everything in a process that imports the
// module: two engines in one process, the sweep's runs, and the test files that
// share a worker (the unit project runs with isolation off). So state lives in
// instances built by the composition roots, and what is left at module level is
// either frozen or listed below with the reason it cannot leak. A new
// module-level `let`, a filled-later collection or an exported table that is
// not frozen fails here until it is moved into an instance or argued for.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/paths.js';
import { deepFreeze } from '../src/frozen.js';
import { DEFAULT_ENGINE_CONFIG } from '../src/engine.js';
import { DEFAULTS } from '../src/config.js';
import { MIGRATIONS } from '../src/persist/migrations.js';
import { defaultStrategies } from '../src/scan/strategies.js';

/** Module-level state that stays, by file and name, with why it cannot carry one user's state into another's. */
const ARGUED: Record<string, string> = {
  'src/exec/orders.ts domainSeps': 'memo of a pure function of (exchange version, negRisk): every caller would compute the same value',
  'src/model/features.ts cached': 'the layout of the embedded data files, read once; FeatureSpec is not changed after construction',
  'src/scan/taxonomy.ts results': 'memo of frozen results keyed by (field, category)',
  'src/scan/taxonomy.ts cached': 'the embedded taxonomy, read once; a Taxonomy is not changed after construction',
  'src/scan/strategies.ts cached': 'the embedded strategies, read once and deep-frozen',
  'src/text/widest-line.ts cache': "memo of a pure function (a string's width), bounded",
  'src/text/ink-measure.ts installed': "Node's module resolution is process-wide: installing the redirect once per process is the point",
  'src/text/ink-measure-hooks.ts target': 'set once by the install above (runs in the loader)',
  'src/protocol/frame-scanner.ts BY_FIRST': 'key table built at load and never written again',
  'src/arb/baskets.ts scratch': 'scratch array emptied at the start of each synchronous evaluation; nothing keeps it',
  'src/replay/sweep-worker.ts rec': 'one recording per worker thread: the thread is the instance',
  'src/replay/sweep-worker.ts shared': 'the parent\'s shared columns for this worker thread, set once before any setting: the thread is the instance',
  'src/sim/history.ts cache': 'WeakMap keyed by the world object: state per simulator instance',
  'src/sim/backfill-cache.ts pause': 'only the target of Atomics.wait for a sleep; never written',
};

const SCANNED = ['src', 'store', 'components'];

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const escape = (s: string) => s.replace(/[$]/g, '\\$');

/** Top-level declarations that hold state: `let`/`var`, collections written later, exported literals not frozen. */
export function moduleState(file: string, text: string): string[] {
  const found: string[] = [];
  const writes = (name: string) => new RegExp(`\\b${escape(name)}(\\.(set|add|delete|clear|push|pop|shift|unshift|splice|sort|fill)\\(|\\[[^\\]]*\\]\\s*=[^=]|\\.\\w+\\s*=[^=])`).test(text);
  for (const line of text.split('\n')) {
    let m = /^(?:export )?(?:let|var)\s+(\w+)/.exec(line);
    if (m) {
      found.push(`${file} ${m[1]}`);
      continue;
    }
    m = /^(?:export )?const (\w+)\b[^=]*=\s*new (\w+)/.exec(line);
    if (m) {
      if (/Array$/.test(m[2]!) || writes(m[1]!)) found.push(`${file} ${m[1]}`);
      continue;
    }
    m = /^(export )?const (\w+)\b[^=]*=\s*(\[|\{)/.exec(line);
    // An empty literal is there to be filled; a full one counts when something writes into it, or when it is exported unfrozen.
    if (m && (/=\s*(\[\]|\{\});/.test(line) || writes(m[2]!) || (m[1] && file.startsWith('src/') && !file.startsWith('src/sim/')) || (m[1] && file.startsWith('store/')))) found.push(`${file} ${m[2]}`);
  }
  return found;
}

describe('module-level state', () => {
  it('the scanner sees lets, collections filled later, typed arrays and unfrozen exported tables, and not constant lookups', () => {
    const text = [
      'let cached: X | undefined;',
      'export var n = 0;',
      'const seen = new Map<string, number>();',
      'function f() { seen.set("a", 1); }',
      "const WORDS = new Set(['a', 'b']);",
      'const buf = new Int32Array(4);',
      'export const DEFAULT_X: X = {',
      'export const FROZEN_X: X = deepFreeze({',
      'const list: string[] = [];',
      'list.push("x");',
      'const byLength: number[][] = [];',
      'const TABLE = { a: 1 };',
      '  let inner = 1;',
    ].join('\n');
    expect(moduleState('src/x.ts', text)).toEqual(['src/x.ts cached', 'src/x.ts n', 'src/x.ts seen', 'src/x.ts buf', 'src/x.ts DEFAULT_X', 'src/x.ts list', 'src/x.ts byLength']);
  });

  it('every piece of module-level state in the console is frozen or argued for; nothing argued for is gone', () => {
    const found = SCANNED.flatMap((d) => sources(join(ROOT, d))).flatMap((f) => {
      const rel = relative(ROOT, f).split('\\').join('/');
      return moduleState(rel, readFileSync(f, 'utf8'));
    });
    expect(found.filter((k) => !(k in ARGUED))).toEqual([]);
    expect(Object.keys(ARGUED).filter((k) => !found.includes(k))).toEqual([]);
  });

  it('a write into a shared default throws instead of changing it for the next user', () => {
    const cycle = DEFAULT_ENGINE_CONFIG.cycleMs;
    expect(() => {
      (DEFAULT_ENGINE_CONFIG as { cycleMs: number }).cycleMs = cycle + 1;
    }).toThrow(TypeError);
    expect(DEFAULT_ENGINE_CONFIG.cycleMs).toBe(cycle);
    expect(() => (MIGRATIONS as unknown[]).push({})).toThrow(TypeError);
    expect(() => {
      (DEFAULTS as { db: string }).db = 'elsewhere.db';
    }).toThrow(TypeError);
    const s = defaultStrategies();
    expect(() => s.strategies.pop()).toThrow(TypeError);
    expect(() => {
      (s.strategies[0] as { id: string }).id = 'renamed';
    }).toThrow(TypeError);
  });

  it('deepFreeze freezes nested objects and arrays, returns the same reference, and leaves Maps, Sets and RegExps usable', () => {
    const re = /a/iu;
    const v = { a: { b: [1, { c: 2 }] }, m: new Map([[1, 2]]), re };
    expect(deepFreeze(v)).toBe(v);
    expect(Object.isFrozen(v.a.b[1])).toBe(true);
    v.m.set(3, 4);
    expect(v.m.get(3)).toBe(4);
    expect(re.test('A')).toBe(true);
  });
});
