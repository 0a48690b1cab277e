// Per-event-kind delivery mode, as in Freqtrade: on (with a notification),
// silent (delivered without a sound), off (dropped, counted).
import { ALERT_KINDS, type AlertKind } from './events.js';
import { deepFreeze } from '../frozen.js';

export type Mode = 'on' | 'silent' | 'off';

export const DEFAULT_MODES: Record<AlertKind, Mode> = deepFreeze({
  signal: 'on',
  arb: 'on',
  fill: 'on',
  settlement: 'on',
  halt: 'on',
  feed: 'on',
  db: 'on',
  daily: 'silent',
  reply: 'on',
});

/** "fill=silent,signal=off" → modes over the defaults; an unknown kind or mode is an error naming it. */
export function parseModes(text: string): Record<AlertKind, Mode> {
  const out = { ...DEFAULT_MODES };
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [k, v] = part.split('=').map((s) => s.trim());
    if (!(ALERT_KINDS as readonly string[]).includes(k ?? '')) throw new Error(`unknown alert kind "${k}" (one of ${ALERT_KINDS.join(', ')})`);
    if (v !== 'on' && v !== 'silent' && v !== 'off') throw new Error(`alert mode for ${k} must be on, silent or off`);
    if (k === 'reply' && v === 'off') throw new Error('replies to remote commands cannot be turned off');
    out[k as AlertKind] = v;
  }
  return out;
}
