// Per-key dedupe with back-off. The first trigger of a key is sent; repeats
// within the key's interval are counted, not sent. A trigger after the window
// is sent again (saying how many were suppressed since the last report) and
// the interval doubles. A window that closes with repeats still unreported
// yields one "N more suppressed" digest, and the interval doubles again; a key
// quiet for a whole window is forgotten (its back-off resets). Every trigger
// is accounted for: sends + Σ reported suppressed = triggers.
import type { Severity } from './events.js';
import { deepFreeze } from '../frozen.js';

export interface DedupeConfig {
  /** First interval per severity, ms (criticals are never silenced for long). */
  baseMs: Record<Severity, number>;
  maxMs: Record<Severity, number>;
}

export const DEFAULT_DEDUPE: DedupeConfig = deepFreeze({
  baseMs: { info: 30_000, warn: 30_000, critical: 5_000 },
  maxMs: { info: 15 * 60_000, warn: 15 * 60_000, critical: 60_000 },
});

interface KeyState {
  severity: Severity;
  /** Next time the key may be sent again. */
  openAt: number;
  intervalMs: number;
  /** Repeats not sent since the last send or digest. */
  suppressed: number;
  firstAt: number;
  lastAt: number;
  title: string;
}

/** `suppressed`: repeats not sent since this key was last reported (0 for a first send). */
export type Verdict = { send: true; suppressed: number } | { send: false };

export interface Digest {
  key: string;
  severity: Severity;
  suppressed: number;
  firstAt: number;
  lastAt: number;
  title: string;
}

export class Deduper {
  private readonly keys = new Map<string, KeyState>();
  /** Triggers counted and not sent, over the process lifetime. */
  suppressedTotal = 0;

  constructor(private readonly cfg: DedupeConfig = DEFAULT_DEDUPE) {}

  /** Decides one trigger at `now`. */
  offer(key: string, severity: Severity, title: string, now: number): Verdict {
    const s = this.keys.get(key);
    if (!s) {
      this.keys.set(key, { severity, openAt: now + this.cfg.baseMs[severity], intervalMs: this.cfg.baseMs[severity], suppressed: 0, firstAt: now, lastAt: now, title });
      return { send: true, suppressed: 0 };
    }
    s.lastAt = now;
    s.title = title;
    if (now >= s.openAt) {
      // Fired again after its window: send, and back off further.
      const suppressed = s.suppressed;
      this.backOff(s, now);
      return { send: true, suppressed };
    }
    s.suppressed++;
    this.suppressedTotal++;
    return { send: false };
  }

  private backOff(s: KeyState, now: number): void {
    s.intervalMs = Math.min(this.cfg.maxMs[s.severity], s.intervalMs * 2);
    s.openAt = now + s.intervalMs;
    s.suppressed = 0;
    s.firstAt = now;
  }

  /**
   * Windows that closed by `now`: a key with unreported repeats yields one
   * digest and keeps backing off; a key quiet for its window is forgotten.
   */
  due(now: number): Digest[] {
    const out: Digest[] = [];
    for (const [key, s] of this.keys) {
      if (now < s.openAt) continue;
      if (s.suppressed > 0) {
        out.push({ key, severity: s.severity, suppressed: s.suppressed, firstAt: s.firstAt, lastAt: s.lastAt, title: s.title });
        this.backOff(s, now);
      } else this.keys.delete(key);
    }
    return out;
  }

  /** Counts of keys currently backing off (for channel health). */
  get active(): number {
    return this.keys.size;
  }
}

export function digestText(d: Digest): string {
  const secs = Math.max(1, Math.round((d.lastAt - d.firstAt) / 1000));
  return `${d.suppressed} more suppressed over ${secs} s: ${d.title}`;
}
