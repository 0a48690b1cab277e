// Paper trading's public surface (DESIGN §1 core: pure logic, time passed in;
// persistence through src/persist's SQLite).
export { PaperTrader, type PaperTraderOptions, type Refusal } from './trader.js';
export { paperConfigSchema, parsePaperConfig, DEFAULT_PAPER_CONFIG, type PaperConfig, type PaperConfigInput } from './config.js';
export { kellyFraction, kellySize, type KellyInput, type KellySizing } from './kelly.js';
export * as gates from './gates.js';
export { CircuitBreaker, type BreakerStatus, type BreakerView, type BreakerData } from './breaker.js';
export { walkBook, depthAtOrBetter, Consumed, type Walk, type LevelTake } from './walk.js';
export { notionalMicros, takerFeeMicros } from './money.js';
export { intentOf, type PaperRow, type Intent } from './intents.js';
export { fillJson, type PaperSummary, type PortfolioPane, type PositionRowView } from './report.js';
export { resolutionFromCatalog, resolutionFromEvent, type Resolution } from './settlement.js';
export type { BookOf, GateName, GateResult, MarketInfo, OrderRequest, OrderResult, OrderStatus, PaperBook, PaperFill, Side, TimeInForce } from './types.js';
