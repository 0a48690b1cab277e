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
  /** Content tokens in order: stopwords dropped, numbers canonical ("$150K" → "150000"), a few synonyms merged. Empty when not kept. */
  tokens: readonly string[];
  /** tokens joined: equal keys are exact duplicates. */
  key: string;
  /** Numbers | dates | entities | critical words, each in order of appearance. */
  sig: string;
  /** tokens with numbers, dates and entities masked: the question's template. */
  shape: string;
  /** Named entities as written (runs of capitalised words), folded. */
  entities: string[];
}

function table(o: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(o));
}

const STOP = new Set(['will', 'the', 'a', 'an', 'to', 'be', 'is', 'are', 'was', 'were', 'of', 'does', 'do', 'did', 's', 'it', 'its', 'in', 'for', 'at']);

/** Capitalised words that are grammar, not names. */
const CAP_STOP = new Set([
  'will', 'the', 'a', 'an', 'is', 'are', 'does', 'do', 'did', 'can', 'could', 'who', 'what', 'which', 'when', 'where', 'how', 'why',
  'has', 'have', 'should', 'would', 'and', 'or', 'of', 'in', 'on', 'by', 'to', 'for', 'at', 'yes', 'no', 'if', 'before', 'after',
]);

const SYNONYMS = table({
  hit: 'reach', hits: 'reach', reaches: 'reach', reached: 'reach',
  surpass: 'exceed', surpasses: 'exceed', exceeds: 'exceed',
  defeat: 'beat', defeats: 'beat', beats: 'beat',
  wins: 'win', versus: 'vs', v: 'vs',
});

/** Words that bound or flip a claim: two questions must use the same ones, in order. */
const CRITICAL = table({
  not: '!', no: '!', never: '!', without: '!', fail: '!', fails: '!',
  above: '>', over: '>', more: '>', exceed: '>', higher: '>', greater: '>', reach: '>', rise: '>', up: '>', least: '>',
  below: '<', under: '<', less: '<', fewer: '<', dip: '<', fall: '<', drop: '<', down: '<', most: '<',
  before: 'T<', by: 'T<', after: 'T>', between: '<>', exactly: '=', only: '=',
  raise: '>', raises: '>', hike: '>', hikes: '>', increase: '>', increases: '>',
  cut: '<', cuts: '<', lower: '<', lowers: '<', decrease: '<', decreases: '<',
  win: 'W', lose: 'L', loses: 'L',
  sweep: 'sweep', first: 'first', last: 'last',
});

const MONTHS = table({
  january: 'jan', jan: 'jan', february: 'feb', feb: 'feb', march: 'mar', mar: 'mar', april: 'apr', apr: 'apr', may: 'may',
  june: 'jun', jun: 'jun', july: 'jul', jul: 'jul', august: 'aug', aug: 'aug', september: 'sep', sept: 'sep', sep: 'sep',
  october: 'oct', oct: 'oct', november: 'nov', nov: 'nov', december: 'dec', dec: 'dec',
});
const WEEKDAYS = table({
  monday: 'mon', tuesday: 'tue', wednesday: 'wed', thursday: 'thu', friday: 'fri', saturday: 'sat', sunday: 'sun',
});

const MULT = new Map(Object.entries({ k: 1e3, thousand: 1e3, m: 1e6, million: 1e6, b: 1e9, bn: 1e9, billion: 1e9 }));

const MARKS = /[\u0300-\u036f]/g;
const QUOTED = /["\u201c\u201d][^"\u201c\u201d]{1,80}["\u201c\u201d]/g;

/** Accents removed (NFKD), case kept. */
export function foldAccents(text: string): string {
  return NON_ASCII.test(text) ? text.normalize('NFKD').replace(MARKS, '') : text;
}
const NON_ASCII = /[^\x00-\x7f]/;

// Zero-width and direction marks, soft hyphen, word joiner, BOM: invisible, and they split words.
const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufe00-\ufe0f]/g;
const SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4]/g;
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g;
const DASHES = /[\u2010-\u2015\u2212]/g;

