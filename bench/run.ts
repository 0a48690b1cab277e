// npm run bench [-- --json] [-- --runs N]: every suite, one table.
import { decodeSuite } from './decode.js';
import { printTable, type Figure } from './harness.js';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;
const figures: Figure[] = [...decodeSuite(runs)];
if (args.includes('--json')) console.log(JSON.stringify({ node: process.version, runs, figures }, null, 1));
else printTable(figures);
