// The scorer's line in the backtest table and the HTML report.
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/backtest/html.js';
import { scorerLine } from '../../src/model/backtest-row.js';
import { validateScorer } from '../../src/model/validate.js';
import { defaultFeatureSpec } from '../../src/model/features.js';
import { synthetic } from './helpers.js';

describe('scorer line', () => {
  const r = validateScorer(synthetic({ events: 1200, signal: 0, seed: 'line' }), { featureHash: defaultFeatureSpec().hash, resamples: 200 });

  it('states skill against the market price with its interval, calibration, fee-adjusted ROI and the verdict', () => {
    const line = scorerLine(r);
    const [lo, hi] = r.brierSkillCi.map((x) => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`);
    expect(line).toContain(`ML_SCORER: Brier skill vs market price`);
    expect(line).toContain(`(95% CI ${lo}..${hi})`);
    expect(line).toContain(`over ${r.events} out-of-sample events`);
    expect(line).toMatch(/calibration error 0\.\d{4}\/0\.\d{4}/);
    expect(line).toMatch(new RegExp(`— ${r.verdict}`));
    expect(r.verdict).not.toBe('VALIDATED');
  });

  it('appears, escaped, under the HTML report table', () => {
    const html = renderHtmlReport([], { scorer: `${scorerLine(r)} <b>` });
    expect(html).toContain('<p class="scorer">ML_SCORER: Brier skill vs market price');
    expect(html).toContain('&lt;b&gt;');
    expect(renderHtmlReport([], {})).not.toContain('class="scorer"');
  });
});
