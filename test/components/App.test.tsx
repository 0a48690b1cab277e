import React from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../components/App.js';
import { TerminalSizeContext } from '../../components/context.js';
import { KEY_BINDINGS, keyLabel } from '../../components/keys.js';
import { StaticStore, sampleSnapshot } from '../helpers/static-store.js';
import { waitFor } from '../helpers/wait.js';

function mount(store: StaticStore, columns = 100, rows = 30) {
  return render(
    <TerminalSizeContext.Provider value={{ columns, rows }}>
      <App store={store} />
    </TerminalSizeContext.Provider>,
  );
}

describe('App', () => {
  it('shows the source, run state, msgs/s and books in the status bar', () => {
    const { lastFrame } = mount(new StaticStore(sampleSnapshot()));
    const first = lastFrame()!.split('\n')[0]!;
    expect(first).toContain('SIM');
    expect(first).toContain('RUNNING');
    expect(first).toContain('1,234 msg/s');
    expect(first).toContain('books 398/400 fresh');
  });

  it('renders a shard row per connection with state glyph and word', () => {
    const frame = mount(new StaticStore(sampleSnapshot())).lastFrame()!;
    expect(frame).toMatch(/0 ● open\s+200\s+20/);
    expect(frame).toMatch(/1 ↻ retry\s+200/);
    expect(frame).toContain('silent for 31 s');
  });

  it('p asks the store to pause and the status bar then says PAUSED', async () => {
    const store = new StaticStore(sampleSnapshot());
    const { lastFrame, stdin } = mount(store);
    await waitFor(() => lastFrame()!.includes('RUNNING'));
    stdin.write('p');
    await waitFor(() => lastFrame()!.includes('PAUSED'), { what: 'PAUSED' });
    expect(store.calls).toEqual(['togglePause']);
  });

  it('? opens a help overlay listing every key from the registry; Esc closes it', async () => {
    const { lastFrame, stdin } = mount(new StaticStore(sampleSnapshot()));
    await waitFor(() => lastFrame()!.includes('Shards'));
    stdin.write('?');
    const help = await waitFor(() => (lastFrame()!.includes('Keys') ? lastFrame()! : ''));
    for (const b of KEY_BINDINGS) {
      expect(help).toContain(keyLabel(b));
      expect(help).toContain(b.help.slice(0, 30));
    }
    stdin.write('\u001b');
    await waitFor(() => lastFrame()!.includes('Shards'), { what: 'help closed' });
  });

  it('keeps the frame within rows − 1 lines', () => {
    const frame = mount(new StaticStore(sampleSnapshot()), 100, 30).lastFrame()!;
    expect(frame.split('\n').length).toBeLessThanOrEqual(29);
  });

  it('below 80×24 shows "terminal too small" and q still quits', async () => {
    const store = new StaticStore(sampleSnapshot());
    const { lastFrame, stdin } = mount(store, 70, 20);
    expect(lastFrame()).toContain('terminal too small (need 80×24, have 70×20)');
    stdin.write('q');
    await waitFor(() => store.calls.includes('quit'), { what: 'quit' });
  });

  it('the footer lists the footer keys from the registry', () => {
    const frame = mount(new StaticStore(sampleSnapshot())).lastFrame()!;
    const footer = frame.split('\n').at(-1)!;
    for (const b of KEY_BINDINGS.filter((k) => k.footer)) expect(footer).toContain(`${keyLabel(b)} ${b.label}`);
  });
});
