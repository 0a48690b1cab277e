import React, { useCallback, useRef, useState, type ReactElement } from 'react';
import { Box, useInput } from 'ink';
import { StoreContext, usePane, useStore, useTerminalSize } from './context.js';
import { bindingFor, keyName } from './keys.js';
import { StatusBar } from './StatusBar.js';
import { ShardPane } from './ShardPane.js';
import { OfiPane } from './OfiPane.js';
import { SignalPane, filterSignals } from './SignalPane.js';
import { ClusterPane } from './ClusterPane.js';
import { PortfolioPane } from './PortfolioPane.js';
import { SignalDetail } from './SignalDetail.js';
import { Footer } from './Footer.js';
import { TabBar } from './TabBar.js';
import { HelpOverlay } from './HelpOverlay.js';
import { MIN_COLUMNS, MIN_ROWS, TooSmall } from './TooSmall.js';
import { INITIAL_UI, PANES, matches, uiReducer, type PaneId, type UiAction, type UiState } from './ui-state.js';
import type { Snapshot, StoreLike } from '../store/snapshot.js';

/** All panes from this size; one focused pane with tabs below it. */
export const WIDE_COLUMNS = 120;
export const WIDE_ROWS = 40;

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

function Layout() {
  const store = useStore();
  const { columns, rows } = useTerminalSize();
  // The reducer runs eagerly into a ref: a key pressed before React re-renders
  // (fast typing, a paste) must see the state the previous key produced.
  const uiRef = useRef<UiState>(INITIAL_UI);
  const [ui, setUi] = useState<UiState>(INITIAL_UI);
  const dispatch = useCallback((a: UiAction) => {
    uiRef.current = uiReducer(uiRef.current, a);
    setUi(uiRef.current);
  }, []);
  const line = usePane((s) => (s.status.notice ? s.status.notice : `${s.status.line}${s.status.scan.line ? ` · ${s.status.scan.line}` : ''}`));

  useInput((input, key) => {
    const ui = uiRef.current;
    const name = keyName(input, key);
    if (ui.confirm) {
      const c = ui.confirm;
      if (input !== 'y' && input !== 'Y') return dispatch({ type: 'answered', message: 'cancelled' });
      let message = '';
      if (c.id === 'paper') store.actions.togglePaper();
      else if (c.id === 'halt') store.actions.halt();
      else if (c.id === 'resume') store.actions.resume();
      else if (c.id === 'execute' && c.key) message = store.actions.execute(c.key);
      return dispatch({ type: 'answered', message });
    }
    if (ui.filtering) {
      if (key.escape) return dispatch({ type: 'filterEnd', keep: false });
      if (key.return) return dispatch({ type: 'filterEnd', keep: true });
      if (key.backspace || key.delete) return dispatch({ type: 'filterBackspace' });
      if (input && !key.ctrl && input >= ' ') return dispatch({ type: 'filterInput', text: input });
      return;
    }
    const b = bindingFor(input, key);
    if (!b) return;
    const snap = store.getSnapshot();
    switch (b.id) {
      case 'quit':
        return store.actions.quit();
      case 'help':
        return dispatch({ type: 'help' });
      case 'escape':
        return dispatch({ type: 'escape' });
      case 'pause':
        return store.actions.togglePause();
      case 'paper':
        return dispatch({ type: 'ask', confirm: { id: 'paper', prompt: snap.portfolio.enabled ? 'Turn paper trading OFF?' : 'Turn paper trading ON?' } });
      case 'halt':
        return dispatch({ type: 'ask', confirm: { id: 'halt', prompt: 'HALT paper trading now (no new orders)?' } });
      case 'resume':
        return dispatch({ type: 'ask', confirm: { id: 'resume', prompt: 'Resume trading after the halt?' } });
      case 'nextPane':
        return dispatch({ type: 'nextPane' });
      case 'focusPane': {
        const p = PANES[Number(name) - 1];
        return p ? dispatch({ type: 'focus', pane: p.id }) : undefined;
      }
      case 'down':
      case 'up':
        return dispatch({ type: 'move', delta: b.id === 'down' ? 1 : -1, count: rowsOf(snap, ui).count });
      case 'enter': {
        if (ui.detail) return dispatch({ type: 'ask', confirm: { id: 'execute', prompt: 'Execute this signal on paper?', key: ui.detail } });
        if (ui.focus !== 'signals') return;
        const k = rowsOf(snap, ui).keyAt(ui.sel.signals);
        return k ? dispatch({ type: 'detail', key: k }) : undefined;
      }
      case 'filter':
        return ui.focus === 'shards' || ui.focus === 'portfolio' ? dispatch({ type: 'message', text: 'this pane has no filter' }) : dispatch({ type: 'filterStart' });
      case 'zoom':
        return dispatch({ type: 'zoom' });
      case 'batchUp':
      case 'batchDown':
        return store.actions.batchSize(b.id === 'batchUp' ? 1 : -1);
      case 'intervalUp':
      case 'intervalDown':
        return store.actions.interval(b.id === 'intervalUp' ? 1 : -1);
    }
  });

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) return <TooSmall columns={columns} rows={rows} />;
  // Ink 6 clears the whole screen every frame once the frame reaches the terminal height.
  const height = rows - 1;
  const body = height - 2;
  const wide = columns >= WIDE_COLUMNS && rows >= WIDE_ROWS;
  const pane = (id: PaneId, width: number, h: number): ReactElement => {
    const focused = ui.focus === id;
    const filter = focused ? ui.filter : '';
    const sel = ui.sel[id];
    switch (id) {
      case 'shards':
        return <ShardPane key={id} width={width} height={h} focused={focused} selected={sel} />;
      case 'ofi':
        return <OfiPane key={id} width={width} height={h} focused={focused} selected={sel} filter={filter} />;
      case 'signals':
        return <SignalPane key={id} width={width} height={h} focused={focused} selected={sel} filter={filter} />;
      case 'clusters':
        return <ClusterPane key={id} width={width} height={h} focused={focused} selected={sel} filter={filter} />;
      case 'portfolio':
        return <PortfolioPane key={id} width={width} height={h} focused={focused} selected={sel} />;
    }
  };
  let main: ReactElement;
  if (ui.help) main = <HelpOverlay width={columns} height={body} />;
  else if (ui.detail) main = <SignalDetail signalKey={ui.detail} width={columns} height={body} />;
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

export function App({ store }: { store: StoreLike }) {
  return (
    <StoreContext.Provider value={store}>
      <Layout />
    </StoreContext.Provider>
  );
}
