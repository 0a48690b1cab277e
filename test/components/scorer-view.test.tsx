// The learned scorer on screen: the header figure (verdict, skill with its
// interval, training rows, model age), the model column only with a say
// (VALIDATED) and UNPROV otherwise, and the detail's model, scorer and
// rank-weight lines.
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../components/App.js';
import { modelCell, scorerBadge } from '../../components/format.js';
import { renderSized } from '../helpers/render.js';
import { StaticStore, sampleSnapshot } from '../helpers/static-store.js';
import { waitFor } from '../helpers/wait.js';
import type { ScorerPane, SignalPaneRow } from '../../store/snapshot.js';

const mounted: { unmount(): void }[] = [];
afterEach(() => mounted.splice(0).forEach((m) => m.unmount()));

const SCORER: ScorerPane = { verdict: 'VALIDATED', note: '', brierSkill: 0.0315, brierSkillCi: [0.0203, 0.0448], events: 1250, hash: 'a1b2c3d4e5f60718', ageMs: 180_000, expired: false, trainedRows: 7293, rows: 7301, training: false, retrains: 2, liveOutcomes: 8 };

const ROW: SignalPaneRow = {
  key: 'strategy:WEATHER_FADE_LONGSHOTS:m1',
  rank: 1,
  tier: 'ALERT',
  kind: 'strategy',
  label: 'WEATHER_FADE_LONGSHOTS',
  question: 'Will the highest temperature in Denver be 80°F or higher on June 5?',
  side: 'BUY No',
  entry: 0.14,
  verdict: 'VALIDATED',
  edge: 0.02,
  confidence: 0.9,
  gate: 'ready',
  reasoning: 'test',
  marketIds: ['m1'],
  model: { verdict: 'VALIDATED', p: 0.8912, diff: 0.0262, note: '' },
  weight: { weight: 0.431, rank: 1.1445, arithmetic: 'rank = priority 0.800 × (1 + weight 0.431) = 1.145; ROI CI lower bound +4.00% (floored at 0) × n/(n+300) = 600/900 = 0.667 → score 0.02667; weight 0.02667 / 0.06188 = +43.10%' },
};

describe('the scorer on screen', () => {
  it('formats: header figure and model cell', () => {
    expect(scorerBadge(SCORER)).toBe('ML VALID +.032[+.020,+.045] 7.3k rows 3m');
    expect(scorerBadge({ ...SCORER, verdict: 'UNPROVEN', brierSkill: -0.0046, brierSkillCi: [-0.0102, 0.0007], expired: true })).toBe('ML UNPROV −.005[−.010,+.001] 7.3k rows EXPIRED');
    expect(scorerBadge({ ...SCORER, note: 'validating…' })).toBe('ML ⧗');
    expect(modelCell(ROW.model)).toBe('.89+.03');
    expect(modelCell({ verdict: 'UNPROVEN' })).toBe('UNPROV');
    expect(modelCell({ verdict: 'VALIDATED' })).toBe('—');
  });

  it('VALIDATED: the header, the model column and the detail (model, scorer, rank weight arithmetic)', async () => {
    const snap = sampleSnapshot();
    const r = renderSized(<App store={new StaticStore({ ...snap, status: { ...snap.status, scorer: SCORER }, signals: [ROW] })} />, 160, 45);
    mounted.push(r);
    const f0 = r.lastFrame()!;
    expect(f0).toContain('ML VALID +.032[+.020,+.045] 7.3k rows 3m');
    expect(f0).toMatch(/model gate/);
    expect(f0).toMatch(/0\.90\s+(—\s+)?\.89\+\.03 ✓ ready/);
    r.stdin.write('\r');
    const f = await waitFor(() => (r.lastFrame()?.includes('rank weight') ? r.lastFrame()! : ''), { what: 'detail', timeoutMs: 3000 });
    expect(f).toContain('P(YES) 0.891 = YES mid 0.865 +0.026');
    expect(f).toContain('Brier skill vs market +0.0315 (95% CI +0.0203..+0.0448) over 1250 events');
    expect(f).toContain('trained on 7,293 rows');
    expect(f).toContain('rank = priority 0.800 × (1 + weight 0.431) = 1.145');
    expect(f.replace(/[║│\s]+/g, ' ')).toContain('weight: ROI CI lower bound +4.00% (floored at 0) × n/(n+300) = 600/900 = 0.667 → score 0.02667; weight 0.02667 / 0.06188 = +43.10%');
  });

  it('UNPROVEN: the column and the detail say so and show no model price', async () => {
    const snap = sampleSnapshot();
    const row: SignalPaneRow = { ...ROW, model: { verdict: 'UNPROVEN', note: 'scorer UNPROVEN: Brier skill 95% CI lower bound -0.0102 <= 0' } };
    const r = renderSized(<App store={new StaticStore({ ...snap, status: { ...snap.status, scorer: { ...SCORER, verdict: 'UNPROVEN', note: 'Brier skill 95% CI lower bound -0.0102 <= 0', brierSkill: -0.0046, brierSkillCi: [-0.0102, 0.0007] } }, signals: [row] })} />, 160, 45);
    mounted.push(r);
    expect(r.lastFrame()).toMatch(/0\.90\s+(—\s+)?UNPROV ✓ ready/);
    expect(r.lastFrame()).toContain('ML UNPROV');
    r.stdin.write('\r');
    const f = await waitFor(() => (r.lastFrame()?.includes('model (ML_SCORER)') ? r.lastFrame()! : ''), { what: 'detail', timeoutMs: 3000 });
    expect(f).toContain('UNPROVEN: scorer UNPROVEN: Brier skill 95% CI lower bound');
    expect(f).not.toContain('P(YES)');
  });
});
