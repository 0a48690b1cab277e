// Compile-time proof that wall and venue time do not mix. Not a test file:
// `npm run typecheck` checks it (an @ts-expect-error with no error under it
// fails the typecheck), and clock.test.ts compiles it with each directive
// removed to see that every marked line is an error on its own.
import { ManualClock, venueFromWall, wallMs, type VenueMs, type VenueNow, type WallMs, type WallNow } from '../../src/clock.js';
import { closingGate } from '../../src/paper/gates.js';

const clock = new ManualClock(Date.UTC(2026, 5, 1));
const cfg = { closingBufferMin: 30 };
const endDate = Date.UTC(2026, 5, 1, 2);

// The closing gate compares an end date on the venue's clock; wall time is refused.
// @ts-expect-error wall time where venue time is expected
closingGate(endDate, clock.wall(), cfg);
closingGate(endDate, clock.venue(), cfg);

// A venue reader handed where a wall reader is wanted (an audit log's stamps, say).
// @ts-expect-error venue reader where a wall reader is expected
export const auditNow: WallNow = clock.venue;
export const auditNowOk: WallNow = clock.wall;

// And the other way: a paper trader's market clock fed this machine's clock.
// @ts-expect-error wall reader where a venue reader is expected
export const marketNow: VenueNow = clock.wall;

// @ts-expect-error venue instant stored as a wall instant
export const stamp: WallMs = clock.venue();

// A bare number is neither: where it came from has to be said.
// @ts-expect-error bare number where venue time is expected
export const bare: VenueMs = endDate;
export const said: VenueMs = venueFromWall(wallMs(endDate), 0);
