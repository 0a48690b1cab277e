// Benchmark harness: each figure is the median of N runs with min and max,
// and throughputs are reported next to a ceiling measured in the same run.
export interface Figure {
  suite: string;
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  ceiling?: string;
  ratio?: number;
  /** The goal for this figure, e.g. "≤ 15%", and whether the median meets it. */
  goal?: string;
  met?: boolean;
}

export interface Stat {
  median: number;
  min: number;
  max: number;
}

export function stat(xs: readonly number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
}

/** A single observation as a figure value (median = min = max). */
export function once(x: number): Stat {
  return { median: x, min: x, max: x };
}

export function measure(runs: number, fn: () => number): Stat {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) xs.push(fn());
  return stat(xs);
}

export async function measureAsync(runs: number, fn: () => Promise<number>): Promise<Stat> {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) xs.push(await fn());
  return stat(xs);
}

/** Operations per second of `op` over `items`, repeated until at least `minMs` elapsed. */
export function throughput<T>(items: readonly T[], op: (x: T) => unknown, minMs = 300): number {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    for (let i = 0; i < items.length; i++) op(items[i]!);
    n += items.length;
    t = performance.now();
  }
  return (n * 1000) / (t - t0);
}

/** CPU milliseconds (user + system) of this process since `from`. */
export function cpuMs(from: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1000;
}

/** Attaches a goal to a figure: `met` is decided on the median. */
export function withGoal(f: Figure, kind: '≤' | '≥' | '<', limit: number, text?: string): Figure {
  const met = kind === '≥' ? f.median >= limit : kind === '≤' ? f.median <= limit : f.median < limit;
  return { ...f, goal: text ?? `${kind} ${limit.toLocaleString('en-US')}`, met };
}

export function printTable(figures: Figure[]): void {
  const rows = figures.map((f) => [
    f.suite,
    f.name,
    fmt(f.median),
    `${fmt(f.min)}–${fmt(f.max)}`,
    f.unit,
    f.ratio !== undefined ? `${f.ratio.toFixed(2)} of ${f.ceiling}` : '',
    f.goal !== undefined ? `${f.met ? 'met' : 'MISSED'} (${f.goal})` : '',
  ]);
  const head = ['suite', 'figure', 'median', 'min–max', 'unit', 'ratio', 'goal'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  return Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(3);
}
