// What a market question says, as far as logical relations need it: content
// tokens, date phrases ("by December 31, 2026" is a deadline, "on November 22"
// a point), one threshold with its direction ("reach $110,000" ≥, "dip to
// $55,000" ≤, "55 or more" ≥), a party or a party's candidate, and entities.
// Deterministic and regex-only: no model, no network.

export interface DateRef {
  /** 'by' = deadline (cumulative: "by", "before", "until"); 'at' = a point or period ("on", "in", "for", none). */
  kind: 'by' | 'at';
  /** Last ms the phrase covers (UTC); year 2000 stands in when the text has no year. */
  end: number;
  yearless: boolean;
  /** Canonical token that replaces the phrase in `tokens`. */
  token: string;
}

export interface Threshold {
  value: number;
  unit: string;
  /** +1: "at least value" (higher ⇒ lower); −1: "at most value" (lower ⇒ higher). */
  dir: 1 | -1;
  /** Content tokens with the number replaced by a placeholder: equal skeletons form a ladder. */
  skeleton: string;
}

export interface PartyRef {
  party: string;
  /** 'candidate': "Jordan Hayes (D)"; 'party': "the Democrats". */
  role: 'candidate' | 'party';
  /** Content tokens with the candidate (or party word) replaced by the party: equal keys pair up. */
  key: string;
}

export interface TextFeatures {
  /** Content tokens: stopwords dropped, numbers canonical ("$100k" → "$100000"), date phrases as one token. */
  tokens: string[];
  dates: DateRef[];
  /** The one deadline when there is exactly one 'by' date. */
  byDate?: DateRef;
  /** Content tokens without the deadline: equal stems with different deadlines form a temporal ladder. */
  temporalStem?: string;
  threshold?: Threshold;
  party?: PartyRef;
  /** Capitalised names and acronyms, lowercased. */
  entities: string[];
  /** Negation or disjunction words among the tokens. */
  hedged: boolean;
}

interface Tok {
  t: string;
  num?: number;
  unit?: string;
  plus?: boolean;
  /** Index of the date phrase this token belongs to. */
  date?: number;
}

const MONTHS: Record<string, number> = {
  january: 0, jan: 0, february: 1, feb: 1, march: 2, mar: 2, april: 3, apr: 3, may: 4, june: 5, jun: 5,
  july: 6, jul: 6, august: 7, aug: 7, september: 8, sep: 8, sept: 8, october: 9, oct: 9, november: 10, nov: 10, december: 11, dec: 11,
};
const MULTIPLIERS: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, mn: 1e6, million: 1e6, b: 1e9, bn: 1e9, billion: 1e9, t: 1e12, trillion: 1e12 };
const DEADLINE_PREPS = new Set(['by', 'before', 'until', 'till', 'through', 'thru']);
const POINT_PREPS = new Set(['on', 'in', 'for', 'during', 'after', 'since', 'from', 'to', 'at', 'of']);
const STOP = new Set([
  'will', 'the', 'a', 'an', 'to', 'of', 'be', 'is', 'are', 'was', 'were', 'been', 'does', 'do', 'did', 'has', 'have', 'had',
  'this', 'that', 'these', 'those', 'in', 'on', 'at', 'by', 'for', 'with', 'from', 'and', 'its', 'it', 'as', 'than', 'into', 'who',
]);
const HEDGES = new Set(['not', 'no', 'never', 'without', 'except', 'neither', 'nor', 'fail', 'fails', 'lose', 'loses', 'miss', 'misses', 'instead', 'unless', 'or']);
const OR_COMPARATORS = new Set(['more', 'higher', 'above', 'greater', 'over', 'less', 'lower', 'below', 'fewer', 'under']);
const UP_1 = new Set(['reach', 'reaches', 'above', 'over', 'exceed', 'exceeds', 'exceeding', 'surpass', 'surpasses', 'top', 'tops', 'beyond']);
const DOWN_1 = new Set(['below', 'under', 'beneath']);
const UP_2 = new Set(['more than', 'greater than', 'higher than', 'at least', 'rise to', 'rises to', 'climb to', 'climbs to', 'jump to', 'surge to', 'rise above', 'climb above']);
const DOWN_2 = new Set([
  'less than', 'fewer than', 'lower than', 'at most', 'dip to', 'dips to', 'dip below', 'fall to', 'falls to', 'fall below', 'falls below',
  'drop to', 'drops to', 'drop below', 'drops below', 'sink to', 'sinks to', 'decline to', 'crash to', 'crashes to',
]);
const UP_AFTER = new Set(['or more', 'or higher', 'or above', 'or greater', 'or over']);
const DOWN_AFTER = new Set(['or less', 'or lower', 'or below', 'or fewer', 'or under']);
const PARTY_WORDS: Record<string, string> = {
  democrats: 'dem', democrat: 'dem', democratic: 'dem', dems: 'dem', republicans: 'rep', republican: 'rep', gop: 'rep',
  independents: 'ind', libertarians: 'lib', libertarian: 'lib', greens: 'grn',
};
const PARTY_MARKS: Record<string, string> = { d: 'dem', dem: 'dem', r: 'rep', rep: 'rep', gop: 'rep', i: 'ind', ind: 'ind', l: 'lib', lib: 'lib', g: 'grn' };

