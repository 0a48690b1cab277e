// Semantic colour tokens mapped to the 16 ANSI names; every state also has a
// glyph and a word so NO_COLOR and colour-blind operators lose nothing.
import type { ShardState } from '../src/feed/shard.js';

export const theme = {
  ok: 'green',
  warn: 'yellow',
  error: 'red',
  info: 'cyan',
  muted: 'gray',
  accent: 'magenta',
  title: 'white',
  /** Live trading (real money): a colour nothing else uses. */
  live: 'blue',
} as const;

export type Tone = keyof typeof theme;

export const SHARD_STATE: Record<ShardState, { glyph: string; word: string; tone: Tone }> = {
  open: { glyph: '●', word: 'open', tone: 'ok' },
  connecting: { glyph: '◌', word: 'conn', tone: 'warn' },
  backoff: { glyph: '↻', word: 'retry', tone: 'warn' },
  closed: { glyph: '✕', word: 'closed', tone: 'error' },
  idle: { glyph: '·', word: 'idle', tone: 'muted' },
};

const BARS = '▁▂▃▄▅▆▇█';

/** A block sparkline of the last `width` values. */
export function sparkline(values: readonly number[], width: number): string {
  const v = values.slice(-width);
  const max = Math.max(1, ...v);
  return v.map((x) => BARS[Math.min(BARS.length - 1, Math.floor((x / max) * (BARS.length - 1)))]).join('').padStart(width, ' ');
}
