// Rewrites test/timings.json from a vitest JSON report: seconds per test file,
// rounded, for the slow-first sequencer. Usage: node test/write-timings.mjs REPORT.json
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const out = {};
for (const f of report.testResults) {
  const s = Math.round((f.endTime - f.startTime) / 100) / 10;
  if (s >= 1) out[relative(process.cwd(), f.name).split('\\').join('/')] = s;
}
const sorted = Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
writeFileSync(new URL('./timings.json', import.meta.url), JSON.stringify(sorted, null, 1) + '\n');
console.log(`${Object.keys(sorted).length} files with timings written`);
