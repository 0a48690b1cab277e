// Drives DiffStdout against the real terminal it runs in (tmux in the tests):
// many pseudo-random frames (coloured runs, wide characters, lines that grow,
// shrink and vanish, frames that get shorter), then writes the last frame's
// plain text to a file, so a test can compare it with what the terminal shows.
// usage: node dist/bench/screen-driver.js <frames> <seed> <expected-file>
import { writeFileSync } from 'node:fs';
import { DiffStdout } from '../src/diff-stdout.js';
import { Rng } from '../src/rng.js';

const [frames = '300', seed = '1', expectedFile = 'expected.txt'] = process.argv.slice(2);
const rng = new Rng(Number(seed));
const rand = () => rng.next();
const out = process.stdout;
const columns = out.columns || 80;
const rows = out.rows || 24;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const WORDS = ['Bitcoin', 'Up', 'or', 'Down', '▲', '▼', '●', '市場', '選挙', '·', '—', '+12.5', '-0.03', 'Will', 'the', 'Fed', '│', '█▆▃', 'ok'];
const SGR = ['', '\u001b[32m', '\u001b[31m', '\u001b[1m', '\u001b[2m', '\u001b[7m', '\u001b[33;1m', '\u001b[38;5;208m', '\u001b[44m'];

function line(width: number): { text: string; plain: string } {
  let text = '';
  let plain = '';
  let w = 0;
  while (true) {
    const word = pick(WORDS) + (rand() < 0.7 ? ' ' : '');
    const ww = [...word].reduce((n, ch) => n + (/[\u3000-\u9fff]/.test(ch) ? 2 : 1), 0);
    if (w + ww > width) break;
    const sgr = pick(SGR);
    text += sgr ? `${sgr}${word}\u001b[0m` : word;
    plain += word;
    w += ww;
    if (rand() < 0.15) break;
  }
  return { text, plain };
}

const screen = new DiffStdout(out, 1000);
let lines: { text: string; plain: string }[] = Array.from({ length: rows - 1 }, () => line(columns));
const n = Number(frames);
for (let f = 0; f < n; f++) {
  // Most lines stay, some change, and now and then the frame gets shorter or longer.
  lines = lines.map((l) => (rand() < 0.2 ? line(Math.floor(rand() * (columns + 1))) : l));
  if (rand() < 0.1) lines = lines.slice(0, Math.max(1, Math.floor(rand() * (rows - 1))));
  while (lines.length < rows - 1 && rand() < 0.5) lines.push(line(columns));
  screen.write(lines.map((l) => l.text).join('\n'));
  await new Promise((r) => setTimeout(r, rand() < 0.5 ? 0 : 3));
}
screen.close();
writeFileSync(expectedFile, lines.map((l) => l.plain.trimEnd()).join('\n'));
setInterval(() => {}, 1000);
