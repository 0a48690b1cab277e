// A long recording in segments: the recorder cuts it every N ms into gzip
// files listed in a manifest (order, time range, checksum), and replaying the
// directory gives the same signals, arbitrage and fills as the same lines in
// one file, from the raw segments and from their compiled forms.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CLI, tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { Engine } from '../../src/engine.js';
import { RestClient } from '../../src/feed/rest-client.js';
import { openDatabase } from '../../src/persist/db.js';
import { Recorder } from '../../src/replay/recorder.js';
import { readRecording, replay, type ReplayOutcome } from '../../src/replay/replay.js';
import { compileSegments, MANIFEST, readManifest, segmentParts } from '../../src/replay/segments.js';
import { sha256File } from '../../src/replay/compiled.js';
import { Simulator } from '../../src/sim/simulator.js';
import { systemWall } from '../../src/clock.js';

const SEGMENT_MS = 1_000;
let dir = '';
let single = '';
let recorded = { lines: 0, frames: 0 };

beforeAll(async () => {
  dir = join(tempDir(), 'day');
  const sim = new Simulator({ seed: 'segments', markets: 300, speed: 60, rate: 2_000 });
  const urls = await sim.start();
  const { db } = openDatabase(':memory:');
  const rest = new RestClient();
  const engine = new Engine({ kind: 'SIM', gammaUrl: urls.gamma, clobUrl: urls.clob, wsUrl: urls.ws }, db, { hotCap: 600 }, systemWall, () => {}, rest);
  const rec = new Recorder(dir, systemWall, 200, { ms: SEGMENT_MS });
  rec.attach(engine, rest, { source: 'SIM', gamma: urls.gamma, clob: urls.clob });
  try {
    await engine.start();
    // Streaming for long enough to be cut at least three times (a busy host syncs the catalog slowly: bounded wait).
    const t0 = Date.now();
    await waitFor(() => rec.frames >= 200 && Date.now() - t0 >= 4 * SEGMENT_MS + 500, { timeoutMs: 60_000, what: 'frames streamed over four segment lengths' });
  } finally {
    await engine.stop();
    rest.tap = undefined;
    engine.tap = undefined;
    await rec.close();
    await sim.stop();
    db.close();
  }
  recorded = { lines: rec.lines, frames: rec.frames };
  // The same lines as one file: the first header, then every segment's lines after its own header.
  const m = readManifest(dir);
  const lines: string[] = [];
  m.segments.forEach((s, k) => {
    const r = readRecording(join(m.dir, s.file));
    for (const [i, l] of r.lines.entries()) if (i > 0 || k === 0) lines.push(JSON.stringify(l));
  });
  single = join(tempDir(), 'one.jsonl.gz');
  writeFileSync(single, gzipSync(lines.join('\n') + '\n'));
}, 120_000);

const PAPER = { 'paper.enabled': true } as const;

function same(a: ReplayOutcome, b: ReplayOutcome): void {
  expect(b.lines).toEqual(a.lines);
  expect([b.frames, b.events, b.signals, b.arbs, b.fills, b.pnl, b.fees, b.restMisses]).toEqual([a.frames, a.events, a.signals, a.arbs, a.fills, a.pnl, a.fees, a.restMisses]);
}

describe('segmented recordings', () => {
  it('the recorder cuts every second into ≥ 3 gzip segments; the manifest lists them in order with time ranges, line counts and checksums that match the files', () => {
    const m = readManifest(dir);
    expect(m.segments.length).toBeGreaterThanOrEqual(3);
    expect(m.open).toBe(0);
    let frames = 0;
    let lines = 0;
    m.segments.forEach((s, k) => {
      const f = sha256File(join(m.dir, s.file));
      expect([f.sha, f.bytes]).toEqual([s.sha256, s.bytes]);
      const r = readRecording(join(m.dir, s.file));
      expect(r.lines[0]!.k).toBe('h'); // every segment is a recording of its own
      expect([r.lines.length, r.startMs, r.endMs]).toEqual([s.lines, s.startMs, s.endMs]);
      if (k > 0) {
        expect(s.startMs).toBeGreaterThanOrEqual(m.segments[k - 1]!.endMs);
        // Cut by time: a segment's lines span less than the limit.
        expect(m.segments[k - 1]!.endMs - m.segments[k - 1]!.startMs).toBeLessThan(SEGMENT_MS);
      }
      frames += s.frames;
      lines += s.lines;
    });
    expect(frames).toBe(recorded.frames);
    // One header per segment where a single file has one.
    expect(lines).toBe(recorded.lines + m.segments.length - 1);
  });

  it('replays to the same signals, arbitrage and fills as one file holding the same lines: raw segments, and compiled segments', async () => {
    const one = await replay(readRecording(single), { speed: 'max', set: PAPER });
    expect(one.frames).toBe(recorded.frames);
    expect(one.events).toBeGreaterThan(1_000);
    expect(one.signals).toBeGreaterThan(0);
    const m = readManifest(dir);
    const starts: number[] = [];
    const loads: number[] = [];
    const parts = segmentParts(m, { raw: true });
    const counted = { ...parts, load: (k: number) => (loads.push(k), parts.load(k)) };
    const raw = await replay(counted, { speed: 'max', set: PAPER, onPart: (k) => starts.push(k) });
    // Each segment read once, in order.
    expect(starts).toEqual(m.segments.map((_, k) => k));
    expect(loads).toEqual(starts);
    same(one, raw);
    const shas = await compileSegments(m);
    same(one, await replay(segmentParts(m, { shas }), { speed: 'max', set: PAPER }));
  });

  it('`replay DIR --json` and a sweep on worker threads take the directory; a segment changed after recording is refused with a one-line reason', async () => {
    const r = spawnSync(process.execPath, [CLI, 'replay', dir, '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!) as { type: string; segments: number; frames: number };
    expect(report).toMatchObject({ type: 'replay', segments: readManifest(dir).segments.length, frames: recorded.frames });
    const sw = spawnSync(process.execPath, [CLI, 'replay', dir, '--set', 'arb.minEdge=0,0.05', '--workers', '1', '--json'], { encoding: 'utf8', timeout: 120_000 });
    expect(sw.status, sw.stderr).toBe(0);
    const rows = (JSON.parse(sw.stdout.trim().split('\n').pop()!) as { rows: { signals: number; arbs: number; fills: number }[] }).rows;
    for (const [k, edge] of [0, 0.05].entries()) {
      const alone = await replay(readRecording(single), { speed: 'max', set: { 'arb.minEdge': edge } });
      expect(rows[k]).toMatchObject({ signals: alone.signals, arbs: alone.arbs, fills: alone.fills });
    }
    const m = readManifest(dir);
    const victim = join(m.dir, m.segments[1]!.file);
    const bytes = readFileSync(victim);
    bytes[bytes.length - 10]! ^= 0xff;
    writeFileSync(victim, bytes);
    expect(() => segmentParts(m, { raw: true }).load(1)).toThrow(/does not match the checksum in manifest\.json/);
    const bad = spawnSync(process.execPath, [CLI, 'replay', dir, '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/seg-00002\.jsonl\.gz does not match the checksum/);
    expect(MANIFEST).toBe('manifest.json');
  });
});
