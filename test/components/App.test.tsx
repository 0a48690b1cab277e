import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../components/App.js';
import { renderSized } from '../helpers/render.js';
import { KEY_BINDINGS, keyLabel } from '../../components/keys.js';
import { LEGEND } from '../../components/legend.js';
import { StaticStore, sampleSnapshot } from '../helpers/static-store.js';
import { waitFor } from '../helpers/wait.js';

const mounted: { unmount(): void }[] = [];
afterEach(() => mounted.splice(0).forEach((m) => m.unmount()));

function mount(store: StaticStore, columns = 120, rows = 40, messageTtlMs?: number) {
  const r = renderSized(<App store={store} {...(messageTtlMs !== undefined ? { messageTtlMs } : {})} />, columns, rows);
  mounted.push(r);
  return r;
}

const press = async (stdin: { write(s: string): void }, frame: () => string | undefined, key: string, until: (f: string) => boolean, what: string) => {
  stdin.write(key);
  try {
    return await waitFor(() => (until(frame() ?? '') ? frame()! : ''), { what, timeoutMs: 3000 });
  } catch (err) {
    throw new Error(`${(err as Error).message}; last frame:\n${frame()}`);
  }
};

describe('App layouts', () => {
  it('120×40: every pane at once (Shards, OFI, Signals, Clusters, Portfolio), within rows − 1 lines', () => {
    const frame = mount(new StaticStore(sampleSnapshot())).lastFrame()!;
    for (const t of ['1 Shards', '2 OFI', '3 Signals', '4 Clusters', '5 Portfolio']) expect(frame).toContain(t);
    expect(frame.split('\n').length).toBeLessThanOrEqual(39);
  });

  it('80×24: one focused pane with tabs, within rows − 1 lines', () => {
    const frame = mount(new StaticStore(sampleSnapshot()), 80, 24).lastFrame()!;
    expect(frame).toMatch(/1 Shards.*2 OFI.*3 Signals.*4 Clusters.*5 Portfolio/);
    expect(frame).toContain('▸ 3 Signals');
    expect(frame).not.toContain('4 Clusters (');
    expect(frame.split('\n').length).toBeLessThanOrEqual(23);
  });

  it('below 80×24 shows "terminal too small" and q still quits', async () => {
    const store = new StaticStore(sampleSnapshot());
    const { lastFrame, stdin } = mount(store, 70, 20);
    expect(lastFrame()).toContain('terminal too small (need 80×24, have 70×20)');
    stdin.write('q');
    await waitFor(() => store.calls.includes('quit'), { what: 'quit' });
  });
});

describe('status bar', () => {
  it('shows source, RUNNING, PAPER state, books, msgs/s, batch and interval, budget, clock', () => {
    const first = mount(new StaticStore(sampleSnapshot()), 160, 40).lastFrame()!.split('\n')[0]!;
    expect(first).toMatch(/◇ SIM.*▶ RUNNING.*● PAPER ON.*books 398\/400.*1,234 msg\/s.*batch 150\/300s.*budget 100%.*12:00:00Z/);
  });

  it('80 columns still shows source, run state, paper state and books', () => {
    const first = mount(new StaticStore(sampleSnapshot()), 80, 24).lastFrame()!.split('\n')[0]!;
    expect(first).toMatch(/SIM.*RUNNING.*PAPER ON.*books 398\/400/);
  });
});

