// npm run bench [-- --json] [-- --runs N] [-- --only suite,suite]: every suite, one table.
import { decodeSuite } from './decode.js';
import { ingestSuite } from './ingest.js';
import { simSuite } from './sim.js';
import { printTable, type Figure } from './harness.js';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : undefined;
const suites: [string, () => Figure[] | Promise<Figure[]>][] = [
  ['decode', () => decodeSuite(runs)],
  ['ingest', () => ingestSuite(runs)],
  ['simulator', () => simSuite(Math.min(runs, 3))],
];
const figures: Figure[] = [];
for (const [name, suite] of suites) {
  if (only && !only.includes(name)) continue;
  figures.push(...(await suite()));
}
if (args.includes('--json')) console.log(JSON.stringify({ node: process.version, runs, figures }, null, 1));
else printTable(figures);
process.exit(0);
