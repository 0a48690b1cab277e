// The store and terminal size reach components through context: tests inject
// both, the real app passes the EngineStore and the live stdout size.
import React, { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import { useStdout } from 'ink';
import type { Snapshot, StoreLike } from '../store/snapshot.js';

export const StoreContext = createContext<StoreLike | null>(null);

export interface TerminalSize {
  columns: number;
  rows: number;
}

/** Set by tests (ink-testing-library has no rows); otherwise the live stdout size is used. */
export const TerminalSizeContext = createContext<TerminalSize | null>(null);

export function useStore(): StoreLike {
  const store = useContext(StoreContext);
  if (!store) throw new Error('StoreContext missing');
  return store;
}

/** Subscribes to one pane of the snapshot; re-renders only when that pane changes identity. */
export function usePane<T>(select: (s: Snapshot) => T): T {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, () => select(store.getSnapshot()));
}

export function useTerminalSize(): TerminalSize {
  const injected = useContext(TerminalSizeContext);
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 100, rows: stdout.rows || 30 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (injected) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, injected]);
  return injected ?? size;
}
