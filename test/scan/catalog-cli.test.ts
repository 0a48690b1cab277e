// Offline commands on a saved dump, through the built CLI: categorize --json
// rows join back exactly, clusters are events first, scan --catalog is
// reproducible with --now, prices from the dump are used and said so, and a
// BOM, an empty number or an odd date costs only that field. Our own small
// dumps, shaped like real Gamma objects (field names and types as Gamma sends them).
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanOutputSchema } from '../../src/scan/output.js';
import { CLI, tempDir } from '../helpers/paths.js';

const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });

let seq = 0;
function market(over: Record<string, unknown>): Record<string, unknown> {
  seq++;
  return {
    id: String(900000 + seq),
    question: `Question ${seq}?`,
    conditionId: `0x${seq.toString(16).padStart(64, '0')}`,
    slug: `q-${seq}`,
    outcomes: '["Yes", "No"]',
    outcomePrices: '["0.5", "0.5"]',
    clobTokenIds: `["${1000 + seq}", "${2000 + seq}"]`,
    active: true,
    closed: false,
    endDate: '2026-03-20T00:00:00Z',
    updatedAt: '2026-03-10T12:00:00.123456Z',
    volume: '1000',
    ...over,
  };
}
const event = (id: string, title: string, extra: Record<string, unknown> = {}) => ({ events: [{ id, title, slug: title.toLowerCase().replace(/\W+/g, '-'), ...extra }] });

function write(name: string, text: string): string {
  const file = join(tempDir('cat-'), name);
  writeFileSync(file, text);
  return file;
}

