// The unit loop leaves out exactly the files that start processes or soak
// (test/suites.ts): a new file that starts a process must be listed there, or
// `npm run test:unit` would start processes; a listed file that no longer
// exists is a stale entry.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/paths.js';
import { PROCESS_TESTS, SOAK_TESTS } from './suites.js';

function testFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) testFiles(p, out);
    else if (/\.test\.tsx?$/.test(name)) out.push(relative(ROOT, p).split('\\').join('/'));
  }
  return out;
}

/** Does this test file start a process: child_process, the process and tmux helpers, or the built CLI? */
export function startsProcesses(text: string): boolean {
  return /from ['"]node:child_process['"]/.test(text) || /from ['"][./]*helpers\/(proc|tmux)\.js['"]/.test(text) || /import \{[^}]*\bCLI\b[^}]*\} from ['"][./]*helpers\/paths\.js['"]/.test(text);
}

const listed = (file: string) => [...PROCESS_TESTS, ...SOAK_TESTS].some((p) => (p.endsWith('/**') ? file.startsWith(p.slice(0, -2)) : file === p));

describe('the unit loop', () => {
  it('recognises a file that starts processes by its imports', () => {
    expect(startsProcesses("import { spawn } from 'node:child_process';")).toBe(true);
    expect(startsProcesses("import { startProc } from '../helpers/proc.js';")).toBe(true);
    expect(startsProcesses("import { CLI, tempDir } from '../helpers/paths.js';")).toBe(true);
    expect(startsProcesses("import { tempDir } from '../helpers/paths.js';\n// the CLI passes flags like this")).toBe(false);
  });

  it('leaves out every file that starts a process, and only listed files', () => {
    const files = testFiles(join(ROOT, 'test')).filter((f) => f !== 'test/suites.test.ts'); // its own examples above
    const spawning = files.filter((f) => startsProcesses(readFileSync(join(ROOT, f), 'utf8')));
    expect(spawning.filter((f) => !listed(f))).toEqual([]);
    for (const p of [...PROCESS_TESTS, ...SOAK_TESTS]) expect(existsSync(join(ROOT, p.replace(/\/\*\*$/, ''))), p).toBe(true);
  });
});
