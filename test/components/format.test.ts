import { describe, expect, it } from 'vitest';
import { fit, pad, usd } from '../../components/format.js';

describe('pane formatting', () => {
  it('usd groups thousands with two decimals and switches to k at $100,000', () => {
    expect(usd(0)).toBe('$0.00');
    expect(usd(0.005)).toBe('$0.01');
    expect(usd(999.999)).toBe('$1,000.00');
    expect(usd(9876.5)).toBe('$9,876.50');
    expect(usd(-12345.6)).toBe('-$12,345.60');
    expect(usd(1234567 / 100)).toBe('$12,345.67');
    expect(usd(250_000)).toBe('$250k');
  });

  it('fit cuts to the width with an ellipsis and strips escape sequences; pad right-aligns', () => {
    expect(fit('Will Bitcoin reach $150k?', 10)).toBe('Will Bitc…');
    expect(fit('ok', 4)).toBe('ok  ');
    expect(fit('\u001b[31mred\u001b[0m', 5)).not.toContain('\u001b');
    expect(pad('7', 3)).toBe('  7');
  });
});