describe('panes', () => {
  it('Shards: state as glyph and word, assets, msgs/s, reconnects, gaps, stale books, reason', () => {
    const frame = mount(new StaticStore(sampleSnapshot()), 160, 40).lastFrame()!;
    expect(frame).toMatch(/0 ● open\s+200\s+20/);
    expect(frame).toMatch(/1 ↻ retry\s+200\s+0 .*\s2\s+2\s+200 silent/);
  });

  it('OFI: signed value with direction glyph, flow, divergence, gap flag, micro type', () => {
    const frame = mount(new StaticStore(sampleSnapshot()), 160, 40).lastFrame()!;
    expect(frame).toMatch(/▲\s+\+2\.50 .*120\s+\+0\.2\s+ok\s+STRONG_BULLISH/);
    expect(frame).toMatch(/▼\s+-1\.25 .*⚠gap/);
  });

  it('Signals: rank, tier glyph+word, strategy, side, entry, edge after fees, size, OFI, confidence, gate or ready', () => {
    const frame = mount(new StaticStore(sampleSnapshot()), 140, 40).lastFrame()!;
    expect(frame).toMatch(/1 ⇄ ARB\s+buy-both\s+YES \+ NO\s+—\s+\+0\.040\s+120/);
    expect(frame).toMatch(/2 ○ WATCH\s+WEATHER_FADE_…\s+BUY No\s+0\.93\s+\+0\.006\s+300\s+\+1\.5\s+0\.94 ✓ ready\s+Will the highest temperature in Chicago/);
    // No validated edge: the edge cell says the verdict, the size is empty.
    expect(frame).toMatch(/3 · IGNOR\s+MUSK_FADE_EXT…\s+BUY No\s+—\s+UNPROV\s+—.*✗ no fresh book/);
  });

  it('Clusters: category, count, confidence, summary', () => {
    const frame = mount(new StaticStore(sampleSnapshot()), 140, 40).lastFrame()!;
    expect(frame).toMatch(/Weather\/Temperature\s+40\s+0\.90 Highest temperature/);
  });

  it('Portfolio: cash, equity, P&L, fees, breaker, positions marked to the bid', () => {
    const frame = mount(new StaticStore(sampleSnapshot()), 140, 40).lastFrame()!;
    expect(frame).toMatch(/breaker ● ARMED\s+cash \$9,876\.50\s+equity \$10,012\.25/);
    expect(frame).toMatch(/realised \$12\.50\s+unrealised \$135\.75\s+fees \$3\.21\s+orders 4 fills 5/);
    expect(frame).toMatch(/120\.0\s+0\.480\s+0\.500\s+\$2\.40 Yes/);
  });

  it('Portfolio: a YES+NO basket is one line with what it locks in; b shows the blotter with why and realised P&L', async () => {
    const snap = sampleSnapshot();
    snap.portfolio = {
      ...snap.portfolio,
      positions: [{ tokenId: 'b-yes', marketId: 'b', question: 'Will it rain?', outcome: 'YES+NO', shares: 100, avgCost: 0.967, mark: 1, unrealized: 3.3, basket: { sets: 100, locked: 100, cost: 96.7 } }],
      blotter: [
        { ts: Date.UTC(2026, 0, 1, 12, 0, 5), kind: 'fill', marketId: 'x', tokenId: 'x-yes', outcome: 'Yes', side: 'SELL', price: 0.3, size: 20, fee: 0.21, realized: -4, why: 'stop-loss: bid 0.3000 ≤ avg 0.5000 × (1 − 0.3)' },
        { ts: Date.UTC(2026, 0, 1, 12, 0, 1), kind: 'fill', marketId: 'x', tokenId: 'x-yes', outcome: 'Yes', side: 'BUY', price: 0.5, size: 20, fee: 0.25, realized: null, why: 'operator FADE: p 0.6000 c 0.5125 f 0.0500 [strategy:FADE:x]' },
      ],
    };
    const { lastFrame, stdin } = mount(new StaticStore(snap), 200, 40);
    expect(lastFrame()).toMatch(/100\.0\s+0\.967\s+1\.000\s+\$3\.30\s+—\s+— YES\+NO\s+100\.0 sets lock \$100\.00 \(cost \$96\.70\) Will it rain\?/);
    const f = await press(stdin, lastFrame, 'b', (x) => x.includes('blotter (b: positions)'), 'blotter');
    expect(f).toMatch(/12:00:05 SELL\s+20\.0 Yes\s+0\.300\s+0\.21\s+-\$4\.00 stop-loss: bid 0\.3000 ≤ avg 0\.50/);
    expect(f).toMatch(/12:00:01 BUY\s+20\.0 Yes\s+0\.500\s+0\.25\s+— operator FADE/);
  });

  it('Portfolio: equity and unrealised are — until every position has a mark', () => {
    const snap = sampleSnapshot();
    snap.portfolio = { ...snap.portfolio, equity: null, unrealized: null };
    const frame = mount(new StaticStore(snap), 160, 40).lastFrame()!;
    expect(frame).toContain('equity — (awaiting marks)');
    expect(frame).toMatch(/unrealised —/);
    expect(frame).not.toContain('$10,012.25');
  });

  it('over-long text never spills out of a pane: every bordered line keeps its right border and fits the width', () => {
    const snap = sampleSnapshot();
    const long = 'W'.repeat(300);
    for (const r of snap.signals) Object.assign(r, { question: long, label: long, side: long, gate: long });
    for (const c of snap.clusters) Object.assign(c, { summary: long, category: long });
    for (const o of snap.ofi) o.question = long;
    for (const p of snap.portfolio.positions) Object.assign(p, { question: long, outcome: long });
    for (const [columns, rows] of [[120, 40], [80, 24]] as const) {
      const lines = mount(new StaticStore(snap), columns, rows).lastFrame()!.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
      for (const line of lines) {
        expect([...line].length).toBeLessThanOrEqual(columns);
        if (line.startsWith('│')) expect(line.endsWith('│')).toBe(true);
      }
    }
  });

  it('a market title with escape sequences and control characters renders as plain text', () => {
    const snap = sampleSnapshot();
    snap.signals[0]!.question = 'Evil \u001b[2J\u001b]0;pwn\u0007title\u0000 with\nnewline \u001bc reset';
    snap.clusters[0]!.summary = '\u001b[31mred\u001b[0m cluster';
    const frame = mount(new StaticStore(snap), 200, 40).lastFrame()!;
    expect(frame).toContain('Evil title with newline reset');
    expect(frame).toContain('red cluster');
    expect(frame).not.toContain('pwn');
    // Only Ink's own colour sequences remain; none of the injected ones.
    expect(frame).not.toMatch(/\u001b\[2J|\u001b\]|\u001bc/);
  });
});