/** Lowercase, accents and typographic punctuation folded. */
export function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u2032]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .toLowerCase();
}

const TOKEN_RE = /\$?\d[\d,]*(?:\.\d+)?(?:[a-z]+|%|°[fc]?|\+)*|[a-z][a-z0-9'.]*|-/g;

function tokenize(text: string): Tok[] {
  const raw = normalise(text).match(TOKEN_RE) ?? [];
  const toks: Tok[] = [];
  for (const r of raw) {
    if (r === '-') {
      toks.push({ t: '-' });
      continue;
    }
    const m = /^(\$?)(\d[\d,]*(?:\.\d+)?)(.*)$/.exec(r);
    if (!m) {
      const w = r.replace(/'s$/, '').replace(/['.]/g, '');
      if (w) toks.push({ t: w });
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
      toks.push({ t: r.replace(/[.,]/g, '') });
      continue;
    }
    toks.push({ t: numToken(value, unit, plus), num: value, unit, plus });
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
      out.push({ t: `${a.t}-${toks[i + 2]!.t}` });
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

interface Span {
  start: number;
  end: number;
  ref: DateRef;
}

/** Finds date phrases, with the preposition that governs them, in the token list. */
function findDates(toks: Tok[]): Span[] {
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
    if (t.t in MONTHS && t.num === undefined) {
      const next = toks[i + 1];
      // "may" is a month only next to a day, a year or a date preposition.
      if (t.t === 'may' && !isDay(next) && !isYear(next) && !(prevWord && (DEADLINE_PREPS.has(prevWord) || POINT_PREPS.has(prevWord)))) continue;
      month = MONTHS[t.t];
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
    } else if (isDay(t) && toks[i + 1] && toks[i + 1]!.t in MONTHS && toks[i + 1]!.num === undefined) {
      day = t.num;
      month = MONTHS[toks[i + 1]!.t];
      end = i + 1;
      if (isYear(toks[i + 2])) {
        year = toks[i + 2]!.num;
        end = i + 2;
      }
    } else if (/^q[1-4]$/.test(t.t)) {
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

function comparatorAt(toks: Tok[], i: number): { dir: 1 | -1; from: number; to: number } | undefined {
  const t = toks[i]!;
  if (t.plus) return { dir: 1, from: i, to: i };
  const p1 = toks[i - 1]?.t ?? '';
  const p2 = toks[i - 2]?.t ?? '';
  const two = `${p2} ${p1}`;
  const after = `${toks[i + 1]?.t ?? ''} ${toks[i + 2]?.t ?? ''}`;
  // "no more than 5" is "at most 5".
  const negated = p1 === 'than' && (toks[i - 3]?.t === 'no' || toks[i - 3]?.t === 'not');
  if (DOWN_2.has(two)) return negated ? { dir: 1, from: i - 3, to: i } : { dir: -1, from: i - 2, to: i };
  if (UP_2.has(two)) return negated ? { dir: -1, from: i - 3, to: i } : { dir: 1, from: i - 2, to: i };
  if (UP_AFTER.has(after)) return { dir: 1, from: i, to: i + 2 };
  if (DOWN_AFTER.has(after)) return { dir: -1, from: i, to: i + 2 };
  if (DOWN_1.has(p1)) return { dir: -1, from: i - 1, to: i };
  if (UP_1.has(p1)) return { dir: 1, from: i - 1, to: i };
  return undefined;
}

const NAME_MARK_RE = /((?:[A-Z][\p{L}'.-]*\s+){0,3}[A-Z][\p{L}'.-]*)\s*\((D|R|I|L|G|Dem|Rep|GOP|Ind|Lib)\.?\)/u;
const ENTITY_RE = /\b[A-Z][\p{L}'-]*(?:\s+(?:of\s+|the\s+|de\s+)?[A-Z][\p{L}'-]*)*|\b[A-Z]{2,}\b/gu;

/** Extracts the features of one question. */
export function textFeatures(question: string): TextFeatures {
  const toks = tokenize(question);
  const spans = findDates(toks);
  spans.forEach((s, k) => {
    for (let i = s.start; i <= s.end; i++) toks[i]!.date = k;
  });
  // Thresholds: numbers outside date phrases with a comparator; exactly one counts.
  const found: { i: number; dir: 1 | -1; from: number; to: number }[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.num === undefined || t.date !== undefined || t.unit === 'ord') continue;
    const c = comparatorAt(toks, i);
    if (c) found.push({ i, ...c });
  }
  const tokens: string[] = [];
  const skeleton: string[] = [];
  const stem: string[] = [];
  const dates = spans.map((s) => s.ref);
  const byDates = dates.filter((d) => d.kind === 'by');
  const byDate = byDates.length === 1 ? byDates[0] : undefined;
  const thr = found.length === 1 ? found[0] : undefined;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.date !== undefined) {
      if (i !== spans[t.date]!.start) continue;
      const ref = dates[t.date]!;
      tokens.push(ref.token);
      skeleton.push(ref.token);
      if (ref !== byDate) stem.push(ref.token);
      continue;
    }
    // "or more" after a threshold is kept: it is the comparator, not a disjunction.
    if (STOP.has(t.t)) continue;
    tokens.push(t.t);
    stem.push(t.t);
    skeleton.push(thr && i === thr.i ? `#${t.unit ?? ''}${thr.dir > 0 ? '>' : '<'}` : t.t);
  }
  const hedged = tokens.some((w, k) => HEDGES.has(w) && !(w === 'or' && OR_COMPARATORS.has(tokens[k + 1] ?? '')) && !(w === 'no' && tokens[k + 1] === 'more'));
  const features: TextFeatures = { tokens, dates, entities: entitiesOf(question), hedged };
  if (byDate) {
    features.byDate = byDate;
    features.temporalStem = stem.join(' ');
  }
  if (thr) {
    const t = toks[thr.i]!;
    features.threshold = { value: t.num!, unit: t.unit ?? '', dir: thr.dir, skeleton: skeleton.join(' ') };
  }
  const party = partyOf(question, tokens);
  if (party) features.party = party;
  return features;
}

function partyOf(question: string, tokens: string[]): PartyRef | undefined {
  const m = NAME_MARK_RE.exec(question);
  if (m) {
    const party = PARTY_MARKS[m[2]!.toLowerCase()]!;
    const nameToks = tokenize(m[1]!)
      .map((t) => t.t)
      .filter((t) => !STOP.has(t));
    const mark = m[2]!.toLowerCase();
    // Find "name… mark" in the content tokens and put the party in its place.
    for (let i = 0; i + nameToks.length < tokens.length; i++) {
      let ok = true;
      for (let k = 0; k < nameToks.length && ok; k++) ok = tokens[i + k] === nameToks[k];
      if (!ok || tokens[i + nameToks.length] !== mark) continue;
      const key = [...tokens.slice(0, i), `party:${party}`, ...tokens.slice(i + nameToks.length + 1)].join(' ');
      return { party, role: 'candidate', key };
    }
    return undefined;
  }
  const i = tokens.findIndex((t) => t in PARTY_WORDS);
  if (i < 0) return undefined;
  const party = PARTY_WORDS[tokens[i]!]!;
  const skip = tokens[i + 1] === 'party' ? 2 : 1;
  return { party, role: 'party', key: [...tokens.slice(0, i), `party:${party}`, ...tokens.slice(i + skip)].join(' ') };
}

const LEAD_WORDS = /^(?:(?:will|who|what|which|when|how|is|are|does|do|can|could|the|a|an)(?:\s+|$))+/i;

function entitiesOf(question: string): string[] {
  const out = new Set<string>();
  for (const m of question.matchAll(ENTITY_RE)) {
    const e = normalise(m[0].replace(LEAD_WORDS, '').replace(/'s$/, ''));
    if (e.length >= 2 && !(e in MONTHS)) out.add(e);
  }
  return [...out];
}

/** Unigrams and bigrams of content tokens (TF-IDF features). */
export function grams(tokens: readonly string[]): string[] {
  const out: string[] = [...tokens];
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]} ${tokens[i + 1]}`);
  return out;
}

/** True when `sub` appears in `seq` in order (not necessarily contiguous) and is shorter. */
export function isStrictSubsequence(sub: readonly string[], seq: readonly string[]): boolean {
  if (sub.length >= seq.length || sub.length === 0) return false;
  let k = 0;
  for (let i = 0; i < seq.length && k < sub.length; i++) if (seq[i] === sub[k]) k++;
  return k === sub.length;
}
