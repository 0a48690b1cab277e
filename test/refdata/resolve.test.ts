// Worked examples for the resolver on hand-written markets (wording modelled on
// the real families; ids and numbers are ours).
import { describe, expect, it } from 'vitest';
import { etToUtc, isEtDst } from '../../src/refdata/et-time.js';
import { resolveMarket, strikesOf, type RefMarket } from '../../src/refdata/resolve.js';

const T = (iso: string) => Date.parse(iso);
const mk = (o: Partial<RefMarket> & Pick<RefMarket, 'question' | 'description'>): RefMarket => ({ id: 'x', conditionId: '0xc', slug: '', resolutionSource: '', ...o });

const CHAINLINK_UPDOWN = 'This market will resolve to "Up" if the Bitcoin price at the end of the time range specified in the title is greater than or equal to the price at the beginning of that range. Otherwise, it will resolve to "Down".\nThe resolution source for this market is information from Chainlink, specifically the BTC/USD data stream available at https://data.chain.link/streams/btc-usd.';
const CLOSE_AT_TITLE = 'This market will resolve to "Yes" if the Binance 1 minute candle for BTC/USDT on the time and date specified in the title has a final "Close" price higher than the price specified in the title. Otherwise, this market will resolve to "No".\nThe resolution source for this market is Binance, specifically the BTC/USDT "Close" prices.';

describe('ET wall time', () => {
  it('switches offset on the second Sunday of March and the first Sunday of November', () => {
    expect(isEtDst(2025, 2, 9, 1)).toBe(false);
    expect(isEtDst(2025, 2, 9, 3)).toBe(true);
    expect(isEtDst(2025, 10, 2, 1)).toBe(true);
    expect(isEtDst(2025, 10, 2, 2)).toBe(false);
    expect(etToUtc(2025, 0, 15, 12)).toBe(T('2025-01-15T17:00:00Z'));
    expect(etToUtc(2025, 6, 15, 12)).toBe(T('2025-07-15T16:00:00Z'));
  });
});

describe('strikes in titles', () => {
  it('reads $116.4K, $106,000, $0.36, 8¢, 70k and $1m', () => {
    expect(strikesOf('Bitcoin above $116.4K on August 17 at 8AM ET?')).toEqual([116_400]);
    expect(strikesOf('Will the price of Bitcoin be above $106,000 on August 30?')).toEqual([106_000]);
    expect(strikesOf('Dogecoin above $0.36 on January 10?')).toEqual([0.36]);
    expect(strikesOf('DOGE above 8¢ on April 14?')).toEqual([0.08]);
    expect(strikesOf('Will $BTC reach 70k before September?')).toEqual([70_000]);
    expect(strikesOf('Will the price of XRP be between $3.03 and $3.06 on September 8?')).toEqual([3.03, 3.06]);
  });
});

