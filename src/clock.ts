// The one place this process reads the time of day. Two clocks, two types:
//
// - Wall time (WallMs): this machine's clock. Audit-log and journal stamps,
//   ages shown on screen, deadlines, timeouts, rate-limit pacing, retry waits.
// - Venue time (VenueMs): the exchange's clock. Market end dates, trade and
//   book timestamps, resolution times, closing gates. On Polymarket it is
//   close to wall time; on the simulator it runs from the world's own epoch at
//   the world's speed; in a replay it is the recording's.
//
// Both are epoch milliseconds, so mixing them type-checks as long as they are
// bare numbers, and a gate that compared a venue end date with wall time once
// refused or admitted every simulated market depending on the hour. The brands
// below make the mix-up a compile error: a WallMs is not a VenueMs, and a bare
// number is neither. Arithmetic on either yields a plain number (a duration or
// a derived instant), which is fine wherever a plain number is taken.
//
// Converting between the two is a decision, so it has a name: venueFromWall
// and wallFromVenue apply a measured offset (venue − wall). wallMs/venueMs
// brand a number whose clock is known from where it came from (a stored stamp,
// a field of a venue message, a recording line).
//
// performance.now() stays in use for durations (a monotonic measure that no
// clock change moves); it is never an instant and never compared with these.

declare const wallBrand: unique symbol;
declare const venueBrand: unique symbol;

/** Epoch milliseconds on this machine's clock. */
export type WallMs = number & { readonly [wallBrand]: true };
/** Epoch milliseconds on the venue's clock. */
export type VenueMs = number & { readonly [venueBrand]: true };
/** Reads wall time now. */
export type WallNow = () => WallMs;
/** Reads venue time now. */
export type VenueNow = () => VenueMs;

/** Both clocks. The readers are plain functions (not methods), so they can be handed on detached: `new AuditLog(db, clock.wall)`. */
export interface Clock {
  readonly wall: WallNow;
  readonly venue: VenueNow;
}

/** Brands a number known to be a wall-clock instant (a stored stamp, a recorded capture time). */
export const wallMs = (ms: number): WallMs => ms as WallMs;
/** Brands a number known to be a venue-clock instant (a message timestamp, an end date from the catalog). */
export const venueMs = (ms: number): VenueMs => ms as VenueMs;

/** Venue time from wall time and a measured offset (venue − wall). */
export const venueFromWall = (wall: WallMs, offsetMs = 0): VenueMs => (wall + offsetMs) as VenueMs;
/** Wall time from venue time and a measured offset (venue − wall). */
export const wallFromVenue = (venue: VenueMs, offsetMs = 0): WallMs => (venue - offsetMs) as WallMs;

/** This machine's clock: the only Date.now() in the program outside the simulator. */
export const systemWall: WallNow = () => Date.now() as WallMs;

/** Venue time taken as this machine's time: a venue whose clock is in step with ours (Polymarket, to within a second). */
export const systemVenue: VenueNow = () => venueFromWall(systemWall());

/** The system clock, with venue time as wall time plus a fixed measured offset (venue − wall). */
export function systemClock(venueOffsetMs = 0): Clock {
  return { wall: systemWall, venue: () => venueFromWall(systemWall(), venueOffsetMs) };
}

/**
 * Venue time as the venue's own messages tell it: the newest timestamp seen,
 * or, before any, wall time plus the offset (venue − wall) known so far. A
 * timestamp older than the newest leaves it where it is (venue time does not
 * run backwards because one message arrived late).
 */
export class VenueTracker {
  private newest = 0;
  constructor(
    private readonly wall: WallNow,
    private readonly offsetMs = 0,
  ) {}

  /** Notes a venue-stamped message. Non-finite or non-positive stamps are ignored. */
  saw(ts: number): void {
    if (Number.isFinite(ts) && ts > this.newest) this.newest = ts;
  }

  /** True once any venue timestamp was seen (before that, now() is derived from wall time). */
  get known(): boolean {
    return this.newest > 0;
  }

  readonly now: VenueNow = () => (this.newest > 0 ? venueMs(this.newest) : venueFromWall(this.wall(), this.offsetMs));
}

/**
 * A clock that moves only when told: tests, and replays, where wall time is
 * the recording's capture time of the line being replayed. Venue time is wall
 * time plus an offset unless set directly.
 */
export class ManualClock implements Clock {
  private wallAt: number;
  private venueAt: number | undefined;

  constructor(
    wallStart: number,
    private venueOffsetMs = 0,
  ) {
    this.wallAt = wallStart;
  }

  readonly wall: WallNow = () => wallMs(this.wallAt);
  readonly venue: VenueNow = () => (this.venueAt !== undefined ? venueMs(this.venueAt) : venueFromWall(this.wall(), this.venueOffsetMs));

  /** Sets wall time (it may go backwards: a test can rewind). */
  setWall(ms: number): void {
    this.wallAt = ms;
  }

  /** Moves both clocks forward by ms (venue keeps its offset, or its own pinned time moves too). */
  advance(ms: number): void {
    this.wallAt += ms;
    if (this.venueAt !== undefined) this.venueAt += ms;
  }

  /** Pins venue time (until setVenueOffset unpins it). */
  setVenue(ms: number): void {
    this.venueAt = ms;
  }

  /** Venue time follows wall time at this offset (venue − wall). */
  setVenueOffset(offsetMs: number): void {
    this.venueAt = undefined;
    this.venueOffsetMs = offsetMs;
  }
}
