// Rebalancing inside one market or one negRisk event (quant-anchors §1, §8A):
// YES + NO bought below $1 or split and sold above it, and a negRisk event's
// YES legs bought below $1 (long) or its NO legs below n − 1 (short). Baskets
// on a whole event need the event to be exhaustive: an "Other" or unnamed
// outcome, or a placeholder-augmented event, may win while every listed YES loses.
import type { CatalogMarket } from '../protocol/gamma.js';
import { PRICE_SCALE } from '../protocol/units.js';
import { eventKey, type Basket } from './baskets.js';
import { CONFIDENCE } from './types.js';

const PLACEHOLDER_TITLE = /^(?:other|others|another|any other|field|the field|none|none of the above|someone else|anyone else|tbd|tba|placeholder|(?:person|candidate|option|player|team|company|country)\s+[a-z0-9]{1,2})$/i;
const PLACEHOLDER_QUESTION = /\b(?:another|any other|other candidate|someone else|anyone else|none of the above|the field)\b/i;

/** An outcome that stands for "anything not listed" (or not yet named). */
export function isPlaceholder(m: CatalogMarket): boolean {
  const title = m.groupItemTitle?.trim() ?? '';
  if (title === '' || PLACEHOLDER_TITLE.test(title)) return true;
  return PLACEHOLDER_QUESTION.test(m.question);
}

export interface EventGroup {
  key: string;
  /** Open markets (indices into the scanner's list). */
  members: number[];
  negRisk: boolean;
  exhaustive: boolean;
  /** Why the event is not exhaustive (empty when it is). */
  why: string;
}

/**
 * Groups open markets by event and decides exhaustiveness from the whole
 * catalog (closed members resolved NO drop out; any other closed member, a
 * placeholder, or the augmented flag makes the event non-exhaustive).
 */
export function groupEvents(all: readonly CatalogMarket[], openIndex: ReadonlyMap<string, number>): EventGroup[] {
  const byKey = new Map<string, CatalogMarket[]>();
  for (const m of all) {
    const k = eventKey(m);
    let list = byKey.get(k);
    if (!list) byKey.set(k, (list = []));
    list.push(m);
  }
  const groups: EventGroup[] = [];
  for (const [key, list] of byKey) {
    // A plain loop, not map().filter(): the array map() returns changed kind
    // between interpreted and optimised code, and the filter deoptimised on it
    // in each replay of a sweep.
    const members: number[] = [];
    for (const m of list) {
      const i = openIndex.get(m.id);
      if (i !== undefined) members.push(i);
    }
    if (members.length === 0) continue;
    const negRisk = list.every((m) => m.negRisk);
    let why = '';
    if (!negRisk) why = 'not negRisk';
    else if (list.some((m) => m.eventAugmented)) why = 'augmented event (placeholder outcomes)';
    else if (list.some((m) => isPlaceholder(m))) why = 'has an "Other" or unnamed outcome';
    else if (list.some((m) => m.closed && !resolvedNo(m))) why = 'a member closed without resolving NO';
    else if (members.length < 2) why = 'fewer than two open outcomes';
    groups.push({ key, members, negRisk, exhaustive: why === '', why });
  }
  return groups;
}

function resolvedNo(m: CatalogMarket): boolean {
  return m.outcomePrices.length === 2 && m.outcomePrices[0] === 0 && m.outcomePrices[1] === PRICE_SCALE;
}

/** Buy-both and split-and-sell on every open market. */
export function binaryBaskets(markets: readonly CatalogMarket[]): Basket[] {
  const out: Basket[] = [];
  // A loop rather than forEach: this runs once per catalog build, and the
  // callback (a new closure per call) was compiled again in each replay.
  for (let i = 0; i < markets.length; i++) {
    const m = markets[i]!;
    const events = [eventKey(m)];
    out.push({
      id: `buy-both:${m.id}`,
      kind: 'binary',
      relation: 'buy-both',
      legs: [
        { market: i, outcome: 0, side: 'BUY', token: -1 },
        { market: i, outcome: 1, side: 'BUY', token: -1 },
      ],
      payoff: 1,
      confidence: CONFIDENCE.mechanism,
      events,
    });
    out.push({
      id: `split-sell:${m.id}`,
      kind: 'binary',
      relation: 'split-sell',
      legs: [
        { market: i, outcome: 0, side: 'SELL', token: -1 },
        { market: i, outcome: 1, side: 'SELL', token: -1 },
      ],
      payoff: -1,
      confidence: CONFIDENCE.mechanism,
      events,
    });
  }
  return out;
}

/** Long and short baskets on exhaustive negRisk events; the two cheapest NOs on the others. */
export function negRiskBaskets(groups: readonly EventGroup[], markets: readonly CatalogMarket[]): Basket[] {
  const out: Basket[] = [];
  for (const g of groups) {
    if (!g.negRisk || g.members.length < 2) continue;
    const title = markets[g.members[0]!]!.eventTitle ?? g.key;
    if (g.exhaustive) {
      const n = g.members.length;
      out.push({
        id: `negrisk-long:${g.key}`,
        kind: 'negrisk',
        relation: 'negrisk-long',
        legs: g.members.map((i) => ({ market: i, outcome: 0, side: 'BUY', token: -1 })),
        payoff: 1,
        confidence: CONFIDENCE.mechanism,
        events: [g.key],
        note: `Σ of ${n} YES asks below $1 in exhaustive event "${title}"`,
      });
      out.push({
        id: `negrisk-short:${g.key}`,
        kind: 'negrisk',
        relation: 'negrisk-short',
        legs: g.members.map((i) => ({ market: i, outcome: 1, side: 'BUY', token: -1 })),
        payoff: n - 1,
        confidence: CONFIDENCE.mechanism,
        events: [g.key],
        note: `Σ of ${n} NO asks below ${n - 1} in exhaustive event "${title}"`,
      });
    } else {
      // At most one outcome wins even when the list is incomplete, so two NOs pay at least $1.
      out.push({
        id: `complement:${g.key}`,
        kind: 'negrisk',
        relation: 'complement',
        legs: g.members.map((i) => ({ market: i, outcome: 1, side: 'BUY', token: -1 })),
        payoff: 1,
        confidence: CONFIDENCE.mechanism,
        events: [g.key],
        note: `two mutually exclusive outcomes priced above $1 together in "${title}" (${g.why})`,
        cheapestPair: true,
      });
    }
  }
  return out;
}
