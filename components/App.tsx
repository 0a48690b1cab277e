import React, { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import { Box, useInput } from 'ink';
import { StoreContext, usePane, useStore, useTerminalSize } from './context.js';
import { bindingFor } from './keys.js';
import { keysOf, type KeyEvent } from './input-keys.js';
import { osc52 } from './clipboard.js';
import { sortClusters, sortLabel, sortOfi, sortShards } from './sort.js';
import { StatusBar } from './StatusBar.js';
import { ShardPane } from './ShardPane.js';
import { OfiPane } from './OfiPane.js';
import { SignalPane, filterSignals } from './SignalPane.js';
import { ClusterPane } from './ClusterPane.js';
import { PortfolioPane } from './PortfolioPane.js';
import { SignalDetail } from './SignalDetail.js';
import { PaneDetail, clusterDetailRows } from './PaneDetail.js';
import { Footer } from './Footer.js';
import { TabBar } from './TabBar.js';
import { HelpOverlay, helpRows, helpScreenLines } from './HelpOverlay.js';
import { MIN_COLUMNS, MIN_ROWS, TooSmall } from './TooSmall.js';
import { INITIAL_UI, PANES, matches, uiReducer, type PaneId, type UiAction, type UiState } from './ui-state.js';
import type { Snapshot, StoreLike } from '../store/snapshot.js';

/** All panes from this size; one focused pane with tabs below it. */
export const WIDE_COLUMNS = 100;
export const WIDE_ROWS = 30;
/** A narrow but tall terminal stacks every pane from this many rows. */
export const TALL_ROWS = 60;
/** Key feedback stays this long. */
export const MESSAGE_TTL_MS = 8_000;

const NAV = new Set<string>(['down', 'up', 'top', 'bottom', 'pageDown', 'pageUp', 'halfDown', 'halfUp']);
type NavId = 'down' | 'up' | 'top' | 'bottom' | 'pageDown' | 'pageUp' | 'halfDown' | 'halfUp';

/** Rows the focused pane lists (after its filter), for j/k bounds and Enter. */
function rowsOf(snap: Snapshot, ui: UiState): { count: number; keyAt: (i: number) => string | undefined } {
  switch (ui.focus) {
    case 'shards':
      return { count: snap.shards.length, keyAt: () => undefined };
    case 'ofi': {
      const rows = snap.ofi.filter((r) => matches(ui.filter, r.question, r.marketId));
      return { count: rows.length, keyAt: () => undefined };
    }
    case 'signals': {
      const rows = filterSignals(snap.signals, ui.filter);
      return { count: rows.length, keyAt: (i) => rows[i]?.key };
    }
    case 'clusters':
      return { count: snap.clusters.filter((c) => matches(ui.filter, c.category, c.summary)).length, keyAt: () => undefined };
    case 'portfolio':
      return { count: snap.portfolio.positions.length, keyAt: () => undefined };
  }
}

/** The clusters as the Clusters pane lists them (filter, then sort): Enter opens the row under the cursor. */
function clustersShown(snap: Snapshot, ui: UiState) {
  return sortClusters(snap.clusters.filter((c) => matches(ui.focus === 'clusters' ? ui.filter : '', c.category, c.summary)), ui.sort.clusters);
}

/** The market behind the selected row (or the open detail), with its page when its slugs allow one, for copying. */
function selectedMarket(snap: Snapshot, ui: UiState): { id: string; url: string } | undefined {
  const withLink = (id: string | undefined) => (id === undefined ? undefined : { id, url: snap.links[id] ?? '' });
  const d = ui.paneDetail;
  if (d?.pane === 'clusters') {
    const m = snap.clusters.find((c) => c.id === d.key)?.markets?.[ui.detailSel];
    return m ? { id: m.id, url: m.url } : undefined;
  }
  if (d?.pane === 'ofi') return withLink(snap.ofi.find((r) => r.token === d.key)?.marketId);
  if (d?.pane === 'portfolio') return withLink(snap.portfolio.positions.find((p) => p.tokenId === d.key)?.marketId);
  if (d) return undefined;
  switch (ui.focus) {
    case 'signals':
      return withLink(snap.signals.find((r) => r.key === (ui.detail ?? ui.selKey))?.marketIds[0]);
    case 'ofi':
      return withLink(sortOfi(snap.ofi.filter((r) => matches(ui.filter, r.question, r.marketId)), ui.sort.ofi)[ui.sel.ofi]?.marketId);
    case 'portfolio':
      return ui.blotter ? undefined : withLink(snap.portfolio.positions[ui.sel.portfolio]?.marketId);
    default:
      return undefined;
  }
}

/** "0x1234…abcd" for a long id in the footer. */
const shortId = (id: string) => (id.length > 24 ? `${id.slice(0, 12)}…${id.slice(-8)}` : id);

function Layout({ ttl, copy }: { ttl: number; copy: (escape: string) => void }) {
  const store = useStore();
  const { columns, rows } = useTerminalSize();
  const sizeRef = useRef({ columns, rows });
  sizeRef.current = { columns, rows };
  // The reducer runs eagerly into a ref: a key pressed before React re-renders
  // (fast typing, a paste) must see the state the previous key produced.
  const uiRef = useRef<UiState>(INITIAL_UI);
  const [ui, setUi] = useState<UiState>(INITIAL_UI);
  const dispatch = useCallback((a: UiAction) => {
    uiRef.current = uiReducer(uiRef.current, a);
    setUi(uiRef.current);
  }, []);
  const line = usePane((s) => (s.status.notice ? s.status.notice : `${s.status.line}${s.status.scan.line ? ` · ${s.status.scan.line}` : ''}`));

  // Feedback expires: a stale answer must not read as the answer to the next key.
  useEffect(() => {
    if (!ui.message) return;
    const t = setTimeout(() => {
      if (uiRef.current.message === ui.message) dispatch({ type: 'message', text: '' });
    }, ttl);
    return () => clearTimeout(t);
  }, [ui.message, ui.seqMsg, dispatch, ttl]);

  // Nothing selected yet: pin the top row by its id, so later re-sorting moves the cursor with it.
  const firstKey = usePane((s) => s.signals[0]?.key);
  useEffect(() => {
    if (uiRef.current.selKey === null && firstKey !== undefined) dispatch({ type: 'select', key: firstKey });
  }, [firstKey, dispatch]);

  // Rows one page of the focused pane shows, for PgUp/PgDn and Ctrl-d/Ctrl-u.
  const pageRef = useRef(10);

  const onKey = (k: KeyEvent) => {
    const ui = uiRef.current;
    const name = k.name;
    const input = k.text;
    if (name === 'ctrl+c') return store.actions.quit();
    if (ui.confirm) {
      const c = ui.confirm;
      if (name !== 'y' && name !== 'Y') return dispatch({ type: 'answered', message: 'cancelled' });
      let message = '';
      if (c.id === 'paper') message = store.actions.togglePaper();
      else if (c.id === 'halt') message = store.actions.halt();
      else if (c.id === 'resume') message = store.actions.resume();
      else if (c.id === 'execute' && c.key) message = store.actions.execute(c.key);
      return dispatch({ type: 'answered', message });
    }
    if (ui.filtering) {
      if (name === 'escape') return dispatch({ type: 'filterEnd', keep: false });
      if (name === 'return') return dispatch({ type: 'filterEnd', keep: true });
      if (name === 'backspace') return dispatch({ type: 'filterBackspace' });
      if (input) return dispatch({ type: 'filterInput', text: input });
      return;
    }
    const b = bindingFor(k);
    if (!b) return input ? dispatch({ type: 'message', text: `${input}: no such key (? for help)` }) : undefined;
    const snap = store.getSnapshot();
    // Nothing acts behind the too-small notice or the help overlay, except quit
    // (and the help overlay's own keys).
    if (b.id !== 'quit') {
      const size = sizeRef.current;
      if (size.columns < MIN_COLUMNS || size.rows < MIN_ROWS) return;
      // The kill switch stays reachable (it still asks to confirm).
      if (ui.help && NAV.has(b.id)) {
        const page = helpRows(Math.max(1, size.rows - 3));
        const max = Math.max(0, helpScreenLines(ui.filter, size.columns).length - page);
        const delta = { down: 1, up: -1, top: -1e9, bottom: 1e9, pageDown: page, pageUp: -page, halfDown: Math.ceil(page / 2), halfUp: -Math.ceil(page / 2) }[b.id as NavId];
        return dispatch({ type: 'helpScroll', delta, max });
      }
      if (ui.help && b.id !== 'help' && b.id !== 'escape' && b.id !== 'halt' && b.id !== 'filter') return dispatch({ type: 'message', text: 'help is open: ? or Esc closes it first' });
    }
    switch (b.id) {
      case 'quit':
        return store.actions.quit();
      case 'help':
        return dispatch({ type: 'help' });
      case 'escape':
        return dispatch({ type: 'escape' });
      case 'pause':
        return dispatch({ type: 'message', text: store.actions.togglePause() });
      case 'paper':
        return dispatch({ type: 'ask', confirm: { id: 'paper', prompt: snap.live ? (snap.portfolio.enabled ? 'Turn LIVE trading OFF (real orders stop)?' : `Turn LIVE trading ON for ${snap.live.wallet} (real orders)?`) : snap.portfolio.enabled ? 'Turn paper trading OFF?' : 'Turn paper trading ON?' } });
      case 'halt':
        if (snap.portfolio.breaker.state === 'HALTED') return dispatch({ type: 'message', text: `already HALTED (${snap.portfolio.breaker.reason})` });
        return dispatch({ type: 'ask', confirm: { id: 'halt', prompt: snap.live ? 'HALT LIVE trading now (cancel all at the venue, stop the heartbeat)?' : 'HALT paper trading now (no new orders)?' } });
      case 'resume':
        if (snap.portfolio.breaker.state === 'ARMED') return dispatch({ type: 'message', text: 'not halted: nothing to resume' });
        return dispatch({ type: 'ask', confirm: { id: 'resume', prompt: `Resume trading (halted: ${snap.portfolio.breaker.reason || 'no reason given'})?` } });
      case 'nextPane':
        return dispatch({ type: 'nextPane' });
      case 'focusPane': {
        const p = PANES[Number(name) - 1];
        return p ? dispatch({ type: 'focus', pane: p.id }) : undefined;
      }
      case 'down':
      case 'up':
      case 'top':
      case 'bottom':
      case 'pageDown':
      case 'pageUp':
      case 'halfDown':
      case 'halfUp': {
        const page = pageRef.current;
        const delta = { down: 1, up: -1, top: -1e9, bottom: 1e9, pageDown: page, pageUp: -page, halfDown: Math.ceil(page / 2), halfUp: -Math.ceil(page / 2) }[b.id];
        const pd = ui.paneDetail;
        if (pd?.pane === 'clusters') return dispatch({ type: 'detailMove', delta, count: snap.clusters.find((c) => c.id === pd.key)?.markets?.length ?? 0 });
        if (ui.focus === 'signals' && !ui.detail) return dispatch({ type: 'moveKey', delta, keys: filterSignals(snap.signals, ui.filter).map((r) => r.key) });
        return dispatch({ type: 'move', delta, count: rowsOf(snap, ui).count });
      }
      case 'enter': {
        if (ui.detail) {
          // Only the signal the detail shows, and only while it is in the queue and its gate is open.
          const row = snap.signals.find((r) => r.key === ui.detail);
          if (!row) return dispatch({ type: 'message', text: 'that signal has left the queue: nothing to execute' });
          if (row.kind === 'spike') return dispatch({ type: 'message', text: 'informational row: nothing to execute' });
          if (!snap.portfolio.enabled) return dispatch({ type: 'message', text: 'paper trading is OFF: t turns it on; nothing executed' });
          if (row.gate !== 'ready') return dispatch({ type: 'message', text: `blocked by ${row.gate}; nothing executed` });
          return dispatch({ type: 'ask', confirm: { id: 'execute', prompt: `Execute ${row.label} ${row.side} (${row.size === undefined ? '—' : row.size.toFixed(2)}) on paper?`, key: ui.detail } });
        }
        if (ui.focus !== 'signals') {
          if (ui.paneDetail) return;
          const sel = ui.sel[ui.focus];
          if (ui.focus === 'shards') {
            const r = sortShards(snap.shards, ui.sort.shards)[sel];
            return r ? dispatch({ type: 'paneDetail', detail: { pane: 'shards', key: String(r.id) } }) : dispatch({ type: 'message', text: 'no shard yet' });
          }
          if (ui.focus === 'ofi') {
            const r = sortOfi(snap.ofi.filter((x) => matches(ui.filter, x.question, x.marketId)), ui.sort.ofi)[sel];
            return r ? dispatch({ type: 'paneDetail', detail: { pane: 'ofi', key: r.token } }) : dispatch({ type: 'message', text: 'no token selected' });
          }
          if (ui.focus === 'clusters') {
            const r = clustersShown(snap, ui)[sel];
            return r ? dispatch({ type: 'paneDetail', detail: { pane: 'clusters', key: r.id } }) : dispatch({ type: 'message', text: 'no cluster yet: the scan lists them after its first batch' });
          }
          if (ui.focus === 'portfolio' && !ui.blotter) {
            const r = snap.portfolio.positions[sel];
            return r ? dispatch({ type: 'paneDetail', detail: { pane: 'portfolio', key: r.tokenId } }) : dispatch({ type: 'message', text: 'no open position' });
          }
          return dispatch({ type: 'message', text: 'the blotter has no detail view: b for the positions' });
        }
        if (ui.selKey === null) return dispatch({ type: 'message', text: 'no signal selected' });
        if (!snap.signals.some((r) => r.key === ui.selKey)) return dispatch({ type: 'message', text: 'the selected signal has left the queue: j/k to select another' });
        if (!filterSignals(snap.signals, ui.filter).some((r) => r.key === ui.selKey)) return dispatch({ type: 'message', text: 'the selected signal is hidden by the filter: j/k to select another' });
        return dispatch({ type: 'detail', key: ui.selKey });
      }
      case 'filter':
        if (ui.help) return dispatch({ type: 'filterStart' });
        return ui.focus === 'shards' || ui.focus === 'portfolio' ? dispatch({ type: 'message', text: 'this pane has no filter' }) : dispatch({ type: 'filterStart' });
      case 'zoom':
        return dispatch({ type: 'zoom' });
      case 'blotter':
        if (ui.focus !== 'portfolio' && !(columns >= WIDE_COLUMNS && rows >= WIDE_ROWS)) dispatch({ type: 'focus', pane: 'portfolio' });
        dispatch({ type: 'blotter' });
        return dispatch({ type: 'message', text: uiRef.current.blotter ? 'portfolio: blotter (b for positions)' : 'portfolio: positions (b for the blotter)' });
      case 'batchUp':
      case 'batchDown':
        return dispatch({ type: 'message', text: store.actions.batchSize(b.id === 'batchUp' ? 1 : -1) });
      case 'intervalUp':
      case 'intervalDown':
        return dispatch({ type: 'message', text: store.actions.interval(b.id === 'intervalUp' ? 1 : -1) });
      case 'sort':
      case 'sortReverse': {
        if (ui.focus !== 'shards' && ui.focus !== 'ofi' && ui.focus !== 'clusters') return dispatch({ type: 'message', text: ui.focus === 'signals' ? 'the queue is ranked by the engine (best first): no sort' : 'this pane has no sort' });
        dispatch({ type: b.id === 'sort' ? 'sortNext' : 'sortReverse', pane: ui.focus });
        const label = sortLabel(ui.focus, uiRef.current.sort[ui.focus]);
        return dispatch({ type: 'message', text: label ? `${ui.focus}: ${label}` : `${ui.focus}: the engine's order` });
      }
      case 'copy':
      case 'copyUrl': {
        const m = selectedMarket(snap, ui);
        if (!m) return dispatch({ type: 'message', text: ui.focus === 'clusters' && !ui.paneDetail ? 'a cluster is not a market: Enter lists its markets, then c or u' : 'no market selected: nothing copied' });
        if (b.id === 'copy') {
          copy(osc52(m.id));
          return dispatch({ type: 'message', text: `copied market id ${shortId(m.id)} (OSC 52; your terminal must allow clipboard writes)` });
        }
        if (!m.url) return dispatch({ type: 'message', text: `market ${shortId(m.id)} has no usable slug for a link: nothing copied (c copies its id)` });
        copy(osc52(m.url));
        const sim = snap.status.source === 'SIM' ? ' · simulated venue: polymarket.com may have no such page' : '';
        return dispatch({ type: 'message', text: `copied URL ${m.url.length > 100 ? `${m.url.slice(0, 99)}…` : m.url}${sim} (OSC 52)` });
      }
    }
  };
  // A run of keys in one event (a burst, key repeat, a paste) is heard key by key, in order.
  useInput((input, key) => {
    for (const k of keysOf(input, key)) onKey(k);
  });

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) return <TooSmall columns={columns} rows={rows} />;
  // Ink 6 clears the whole screen every frame once the frame reaches the terminal height.
  const height = rows - 1;
  const body = height - 2;
  const wide = columns >= WIDE_COLUMNS && rows >= WIDE_ROWS;
  const pane = (id: PaneId, width: number, h: number): ReactElement => {
    const focused = ui.focus === id;
    // Borders, title and column header take about four rows.
    if (focused) pageRef.current = Math.max(1, h - 4);
    const filter = focused ? ui.filter : '';
    const sel = ui.sel[id];
    switch (id) {
      case 'shards':
        return <ShardPane key={id} width={width} height={h} focused={focused} selected={sel} sort={ui.sort.shards} />;
      case 'ofi':
        return <OfiPane key={id} width={width} height={h} focused={focused} selected={sel} filter={filter} sort={ui.sort.ofi} />;
      case 'signals':
        return <SignalPane key={id} width={width} height={h} focused={focused} selectedKey={ui.selKey} filter={filter} />;
      case 'clusters':
        return <ClusterPane key={id} width={width} height={h} focused={focused} selected={sel} filter={filter} sort={ui.sort.clusters} />;
      case 'portfolio':
        return <PortfolioPane key={id} width={width} height={h} focused={focused} selected={sel} blotter={ui.blotter} />;
    }
  };
  let main: ReactElement;
  if (ui.help) main = <HelpOverlay width={columns} height={body} scroll={ui.helpScroll} query={ui.filter} />;
  else if (ui.detail) main = <SignalDetail signalKey={ui.detail} width={columns} height={body} />;
  else if (ui.paneDetail) {
    if (ui.paneDetail.pane === 'clusters') pageRef.current = clusterDetailRows(body);
    main = <PaneDetail detail={ui.paneDetail} width={columns} height={body} selected={ui.detailSel} />;
  }
  else if (wide && !ui.zoom) {
    // Signals get a full-width row: the question is what the operator reads.
    const top = Math.floor(body * 0.28);
    const bottom = Math.max(8, Math.floor(body * 0.27));
    const middle = body - top - bottom;
    const narrow = Math.floor(columns * 0.4);
    main = (
      <Box flexDirection="column" width={columns} height={body}>
        <Box height={top}>
          {pane('shards', narrow, top)}
          {pane('ofi', columns - narrow, top)}
        </Box>
        {pane('signals', columns, middle)}
        <Box height={bottom}>
          {pane('clusters', narrow, bottom)}
          {pane('portfolio', columns - narrow, bottom)}
        </Box>
      </Box>
    );
  } else if (rows >= TALL_ROWS && !ui.zoom) {
    // Narrow and tall (80×100): every pane, stacked, the queue the tallest.
    const hs = [0.15, 0.2, 0.3, 0.15].map((f) => Math.floor(body * f));
    const last = body - hs.reduce((a, b) => a + b, 0);
    main = (
      <Box flexDirection="column" width={columns} height={body}>
        {pane('shards', columns, hs[0]!)}
        {pane('ofi', columns, hs[1]!)}
        {pane('signals', columns, hs[2]!)}
        {pane('clusters', columns, hs[3]!)}
        {pane('portfolio', columns, last)}
      </Box>
    );
  } else {
    main = (
      <Box flexDirection="column" width={columns} height={body}>
        <TabBar width={columns} focus={ui.focus} />
        {pane(ui.focus, columns, body - 1)}
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={columns} height={height}>
      <StatusBar width={columns} />
      {main}
      <Footer width={columns} line={line} confirm={ui.confirm} filtering={ui.filtering} filter={ui.filter} message={ui.message} />
    </Box>
  );
}

const toTerminal = (escape: string) => void process.stdout.write(escape);

/** `copy` writes an escape sequence straight to the terminal (beside Ink's frame, not inside it). */
export function App({ store, messageTtlMs = MESSAGE_TTL_MS, copy = toTerminal }: { store: StoreLike; messageTtlMs?: number; copy?: (escape: string) => void }) {
  return (
    <StoreContext.Provider value={store}>
      <Layout ttl={messageTtlMs} copy={copy} />
    </StoreContext.Provider>
  );
}
