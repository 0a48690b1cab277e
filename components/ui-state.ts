// The UI's own state (focus, selection, filter, overlays, confirmations) as a
// reducer: pure and testable; the engine's data comes from the store instead.
import { DEFAULT_SORT, SORT_COLUMNS, type SortState, type SortablePane } from './sort.js';

export type PaneId = 'shards' | 'ofi' | 'signals' | 'clusters' | 'portfolio';

export const PANES: readonly { id: PaneId; title: string; key: string }[] = [
  { id: 'shards', title: 'Shards', key: '1' },
  { id: 'ofi', title: 'OFI', key: '2' },
  { id: 'signals', title: 'Signals', key: '3' },
  { id: 'clusters', title: 'Clusters', key: '4' },
  { id: 'portfolio', title: 'Portfolio', key: '5' },
];

export type ConfirmId = 'paper' | 'halt' | 'resume' | 'execute';

export interface Confirm {
  id: ConfirmId;
  prompt: string;
  /** The signal to execute. */
  key?: string;
}

export interface UiState {
  focus: PaneId;
  sel: Record<PaneId, number>;
  /**
   * The selected signal, by its id: the queue re-sorts, filters and grows
   * under the cursor, so a position would point at another signal.
   */
  selKey: string | null;
  filter: string;
  filtering: boolean;
  zoom: boolean;
  help: boolean;
  /** Sort column and direction of the sortable panes. */
  sort: Record<SortablePane, SortState>;
  /** First line of the help overlay shown. */
  helpScroll: number;
  /** The Portfolio pane shows the blotter instead of the positions. */
  blotter: boolean;
  /** Key of the signal whose detail is open. */
  detail: string | null;
  /** A Shards, OFI, Clusters or Portfolio row's detail (shard id, token id, cluster id). */
  paneDetail: { pane: 'shards' | 'ofi' | 'clusters' | 'portfolio'; key: string } | null;
  /** The selected row inside a detail that lists rows (a cluster's markets). */
  detailSel: number;
  confirm: Confirm | null;
  /** One-line feedback ("executed …", "cancelled"). */
  message: string;
  /** Bumped with every message, so a repeated message restarts its expiry. */
  seqMsg: number;
}

export const INITIAL_UI: UiState = {
  focus: 'signals',
  sel: { shards: 0, ofi: 0, signals: 0, clusters: 0, portfolio: 0 },
  selKey: null,
  filter: '',
  filtering: false,
  zoom: false,
  help: false,
  helpScroll: 0,
  sort: { shards: DEFAULT_SORT, ofi: DEFAULT_SORT, clusters: DEFAULT_SORT },
  blotter: false,
  detail: null,
  paneDetail: null,
  detailSel: 0,
  confirm: null,
  message: '',
  seqMsg: 0,
};

export type UiAction =
  | { type: 'focus'; pane: PaneId }
  | { type: 'nextPane' }
  | { type: 'move'; delta: number; count: number }
  /** j/k in the signal queue: the next/previous row of `keys` (the rows as shown) from the selected id. */
  | { type: 'moveKey'; delta: number; keys: readonly string[] }
  | { type: 'select'; key: string }
  | { type: 'filterStart' }
  | { type: 'filterInput'; text: string }
  | { type: 'filterBackspace' }
  | { type: 'filterEnd'; keep: boolean }
  | { type: 'zoom' }
  | { type: 'blotter' }
  | { type: 'help' }
  | { type: 'helpScroll'; delta: number; max: number }
  | { type: 'sortNext'; pane: SortablePane }
  | { type: 'sortReverse'; pane: SortablePane }
  | { type: 'detail'; key: string | null }
  | { type: 'paneDetail'; detail: UiState['paneDetail'] }
  /** j/k and the page keys inside a detail's list of `count` rows. */
  | { type: 'detailMove'; delta: number; count: number }
  | { type: 'ask'; confirm: Confirm }
  | { type: 'answered'; message: string }
  | { type: 'escape' }
  | { type: 'message'; text: string };

