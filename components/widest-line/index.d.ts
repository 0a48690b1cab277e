/** Columns needed by the widest line of `text` (ANSI escapes take none). Same result as widest-line@6, memoized. */
export default function widestLine(text: string): number;
/** Entries kept before the cache starts over. */
export declare const MAX_ENTRIES: number;
/** Entries currently remembered (for tests). */
export declare function cachedEntries(): number;