describe('keys', () => {
  it('p asks the store to pause and the status bar then says PAUSED', async () => {
    const store = new StaticStore(sampleSnapshot());
    const { lastFrame, stdin } = mount(store);
    await waitFor(() => lastFrame()!.includes('RUNNING'));
    await press(stdin, lastFrame, 'p', (f) => f.includes('PAUSED'), 'PAUSED');
    expect(store.calls).toEqual(['togglePause']);
  });

  it('t asks to confirm; y toggles paper; any other key cancels', async () => {
    const store = new StaticStore(sampleSnapshot());
    const { lastFrame, stdin } = mount(store);
    await press(stdin, lastFrame, 't', (f) => f.includes('Turn paper trading OFF?'), 'prompt');
    await press(stdin, lastFrame, 'n', (f) => f.includes('cancelled'), 'cancelled');
    expect(store.calls).toEqual([]);
    await press(stdin, lastFrame, 't', (f) => f.includes('Turn paper trading OFF?'), 'prompt');
    await press(stdin, lastFrame, 'y', (f) => f.includes('○ PAPER OFF'), 'paper off');
    expect(store.calls).toEqual(['togglePaper']);
  });

  it('x halts only after confirmation', async () => {
    const store = new StaticStore(sampleSnapshot());
    const { lastFrame, stdin } = mount(store);
    await press(stdin, lastFrame, 'x', (f) => f.includes('HALT paper trading now'), 'prompt');
    await press(stdin, lastFrame, 'y', (f) => f.includes('■ HALTED'), 'halted');
    expect(store.calls).toEqual(['halt']);
  });

  it('+ / - and ] / [ change batch size and interval through the store', async () => {
    const store = new StaticStore(sampleSnapshot());
    const { lastFrame, stdin } = mount(store, 160, 40);
    await press(stdin, lastFrame, '+', (f) => f.includes('batch 200/300s'), 'batch 200');
    await press(stdin, lastFrame, '-', (f) => f.includes('batch 150/300s'), 'batch 150');
    await press(stdin, lastFrame, ']', (f) => f.includes('batch 150/600s'), 'interval 600');
    await press(stdin, lastFrame, '[', (f) => f.includes('batch 150/300s'), 'interval 300');
    expect(store.calls).toEqual(['batchSize 1', 'batchSize -1', 'interval 1', 'interval -1']);
  });

  it('Tab and digits move focus; in 80×24 the tab bar follows', async () => {
    const { lastFrame, stdin } = mount(new StaticStore(sampleSnapshot()), 80, 24);
    await press(stdin, lastFrame, '\t', (f) => f.includes('▸ 4 Clusters'), 'clusters');
    await press(stdin, lastFrame, '1', (f) => f.includes('▸ 1 Shards'), 'shards');
    await press(stdin, lastFrame, '5', (f) => f.includes('▸ 5 Portfolio'), 'portfolio');
  });

  it('j/k select; Enter opens the detail with legs and reasons; Enter again asks to execute; y executes', async () => {
    const store = new StaticStore(sampleSnapshot());
    const { lastFrame, stdin } = mount(store);
    await press(stdin, lastFrame, '\r', (f) => f.includes('legs'), 'detail');
    const detail = lastFrame()!;
    expect(detail).toContain('buy YES 0.48 + NO 0.46, fees 0.01992: net 0.04008 per set');
    expect(detail).toMatch(/BUY YES\s+120\.0 @ 0\.48 fee \$1\.19760/);
    await press(stdin, lastFrame, '\u001b', (f) => f.includes('3 Signals'), 'back');
    await press(stdin, lastFrame, 'j', (f) => /›\s+2 ○ WATCH/.test(f), 'moved');
    await press(stdin, lastFrame, '\r', (f) => f.includes('claimed 95.0% (not used)'), 'detail 2');
    await press(stdin, lastFrame, '\r', (f) => f.includes('Execute WEATHER_FADE_LONGSHOTS BUY No (300.00) on paper?'), 'confirm');
    await press(stdin, lastFrame, 'y', (f) => f.includes('executed strategy:WEATHER_FADE_LONGSHOTS:500002'), 'executed');
    expect(store.calls).toEqual(['execute strategy:WEATHER_FADE_LONGSHOTS:500002']);
  });

  it('selection is by signal id: a queue that re-sorts between key presses never changes the selected, opened or executed signal', async () => {
    const store = new StaticStore(sampleSnapshot());
    const { lastFrame, stdin } = mount(store);
    const reorder = (order: number[]) => {
      const rows = store.getSnapshot().signals;
      const byRank = new Map(rows.map((r) => [r.key, r]));
      const keys = ['arb:a1', 'strategy:WEATHER_FADE_LONGSHOTS:500002', 'strategy:MUSK_FADE_EXTREMES:500003'];
      store.set({ signals: order.map((i, n) => ({ ...byRank.get(keys[i]!)!, rank: n + 1 })) });
    };
    await press(stdin, lastFrame, 'j', (f) => /›\s+2 ○ WATCH\s+WEATHER/.test(f), 'select the weather row');
    // The queue re-sorts: the weather row is now third; the cursor goes with it.
    reorder([2, 0, 1]);
    await waitFor(() => /›\s+3 ○ WATCH\s+WEATHER/.test(lastFrame()!), { what: 'cursor follows the id' });
    expect(lastFrame()).toMatch(/\n│\s+1 · IGNOR/);
    await press(stdin, lastFrame, '\r', (f) => f.includes('#3 WEATHER_FADE_LONGSHOTS'), 'detail of the weather row');
    reorder([1, 2, 0]);
    await press(stdin, lastFrame, '\r', (f) => f.includes('Execute WEATHER_FADE_LONGSHOTS'), 'confirm');
    reorder([0, 2, 1]);
    await press(stdin, lastFrame, 'y', (f) => f.includes('executed strategy:WEATHER_FADE_LONGSHOTS:500002'), 'executed');
    expect(store.calls).toEqual(['execute strategy:WEATHER_FADE_LONGSHOTS:500002']);
    // k from the weather row (now third) selects the row above it, wherever that is.
    await press(stdin, lastFrame, '\u001b', (f) => f.includes('3 Signals'), 'back');
    await press(stdin, lastFrame, 'k', (f) => /›\s+2 · IGNOR\s+MUSK/.test(f), 'k moves by the shown order');
  });

  it('a selected signal that leaves the queue: the pane and the detail say so and nothing executes', async () => {
    const store = new StaticStore(sampleSnapshot());
    const { lastFrame, stdin } = mount(store);
    await press(stdin, lastFrame, 'j', (f) => /›\s+2 ○ WATCH/.test(f), 'select');
    await press(stdin, lastFrame, '\r', (f) => f.includes('#2 WEATHER_FADE_LONGSHOTS'), 'detail');
    store.set({ signals: store.getSnapshot().signals.filter((r) => !r.key.includes('WEATHER')).map((r, i) => ({ ...r, rank: i + 1 })) });
    await waitFor(() => lastFrame()!.includes('has left the queue'), { what: 'detail says it left' });
    await press(stdin, lastFrame, '\r', (f) => f.includes('that signal has left the queue: nothing to execute'), 'no execution');
    expect(lastFrame()).not.toContain('Execute');
    await press(stdin, lastFrame, '\u001b', (f) => f.includes('selected signal left the queue'), 'pane says so');
    await press(stdin, lastFrame, '\r', (f) => f.includes('the selected signal has left the queue'), 'enter refuses');
    expect(store.calls).toEqual([]);
  });

  it('Enter in the detail of a blocked row or with paper off says so and asks nothing', async () => {
    const snap = sampleSnapshot();
    snap.signals[0] = { ...snap.signals[0]!, gate: 'cooldown: cooling down after a loss: 264 s left' };
    const store = new StaticStore(snap);
    const { lastFrame, stdin } = mount(store);
    await press(stdin, lastFrame, '\r', (f) => f.includes('legs'), 'detail');
    expect(lastFrame()).toContain('blocked by cooldown: Enter will not execute');
    await press(stdin, lastFrame, '\r', (f) => f.includes('blocked by cooldown: cooling down after a loss: 264 s left; nothing executed'), 'blocked');
    store.set({ portfolio: { ...store.getSnapshot().portfolio, enabled: false } });
    await press(stdin, lastFrame, '\r', (f) => f.includes('paper trading is OFF'), 'paper off');
    expect(lastFrame()).not.toContain('Execute');
    expect(store.calls).toEqual([]);
  });

  it('every key answers: limits say so, R only offers resume when halted, x when halted says so, unknown keys are named', async () => {
    const store = new StaticStore(sampleSnapshot());
    const { lastFrame, stdin } = mount(store, 160, 40);
    for (const _ of [1, 2, 3, 4]) stdin.write('+');
    await waitFor(() => lastFrame()!.includes('batch 300 (max)'), { what: 'batch at max', timeoutMs: 3000 });
    await press(stdin, lastFrame, 'R', (f) => f.includes('not halted: nothing to resume'), 'resume refused');
    expect(lastFrame()).not.toContain('Resume trading');
    await press(stdin, lastFrame, 'p', (f) => f.includes('paused') && f.includes('PAUSED'), 'pause answered');
    await press(stdin, lastFrame, 'w', (f) => f.includes('w: no such key'), 'unknown key');
    store.set({ portfolio: { ...store.getSnapshot().portfolio, breaker: { state: 'HALTED', reason: 'fail-closed at start', drawdown: 0, resumePending: false } } });
    await press(stdin, lastFrame, 'x', (f) => f.includes('already HALTED (fail-closed at start)'), 'already halted');
    await press(stdin, lastFrame, 'R', (f) => f.includes('Resume trading (halted: fail-closed at start)?'), 'resume offered');
    await press(stdin, lastFrame, 'y', (f) => f.includes('resumed'), 'resumed');
    expect(store.calls).toEqual(['batchSize 1', 'batchSize 1', 'batchSize 1', 'batchSize 1', 'togglePause', 'resume']);
  });

  it('feedback expires, and keys do not act behind the help overlay or the too-small screen (q still quits)', async () => {
    const store = new StaticStore(sampleSnapshot());
    const { lastFrame, stdin } = mount(store, 160, 40, 300);
    await press(stdin, lastFrame, '-', (f) => f.includes('batch 100'), 'message');
    await waitFor(() => !lastFrame()!.includes('batch 100 '), { what: 'message expired', timeoutMs: 3000 });
    await press(stdin, lastFrame, '?', (f) => f.includes('Keys —'), 'help');
    await press(stdin, lastFrame, 'p', (f) => f.includes('help is open'), 'blocked behind help');
    await press(stdin, lastFrame, 'j', (f) => f.includes('help is open'), 'blocked behind help');
    expect(store.calls).toEqual(['batchSize -1']);
    const small = new StaticStore(sampleSnapshot());
    const tiny = mount(small, 60, 20);
    for (const k of ['p', '+', 't', 'x']) tiny.stdin.write(k);
    tiny.stdin.write('q');
    await waitFor(() => small.calls.includes('quit'), { what: 'quit', timeoutMs: 3000 });
    expect(small.calls).toEqual(['quit']);
  });

  it('/ filters the focused pane; Esc clears', async () => {
    const { lastFrame, stdin } = mount(new StaticStore(sampleSnapshot()), 160, 40);
    stdin.write('/');
    for (const ch of 'musk') stdin.write(ch);
    await waitFor(() => lastFrame()!.includes('/musk (1)'), { what: 'filtered' });
    expect(lastFrame()).not.toMatch(/1 ⇄ ARB/);
    stdin.write('\r');
    await press(stdin, lastFrame, '\u001b', (f) => /1 ⇄ ARB/.test(f), 'cleared');
  });

  it('z zooms the focused pane to the whole screen and back', async () => {
    const { lastFrame, stdin } = mount(new StaticStore(sampleSnapshot()));
    await press(stdin, lastFrame, 'z', (f) => !f.includes('4 Clusters (') && f.includes('▸ 3 Signals'), 'zoomed');
    await press(stdin, lastFrame, 'z', (f) => f.includes('4 Clusters'), 'unzoomed');
  });

  it('? lists every key from the registry with its help line; Esc closes it', async () => {
    const { lastFrame, stdin } = mount(new StaticStore(sampleSnapshot()));
    let page = await press(stdin, lastFrame, '?', (f) => f.includes('Keys —'), 'help');
    // The keys come first; page down until every one has been on screen.
    let help = page;
    for (let i = 0; i < 20 && KEY_BINDINGS.some((b) => !help.includes(b.help.slice(0, 30))) && /more below/.test(page); i++) {
      const before = page;
      page = await press(stdin, lastFrame, '\u001b[6~', (f) => f !== before, 'next help page');
      help += page;
    }
    for (const b of KEY_BINDINGS) {
      expect(help).toContain(keyLabel(b));
      expect(help).toContain(b.help.slice(0, 30));
    }
    await press(stdin, lastFrame, '\u001b', (f) => f.includes('3 Signals'), 'closed');
  });

  it('the footer lists the footer keys from the registry', () => {
    const frame = mount(new StaticStore(sampleSnapshot()), 200, 40).lastFrame()!;
    const footer = frame.split('\n').at(-1)!;
    for (const b of KEY_BINDINGS.filter((k) => k.footer)) expect(footer).toContain(`${keyLabel(b)} ${b.label}`);
  });
});

