import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../src/engine.js';
import { openDatabase } from '../../src/persist/db.js';
import { EngineStore } from '../../store/engine-store.js';
import { App } from '../../src/app.js';

function setup() {
  const { db } = openDatabase(':memory:');
  const engine = new Engine({ kind: 'SIM', gammaUrl: 'http://127.0.0.1:1', clobUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' }, db);
  let now = 1_700_000_000_000;
  const store = new EngineStore(new App(engine), { hz: 5, now: () => now });
  return { db, engine, store, tick: (ms: number) => (now += ms) };
}

describe('EngineStore', () => {
  afterEach(() => vi.useRealTimers());

  it('publishes on its timer at 5 Hz, not per engine change', () => {
    vi.useFakeTimers();
    const { store, engine } = setup();
    let notified = 0;
    store.subscribe(() => notified++);
    store.start();
    const afterStart = notified;
    // 10,000 engine-side changes between publishes notify nobody.
    for (let i = 0; i < 10_000; i++) engine.ingest.counters.events++;
    expect(notified).toBe(afterStart);
    vi.advanceTimersByTime(1000);
    expect(notified - afterStart).toBe(5);
    store.stop();
  });

  it('keeps the identity of panes that did not change and replaces those that did', () => {
    const { store } = setup();
    store.publish();
    const a = store.getSnapshot();
    store.publish();
    const b = store.getSnapshot();
    expect(b.seq).toBe(a.seq + 1);
    expect(b.status).toBe(a.status);
    expect(b.shards).toBe(a.shards);
    store.actions.togglePause();
    const c = store.getSnapshot();
    expect(c.status).not.toBe(b.status);
    expect(c.status.run).toBe('PAUSED');
    expect(c.shards).toBe(b.shards);
  });

  it('audits pause and resume with old and new values', () => {
    const { store, db } = setup();
    store.actions.togglePause();
    store.actions.togglePause();
    const rows = db.prepare('SELECT action, old_value, new_value FROM operator_actions ORDER BY id').all();
    expect(rows).toEqual([
      { action: 'pause', old_value: 'RUNNING', new_value: 'PAUSED' },
      { action: 'pause', old_value: 'PAUSED', new_value: 'RUNNING' },
    ]);
  });
});