/**
 * Text as its author meant it: NFKC (full-width letters, ligatures, no-break
 * spaces), curly quotes straight, dashes plain, invisible characters removed.
 * Case and accents are kept. "Ballon d’Or" and "Ballon d'Or" become equal.
 */
export function cleanText(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text.normalize('NFKC').replace(INVISIBLE, '').replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"').replace(DASHES, '-');
}

/** cleanText, accents folded, lowercase, whitespace collapsed: what taxonomy rules read. */
export function foldText(text: string): string {
  return foldAccents(cleanText(text)).toLowerCase().replace(SPACES, ' ').trim();
}

function hasDigit(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** Canonical decimal text of a number: "150,000" and "150K" both give "150000". */
function canonicalNumber(digits: string, mag: number | undefined): string {
  // Plain integers ("2026", "31") are already canonical.
  if (mag === undefined && digits.charCodeAt(0) !== 48 && !digits.includes(',') && !digits.includes('.')) return digits;
  const x = Number(digits.replace(/,/g, '')) * (mag ?? 1);
  return String(Math.round(x * 1e6) / 1e6);
}

/** Letters and digits: ASCII, Latin extended, Greek to Ethiopic, CJK, Hangul. */
function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) ||
    (c >= 0xc0 && c <= 0x24f) || (c >= 0x370 && c <= 0x1fff) || (c >= 0x3040 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af)
  );
}
const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Tokens, in one pass over the characters (a hand-written scanner: a regex
 * allocates a match array per token, and at 30,000 questions that garbage
 * costs more than the scanning). Tokens are: times ("7:00AM" → "7:00am"),
 * numbers with an optional "$", magnitude and "+" ("$1.5M" → "1500000",
 * "25+"), and words; "49ers" and "10th" are words.
 */