describe('help at 80×24', () => {
  it('every key of the registry and every legend entry is on some page of the help, none cut off; PgDn pages, hidden lines are announced', async () => {
    const { lastFrame, stdin } = mount(new StaticStore(sampleSnapshot()), 80, 24);
    let page = await press(stdin, lastFrame, '?', (f) => f.includes('Keys —'), 'help');
    let all = page;
    for (let i = 0; i < 20 && /\+\d+ more below/.test(page); i++) {
      const before = page;
      page = await press(stdin, lastFrame, '\u001b[6~', (f) => f !== before && f.includes('above'), `page ${i + 2}`);
      all += page;
    }
    expect(page).not.toMatch(/more below/);
    for (const b of KEY_BINDINGS) {
      expect(all).toContain(keyLabel(b));
      expect(all).toContain(b.help.slice(0, 20));
    }
    for (const s of LEGEND) for (const e of s.entries) expect(all).toContain(e.term);
    // g goes back to the top.
    await press(stdin, lastFrame, 'g', (f) => f.includes('Show or hide this help') && !f.includes('above'), 'top');
  });

  it('/ searches keys and legend: msg/s finds the header figure and the Shards column, defined as one sum', async () => {
    const { lastFrame, stdin } = mount(new StaticStore(sampleSnapshot()), 100, 30);
    await press(stdin, lastFrame, '?', (f) => f.includes('Keys —'), 'help');
    const found = await press(stdin, lastFrame, '/msg/s\r', (f) => f.includes('/msg/s (2 found)'), 'search');
    expect(found).toContain('sum of the Shards pane’s msg/s column');
    expect(found).toContain('1 Shards — one row per WebSocket connection');
    expect(found).not.toContain('Quit cleanly');
    await press(stdin, lastFrame, '\u001b', (f) => f.includes('3 Signals'), 'Esc closes the help');
  });
});

