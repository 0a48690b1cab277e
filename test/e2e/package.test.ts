// The package as a user gets it: `npm pack`, installed into an empty folder from
// the tarball (dependencies from the npm registry), then `polyconsole --help`
// and a 10 s headless run. It proves "files" carries what the runtime needs,
// that no runtime database ships, and that Ink's text measuring uses our
// memoized widest-line without package.json overrides (npm ignores those
// downstream). Installing compiles better-sqlite3 (a minute or more), so this
// runs in `npm run test:long` and CI's packaging step (PACK_TEST=1), not in the
// default loop.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../helpers/paths.js';
import { endAll, runProcess } from '../helpers/proc.js';

const RUN = process.env['PACK_TEST'] === '1';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

afterEach(endAll);

describe.skipIf(!RUN)('packaged install', () => {
  it('npm pack → install into an empty folder → --help and a 10 s headless run', async () => {
    expect(existsSync(join(ROOT, 'dist', 'src', 'cli.js')), 'build first (npm test builds)').toBe(true);
    const packDir = tempDir('pc-pack-');
    // dist/ is already built by the test command; packing does not rebuild it.
    const pack = await runProcess(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], { cwd: ROOT, timeoutMs: 120_000 });
    expect(pack.code, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    const files = info!.files.map((f) => f.path);
    expect(files).toContain('dist/src/cli.js');
    expect(files).toContain('dist/src/text/widest-line.js');
    expect(files).toContain('data/strategies.json');
    expect(files.filter((f) => /\.db($|-)|\.corrupt-/.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/bench/') || f.startsWith('test/') || f.startsWith('src/'))).toEqual([]);

    const app = tempDir('pc-install-');
    const install = await runProcess(npm, ['install', '--no-audit', '--no-fund', '--omit=dev', '--prefix', app, join(packDir, info!.filename)], { cwd: app, timeoutMs: 540_000 });
    expect(install.code, install.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules', 'polyconsole', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.values(manifest.dependencies).filter((v) => v.startsWith('file:'))).toEqual([]);
    const bin = join(app, 'node_modules', '.bin', 'polyconsole');

    const help = await runProcess(bin, ['--help'], { cwd: app, timeoutMs: 60_000 });
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/polyconsole run/);
    expect(help.stdout).toMatch(/backtest/);

    const db = join(app, 'pc.db');
    const run = await runProcess(bin, ['run', '--headless', '--duration', '10', '--markets', '200', '--status-every', '2', '--db', db], { cwd: app, timeoutMs: 120_000, env: { ...process.env, CI: 'false' } });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    // The run's last line is its summary (how far the engine got in 10 s depends on the host's load; test/e2e/headless checks the content).
    const summary = JSON.parse(lines[lines.length - 1]!) as { type: string; source: string; shards: unknown[] };
    expect(summary.type).toBe('summary');
    expect(summary.source).toBe('SIM');
    expect(Array.isArray(summary.shards)).toBe(true);
    expect(existsSync(db)).toBe(true);

    // Ink, as installed downstream, measures with the memoized module.
    const dist = join(app, 'node_modules', 'polyconsole', 'dist', 'src', 'text');
    const script = `
      const { installInkMeasureCache } = await import(${JSON.stringify(join(dist, 'ink-measure.js'))});
      const how = installInkMeasureCache();
      const React = await import('react');
      const { render, Text, Box } = await import('ink');
      const { cachedEntries } = await import(${JSON.stringify(join(dist, 'widest-line.js'))});
      const { PassThrough } = await import('node:stream');
      const out = new PassThrough(); out.columns = 80; out.rows = 24; out.resume();
      render(React.createElement(Box, { borderStyle: 'round' }, React.createElement(Text, null, '● ▲ 比特币')), { stdout: out, debug: true, patchConsole: false }).unmount();
      console.log(JSON.stringify({ how, entries: cachedEntries() }));
    `;
    // Resolved from inside the install, as polyconsole's own imports are.
    const probe = await runProcess(process.execPath, ['--input-type=module', '-e', script], { cwd: join(app, 'node_modules', 'polyconsole'), timeoutMs: 60_000 });
    expect(probe.stderr).toBe('');
    const res = JSON.parse(probe.stdout.trim().split('\n').pop()!) as { how: string; entries: number };
    expect(['sync', 'thread']).toContain(res.how);
    expect(res.entries).toBeGreaterThan(0);
  }, 900_000);
});
