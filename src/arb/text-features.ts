// What a market question says, as far as logical relations need it: content
// tokens, date phrases ("by December 31, 2026" is a deadline, "on November 22"
// a point), one threshold with its direction ("reach $110,000" ≥, "dip to
// $55,000" ≤, "55 or more" ≥), a party or a party's candidate, and entities.
// Deterministic and regex-only: no model, no network.
import { findDates, normalise, STOP, tokenize, MONTHS, wordTable, type DateRef, type Tok } from './text-tokens.js';

export type { DateRef } from './text-tokens.js';

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
  byDate: DateRef | undefined;
  /** Content tokens without the deadline: equal stems with different deadlines form a temporal ladder. */
  temporalStem: string | undefined;
  threshold: Threshold | undefined;
  party: PartyRef | undefined;
  /** Capitalised names and acronyms, lowercased. */
  entities: string[];
  /** Negation or disjunction words among the tokens. */
  hedged: boolean;
}

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
const PARTY_WORDS = wordTable({
  democrats: 'dem', democrat: 'dem', democratic: 'dem', dems: 'dem', republicans: 'rep', republican: 'rep', gop: 'rep',
  independents: 'ind', libertarians: 'lib', libertarian: 'lib', greens: 'grn',
});
const PARTY_MARKS = wordTable({ d: 'dem', dem: 'dem', r: 'rep', rep: 'rep', gop: 'rep', i: 'ind', ind: 'ind', l: 'lib', lib: 'lib', g: 'grn' });

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
const ENTITY_RE = /\b[A-Z][A-Za-z\u00c0-\u024f'-]*(?:\s+(?:of\s+|the\s+|de\s+)?[A-Z][A-Za-z\u00c0-\u024f'-]*)*|\b[A-Z]{2,}\b/g;

/** A number with a comparator next to it: a threshold candidate. */
interface Found {
  i: number;
  dir: 1 | -1;
  from: number;
  to: number;
}

/**
 * Extracts the features of one question. Written as plain loops building
 * objects with every field set in one order: it runs over the whole catalog
 * once per engine, and callbacks and later-added fields gave V8 new shapes and
 * closures to re-optimise on every replay of a sweep.
 */
export function textFeatures(question: string): TextFeatures {
  const toks = tokenize(question);
  const spans = findDates(toks);
  for (let k = 0; k < spans.length; k++) {
    const s = spans[k]!;
    for (let i = s.start; i <= s.end; i++) toks[i]!.date = k;
  }
  // Thresholds: numbers outside date phrases with a comparator; exactly one counts.
  const found: Found[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.num === undefined || t.date !== undefined || t.unit === 'ord') continue;
    const c = comparatorAt(toks, i);
    if (c) found.push({ i, dir: c.dir, from: c.from, to: c.to });
  }
  const tokens: string[] = [];
  const skeleton: string[] = [];
  const stem: string[] = [];
  const dates: DateRef[] = [];
  let byDate: DateRef | undefined;
  let byCount = 0;
  for (let k = 0; k < spans.length; k++) {
    const ref = spans[k]!.ref;
    dates.push(ref);
    if (ref.kind === 'by') {
      byCount++;
      byDate = ref;
    }
  }
  if (byCount !== 1) byDate = undefined;
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
  let threshold: Threshold | undefined;
  if (thr) {
    const t = toks[thr.i]!;
    threshold = { value: t.num!, unit: t.unit ?? '', dir: thr.dir, skeleton: skeleton.join(' ') };
  }
  return {
    tokens,
    dates,
    byDate,
    temporalStem: byDate ? stem.join(' ') : undefined,
    threshold,
    party: partyOf(question, tokens),
    entities: entitiesOf(question),
    hedged: isHedged(tokens),
  };
}

function isHedged(tokens: readonly string[]): boolean {
  for (let k = 0; k < tokens.length; k++) {
    const w = tokens[k]!;
    if (HEDGES.has(w) && !(w === 'or' && OR_COMPARATORS.has(tokens[k + 1] ?? '')) && !(w === 'no' && tokens[k + 1] === 'more')) return true;
  }
  return false;
}

function partyOf(question: string, tokens: string[]): PartyRef | undefined {
  const m = question.includes('(') ? NAME_MARK_RE.exec(question) : null;
  if (m) {
    const party = PARTY_MARKS[m[2]!.toLowerCase()]!;
    const nameToks: string[] = [];
    for (const t of tokenize(m[1]!)) if (!STOP.has(t.t)) nameToks.push(t.t);
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

/**
 * True when `seq` starts with all of `head` and says more. A child narrows its
 * parent by adding conditions at the end ("… in a sweep", "… with 55 or more
 * seats"); words inserted earlier change the subject ("Will Trump's son win?").
 */
export function isStrictPrefix(head: readonly string[], seq: readonly string[]): boolean {
  if (head.length >= seq.length || head.length === 0) return false;
  for (let i = 0; i < head.length; i++) if (head[i] !== seq[i]) return false;
  return true;
}