export function uiReducer(s: UiState, a: UiAction): UiState {
  switch (a.type) {
    case 'focus':
      return { ...s, focus: a.pane, filter: s.focus === a.pane ? s.filter : '', filtering: false, detail: null, paneDetail: null };
    case 'nextPane': {
      const i = PANES.findIndex((p) => p.id === s.focus);
      return uiReducer(s, { type: 'focus', pane: PANES[(i + 1) % PANES.length]!.id });
    }
    case 'move': {
      const next = Math.max(0, Math.min(Math.max(0, a.count - 1), s.sel[s.focus] + a.delta));
      return { ...s, sel: { ...s.sel, [s.focus]: next } };
    }
    case 'moveKey': {
      if (!a.keys.length) return s;
      const at = s.selKey === null ? -1 : a.keys.indexOf(s.selKey);
      // A selection that left the list (or is hidden by the filter) restarts at the top.
      const next = at < 0 ? 0 : Math.max(0, Math.min(a.keys.length - 1, at + a.delta));
      return { ...s, selKey: a.keys[next]! };
    }
    case 'select':
      return { ...s, selKey: a.key };
    case 'filterStart':
      // In the help, / searches the help and leaves the pane's selection alone.
      return s.help ? { ...s, filtering: true, filter: '', helpScroll: 0 } : { ...s, filtering: true, filter: '', sel: { ...s.sel, [s.focus]: 0 } };
    case 'filterInput':
      return { ...s, filter: (s.filter + a.text).slice(0, 40), sel: { ...s.sel, [s.focus]: 0 }, helpScroll: 0 };
    case 'filterBackspace':
      return { ...s, filter: s.filter.slice(0, -1) };
    case 'filterEnd':
      return { ...s, filtering: false, filter: a.keep ? s.filter : '' };
    case 'zoom':
      return { ...s, zoom: !s.zoom };
    case 'blotter':
      return { ...s, blotter: !s.blotter };
    case 'help':
      // The help's search is the filter: it ends with the help.
      return { ...s, help: !s.help, helpScroll: 0, ...(s.help ? { filter: '', filtering: false } : {}) };
    case 'sortNext': {
      const cur = s.sort[a.pane];
      // A new column starts in the direction that puts the most telling rows first (largest).
      return { ...s, sort: { ...s.sort, [a.pane]: { col: (cur.col + 1) % SORT_COLUMNS[a.pane].length, desc: true } }, sel: { ...s.sel, [a.pane]: 0 } };
    }
    case 'sortReverse':
      return { ...s, sort: { ...s.sort, [a.pane]: { ...s.sort[a.pane], desc: !s.sort[a.pane].desc } }, sel: { ...s.sel, [a.pane]: 0 } };
    case 'helpScroll':
      return { ...s, helpScroll: Math.max(0, Math.min(a.max, s.helpScroll + a.delta)) };
    case 'detail':
      return { ...s, detail: a.key };
    case 'paneDetail':
      return { ...s, paneDetail: a.detail, detailSel: 0 };
    case 'detailMove':
      return { ...s, detailSel: Math.max(0, Math.min(Math.max(0, a.count - 1), s.detailSel + a.delta)) };
    case 'ask':
      return { ...s, confirm: a.confirm, message: '' };
    case 'answered':
      return { ...s, confirm: null, message: a.message, seqMsg: s.seqMsg + 1 };
    case 'message':
      return { ...s, message: a.text, seqMsg: s.seqMsg + 1 };
    case 'escape':
      if (s.confirm) return { ...s, confirm: null, message: 'cancelled', seqMsg: s.seqMsg + 1 };
      if (s.help) return { ...s, help: false, helpScroll: 0, filter: '', filtering: false };
      if (s.detail) return { ...s, detail: null };
      if (s.paneDetail) return { ...s, paneDetail: null };
      if (s.filter || s.filtering) return { ...s, filter: '', filtering: false };
      if (s.zoom) return { ...s, zoom: false };
      return s;
  }
}

/** Case-insensitive filter over a row's text. */
export function matches(filter: string, ...texts: (string | undefined)[]): boolean {
  if (!filter) return true;
  const f = filter.toLowerCase();
  return texts.some((t) => t !== undefined && t.toLowerCase().includes(f));
}

/** First visible index of a window of `visible` rows that keeps `selected` in view. */
export function windowStart(selected: number, count: number, visible: number): number {
  if (count <= visible) return 0;
  return Math.max(0, Math.min(count - visible, selected - Math.floor(visible / 2)));
}
