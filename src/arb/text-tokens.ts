// Tokens and dates of a market question: numbers made canonical ("$100k" →
// 100000 dollars, "60 million"), ranges kept whole ("120-139"), and date
// phrases with the preposition that governs them ("by December 31, 2026" is a
// deadline, "on November 22" a point, "the 2026 Texas Senate race" no date).
import { deepFreeze } from '../frozen.js';

export interface DateRef {
  /** 'by' = deadline (cumulative: "by", "before", "until"); 'at' = a point or period ("on", "in", "for", none). */
  kind: 'by' | 'at';
  /** Last ms the phrase covers (UTC); year 2000 stands in when the text has no year. */
  end: number;
  yearless: boolean;
  /** Canonical token that replaces the phrase in `tokens`. */
  token: string;
}

/** One token; numbers carry their value and unit ("$", "%", "deg", "ord"). */
export interface Tok {
  t: string;
  num: number | undefined;
  unit: string | undefined;
  plus: boolean | undefined;
  /** Index of the date phrase this token belongs to. */
  date: number | undefined;
}

/**
 * Every token is made here, with all its fields in one order: one object
 * shape, so the code V8 optimised for the last catalog build fits the next one
 * (a field added later, like `date`, gave each build new shapes to deoptimise on).
 */
function word(t: string): Tok {
  return { t, num: undefined, unit: undefined, plus: undefined, date: undefined };
}

/**
 * A word table without a prototype: `word in TABLE` and `TABLE[word]` see its
 * own keys only. Over a plain object, a question saying "constructor" (real F1
 * markets do) found Object's constructor as a month and the date arithmetic threw.
 */
export function wordTable<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return deepFreeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

export const MONTHS: Readonly<Record<string, number>> = wordTable({
  january: 0, jan: 0, february: 1, feb: 1, march: 2, mar: 2, april: 3, apr: 3, may: 4, june: 5, jun: 5,
  july: 6, jul: 6, august: 7, aug: 7, september: 8, sep: 8, sept: 8, october: 9, oct: 9, november: 10, nov: 10, december: 11, dec: 11,
});
/** The same months as a Map: the parser asks of every token, and a Map answers faster than `in`. */
const MONTH_OF: ReadonlyMap<string, number> = new Map(Object.entries(MONTHS));
const MULTIPLIERS = wordTable({ k: 1e3, thousand: 1e3, m: 1e6, mn: 1e6, million: 1e6, b: 1e9, bn: 1e9, billion: 1e9, t: 1e12, trillion: 1e12 });
const DEADLINE_PREPS = new Set(['by', 'before', 'until', 'till', 'through', 'thru']);
const POINT_PREPS = new Set(['on', 'in', 'for', 'during', 'after', 'since', 'from', 'to', 'at', 'of']);
/** Words dropped from content tokens. */
export const STOP = new Set([
  'will', 'the', 'a', 'an', 'to', 'of', 'be', 'is', 'are', 'was', 'were', 'been', 'does', 'do', 'did', 'has', 'have', 'had',
  'this', 'that', 'these', 'those', 'in', 'on', 'at', 'by', 'for', 'with', 'from', 'and', 'its', 'it', 'as', 'than', 'into', 'who',
]);

/** Lowercase, accents and typographic punctuation folded. */
export function normalise(text: string): string {
  if (!/[^\x00-\x7f]/.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u2032]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .toLowerCase();
}

const TOKEN_RE = /\$?\d[\d,]*(?:\.\d+)?(?:[a-z]+|%|°[fc]?|\+)*|[a-z][a-z0-9'.]*|-/g;

/** Tokens of a text (lowercased, canonical numbers, ranges merged). */
export function tokenize(text: string): Tok[] {
  const raw = normalise(text).match(TOKEN_RE) ?? [];
  const toks: Tok[] = [];
  for (const r of raw) {
    if (r === '-') {
      toks.push(word('-'));
      continue;
    }
    // A word starts with a letter (TOKEN_RE), and most have no apostrophe or dot to drop.
    const c = r.charCodeAt(0);
    if (c >= 97 && c <= 122 && !r.includes("'") && !r.includes('.')) {
      toks.push(word(r));
      continue;
    }
    const m = /^(\$?)(\d[\d,]*(?:\.\d+)?)(.*)$/.exec(r);
    if (!m) {
      const w = r.replace(/'s$/, '').replace(/['.]/g, '');
      if (w) toks.push(word(w));
      continue;
    }
    const [, dollar, digits, suffix] = m as unknown as [string, string, string, string];
    let value = Number(digits.replace(/,/g, ''));
    let unit = dollar;
    let plus = false;
    let rest = suffix;
    if (rest.endsWith('+')) {
      plus = true;
      rest = rest.slice(0, -1);
    }
    if (rest === '%') unit += '%';
    else if (rest.startsWith('°')) unit += 'deg';
    else if (rest in MULTIPLIERS) value *= MULTIPLIERS[rest]!;
    else if (/^(st|nd|rd|th)$/.test(rest)) unit = 'ord';
    else if (rest !== '') {
      // "76ers", "3pm": a word that starts with digits.
      toks.push(word(r.replace(/[.,]/g, '')));
      continue;
    }
    toks.push({ t: numToken(value, unit, plus), num: value, unit, plus, date: undefined });
  }
  // "$1.5 billion", "60 million": a multiplier word after a number.
  for (let i = 0; i + 1 < toks.length; i++) {
    const a = toks[i]!;
    const b = toks[i + 1]!;
    if (a.num !== undefined && a.unit !== 'ord' && b.num === undefined && b.t in MULTIPLIERS && b.t.length > 1) {
      a.num *= MULTIPLIERS[b.t]!;
      a.t = numToken(a.num, a.unit!, a.plus);
      toks.splice(i + 1, 1);
    }
  }
  // Ranges ("120-139", "2026-27", "40-41°f") are one word: never a threshold or a date.
  const out: Tok[] = [];
  for (let i = 0; i < toks.length; i++) {
    const a = toks[i]!;
    if (a.num !== undefined && toks[i + 1]?.t === '-' && toks[i + 2]?.num !== undefined) {
      out.push(word(`${a.t}-${toks[i + 2]!.t}`));
      i += 2;
    } else if (a.t !== '-') out.push(a);
  }
  return out;
}