export function normalizeQuestion(question: string, keepTokens = true): Normalized {
  const text = foldAccents(cleanText(question));
  const lowerText = text.toLowerCase();
  const sameIndex = lowerText.length === text.length;
  // Parts are collected in short-lived arrays and joined once: building the
  // strings by concatenation would keep chains of cons-strings alive.
  const tokens: string[] = [];
  const shape: string[] = [];
  let lastMasked = false;
  const nums: string[] = [];
  const dates: string[] = [];
  const ents: string[] = [];
  const crit: string[] = [];
  const entities: string[] = [];
  const run: string[] = [];
  const endRun = () => {
    if (run.length) {
      entities.push(run.join(' '));
      run.length = 0;
    }
  };
  const push = (t: string, kind: 0 | 1 | 2) => {
    // kind 0: number or time, 1: date, 2: entity — all masked in the shape.
    tokens.push(t);
    (kind === 0 ? nums : kind === 1 ? dates : ents).push(t);
    if (!lastMasked) shape.push('#');
    lastMasked = true;
  };
  // Quoted words ('say "tariff"') are names too: they are what the question is about.
  let quoted: number[] | undefined;
  if (text.includes('"') || text.includes('\u201c')) {
    quoted = [];
    QUOTED.lastIndex = 0;
    for (let q = QUOTED.exec(text); q; q = QUOTED.exec(text)) quoted.push(q.index, q.index + q[0].length);
  }
  let qi = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const dollar = c === 36 && i + 1 < n && isDigit(text.charCodeAt(i + 1));
    if (isDigit(c) || dollar) {
      const ns = dollar ? i + 1 : i;
      let j = ns;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      // Time: 1–2 digits, ":", 2 digits, optional AM/PM.
      if (!dollar && j - ns <= 2 && text.charCodeAt(j) === 58 && isDigit(text.charCodeAt(j + 1)) && isDigit(text.charCodeAt(j + 2)) && (!isWordChar(text.charCodeAt(j + 3) || 0) || isAmPm(text, j + 3))) {
        let k = j + 3;
        let suffix = '';
        let s2 = k;
        while (s2 < n && text.charCodeAt(s2) === 32) s2++;
        if (isAmPm(text, s2)) {
          suffix = text.slice(s2, s2 + 2).toLowerCase();
          k = s2 + 2;
        }
        endRun();
        push(`${Number(text.slice(ns, j))}:${text.slice(j + 1, j + 3)}${suffix}`, 0);
        i = k;
        continue;
      }
      // Number: digits with thousands commas and one decimal point.
      let dot = false;
      for (;;) {
        const d = text.charCodeAt(j);
        if (d === 44 && isDigit(text.charCodeAt(j + 1))) j += 2;
        else if (d === 46 && !dot && isDigit(text.charCodeAt(j + 1))) {
          dot = true;
          j += 2;
        } else break;
        while (j < n && isDigit(text.charCodeAt(j))) j++;
      }
      const digitsEnd = j;
      let mag: number | undefined;
      const m0 = text.charCodeAt(j) === 32 ? j + 1 : j;
      let m1 = m0;
      while (m1 < n && isWordChar(text.charCodeAt(m1))) m1++;
      if (m1 > m0) {
        const w = text.slice(m0, m1).toLowerCase();
        mag = MULT.get(w);
        if (mag !== undefined) j = m1;
        else if (m0 === digitsEnd) {
          // Letters glued to the digits ("49ers", "10th"): a word, read below.
          i = dollar ? i + 1 : i;
          i = readWord(i);
          continue;
        }
      }
      const plus = text.charCodeAt(j) === 43;
      if (plus) j++;
      endRun();
      push(canonicalNumber(text.slice(ns, digitsEnd), mag) + (plus ? '+' : ''), 0);
      i = j;
      continue;
    }
    if (isWordChar(c)) {
      i = readWord(i);
      continue;
    }
    i++;
  }
  endRun();
  return {
    folded: lowerText.replace(SPACES, ' ').trim(),
    tokens: keepTokens ? tokens : NO_TOKENS,
    key: tokens.join(' '),
    sig: `${nums.join(',')}|${dates.join(',')}|${ents.join(',')}|${crit.join(',')}`,
    shape: shape.join(' '),
    entities,
  };

  function readWord(from: number): number {
    let j = from;
    while (j < n && isWordChar(text.charCodeAt(j))) j++;
    const word = text.slice(from, j);
    const lower = sameIndex ? lowerText.slice(from, j) : word.toLowerCase();
    const capital = word.charCodeAt(0) !== lower.charCodeAt(0);
    if (quoted) while (qi < quoted.length && quoted[qi + 1]! <= from) qi += 2;
    const inQuotes = quoted !== undefined && qi < quoted.length && from >= quoted[qi]!;
    // "May" is a month only when capitalised; "may" is a verb.
    const d = (lower !== 'may' || capital ? MONTHS.get(lower) : undefined) ?? WEEKDAYS.get(lower);
    if (d !== undefined) {
      endRun();
      push(d, 1);
    } else if ((capital && !CAP_STOP.has(lower)) || hasDigit(word) || inQuotes) {
      // Capitalised words are names; so are words with digits in them ("76ers", "Q4", "10th") and quoted words.
      run.push(word);
      push(lower, 2);
    } else {
      endRun();
      if (!STOP.has(lower)) {
        const canon = SYNONYMS.get(lower) ?? lower;
        tokens.push(canon);
        shape.push(canon);
        lastMasked = false;
        const k = CRITICAL.get(canon);
        if (k) crit.push(k);
      }
    }
    return j;
  }
}

function isAmPm(text: string, at: number): boolean {
  const a = text.charCodeAt(at) | 32;
  return (a === 97 || a === 112) && (text.charCodeAt(at + 1) | 32) === 109 && !isWordChar(text.charCodeAt(at + 2) || 0);
}

// Runs of spaces and other whitespace; a plain single space needs no replacing.
const SPACES = /\s{2,}|[\t\n\r\f\v\u00a0]/g;
const NO_TOKENS: readonly string[] = Object.freeze([]);

/** Jaccard similarity of two token sets (duplicates within one side ignored). */
export function tokenSetSimilarity(a: readonly string[], b: readonly string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  let inter = 0;
  for (const t of sa) if (sb.has(t)) inter++;
  const union = sa.size + sb.size - inter;
  return union === 0 ? 1 : inter / union;
}
