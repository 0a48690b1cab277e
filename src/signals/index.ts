// Order-flow signals (DESIGN §2 src/signals/): OFI, microstructure scores, spikes.
export { bookOfiEvent, ofiEvent, normalizeOfi, signedTrade, NO_ASK, NO_BID, type Top } from './ofi-math.js';
export {
  momentumScore,
  volumeFlowScore,
  whaleScore,
  combine,
  confidence,
  classify,
  isYesFlow,
  DEFAULT_WEIGHTS,
  DEFAULT_THRESHOLDS,
  GAP_CONFIDENCE_FACTOR,
  LOW_LIQUIDITY_FACTOR,
  type MicroSignalType,
  type MicroThresholds,
  type MicroWeights,
} from './micro-math.js';
export { OfiTracker, OFI_STALE_MS, DEFAULT_OFI_WINDOWS_MS, type OfiOptions, type OfiRow, type OfiTopEntry, type OfiValue, type BookKind, type TokenRole } from './ofi-tracker.js';
export { MicroScorer, MICRO_STALE_MS, DEFAULT_MICRO_WINDOW_MS, DEFAULT_WHALE_USD, type MicroOptions, type MicroSignal, type MarketStatus } from './micro-scorer.js';
export { SpikeDetector, spikeZ, SPIKE_DEFAULTS, type Spike, type SpikeOptions } from './spikes.js';
export { SignalHub, type SignalHubOptions, type MarketSpike } from './hub.js';
export { Slots, type SlotListener } from './slots.js';
