// The venue's order rules as pure functions: amounts on the tick grid in exact
// integers (worked examples), GTD's one-minute margin, post-only only with
// GTC/GTD, and settlement moving only forward.
import { describe, expect, it } from 'vitest';
import { OrderError, decimalUnits, gtdExpiration, orderAmounts, orderPayload, priceMicros } from '../../src/exec/orders.js';
import { advanceSettlement, parseSettlement } from '../../src/exec/settlement.js';
import { classify, sanitize } from '../../src/exec/venue.js';

describe('order amounts', () => {
  it('worked examples: BUY 10 @ 0.57 gives 5.7 USDC for 10 shares; SELL 12.34 @ 0.0025 on the 0.0025 grid', () => {
    expect(orderAmounts('BUY', '0.57', '10', '0.01')).toEqual({ makerAmount: 5_700_000n, takerAmount: 10_000_000n });
    expect(orderAmounts('SELL', '0.0025', '12.34', '0.0025')).toEqual({ makerAmount: 12_340_000n, takerAmount: 30_850n });
    expect(orderAmounts('BUY', '0.999', '0.29', '0.001')).toEqual({ makerAmount: 289_710n, takerAmount: 290_000n });
  });

  it('refuses prices off the grid or at the ends, and sizes with more than two decimals', () => {
    expect(() => priceMicros('0.555', '0.01')).toThrow(OrderError);
    expect(() => priceMicros('0.0030', '0.0025')).toThrow(/grid/);
    expect(() => priceMicros('1', '0.01')).toThrow(/outside/);
    expect(() => priceMicros('0', '0.1')).toThrow(/outside/);
    expect(() => orderAmounts('BUY', '0.5', '1.234', '0.01')).toThrow(/two decimals/);
    expect(() => orderAmounts('BUY', '0.5', '0', '0.01')).toThrow(/positive/);
    expect(decimalUnits('1.50', 1)).toBe(15n);
    expect(decimalUnits('-1', 2)).toBeUndefined();
  });

  it('GTD expires one minute past the wanted lifetime; post-only is refused for FOK and FAK', () => {
    expect(gtdExpiration(1_700_000_000_500, 90)).toBe(1_700_000_000 + 60 + 90);
    const o = { salt: '1', maker: '0x0000000000000000000000000000000000000001', signer: '0x0000000000000000000000000000000000000001', tokenId: '1', makerAmount: '1', takerAmount: '2', side: 'BUY', signatureType: 0, metadata: `0x${'0'.repeat(64)}`, builder: `0x${'0'.repeat(64)}`, timestamp: '1', expiration: '0', signature: '0x00' } as const;
    expect(() => orderPayload(o, 'k', 'FOK', true)).toThrow(/post-only/);
    expect(JSON.parse(orderPayload(o, 'k', 'GTD', true)).postOnly).toBe(true);
  });
});

describe('settlement', () => {
  it('moves forward only; terminal states stay; FAILED beats anything provisional', () => {
    expect(advanceSettlement(undefined, 'MINED')).toBe('MINED');
    expect(advanceSettlement('MATCHED', 'MINED')).toBe('MINED');
    expect(advanceSettlement('MINED', 'MATCHED')).toBe('MINED');
    expect(advanceSettlement('MINED', 'CONFIRMED')).toBe('CONFIRMED');
    expect(advanceSettlement('CONFIRMED', 'FAILED')).toBe('CONFIRMED');
    expect(advanceSettlement('MINED', 'FAILED')).toBe('FAILED');
    expect(advanceSettlement('FAILED', 'CONFIRMED')).toBe('FAILED');
    expect(parseSettlement('matched_not_broadcasted')).toBe('MATCHED');
    expect(parseSettlement('bogus')).toBeUndefined();
  });
});

describe('refusals', () => {
  it('maps the venue texts users report to what they mean', () => {
    expect(classify(403, '<html>Cloudflare Ray ID')).toBe('geo-blocked');
    expect(classify(451, '')).toBe('geo-blocked');
    expect(classify(429, '')).toBe('rate-limited');
    expect(classify(425, '')).toBe('restarting');
    expect(classify(503, '{"type":"CANCEL_ONLY"}')).toBe('cancel-only');
    expect(classify(400, 'order_version_mismatch')).toBe('version-mismatch');
    expect(classify(400, 'the order signer address has to be the address of the API KEY')).toBe('signer-not-key');
    expect(classify(400, 'maker address not allowed, please use the deposit wallet flow')).toBe('deposit-wallet-required');
    expect(classify(400, 'not enough balance / allowance')).toBe('balance');
    expect(sanitize('a\u001b[31mb\nc', 5)).toBe('a [31');
  });
});
