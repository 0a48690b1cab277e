// The Shards pane shows the screen's figures: tokens streamed, tokens screened
// (of every open token), unconfirmed candidates and the screen's age bound.
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../components/App.js';
import { renderSized } from '../helpers/render.js';
import { StaticStore, sampleSnapshot } from '../helpers/static-store.js';
import { waitFor } from '../helpers/wait.js';

const mounted: { unmount(): void }[] = [];
afterEach(() => mounted.splice(0).forEach((m) => m.unmount()));

describe('Shards pane: the screen', () => {
  it('at 120×40 reads "streamed 2000 screened 3996 cand 16 age 7.2s" (of every token, on wider panes)', async () => {
    const snap = sampleSnapshot();
    snap.status = { ...snap.status, screen: { streamed: 2000, screened: 3996, universe: 3996, candidates: 16, promoted: 35, ageMs: 7_200, budgetPer10s: 20 } };
    const r = renderSized(<App store={new StaticStore(snap)} />, 120, 40);
    mounted.push(r);
    const frame = r.lastFrame()!;
    expect(frame).toMatch(/ {2}streamed 2000 screened 3996 cand 16 age 7\.2s/);
    // At 80×24 the focused Shards pane (key 1) is the full width: the universe shows too.
    const wide = renderSized(<App store={new StaticStore(snap)} />, 80, 24);
    mounted.push(wide);
    wide.stdin.write('1');
    await waitFor(() => /streamed 2000 screened 3996\/3996 cand 16 age 7\.2s/.test(wide.lastFrame() ?? ''), { timeoutMs: 5_000, what: 'the Shards pane at full width' });
  });

  it('before the first full pass the age is a dash, and without a screen the line is absent', () => {
    const snap = sampleSnapshot();
    snap.status = { ...snap.status, screen: { streamed: 2000, screened: 1500, universe: 3996, candidates: 0, promoted: 0, ageMs: -1, budgetPer10s: 20 } };
    const r = renderSized(<App store={new StaticStore(snap)} />, 120, 40);
    mounted.push(r);
    expect(r.lastFrame()!).toMatch(/streamed 2000 screened 1500 cand 0 age —/);
    const bare = renderSized(<App store={new StaticStore(sampleSnapshot())} />, 120, 40);
    mounted.push(bare);
    expect(bare.lastFrame()!).not.toMatch(/screened/);
  });
});
