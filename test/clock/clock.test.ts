import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock, systemWall, VenueTracker, venueFromWall, wallFromVenue, wallMs } from '../../src/clock.js';
import { ROOT } from '../helpers/paths.js';

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

describe('ManualClock', () => {
  it('moves only when told; venue follows wall at its offset until pinned', () => {
    const c = new ManualClock(T0, 3_600_000);
    expect([c.wall(), c.venue()]).toEqual([T0, T0 + 3_600_000]);
    c.advance(1_500);
    expect([c.wall(), c.venue()]).toEqual([T0 + 1_500, T0 + 3_601_500]);
    c.setVenue(T0 - 86_400_000);
    c.advance(500);
    // A pinned venue time moves with advance() but keeps its own value, not wall + offset.
    expect([c.wall(), c.venue()]).toEqual([T0 + 2_000, T0 - 86_399_500]);
    c.setVenueOffset(-60_000);
    expect(c.venue()).toBe(T0 + 2_000 - 60_000);
    c.setWall(T0);
    expect([c.wall(), c.venue()]).toEqual([T0, T0 - 60_000]);
  });

  it('hands out detached readers (no this-binding to lose)', () => {
    const c = new ManualClock(T0);
    const { wall, venue } = c;
    c.advance(10);
    expect([wall(), venue()]).toEqual([T0 + 10, T0 + 10]);
  });
});

describe('VenueTracker', () => {
  it('is wall + offset before any venue stamp, then the newest stamp; a late older stamp does not move it back', () => {
    const c = new ManualClock(T0);
    const v = new VenueTracker(c.wall, -5_000);
    expect([v.known, v.now()]).toEqual([false, T0 - 5_000]);
    v.saw(T0 + 42);
    expect([v.known, v.now()]).toEqual([true, T0 + 42]);
    v.saw(T0 + 10); // arrived late
    v.saw(Number.NaN);
    v.saw(-1);
    c.advance(60_000); // wall moving does not move a venue clock known from its messages
    expect(v.now()).toBe(T0 + 42);
  });
});

describe('conversions and the system clock', () => {
  it('venue = wall + offset and back', () => {
    const w = wallMs(T0);
    expect(venueFromWall(w, 250)).toBe(T0 + 250);
    expect(wallFromVenue(venueFromWall(w, -7_000), -7_000)).toBe(T0);
  });

  it('the system clock reads this machine (within the test run) and applies its venue offset', () => {
    const before = Date.now();
    const c = systemClock(1_000);
    const w = c.wall();
    const v = c.venue();
    const after = Date.now();
    expect(w).toBeGreaterThanOrEqual(before);
    expect(w).toBeLessThanOrEqual(after);
    expect(v).toBeGreaterThanOrEqual(before + 1_000);
    expect(v).toBeLessThanOrEqual(after + 1_000);
    expect(systemWall()).toBeGreaterThanOrEqual(w);
  });
});

describe('the type checker keeps wall and venue time apart', () => {
  it('every line marked in mixups.ts is a compile error on its own, and nothing else is', () => {
    const file = join(ROOT, 'test', 'clock', 'mixups.ts');
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    // The line after each directive (1-based), then the file with the directives blanked.
    const marked = lines.flatMap((l, i) => (l.trim().startsWith('// @ts-expect-error') ? [i + 2] : []));
    expect(marked.length).toBe(5);
    const bare = lines.map((l) => (l.trim().startsWith('// @ts-expect-error') ? '' : l)).join('\n');
    const cfg = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const host = ts.createCompilerHost(cfg.options);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, onError) => (name === file ? ts.createSourceFile(name, bare, lang) : read(name, lang, onError));
    // Only this file's own diagnostics: checking the whole program (and node's types) would take most of a minute on a busy host.
    const program = ts.createProgram([file], { ...cfg.options, noEmit: true, types: [], lib: ['lib.es5.d.ts'] }, host);
    const diags = [...program.getSyntacticDiagnostics(program.getSourceFile(file)), ...program.getSemanticDiagnostics(program.getSourceFile(file))];
    const at = (d: ts.Diagnostic) => `${relative(ROOT, d.file?.fileName ?? '?')}:${d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : 0}`;
    const where = [...new Set(diags.map(at))].sort();
    expect(where).toEqual(marked.map((n) => `test/clock/mixups.ts:${n}`).sort());
    // Each is the brand mismatch, not some unrelated error.
    for (const d of diags) expect(ts.flattenDiagnosticMessageText(d.messageText, '\n')).toMatch(/WallMs|VenueMs|WallNow|VenueNow/);
  }, 60_000);
});

// The one reader of this machine's clock is src/clock.ts; everything else,
// the simulator included (its host clock is a WallNow option), is handed a
// reader. A genuine exception would be named here with the reason.
const DATE_NOW_ALLOWED: Record<string, string> = {
  'src/clock.ts': 'the system wall clock itself',
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

describe('no stray clock reads', () => {
  it('Date.now appears in src/, store/ and components/ only in the named exceptions', () => {
    const hits: string[] = [];
    for (const dir of ['src', 'store', 'components']) {
      for (const f of sources(join(ROOT, dir))) {
        const rel = relative(ROOT, f).split('\\').join('/');
        if (DATE_NOW_ALLOWED[rel]) continue;
        readFileSync(f, 'utf8')
          .split('\n')
          .forEach((l, i) => {
            // Date.now() and Date.now passed as a reader; `new Date()` (no argument) reads the clock too.
            if (/\bDate\.now\b|new Date\(\s*\)/.test(l)) hits.push(`${rel}:${i + 1}: ${l.trim().slice(0, 100)}`);
          });
      }
    }
    expect(hits).toEqual([]);
  });
});
