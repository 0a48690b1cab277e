// Settlement of a matched fill on chain. A match is only a promise: the
// transaction can be mined and confirmed, or fail and be reverted ("ghost
// fills"). Only forward moves are allowed; a terminal state never changes.
export type Settlement = 'MATCHED' | 'MINED' | 'RETRYING' | 'CONFIRMED' | 'FAILED';

const RANK: Record<Settlement, number> = { MATCHED: 0, RETRYING: 1, MINED: 2, CONFIRMED: 3, FAILED: 3 };

export function isTerminal(s: Settlement): boolean {
  return s === 'CONFIRMED' || s === 'FAILED';
}

export function parseSettlement(text: unknown): Settlement | undefined {
  const t = typeof text === 'string' ? text.toUpperCase() : '';
  if (t === 'MATCHED_NOT_BROADCASTED') return 'MATCHED';
  return t === 'MATCHED' || t === 'MINED' || t === 'RETRYING' || t === 'CONFIRMED' || t === 'FAILED' ? t : undefined;
}

/**
 * The state after an update arrives: the update when it moves forward, the
 * current state otherwise (updates arrive late and out of order: REST refresh
 * and user channel). FAILED beats anything not yet terminal.
 */
export function advanceSettlement(current: Settlement | undefined, update: Settlement): Settlement {
  if (current === undefined) return update;
  if (isTerminal(current)) return current;
  if (update === 'FAILED') return 'FAILED';
  if (update === 'RETRYING' && current === 'MINED') return 'RETRYING';
  return RANK[update] > RANK[current] ? update : current;
}
