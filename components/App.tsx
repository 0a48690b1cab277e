import React, { useState } from 'react';
import { Box, useInput } from 'ink';
import { StoreContext, usePane, useStore, useTerminalSize } from './context.js';
import { bindingFor } from './keys.js';
import { StatusBar } from './StatusBar.js';
import { ShardPane } from './ShardPane.js';
import { Footer } from './Footer.js';
import { HelpOverlay } from './HelpOverlay.js';
import { MIN_COLUMNS, MIN_ROWS, TooSmall } from './TooSmall.js';
import type { StoreLike } from '../store/snapshot.js';

function Layout() {
  const store = useStore();
  const { columns, rows } = useTerminalSize();
  const [help, setHelp] = useState(false);
  const line = usePane((s) => (s.status.notice ? s.status.notice : s.status.line));

  useInput((input, key) => {
    const b = bindingFor(input, key);
    if (!b) return;
    if (b.id === 'quit') store.actions.quit();
    else if (b.id === 'help') setHelp((h) => !h);
    else if (b.id === 'escape') setHelp(false);
    else if (b.id === 'pause') store.actions.togglePause();
  });

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) return <TooSmall columns={columns} rows={rows} />;
  // Ink 6 clears the whole screen every frame once the frame reaches the terminal height.
  const height = rows - 1;
  const body = height - 2;
  return (
    <Box flexDirection="column" width={columns} height={height}>
      <StatusBar width={columns} />
      {help ? <HelpOverlay width={columns} height={body} /> : <ShardPane width={columns} height={body} focused />}
      <Footer width={columns} line={line} />
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