describe('keys that arrive together', () => {
  it('a burst in one chunk ("jj") moves two rows, then Enter in the same chunk opens that row', async () => {
    const store = new StaticStore(sampleSnapshot());
    const { lastFrame, stdin } = mount(store);
    await press(stdin, lastFrame, 'jj', (f) => /›\s+3 · IGNOR/.test(f), 'moved two rows');
    await press(stdin, lastFrame, 'k\r', (f) => f.includes('#2 WEATHER_FADE_LONGSHOTS'), 'up one and open it');
  });

  it('a pasted filter with its Enter ("/weather⏎") filters and keeps it; G and g jump to the ends', async () => {
    const store = new StaticStore(sampleSnapshot());
    const { lastFrame, stdin } = mount(store);
    await press(stdin, lastFrame, '/weather\r', (f) => f.includes('WEATHER') && !f.includes('IGNOR') && !f.includes('Enter keeps the filter'), 'filtered');
    await press(stdin, lastFrame, '\u001b', (f) => f.includes('IGNOR'), 'filter cleared');
    await press(stdin, lastFrame, 'G', (f) => /›\s+3 · IGNOR/.test(f), 'last row');
    await press(stdin, lastFrame, 'g', (f) => /›\s+1 /.test(f), 'first row');
    await press(stdin, lastFrame, '\u001b[F', (f) => /›\s+3 · IGNOR/.test(f), 'End');
    await press(stdin, lastFrame, '\u001b[H', (f) => /›\s+1 /.test(f), 'Home');
    await press(stdin, lastFrame, '\u001b[6~', (f) => /›\s+3 · IGNOR/.test(f), 'PgDn');
    await press(stdin, lastFrame, '\u0015', (f) => /›\s+1 /.test(f), 'Ctrl-u');
  });

  it('c copies the selected market id through OSC 52', async () => {
    const store = new StaticStore(sampleSnapshot());
    const copied: string[] = [];
    const r = renderSized(<App store={store} copy={(s) => copied.push(s)} />, 120, 40);
    mounted.push(r);
    await press(r.stdin, r.lastFrame, 'c', (f) => f.includes('copied'), 'copied');
    const id = store.getSnapshot().signals[0]!.marketIds[0]!;
    expect(copied).toEqual([`\u001b]52;c;${Buffer.from(id).toString('base64')}\u0007`]);
  });
});

