// The console shows alert channel health on the status line, and the help
// overlay lists the remote commands.
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../components/App.js';
import { renderSized } from '../helpers/render.js';
import { StaticStore, sampleSnapshot } from '../helpers/static-store.js';
import { waitFor } from '../helpers/wait.js';

const mounted: { unmount(): void }[] = [];
afterEach(() => mounted.splice(0).forEach((m) => m.unmount()));

describe('alerts in the console', () => {
  it('status line: channels answering, newest send, queued, suppressed; a channel down is called out', () => {
    const snap = sampleSnapshot();
    const ok = new StaticStore({ ...snap, status: { ...snap.status, alerts: { channels: 2, connected: 2, lastSentAgoSec: 12, queued: 3, suppressed: 98, failed: 0, lastError: '' } } });
    const r1 = renderSized(<App store={ok} />, 200, 40);
    mounted.push(r1);
    expect(r1.lastFrame()).toContain('alerts ✓ last 12s q3 ⊘98');
    const down = new StaticStore({ ...snap, status: { ...snap.status, alerts: { channels: 3, connected: 2, lastSentAgoSec: -1, queued: 40, suppressed: 0, failed: 1, lastError: 'HTTP 500' } } });
    const r2 = renderSized(<App store={down} />, 200, 40);
    mounted.push(r2);
    expect(r2.lastFrame()).toContain('alerts ✗ 1/3 down last — q40');
  });

  it('? lists the remote commands, marking the one that needs /confirm', async () => {
    const r = renderSized(<App store={new StaticStore(sampleSnapshot())} />, 120, 40);
    mounted.push(r);
    r.stdin.write('?');
    await waitFor(() => r.lastFrame()?.includes('Keys —'), { timeoutMs: 10_000, what: 'help' });
    // The help's own section for the remote commands, right after the keys: page down to it.
    let frame = r.lastFrame()!;
    for (let i = 0; i < 10 && !frame.includes('Remote (Telegram)'); i++) {
      const before = frame;
      r.stdin.write('\u001b[6~');
      frame = await waitFor(() => (r.lastFrame() !== before ? r.lastFrame()! : ''), { timeoutMs: 10_000, what: 'next help page' });
    }
    // Read as text: the help wraps long lines inside its border.
    const text = frame.replace(/[║│\s]+/g, ' ');
    expect(text).toContain('/status /profit /positions /feed /pause /resume* /halt /confirm /help');
    expect(text).toContain('needs /confirm');
  });
});
