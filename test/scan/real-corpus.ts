// The real Gamma corpus (../shared/fixtures/polymarket/real-catalog) and our
// hand labels (test/scan/labels/real-sample.tsv), for the measurement tests.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FIXTURES, ROOT } from '../helpers/paths.js';
import { PerFile } from '../helpers/per-file.js';

export const REAL_DIR = join(FIXTURES, 'real-catalog');
export const HAVE_REAL = existsSync(join(REAL_DIR, 'markets.json.gz'));

export interface Label {
  id: string;
  split: 'dev' | 'holdout';
  family: string;
  category: string;
  question: string;
}

export function loadLabels(): Label[] {
  const text = readFileSync(join(ROOT, 'test', 'scan', 'labels', 'real-sample.tsv'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [id, split, family, category, question] = l.split('\t');
      return { id: id!, split: split as Label['split'], family: family!, category: category!, question: question ?? '' };
    });
}

const corpus = new PerFile<unknown[]>();
/** The raw market objects (parsed once per test file). */
export function realMarkets(): unknown[] {
  return corpus.get('markets', () => JSON.parse(gunzipSync(readFileSync(join(REAL_DIR, 'markets.json.gz'))).toString('utf8')) as unknown[]);
}

export interface Scores {
  n: number;
  family: number;
  category: number;
  other: number;
  perCategory: { category: string; labelled: number; predicted: number; correct: number; recall: number; precision: number }[];
  misses: { id: string; question: string; want: string; got: string }[];
}

export function score(labels: readonly Label[], predicted: ReadonlyMap<string, { family: string; category: string }>): Scores {
  let fam = 0;
  let cat = 0;
  let other = 0;
  const per = new Map<string, { labelled: number; predicted: number; correct: number }>();
  const at = (c: string) => {
    let p = per.get(c);
    if (!p) per.set(c, (p = { labelled: 0, predicted: 0, correct: 0 }));
    return p;
  };
  const misses: Scores['misses'] = [];
  for (const l of labels) {
    const p = predicted.get(l.id);
    const got = p?.category ?? '(missing)';
    at(l.category).labelled++;
    at(got).predicted++;
    if (p?.family === l.family) fam++;
    if (got === l.category) {
      cat++;
      at(got).correct++;
    } else misses.push({ id: l.id, question: l.question, want: l.category, got });
    if (got === 'Other') other++;
  }
  const n = labels.length;
  return {
    n,
    family: fam / n,
    category: cat / n,
    other: other / n,
    perCategory: [...per]
      .map(([category, p]) => ({ category, ...p, recall: p.labelled ? p.correct / p.labelled : NaN, precision: p.predicted ? p.correct / p.predicted : NaN }))
      .sort((a, b) => b.labelled - a.labelled),
    misses,
  };
}
