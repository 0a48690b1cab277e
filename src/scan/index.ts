// The batch signal processor's public surface (src/scan).
export { runScan, scan, stage1, stage2, toScanOutput, type ScanOptions, type ScanResult, type Stage1 } from './scan.js';
export { scanOutputSchema, SCAN_OUTPUT_MAX_CHARS, type ScanOutput, type StopReason } from './output.js';
export { BatchPlanner, plannerCheckpointSchema, type BatchPlan, type PlannerCheckpoint, type PlannerState } from './planner.js';
export { loadCatalogFile, decodeCatalog, CatalogFileError, type LoadedCatalog } from './catalog-file.js';
export { categorize, formatCategorize, type CategorizeResult } from './categorize.js';
export { clusterRows, signalRows, categoryCounts, type ClusterRow, type SignalRow } from './results.js';
export { defaultStrategies, parseStrategies, feePerShare, allInCost, edgeAfterFees, priorityOf, tierOf, type StrategySet, type StrategyValidation, type Tier } from './strategies.js';
export { defaultTaxonomy, parseTaxonomy, Taxonomy } from './taxonomy.js';
export { normalizeQuestion, tokenSetSimilarity } from './normalize.js';
export { dedupe, dedupeItems, membersOf, DEFAULT_FUZZY_THRESHOLD, type DedupeInput, type DedupeResult } from './dedupe.js';
export type { Cluster } from './cluster.js';
export type { Signal, BookLookup } from './signals.js';