describe('Enter opens a detail in every pane with rows', () => {
  it('a shard: its assets, gaps, reconnects and incidents; Esc back', async () => {
    const snap = sampleSnapshot();
    const store = new StaticStore({ ...snap, incidents: [{ shard: 1, kind: 'silent', start: '11:59:00', durationMs: null, detail: 'no message for 31 s' }, { shard: 0, kind: 'gap', start: '11:00:00', durationMs: 2000, detail: 'other shard' }] });
    const { lastFrame, stdin } = mount(store);
    await press(stdin, lastFrame, '1j\r', (f) => f.includes('Shard 1 · Esc back'), 'shard detail');
    const f = lastFrame();
    expect(f).toContain('200 assets subscribed');
    expect(f).toContain('reconnects 2 · gaps 2 · stale books 200');
    expect(f).toContain('Incidents (1)');
    expect(f).toContain('no message for 31 s');
    expect(f).not.toContain('other shard');
    await press(stdin, lastFrame, '\u001b', (x) => x.includes('▸ 1 Shards'), 'back');
  });

  it('a token: a live depth ladder of its book (asks above, bids below, spread) and its OFI', async () => {
    const store = new StaticStore(sampleSnapshot());
    store.books.set('t1', { state: 'fresh', ageMs: 120, lastTrade: 0.51, bids: [{ price: 0.5, size: 100 }, { price: 0.49, size: 300 }], asks: [{ price: 0.52, size: 50 }, { price: 0.53, size: 10 }] });
    const { lastFrame, stdin } = mount(store);
    const f = await press(stdin, lastFrame, '2\r', (x) => x.includes('Token t1'), 'token detail');
    expect(f).toContain('OFI +2.50');
    expect(f).toMatch(/ask 0\.5300[\s\S]*ask 0\.5200[\s\S]*spread 0\.0200[\s\S]*bid 0\.5000[\s\S]*bid 0\.4900/);
    expect(f).toContain('last trade 0.5100');
    // The ladder is live: a new book shows at the next publish.
    store.books.set('t1', { state: 'fresh', ageMs: 10, bids: [{ price: 0.51, size: 7 }], asks: [{ price: 0.52, size: 5 }] });
    store.set({});
    await waitFor(() => lastFrame()!.includes('bid 0.5100'), { what: 'live ladder' });
  });

  it('a position: the P&L arithmetic at the mark and its fills', async () => {
    const snap = sampleSnapshot();
    const store = new StaticStore({ ...snap, portfolio: { ...snap.portfolio, blotter: [{ ts: Date.UTC(2026, 0, 1, 12, 0, 0), kind: 'fill', marketId: '500001', tokenId: 'tk', outcome: 'Yes', side: 'BUY', price: 0.48, size: 120, fee: 0.5, realized: null, why: 'ARB buy' }] } });
    const { lastFrame, stdin } = mount(store);
    const f = await press(stdin, lastFrame, '5\r', (x) => x.includes('Position · Yes'), 'position detail');
    expect(f).toContain('120.00 shares × (mark 0.5000 − avg 0.4800) = unrealised +2.40 (shown +2.40)');
    expect(f).toContain('Fills, settlements and refusals (1)');
    expect(f).toMatch(/12:00:00 BUY\s+120\.00 @ 0\.4800 fee 0\.5000/);
  });
});

