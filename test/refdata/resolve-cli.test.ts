// `polyconsole resolve --catalog FILE --json` end to end on a file we write:
// one line per market with the contract's fields, gzip accepted, bad input one line.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CLI, tempDir } from '../helpers/paths.js';

const markets = [
  {
    id: '9001',
    conditionId: '0xaaa',
    question: 'Bitcoin Up or Down - September 21, 4:00PM-4:15PM ET',
    description: 'This market will resolve to "Up" if the Bitcoin price at the end of the time range specified in the title is greater than or equal to the price at the beginning of that range. The resolution source for this market is information from Chainlink, specifically the BTC/USD data stream available at https://data.chain.link/streams/btc-usd.',
    endDate: '2025-09-21T20:15:00Z',
    eventStartTime: '2025-09-21T20:00:00Z',
  },
  {
    id: '9002',
    conditionId: '0xbbb',
    question: 'Will the price of Bitcoin be above $95,500 on February 3 at 3PM ET?',
    description: 'This market will resolve to "Yes" if the Binance 1 minute candle for BTC/USDT on the time and date specified in the title has a final "Close" price higher than the price specified in the title.',
    endDate: '2026-02-03T20:00:00Z',
  },
  { id: '9003', conditionId: '0xccc', question: 'Will the Lakers win?', description: 'NBA', endDate: '2026-02-03T20:00:00Z' },
  { id: 9004, question: 'Will the floor price of CryptoPunks be above 100 ETH on October 1?', conditionId: '0xddd', description: 'opensea' },
  { nonsense: true },
];

function run(args: string[]) {
  return spawnSync(process.execPath, [CLI, 'resolve', ...args], { encoding: 'utf8', timeout: 60_000 });
}

describe('polyconsole resolve', () => {
  it('prints one JSON line per market with the contract fields (times in epoch ms)', () => {
    const dir = tempDir('pc-resolve-');
    const file = join(dir, 'cat.json.gz');
    writeFileSync(file, gzipSync(JSON.stringify(markets)));
    const r = run(['--catalog', file, '--json']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    for (const l of lines) for (const k of ['id', 'conditionId', 'status', 'asset', 'kind', 'strike', 'windowStart', 'resolvesAt', 'source', 'reason']) expect(l).toHaveProperty(k);
    expect(lines[0]).toMatchObject({ id: '9001', conditionId: '0xaaa', status: 'mapped', asset: 'BTC', kind: 'updown', strike: null, windowStart: Date.parse('2025-09-21T20:00:00Z'), resolvesAt: Date.parse('2025-09-21T20:15:00Z'), source: 'chainlink', reason: null });
    expect(lines[1]).toMatchObject({ status: 'mapped', kind: 'above', strike: 95_500, windowStart: null, resolvesAt: Date.parse('2026-02-03T20:00:00Z'), source: 'binance' });
    expect(lines[2]).toMatchObject({ id: '9003', status: 'unmapped', reason: 'not a crypto market' });
    expect(lines[3]).toMatchObject({ id: '9004', status: 'unmapped', reason: expect.stringContaining('NFT') });
    expect(r.stderr).toContain('item 4');
  });

  it('a missing or malformed file is one clear line and exit 1', () => {
    const dir = tempDir('pc-resolve-');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"not":"markets"}');
    for (const f of [join(dir, 'absent.json'), bad]) {
      const r = run(['--catalog', f, '--json']);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^polyconsole: catalog /);
    }
  });
});
