// Public surface of the arbitrage module (DESIGN §1: core, pure; time passed in).
export { ArbScanner, type BuildStats, type ScanStats } from './scanner.js';
export { DEFAULT_ARB_OPTIONS, CONFIDENCE, toJsonLine, type ArbKind, type ArbLeg, type ArbOpportunity, type ArbOptions, type ArbRelation } from './types.js';
export { takerFeePerShare, takerFeePerShareUnits, feeForOrder } from './fees.js';
export { sweepBasket, depthWithin, vwapOf, type BookSource, type BookView, type SweepLeg, type SweepResult } from './sweep.js';
export { loadRelationOverrides, parseRelationOverrides, type RelationOverride } from './overrides.js';
export { classifyPair, type Relation, type RelationKind, type MarketText } from './relations.js';
export { textFeatures, type TextFeatures } from './text-features.js';
export { isPlaceholder, groupEvents, type EventGroup } from './rebalance.js';
export { arbCheckpointSchema, type ArbCheckpoint } from './checkpoint.js';
export { arbCheckpointable, ARB_TRACKER, ARB_TOLERANCE_MS } from './tracker.js';