describe('sort by column', () => {
  it('s cycles the column (title shows it), S reverses, and Enter opens the row shown under the cursor', async () => {
    const { lastFrame, stdin } = mount(new StaticStore(sampleSnapshot()));
    await press(stdin, lastFrame, '1s', (f) => f.includes('sort msg/s ↓'), 'msg/s');
    const last = await press(stdin, lastFrame, 's', (f) => f.includes('sort last ↓'), 'last');
    // Shard 1 (silent for 31 s) now heads the list and is selected.
    expect(last).toMatch(/›\s*1 ↻ retry[\s\S]*\n│\s+0 ● open/);
    await press(stdin, lastFrame, '\r', (f) => f.includes('Shard 1 · Esc back'), 'detail of the row shown');
    await press(stdin, lastFrame, '\u001bS', (f) => f.includes('sort last ↑') && /›\s*0 ● open/.test(f), 'reversed');
    await press(stdin, lastFrame, '3s', (f) => f.includes('ranked by the engine'), 'signals say why there is no sort');
  });
});

describe('wider terminals show more columns', () => {
  const wideSnap = () => {
    const snap = sampleSnapshot();
    snap.signals = snap.signals.map((r, i) => ({ ...r, ...(i === 1 ? { category: 'Weather/Temperature', depth: 1500, ageMs: 130_000 } : {}) }));
    snap.ofi = snap.ofi.map((r, i) => (i === 0 ? { ...r, normalized5m: 0.75 } : r));
    snap.portfolio = { ...snap.portfolio, positions: snap.portfolio.positions.map((p) => ({ ...p, fees: 0.42, realized: 1.5 })) };
    return snap;
  };

  it('140 columns: the narrow set (no verdict, depth, age, 5 min window, rule or fees)', () => {
    const frame = mount(new StaticStore(wideSnap()), 140, 40).lastFrame()!;
    for (const h of [/edge\s+size/, /ofi\s+history/, /\sn\s+conf summary/, /unreal\.\s+side/]) expect(frame).toMatch(h);
    for (const h of ['verdict', 'size  depth', 'ofi 5m', ' rule ', 'realised side', 'strategy/rel   category']) expect(frame).not.toContain(h);
  });

  it('160 columns: Signals add verdict, depth and age; OFI the 5 min window; Clusters the rule; Portfolio fees and realised', () => {
    const frame = mount(new StaticStore(wideSnap()), 160, 48).lastFrame()!;
    expect(frame).toMatch(/edge\s+verdict\s+size\s+depth\s+ofi\s+conf\s+age gate/);
    expect(frame).toMatch(/2 ○ WATCH\s+WEATHER_FADE_…\s+BUY No\s+0\.93\s+\+0\.006\s+VALID\s+300\s+1500\s+\+1\.5\s+0\.94\s+2m ✓ ready\s+Will the highest temperature in Chicago be/);
    expect(frame).toMatch(/ofi 30s\s+ofi 5m/);
    expect(frame).toMatch(/▲\s+\+2\.50\s+\+0\.75/);
    expect(frame).toMatch(/mkts rule\s+conf summary/);
    expect(frame).toMatch(/Weather\/Temperature\s+40 event\s+0\.90 Highest/);
    expect(frame).toMatch(/unreal\.\s+fees\s+realised side/);
    expect(frame).toMatch(/\$2\.40\s+\$0\.42\s+\$1\.50 Yes\s+Will Bitcoin reach \$150,000/);
  });

  it('200 columns: Signals add the category, Clusters the distinct count; whole titles', () => {
    const frame = mount(new StaticStore(wideSnap()), 200, 50).lastFrame()!;
    expect(frame).toMatch(/strategy\/rel\s+category\s+side/);
    expect(frame).toMatch(/WEATHER_FADE_LONGSHOTS\s+Weather\/Temp\S*\s+BUY No/);
    expect(frame).toMatch(/mkts uniq rule\s+conf summary/);
    // A title of median length (the real catalog's is 51 characters) is whole in every pane at 200 columns.
    const q = 'Will Bitcoin reach $150,000 by December 31, 2026?';
    for (const pane of [/⇄ ARB.*│$/m, /▲\s+\+2\.50.*│$/m, /\$2\.40.*│$/m]) expect(frame.match(pane)?.[0]).toContain(q);
  });

  it('no size from 80×24 to 250×80 cuts text in a pane row while empty columns remain beside it', () => {
    for (const [c, r] of [[80, 24], [100, 30], [120, 40], [140, 40], [160, 48], [200, 50], [250, 80], [80, 100]] as const) {
      const lines = mount(new StaticStore(wideSnap()), c, r).lastFrame()!.split('\n');
      // A cut shows as '…' after a letter ('$…' is the catalog's own text); a cell ending in 3+ blanks had room to spare.
      for (const line of lines) for (const cell of line.split('│').slice(1, -1)) expect(/[^\s$]…/.test(cell) && /\s{3}$/.test(cell) ? cell : '', `${c}×${r}`).toBe('');
    }
  });
});

