// Updates test/timings.json (seconds per test file, for the slow-first
// sequencer) from a run: import, setup, hooks and tests together, which is how
// long the file holds a worker. A file's heavy beforeAll counts, unlike the
// per-test times of the JSON reporter. With CPU_TIMINGS set, the CPU seconds
// that test/helpers/cpu-timing.ts recorded per file are written beside them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';

export default class TimingsReporter implements Reporter {
  private root = process.cwd();
  private readonly seconds: Record<string, number> = {};

  onInit(ctx: Vitest): void {
    this.root = ctx.config.root;
  }

  onTestModuleEnd(m: TestModule): void {
    const d = m.diagnostic();
    const s = Math.round((d.collectDuration + d.setupDuration + d.duration) / 100) / 10;
    if (s >= 1) this.seconds[relative(this.root, m.moduleId).split('\\').join('/')] = s;
  }

  onTestRunEnd(): void {
    // Files this run did not include keep their last timing (a unit-loop run refreshes only its own files).
    const url = new URL('./timings.json', import.meta.url);
    let known: Record<string, number> = {};
    try {
      known = JSON.parse(readFileSync(url, 'utf8')) as Record<string, number>;
    } catch {
      // none yet
    }
    const merged = { ...Object.fromEntries(Object.entries(known).filter(([f]) => existsSync(join(this.root, f)))), ...this.seconds };
    const sorted = Object.fromEntries(Object.entries(merged).sort((a, b) => b[1] - a[1]));
    writeFileSync(url, JSON.stringify(sorted, null, 1) + '\n');
    const cpuFile = process.env['CPU_TIMINGS'];
    if (!cpuFile || !existsSync(cpuFile)) return;
    const cpu: Record<string, number> = {};
    const left: string[] = [];
    for (const line of readFileSync(cpuFile, 'utf8').split('\n').filter(Boolean)) {
      const r = JSON.parse(line) as { file: string; cpuMs: number; left?: Record<string, number> };
      const rel = relative(this.root, r.file).split('\\').join('/');
      cpu[rel] = (cpu[rel] ?? 0) + r.cpuMs / 1000;
      if (r.left && Object.keys(r.left).length) left.push(`left running by ${rel}: ${JSON.stringify(r.left)}`);
    }
    const rows = Object.entries(cpu).sort((a, b) => b[1] - a[1]);
    const total = rows.reduce((a, [, s]) => a + s, 0);
    writeFileSync(`${cpuFile}.txt`, [`${total.toFixed(1)} CPU s in ${rows.length} files`, ...rows.map(([f, s]) => `${s.toFixed(1)}\t${(this.seconds[f] ?? 0).toFixed(1)}\t${f}`), ...left].join('\n') + '\n');
  }
}
