// Question normalisation for dedupe, categorisation and clustering. One pass
// over the text gives: the folded text the taxonomy rules read, the content
// tokens (exact key and fuzzy similarity), and a signature of everything that
// must agree for two questions to be the same question — numbers, dates,
// named entities and the words that flip or bound a claim ("not", "above",
// "by"). Fuzzy dedupe never merges across different signatures, so "$150K" vs
// "$160K" or "by March" vs "by June" stay apart however similar the rest is.

export interface Normalized {
  /** Lowercase, accents removed, whitespace collapsed: what taxonomy rules match. */
  folded: string;
  /** Content tokens in order: stopwords dropped, numbers canonical ("$150K" → "150000"), a few synonyms merged. */
  tokens: string[];
  /** tokens joined: equal keys are exact duplicates. */
  key: string;
  /** Numbers | dates | entities | critical words, each in order of appearance. */
  sig: string;
  /** tokens with numbers, dates and entities masked: the question's template. */
  shape: string;
  /** Named entities as written (runs of capitalised words), folded. */
  entities: string[];
}

const STOP = new Set(['will', 'the', 'a', 'an', 'to', 'be', 'is', 'are', 'was', 'were', 'of', 'does', 'do', 'did', 's', 'it', 'its', 'in', 'for', 'at']);

/** Capitalised words that are grammar, not names. */
const CAP_STOP = new Set([
  'will', 'the', 'a', 'an', 'is', 'are', 'does', 'do', 'did', 'can', 'could', 'who', 'what', 'which', 'when', 'where', 'how', 'why',
  'has', 'have', 'should', 'would', 'and', 'or', 'of', 'in', 'on', 'by', 'to', 'for', 'at', 'yes', 'no', 'if', 'before', 'after',
]);

const SYNONYMS: Record<string, string> = {
  hit: 'reach', hits: 'reach', reaches: 'reach', reached: 'reach',
  surpass: 'exceed', surpasses: 'exceed', exceeds: 'exceed',
  defeat: 'beat', defeats: 'beat', beats: 'beat',
  wins: 'win', versus: 'vs', v: 'vs',
};

/** Words that bound or flip a claim: two questions must use the same ones, in order. */
const CRITICAL: Record<string, string> = {
  not: '!', no: '!', never: '!', without: '!', fail: '!', fails: '!',
  above: '>', over: '>', more: '>', exceed: '>', higher: '>', greater: '>', reach: '>', rise: '>', up: '>', least: '>',
  below: '<', under: '<', less: '<', fewer: '<', lower: '<', dip: '<', fall: '<', drop: '<', down: '<', most: '<',
  before: 'T<', by: 'T<', after: 'T>', between: '<>', exactly: '=', only: '=',
  sweep: 'sweep', first: 'first', last: 'last',
};

const MONTHS: Record<string, string> = {
  january: 'jan', jan: 'jan', february: 'feb', feb: 'feb', march: 'mar', mar: 'mar', april: 'apr', apr: 'apr', may: 'may',
  june: 'jun', jun: 'jun', july: 'jul', jul: 'jul', august: 'aug', aug: 'aug', september: 'sep', sept: 'sep', sep: 'sep',
  october: 'oct', oct: 'oct', november: 'nov', nov: 'nov', december: 'dec', dec: 'dec',
};
const WEEKDAYS: Record<string, string> = {
  monday: 'mon', tuesday: 'tue', wednesday: 'wed', thursday: 'thu', friday: 'fri', saturday: 'sat', sunday: 'sun',
};

const MULT: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, million: 1e6, b: 1e9, bn: 1e9, billion: 1e9 };

// time ("7:00AM") | number with optional $ and magnitude ("$1.5M", "150,000", "3.8") | word.
const TOKEN = /(\d{1,2}):(\d{2})\s*([ap]m)?|\$?(\d[\d,]*(?:\.\d+)?)\s?(k|m|bn|b|million|billion|thousand)?(?![\p{L}\d])|([\p{L}\d]+)/giu;
const MARKS = /[\u0300-\u036f]/g;

/** Accents removed (NFKD), case kept. */
export function foldAccents(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '');
}

/** Canonical decimal text of a number: "150,000" and "150K" both give "150000". */
function canonicalNumber(digits: string, mag: string | undefined): string {
  const x = Number(digits.replace(/,/g, '')) * (mag ? (MULT[mag.toLowerCase()] ?? 1) : 1);
  return String(Math.round(x * 1e6) / 1e6);
}

export function normalizeQuestion(question: string): Normalized {
  const text = foldAccents(question);
  const tokens: string[] = [];
  const shape: string[] = [];
  const nums: string[] = [];
  const dates: string[] = [];
  const ents: string[] = [];
  const crit: string[] = [];
  const entities: string[] = [];
  let run: string[] = [];
  const endRun = () => {
    if (run.length) entities.push(run.join(' '));
    run = [];
  };
  const mask = () => {
    if (shape[shape.length - 1] !== '#') shape.push('#');
  };
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    if (m[1] !== undefined) {
      endRun();
      const t = `${Number(m[1])}:${m[2]}${(m[3] ?? '').toLowerCase()}`;
      tokens.push(t);
      nums.push(t);
      mask();
      continue;
    }
    if (m[4] !== undefined) {
      endRun();
      const t = canonicalNumber(m[4], m[5]);
      tokens.push(t);
      nums.push(t);
      mask();
      continue;
    }
    const word = m[6]!;
    const lower = word.toLowerCase();
    const capital = word[0] !== lower[0];
    const month = MONTHS[lower];
    // "May" is a month only when capitalised; "may" is a verb.
    if ((month && (lower !== 'may' || capital)) || WEEKDAYS[lower]) {
      endRun();
      const d = month && (lower !== 'may' || capital) ? month : WEEKDAYS[lower]!;
      tokens.push(d);
      dates.push(d);
      mask();
      continue;
    }
    // Capitalised words are names; so are words with digits in them ("76ers", "Q4", "10th").
    if ((capital && !CAP_STOP.has(lower)) || /\d/.test(word)) {
      run.push(word);
      tokens.push(lower);
      ents.push(lower);
      mask();
      continue;
    }
    endRun();
    if (STOP.has(lower)) continue;
    const canon = SYNONYMS[lower] ?? lower;
    tokens.push(canon);
    shape.push(canon);
    const c = CRITICAL[canon];
    if (c) crit.push(c);
  }
  endRun();
  return {
    folded: text.toLowerCase().replace(/\s+/g, ' ').trim(),
    tokens,
    key: tokens.join(' '),
    sig: `${nums.join(',')}|${dates.join(',')}|${ents.join(',')}|${crit.join(',')}`,
    shape: shape.join(' '),
    entities,
  };
}

/** Jaccard similarity of two token sets (duplicates within one side ignored). */
export function tokenSetSimilarity(a: readonly string[], b: readonly string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  let inter = 0;
  for (const t of sa) if (sb.has(t)) inter++;
  const union = sa.size + sb.size - inter;
  return union === 0 ? 1 : inter / union;
}