function numToken(value: number, unit: string, plus?: boolean): string {
  const v = Math.round(value * 1e6) / 1e6;
  return `${unit.startsWith('$') ? '$' : ''}${v}${unit.replace('$', '')}${plus ? '+' : ''}`;
}

const isYear = (t: Tok | undefined): boolean => t?.num !== undefined && t.unit === '' && !t.plus && Number.isInteger(t.num) && t.num >= 1990 && t.num <= 2100;
const isDay = (t: Tok | undefined): boolean =>
  t?.num !== undefined && (t.unit === '' || t.unit === 'ord') && !t.plus && Number.isInteger(t.num) && t.num >= 1 && t.num <= 31;

export interface Span {
  start: number;
  end: number;
  ref: DateRef;
}

/** Finds date phrases, with the preposition that governs them, in the token list. */
export function findDates(toks: Tok[]): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    let start = i;
    let end = i;
    let year: number | undefined;
    let month: number | undefined;
    let day: number | undefined;
    let quarter: number | undefined;
    const prevWord = toks[i - 1]?.t;
    const named = t.num === undefined ? MONTH_OF.get(t.t) : undefined;
    if (named !== undefined) {
      const next = toks[i + 1];
      // "may" is a month only next to a day, a year or a date preposition.
      if (t.t === 'may' && !isDay(next) && !isYear(next) && !(prevWord && (DEADLINE_PREPS.has(prevWord) || POINT_PREPS.has(prevWord)))) continue;
      month = named;
      if (isDay(next) && !isYear(next)) {
        day = next!.num;
        end = i + 1;
        if (isYear(toks[i + 2])) {
          year = toks[i + 2]!.num;
          end = i + 2;
        }
      } else if (isYear(next)) {
        year = next!.num;
        end = i + 1;
      }
    } else if (isDay(t) && toks[i + 1] && toks[i + 1]!.num === undefined && MONTH_OF.has(toks[i + 1]!.t)) {
      day = t.num;
      month = MONTH_OF.get(toks[i + 1]!.t);
      end = i + 1;
      if (isYear(toks[i + 2])) {
        year = toks[i + 2]!.num;
        end = i + 2;
      }
    } else if (t.t.length === 2 && t.t[0] === 'q' && t.t[1]! >= '1' && t.t[1]! <= '4') {
      quarter = Number(t.t[1]);
      if (isYear(toks[i + 1])) {
        year = toks[i + 1]!.num;
        end = i + 1;
      }
    } else if (isYear(t)) {
      // A bare year is a date only after a preposition ("in 2026", "by 2027", "end of 2026"),
      // not inside a name ("the 2026 Texas Senate race").
      if (!prevWord || !(DEADLINE_PREPS.has(prevWord) || POINT_PREPS.has(prevWord))) continue;
      year = t.num;
    } else continue;
    // Governing preposition, looking through "the end of".
    let kind: DateRef['kind'] = 'at';
    let before = false;
    let j = start - 1;
    let endOf = false;
    if (toks[j]?.t === 'of' && toks[j - 1]?.t === 'end') {
      endOf = true;
      j -= 2;
      if (toks[j]?.t === 'the') j--;
    }
    const prep = toks[j]?.t;
    if (prep && DEADLINE_PREPS.has(prep)) {
      kind = 'by';
      before = prep === 'before';
      start = j;
    } else if (prep && POINT_PREPS.has(prep)) start = j;
    else if (endOf) start = j + 1;
    if (endOf && kind === 'at' && !prep) kind = 'by';
    const yearless = year === undefined;
    const y = year ?? 2000;
    let from: number;
    let to: number;
    if (quarter !== undefined) {
      from = Date.UTC(y, (quarter - 1) * 3, 1);
      to = Date.UTC(y, quarter * 3, 1) - 1;
    } else if (month !== undefined && day !== undefined) {
      from = Date.UTC(y, month, day);
      to = Date.UTC(y, month, day + 1) - 1;
    } else if (month !== undefined) {
      from = Date.UTC(y, month, 1);
      to = Date.UTC(y, month + 1, 1) - 1;
    } else {
      from = Date.UTC(y, 0, 1);
      to = Date.UTC(y + 1, 0, 1) - 1;
    }
    const last = before ? from - 1 : to;
    const iso = new Date(last).toISOString().slice(0, 10);
    const key = kind === 'by' ? `by:${yearless ? iso.slice(5) : iso}` : `at:${quarter !== undefined ? `q${quarter}-` : ''}${yearless ? '' : y}${month !== undefined ? `-${month + 1}` : ''}${day !== undefined ? `-${day}` : ''}`;
    spans.push({ start, end, ref: { kind, end: last, yearless, token: key } });
    i = end;
  }
  return spans;
}
