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
}

export function measure(runs: number, fn: () => number): { median: number; min: number; max: number } {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) xs.push(fn());
  xs.sort((a, b) => a - b);
  return { median: xs[Math.floor(xs.length / 2)]!, min: xs[0]!, max: xs[xs.length - 1]! };
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

export function printTable(figures: Figure[]): void {
  const rows = figures.map((f) => [
    f.suite,
    f.name,
    fmt(f.median),
    `${fmt(f.min)}–${fmt(f.max)}`,
    f.unit,
    f.ratio !== undefined ? `${f.ratio.toFixed(2)} of ${f.ceiling}` : '',
  ]);
  const head = ['suite', 'figure', 'median', 'min–max', 'unit', 'ratio'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

function fmt(x: number): string {
  if (x >= 1000) return Math.round(x).toLocaleString('en-US');
  return x >= 10 ? x.toFixed(1) : x.toFixed(3);
}
