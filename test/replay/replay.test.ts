// Record → replay: the same file and settings give identical signals (and
// fills, once paper trading runs); a what-if changes them and says how.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { CLI, tempDir } from '../helpers/paths.js';
import { sharedRecording } from '../helpers/recording.js';
import { diffOutcomes, parseSettings, readRecording, replay } from '../../src/replay/replay.js';

let file = '';

beforeAll(async () => {
  // The run's one recorded session (test/helpers/recording.ts), copied for this file.
  file = await sharedRecording();
  expect(readRecording(file).lines.filter((l) => l.k === 'f').length).toBeGreaterThan(100);
}, 240_000);

describe('record and replay', () => {
  it('the recording holds a header, REST responses with receive times, frames and shard subscriptions', () => {
    const rec = readRecording(file);
    expect(rec.rejected).toBe(0);
    const kinds = new Set(rec.lines.map((l) => l.k));
    expect([...kinds].sort()).toEqual(['a', 'f', 'h', 'r']);
    const ts = rec.lines.map((l) => l.t);
    expect(ts.every((t, i) => i === 0 || t >= ts[i - 1]!)).toBe(true);
  });

  it('the same file and settings give identical output lines, twice', async () => {
    const rec = readRecording(file);
    const a = await replay(rec, { speed: 'max', set: {} });
    const b = await replay(rec, { speed: 'max', set: {} });
    expect(a.lines.length).toBeGreaterThan(0);
    expect(b.lines).toEqual(a.lines);
    expect(b.summary['signals']).toEqual(a.summary['signals']);
    expect(b.events).toBe(a.events);
  }, 60_000);

  it('with paper trading on, the same file gives identical fills; less starting cash (tighter caps) changes them', async () => {
    const rec = readRecording(file);
    const a = await replay(rec, { speed: 'max', set: parseSettings(['paper.enabled=true']) });
    const b = await replay(rec, { speed: 'max', set: parseSettings(['paper.enabled=true']) });
    const fills = (o: typeof a) => o.lines.filter((l) => l.startsWith('{"type":"fill"'));
    expect(fills(a).length).toBeGreaterThan(0);
    expect(fills(b)).toEqual(fills(a));
    const small = await replay(rec, { speed: 'max', set: parseSettings(['paper.enabled=true', 'paper.initialCash=500']) });
    expect(fills(small)).not.toEqual(fills(a));
  }, 60_000);

  it('a what-if (--set arb.minEdge=1) drops every arbitrage line and the diff says so', async () => {
    const rec = readRecording(file);
    const base = await replay(rec, { speed: 'max', set: {} });
    const alt = await replay(rec, { speed: 'max', set: parseSettings(['arb.minEdge=1']) });
    expect(alt.lines.some((l) => l.includes('"type":"arb"'))).toBe(false);
    const d = diffOutcomes(base, alt);
    const baseArbs = base.lines.filter((l) => l.includes('"type":"arb"')).length;
    if (baseArbs > 0) expect(d.onlyBaseline.some((k) => k.startsWith('arb '))).toBe(true);
    expect(d.onlyWhatIf.some((k) => k.startsWith('arb '))).toBe(false);
  }, 60_000);

  it('unknown settings and bad files are one-line errors', () => {
    expect(() => parseSettings(['nope=1'])).toThrow(/unknown setting "nope" \(known: scan\.batchSize/);
    expect(() => parseSettings(['scan.batchSize=7'])).toThrow(/--set scan\.batchSize: expected an integer from 50 to 300/);
    const bad = join(tempDir(), 'bad.jsonl.gz');
    writeFileSync(bad, gzipSync('{"k":"f","t":1,"s":0,"d":"x"}\n'));
    expect(() => readRecording(bad)).toThrow(/is not a polyconsole recording/);
    const r = spawnSync(process.execPath, [CLI, 'replay', bad], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
