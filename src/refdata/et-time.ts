// US Eastern wall time → epoch ms. Polymarket's crypto rules state times in
// ET ("12:00 in the ET timezone", "4:00PM-4:15PM ET"); the offset is −5 h in
// winter and −4 h between the second Sunday of March and the first Sunday of
// November (02:00 local), the US rule since 2007. Computed here rather than
// through Intl so results never depend on the host's time-zone database.

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Month index 0–11 from a full or 3+-letter name ("Sept" too); undefined otherwise. */
export function monthIndex(name: string): number | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (n === 'sept') return 8;
  if (n.length < 3) return undefined;
  const i = MONTHS.findIndex((m) => m.startsWith(n));
  return i >= 0 ? i : undefined;
}

/** Day of month of the n-th Sunday (n ≥ 1) of a UTC month. */
function nthSunday(year: number, month: number, n: number): number {
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((7 - first) % 7) + 7 * (n - 1);
}

/** True when the ET wall time falls in daylight saving time. */
export function isEtDst(year: number, month: number, day: number, hour: number): boolean {
  if (month < 2 || month > 10) return false;
  if (month > 2 && month < 10) return true;
  if (month === 2) {
    const d = nthSunday(year, 2, 2);
    return day > d || (day === d && hour >= 2);
  }
  const d = nthSunday(year, 10, 1);
  return day < d || (day === d && hour < 2);
}

/** Epoch ms of an ET wall time; month 0–11. hour may be 24 (midnight after). */
export function etToUtc(year: number, month: number, day: number, hour: number, minute = 0): number {
  const offsetH = isEtDst(year, month, day, Math.min(hour, 23)) ? 4 : 5;
  return Date.UTC(year, month, day, hour + offsetH, minute);
}

/** 12-hour clock → 24-hour ("12AM" → 0, "12PM" → 12). */
export function hour24(h: number, ampm: string): number {
  const pm = ampm.toLowerCase() === 'pm';
  if (h === 12) return pm ? 12 : 0;
  return pm ? h + 12 : h;
}

/**
 * The year that puts month/day nearest to a reference instant (titles carry no
 * year; endDate or the window start says which one is meant).
 */
export function nearestYear(month: number, day: number, refMs: number): number {
  const y = new Date(refMs).getUTCFullYear();
  let best = y;
  let bestGap = Infinity;
  for (const c of [y - 1, y, y + 1]) {
    const gap = Math.abs(Date.UTC(c, month, day) - refMs);
    if (gap < bestGap) {
      bestGap = gap;
      best = c;
    }
  }
  return best;
}