describe('a cluster’s markets, and copying a market’s URL', () => {
  it('Enter on a cluster lists its markets (price, outcome, tie, confidence, question), the rule, and how many more; j moves; Esc back', async () => {
    const { lastFrame, stdin } = mount(new StaticStore(sampleSnapshot()), 160, 40);
    const f = await press(stdin, lastFrame, '4\r', (x) => x.includes('Cluster C-1'), 'cluster detail');
    expect(f).toContain('rule: one Gamma event · confidence 0.90 · 40 markets (40 distinct) · prices at the scan of 11:58:00Z');
    expect(f).toMatch(/›\s+0\.07 Yes\s+same event\s+0\.90 Will the highest temperature in Chicago be 31°F or below/);
    expect(f).toMatch(/0\.72 Yes\s+duplicate question\s+0\.90 Will the highest temperature in Chicago be 34°F/);
    expect(f).toContain('+37 more in the cluster (top 3 by volume listed)');
    await press(stdin, lastFrame, 'j', (x) => /›\s+0\.21 Yes/.test(x), 'second market selected');
    await press(stdin, lastFrame, 'G', (x) => /›\s+0\.72 Yes/.test(x), 'last market selected');
    await press(stdin, lastFrame, '\u001b', (x) => x.includes('▸ 4 Clusters'), 'back');
  });

  it('the cluster opened is the one under the cursor after a sort', async () => {
    const { lastFrame, stdin } = mount(new StaticStore(sampleSnapshot()), 160, 40);
    // Sorted by confidence, largest first: C-1 (0.90) then C-2 (0.85); S reverses, so C-2 is on top.
    await press(stdin, lastFrame, '4sS', (x) => x.includes('sort conf ↑'), 'sorted');
    await press(stdin, lastFrame, '\r', (x) => x.includes('Cluster C-2'), 'C-2 detail');
    expect(lastFrame()).toContain('no market list yet');
  });

  it('u copies the selected market’s polymarket.com URL and c its id, in the queue, the OFI pane, a position and a cluster’s list; the footer says which', async () => {
    const store = new StaticStore(sampleSnapshot());
    const copied: string[] = [];
    const r = renderSized(<App store={store} copy={(s) => copied.push(s)} />, 160, 40);
    mounted.push(r);
    const decoded = () => Buffer.from(copied.at(-1)!.replace(/^\u001b\]52;c;/, '').replace(/\u0007$/, ''), 'base64').toString('utf8');
    await press(r.stdin, r.lastFrame, 'u', (f) => f.includes('copied URL'), 'url');
    expect(decoded()).toBe('https://polymarket.com/event/what-price-will-bitcoin-hit-in-2026/will-bitcoin-reach-150000-by-december-31-2026');
    expect(r.lastFrame()).toContain('simulated venue');
    await press(r.stdin, r.lastFrame, 'c', (f) => f.includes('copied market id 500001'), 'id');
    expect(decoded()).toBe('500001');
    const copiedAfter = async (keys: string, what: string) => {
      const n = copied.length;
      r.stdin.write(keys);
      await waitFor(() => copied.length > n, { what, timeoutMs: 3000 });
      return decoded();
    };
    expect(await copiedAfter('2ju', 'ofi url')).toBe('https://polymarket.com/event/highest-temperature-in-chicago-on-november-23');
    expect(await copiedAfter('5u', 'position url')).toBe('https://polymarket.com/event/what-price-will-bitcoin-hit-in-2026/will-bitcoin-reach-150000-by-december-31-2026');
    await press(r.stdin, r.lastFrame, '4u', (f) => f.includes('a cluster is not a market'), 'cluster row is not a market');
    expect(await copiedAfter('\rjju', 'cluster market url')).toBe('https://polymarket.com/event/highest-temperature-in-chicago-on-november-23/highest-temperature-in-chicago-on-november-23-34forhigher');
    // A market whose slugs gave no link: nothing copied, the footer says why and offers the id.
    const n = copied.length;
    await press(r.stdin, r.lastFrame, 'ku', (f) => f.includes('market 600002 has no usable slug for a link: nothing copied (c copies its id)'), 'no link');
    expect(copied.length).toBe(n);
    await press(r.stdin, r.lastFrame, 'c', (f) => f.includes('copied market id 600002'), 'cluster market id');
  });
});
