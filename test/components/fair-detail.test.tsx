// A crypto row in the signals pane and its detail: the fair value beside the
// market price and the microstructure class, the arithmetic, and the source,
// tier and age of the inputs — and, while FAIR_VALUE is unproven, no edge and no size.
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../components/App.js';
import { renderSized } from '../helpers/render.js';
import { StaticStore, sampleSnapshot } from '../helpers/static-store.js';
import { waitFor } from '../helpers/wait.js';
import type { SignalPaneRow } from '../../store/snapshot.js';

const mounted: { unmount(): void }[] = [];
afterEach(() => mounted.splice(0).forEach((m) => m.unmount()));

const ROW: SignalPaneRow = {
  key: 'strategy:FAIR_VALUE:700001',
  rank: 1,
  tier: 'WATCH',
  kind: 'strategy',
  label: 'FAIR_VALUE',
  question: 'Bitcoin Up or Down - November 21, 7:00AM-7:15AM ET',
  side: 'BUY Up',
  entry: 0.55,
  verdict: 'UNPROVEN',
  confidence: 0,
  gate: 'unvalidated: FAIR_VALUE has no validated win rate',
  reasoning: 'fair 0.620 (binance BTCUSDT, aggregated) vs ask 0.550 + fee = 0.5673: +0.0527 per share; UNPROVEN',
  marketIds: ['700001'],
  fair: {
    p: 0.62,
    line: 'fair 0.62 · mkt 0.55 · micro WEAK_BULLISH',
    explain: 'S=96000 (binance BTCUSDT, aggregated, 3 s) σ=0.5 realised τ=5min σ√τ=0.00369; S0=95900 d=[ln(S/S0)−½σ²τ]/σ√τ=0.283; P(up)=T4(d)=0.62',
    source: 'binance BTCUSDT · aggregated · spot 3 s old · σ realised (binance BTCUSDT 1m EWMA)',
  },
};

describe('fair value on screen', () => {
  it('the row leads its market text with the fair value; the detail shows line, source and arithmetic, and no edge or size while unproven', async () => {
    const r = renderSized(<App store={new StaticStore({ ...sampleSnapshot(), signals: [ROW] })} />, 160, 45);
    mounted.push(r);
    expect(r.lastFrame()).toContain('fair 0.62 · Bitcoin Up or Down');
    r.stdin.write('\r');
    const f = await waitFor(() => (r.lastFrame()?.includes('fair value') ? r.lastFrame()! : ''), { what: 'detail', timeoutMs: 3000 });
    expect(f).toContain('fair 0.62 · mkt 0.55 · micro WEAK_BULLISH');
    expect(f).toContain('binance BTCUSDT · aggregated · spot 3 s old');
    expect(f).toContain('P(up)=T4(d)=0.62');
    expect(f).toContain('UNPROVEN (no backtest): no edge, no size');
  });
});
