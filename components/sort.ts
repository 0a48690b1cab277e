// Sort by column in the Shards, OFI and Clusters panes: `s` cycles the column,
// `S` reverses; the pane title shows it. Index 0 is the engine's own order.
// The pane and the key handler sort with the same function, so the selected
// row is the row Enter and copy act on.
import type { ClusterPaneRow, OfiPaneRow, ShardRow } from '../store/snapshot.js';

export interface SortState {
  col: number;
  desc: boolean;
}

export type SortablePane = 'shards' | 'ofi' | 'clusters';

interface Column<T> {
  name: string;
  value: (r: T) => number | string;
}

const SHARD_COLS: Column<ShardRow>[] = [
  { name: '#', value: (r) => r.id },
  { name: 'msg/s', value: (r) => r.msgsPerSec },
  { name: 'last', value: (r) => r.lastMsgAgeMs },
  { name: 'recon', value: (r) => r.reconnects },
  { name: 'gaps', value: (r) => r.gaps },
  { name: 'stale', value: (r) => r.staleBooks },
];
const OFI_COLS: Column<OfiPaneRow>[] = [
  { name: '|ofi|', value: (r) => Math.abs(r.normalized) },
  { name: 'flow', value: (r) => r.tradeFlow },
  { name: 'div', value: (r) => r.divergence },
  { name: 'market', value: (r) => r.question },
];
const CLUSTER_COLS: Column<ClusterPaneRow>[] = [
  { name: 'n', value: (r) => r.count },
  { name: 'conf', value: (r) => r.confidence },
  { name: 'category', value: (r) => r.category },
];

export const SORT_COLUMNS: Record<SortablePane, readonly string[]> = {
  shards: SHARD_COLS.map((c) => c.name),
  ofi: OFI_COLS.map((c) => c.name),
  clusters: CLUSTER_COLS.map((c) => c.name),
};

/** The engine's order (index 0 and not reversed) needs no sort. */
export const DEFAULT_SORT: SortState = { col: 0, desc: false };

function sortBy<T>(rows: readonly T[], cols: Column<T>[], s: SortState): readonly T[] {
  if (s.col === 0 && !s.desc) return rows;
  const c = cols[s.col % cols.length]!;
  const dir = s.desc ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = c.value(a);
    const y = c.value(b);
    return dir * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y)));
  });
}

export const sortShards = (rows: readonly ShardRow[], s: SortState) => sortBy(rows, SHARD_COLS, s);
export const sortOfi = (rows: readonly OfiPaneRow[], s: SortState) => sortBy(rows, OFI_COLS, s);
export const sortClusters = (rows: readonly ClusterPaneRow[], s: SortState) => sortBy(rows, CLUSTER_COLS, s);

/** 'sort msg/s ↓' for the pane title, '' for the engine's order. */
export function sortLabel(pane: SortablePane, s: SortState): string {
  if (s.col === 0 && !s.desc) return '';
  return `sort ${SORT_COLUMNS[pane][s.col % SORT_COLUMNS[pane].length]} ${s.desc ? '↓' : '↑'}`;
}
