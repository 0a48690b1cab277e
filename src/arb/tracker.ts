// The scanner's persistence counters as a tracker for the engine's checkpoint
// registry (src/persist/checkpoints.ts): name "arb", 60 s tolerance (older counters
// would credit a relation with persistence it was not watched for).
import type { Checkpointable } from '../persist/checkpoints.js';
import type { ArbScanner } from './scanner.js';
import { type WallNow } from '../clock.js';

export const ARB_TRACKER = 'arb';
export const ARB_TOLERANCE_MS = 60_000;

export function arbCheckpointable(scanner: ArbScanner, now: WallNow): Checkpointable {
  return {
    name: ARB_TRACKER,
    toleranceMs: ARB_TOLERANCE_MS,
    toCheckpoint: () => scanner.toCheckpoint(now()),
    fromCheckpoint: (json: unknown) => scanner.fromCheckpoint(json, now(), ARB_TOLERANCE_MS).ok,
  };
}