describe.skipIf(!existsSync(CLI))('offline commands on a saved dump (dist/src/cli.js)', () => {
  it('categorize --json prints {id, question, family, category} with id and question exactly as given, even after a BOM, a bad field or no conditionId', () => {
    const longId = 'x'.repeat(90);
    const odd = 'Will  the \u201cAvalanche\u201d  beat the Wild?\u200b';
    const ms = [
      market({ id: longId, question: odd }),
      market({ question: 'Will Rodri win the Ballon d\u2019Or?', volume: '' }),
      market({ question: 'Will the highest temperature in NYC be between 41-42°F on January 26?', endDate: '26/01/2026' }),
      market({ question: 'Will Bitcoin reach $150,000 by December 31?', conditionId: undefined }),
      { id: 'broken' },
    ];
    const file = write('dump.json', '\ufeff' + JSON.stringify(ms));
    const r = cli(['categorize', '--json', '--catalog', file]);
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(rows.map((x) => Object.keys(x))).toEqual(rows.map(() => ['id', 'question', 'family', 'category']));
    expect(rows.map((x) => [x.id, x.question])).toEqual(ms.slice(0, 4).map((m) => [m.id, m.question]));
    expect(rows.map((x) => x.category)).toEqual(['Sports/NHL', 'Sports/Soccer', 'Weather/Temperature', 'Crypto/BTC-Price']);
    expect(rows.map((x) => x.family)).toEqual(['Sports', 'Sports', 'Weather', 'Crypto']);
    // The one item without a question is rejected, said on stderr in one line; the bad fields are named.
    expect(r.stderr).toMatch(/1 catalog entries rejected/);
    expect(r.stderr).toMatch(/unreadable fields dropped, markets kept \(first: item 1: gamma market: volume/);
  });

  it('clusters --json: one line per cluster, events first; the same short question in three events is three clusters and never a duplicate', () => {
    const ms: Record<string, unknown>[] = [];
    for (const [id, title] of [['e1', 'Sierra vs. Parks'], ['e2', 'Lightning vs. Kings'], ['e3', 'Nuggets vs. Heat']] as const) {
      ms.push(market({ question: 'Games Total: O/U 3.5', sportsMarketType: 'totals', ...event(id, title) }));
      ms.push(market({ question: `${title}`, sportsMarketType: 'moneyline', ...event(id, title) }));
    }
    // Two single-market events of one series, and a two-rung ladder in separate events.
    ms.push(market({ question: 'Bitcoin Up or Down - March 9, 1 AM ET', ...event('s1', 'Bitcoin Up or Down - March 9, 1 AM ET', { seriesSlug: 'btc-up-or-down-hourly' }) }));
    ms.push(market({ question: 'Bitcoin Up or Down - March 9, 2 AM ET', ...event('s2', 'Bitcoin Up or Down - March 9, 2 AM ET', { seriesSlug: 'btc-up-or-down-hourly' }) }));
    ms.push(market({ question: 'Will Gold (GC) close above $3,000 on March 31?', ...event('l1', 'Gold above 3000') }));
    ms.push(market({ question: 'Will Gold (GC) close above $3,200 on March 31?', ...event('l2', 'Gold above 3200') }));
    const file = write('dump.json', JSON.stringify(ms));
    const r = cli(['clusters', '--json', '--catalog', file]);
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { cluster_id: string; rule: string; confidence: number; summary: string; marketIds: string[] });
    for (const row of rows) expect(Object.keys(row)).toEqual(expect.arrayContaining(['cluster_id', 'rule', 'confidence', 'summary', 'marketIds']));
    const events = rows.filter((x) => x.rule === 'event');
    expect(events.map((x) => x.summary).sort()).toEqual(['Lightning vs. Kings', 'Nuggets vs. Heat', 'Sierra vs. Parks']);
    for (const e of events) expect(e.marketIds).toHaveLength(2);
    expect(rows.find((x) => x.rule === 'series')).toMatchObject({ confidence: 0.9, marketIds: [ms[6]!.id, ms[7]!.id] });
    expect(rows.find((x) => x.rule === 'ladder')).toMatchObject({ confidence: 0.8, marketIds: [ms[8]!.id, ms[9]!.id] });
    // Every market in exactly one cluster.
    expect(rows.flatMap((x) => x.marketIds).sort()).toEqual(ms.map((m) => m.id as string).sort());
  });

  it('scan --catalog: --now defaults to the newest timestamp in the file (reproducible), drops are counted with reasons, dump prices are used and said so', () => {
    const musk = (lo: number, bid: string) =>
      market({ question: `Will Elon Musk post ${lo}-${lo + 19} tweets from March 10 to March 17, 2026?`, endDate: '2026-03-16T12:00:00Z', outcomePrices: '["0.04", "0.96"]', bestBid: bid, bestAsk: '0.05', ...event('m', 'Elon Musk # tweets March 10 - March 17, 2026?', { seriesSlug: 'elon-tweets' }) });
    const ms = [
      musk(200, '0.04'),
      musk(220, '0.03'),
      market({ question: 'Closed market?', closed: true }),
      market({ question: 'Ended market?', endDate: '2026-03-01T00:00:00Z' }),
      { id: 7 },
    ];
    const file = write('dump.json', JSON.stringify(ms));
    const a = cli(['scan', '--json', '--catalog', file]);
    expect(a.status, a.stderr).toBe(0);
    const out = scanOutputSchema.parse(JSON.parse(a.stdout));
    expect(out.dedupe_summary.input_items).toBe(2);
    expect(a.stderr).toMatch(/now 2026-03-10T12:00:00\.123Z \(newest timestamp in the file\)/);
    expect(a.stderr).toMatch(/5 items in file: 2 scanned; dropped 1 unreadable \(no id or question\), 1 closed, 1 ended by now, 0 beyond --batch-size/);
    expect(a.stderr).toMatch(/priced at the dump's own bestBid\/bestAsk\/outcomePrices \(gated "dump price", never traded\)/);
    const q = out.review_queue[0]!;
    expect(q.reasoning).toMatch(/^\[dump 1 - bestBid, not a live book\] BUY No @0\.9600/);
    expect(q.priority).toBeGreaterThan(0);
    // The same file scans the same way again.
    const b = cli(['scan', '--json', '--catalog', file]);
    expect(b.stdout).toBe(a.stdout);
    // An explicit --now after the end date: everything has ended.
    const late = cli(['scan', '--json', '--catalog', file, '--now', '2026-04-01T00:00:00Z']);
    expect(late.status, late.stderr).toBe(0);
    expect(late.stderr).toMatch(/0 scanned; dropped 1 unreadable \(no id or question\), 1 closed, 3 ended by now/);
    const bad = cli(['scan', '--json', '--catalog', file, '--now', 'yesterday-ish']);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
