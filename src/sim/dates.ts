// Date phrasing used in generated questions (UTC; windows shown in ET like the venue).
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** "December 31, 2026" */
export function longDate(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
}

/** "November 22" */
export function dayName(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
}

/** "November 2026" */
export function monthName(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "from Nov 24 to Dec 1, 2026" */
export function windowName(startMs: number, endMs: number): string {
  const a = new Date(startMs);
  const b = new Date(endMs);
  return `from ${SHORT[a.getUTCMonth()]} ${a.getUTCDate()} to ${SHORT[b.getUTCMonth()]} ${b.getUTCDate()}, ${b.getUTCFullYear()}`;
}

/** "November 21, 3:00PM-3:15PM ET" (ET taken as UTC−5). */
export function etWindow(startMs: number, endMs: number): string {
  const et = (ms: number) => new Date(ms - 5 * HOUR_MS);
  const a = et(startMs);
  const b = et(endMs);
  const clock = (d: Date) => {
    const h = d.getUTCHours();
    const m = d.getUTCMinutes();
    return `${((h + 11) % 12) + 1}:${String(m).padStart(2, '0')}${h < 12 ? 'AM' : 'PM'}`;
  };
  return `${MONTHS[a.getUTCMonth()]} ${a.getUTCDate()}, ${clock(a)}-${clock(b)} ET`;
}

/** Last instant of the month `offset` months after `ms` (offset 0 = this month). */
export function endOfMonth(ms: number, offset: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset + 1, 1) - 1000;
}

/** End of the UTC day containing ms, 23:59:59. */
export function endOfDay(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - 1000;
}

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The Postgres form Gamma uses for closedTime: "2026-05-09 02:07:01+00". */
export function pgTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '+00');
}