describe('resolveMarket', () => {
  it('15-minute Chainlink window: start and end from the title, source chainlink', () => {
    const r = resolveMarket(mk({ question: 'Bitcoin Up or Down - September 21, 4:00PM-4:15PM ET', description: CHAINLINK_UPDOWN, endDate: T('2025-09-21T20:15:00Z'), eventStartTime: T('2025-09-21T20:00:00Z') }));
    expect(r).toMatchObject({ status: 'mapped', asset: 'BTC', kind: 'updown', strike: null, windowStart: T('2025-09-21T20:00:00Z'), resolvesAt: T('2025-09-21T20:15:00Z'), source: 'chainlink', series: 'btc-usd' });
  });

  it('a window crossing midnight ends on the next day; one across the November switch keeps each end in its own offset', () => {
    const r = resolveMarket(mk({ question: 'Bitcoin Up or Down - November 1, 11:45PM-12:00AM ET', description: CHAINLINK_UPDOWN, endDate: T('2025-11-02T04:00:00Z') }));
    expect(r).toMatchObject({ windowStart: T('2025-11-02T03:45:00Z'), resolvesAt: T('2025-11-02T04:00:00Z') });
  });

  it('title window disagreeing with eventStartTime is unmapped, not guessed', () => {
    const r = resolveMarket(mk({ question: 'Bitcoin Up or Down - September 21, 4:00PM-4:15PM ET', description: CHAINLINK_UPDOWN, endDate: T('2025-09-21T20:15:00Z'), eventStartTime: T('2025-09-21T19:00:00Z') }));
    expect(r).toMatchObject({ status: 'unmapped', crypto: true });
  });

  it('hourly Binance candle: the hour that begins at the title time', () => {
    const d = 'This market will resolve to "Up" if the close price is greater than or equal to the open price for the ETH/USDT 1 hour candle that begins on the time and date specified in the title. Otherwise, this market will resolve to "Down".\nThe resolution source for this market is information from Binance, specifically the ETH/USDT pair (https://www.binance.com/en/trade/ETH_USDT).';
    const r = resolveMarket(mk({ question: 'Ethereum Up or Down - January 5, 12AM ET', description: d, endDate: T('2026-01-05T06:00:00Z') }));
    expect(r).toMatchObject({ status: 'mapped', asset: 'ETH', kind: 'updown', windowStart: T('2026-01-05T05:00:00Z'), resolvesAt: T('2026-01-05T06:00:00Z'), source: 'binance', candle: '1h' });
  });

  it('daily up/down: noon ET to noon ET from the two candles the rules name', () => {
    const d = 'This market will resolve to "Up" if the "Close" price for the Binance 1 minute candle for SOLUSDT 14 Mar \'25 12:00 in the ET timezone (noon) is lower than the final "Close" price for the 15 Mar \'25 12:00 ET candle.\nThe resolution source for this market is Binance.';
    const r = resolveMarket(mk({ question: 'Solana Up or Down on March 15?', description: d, endDate: T('2025-03-15T12:00:00Z') }));
    expect(r).toMatchObject({ kind: 'updown', asset: 'SOL', windowStart: T('2025-03-14T16:00:00Z'), resolvesAt: T('2025-03-15T16:00:00Z'), source: 'binance' });
  });

  it('above K at a stated ET time (Binance 1-minute close)', () => {
    const r = resolveMarket(mk({ question: 'Will the price of Bitcoin be above $95,500 on February 3 at 3PM ET?', description: CLOSE_AT_TITLE, endDate: T('2026-02-03T20:00:00Z') }));
    expect(r).toMatchObject({ status: 'mapped', asset: 'BTC', kind: 'above', strike: 95_500, windowStart: null, resolvesAt: T('2026-02-03T20:00:00Z'), source: 'binance', series: 'BTCUSDT' });
  });

  it('bracket ladder: the title picks below / range / above from one shared rules text', () => {
    const d = 'This market will resolve according to the final "Close" price of the Binance 1 minute candle for ETH/USDT 12:00 in the ET timezone (noon) on the date specified in the title. Otherwise, this market will resolve to "No".\nThe resolution source for this market is Binance.';
    const at = T('2025-07-18T16:00:00Z');
    expect(resolveMarket(mk({ question: 'Will the price of Ethereum be less than $2800 on July 18?', description: d, endDate: at }))).toMatchObject({ kind: 'below', strike: 2800, resolvesAt: at });
    expect(resolveMarket(mk({ question: 'Will the price of Ethereum be between $2800 and $2900 on July 18?', description: d, endDate: at }))).toMatchObject({ kind: 'range', strike: 2800, strikeHigh: 2900, resolvesAt: at });
    expect(resolveMarket(mk({ question: 'Will the price of Ethereum be greater than $3100 on July 18?', description: d, endDate: at }))).toMatchObject({ kind: 'above', strike: 3100 });
  });

  it('touch rules: a Low rule is a dip even when the rung is titled "reach"; the window comes from the rules', () => {
    const d = 'This market will immediately resolve to "Yes" if any Binance 1 minute candle for Solana (SOLUSDT) between November 1, 2024, 00:00 and November 30, 2024, 23:59 in the ET timezone has a final "Low" price of $160.00 or lower. Otherwise, this market will resolve to "No."\nThe resolution source for this market is Binance.';
    const r = resolveMarket(mk({ question: 'Will Solana reach $160 in November?', description: d, endDate: T('2024-11-30T12:00:00Z') }));
    expect(r).toMatchObject({ kind: 'dip', strike: 160, windowStart: T('2024-11-01T04:00:00Z'), resolvesAt: T('2024-12-01T05:00:00Z') });
  });

  it('weekly range across two months', () => {
    const d = 'This market will immediately resolve to "Yes" if any Binance 1 minute candle for Bitcoin (BTC/USDT) during the date range specified in the title (from 12:00 AM ET on the first date to 11:59 PM ET on the last) has a final "High" price equal to or higher than the price specified in the title.\nThe resolution source for this market is Binance.';
    const r = resolveMarket(mk({ question: 'Will Bitcoin reach $126K July 28–August 3?', description: d, endDate: T('2025-08-04T04:00:00Z') }));
    expect(r).toMatchObject({ kind: 'reach', strike: 126_000, windowStart: T('2025-07-28T04:00:00Z'), resolvesAt: T('2025-08-04T04:00:00Z') });
  });

  it('unmapped with a reason: NFT floors, all-time highs, two assets, title/rules strike mismatch, no source, non-crypto', () => {
    expect(resolveMarket(mk({ question: 'Will the floor price of Bored Apes be above 90 ETH on July 25?', description: 'opensea' }))).toMatchObject({ status: 'unmapped', crypto: true });
    expect(resolveMarket(mk({ question: 'Bitcoin all time high by March 31?', description: 'Binance 1 minute candle', endDate: 1 }))).toMatchObject({ status: 'unmapped' });
    expect(resolveMarket(mk({ question: 'Bitcoin and Ethereum Up on July 10?', description: 'Binance', endDate: 1 }))).toMatchObject({ status: 'unmapped', reason: expect.stringContaining('several assets') });
    const mismatch = resolveMarket(mk({ question: 'Will BTC close above $102K on May 16?', description: 'This market will resolve to "Yes" if the Binance 1 minute candle for BTCUSDT 16 May \'25 12:00 in the ET timezone (noon) has a final "Close" price of 104,000.01 or higher.', endDate: T('2025-05-16T16:00:00Z') }));
    expect(mismatch).toMatchObject({ status: 'unmapped', reason: expect.stringContaining('disagrees') });
    expect(resolveMarket(mk({ question: 'Will ETH be above $1,500 on January 27th?', description: 'according to some website', endDate: 1 }))).toMatchObject({ status: 'unmapped', crypto: true });
    expect(resolveMarket(mk({ question: 'Will the Lakers win on Friday?', description: 'NBA' }))).toMatchObject({ status: 'unmapped', crypto: false });
  });
});
