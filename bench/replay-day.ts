// A recorded day stays practical: the record command's defaults (simulator,
// 2,000 markets, 1,500 events/s asked, hot cap 2,000) recorded in segments,
// then: size per recorded hour (gzip and compiled), the replay of the segments
// per CPU-second, the process RSS while replaying them (each replay in a
// fresh process, so its peak is its own) next to the same lines as one
// compiled file held whole, and one day projected from the measured rate
// (each replay runs twice in its child; the second, warm, is measured).
// BENCH_DAY_SECONDS (default 120) sets the recorded length.
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { systemWall } from '../src/clock.js';
import { Engine } from '../src/engine.js';
import { RestClient } from '../src/feed/rest-client.js';
import { openDatabase } from '../src/persist/db.js';
import { compileRecording, compiledPathOf, serialize, sha256File } from '../src/replay/compiled.js';
import { Recorder } from '../src/replay/recorder.js';
import { readRecording } from '../src/replay/replay.js';
import { compileSegments, readManifest } from '../src/replay/segments.js';
import { Simulator } from '../src/sim/simulator.js';
import { once, type Figure } from './harness.js';

/** What the child reports (bench/replay-day-child.ts). */
export interface DayChildResult {
  events: number;
  frames: number;
  signals: number;
  fills: number;
  /** CPU µs of the whole replay (start-up included) and of its frame loop. */
  cpuUs: number;
  loopCpuUs: number;
  wallMs: number;
  /** Process RSS (MB) as each part started, and the peak over the process's life. */
  rssAtPart: number[];
  /** Heap + ArrayBuffers (MB) after a full collection as each part started (a third pass). */
  liveAtPart: number[];
  maxRssMb: number;
}

async function recordSegments(dir: string, seconds: number, segmentMs: number): Promise<void> {
  const sim = new Simulator({ seed: 'bench-day', markets: 2000, speed: 60, rate: 1500 });
  const urls = await sim.start();
  const { db } = openDatabase(':memory:');
  const rest = new RestClient();
  const engine = new Engine({ kind: 'SIM', gammaUrl: urls.gamma, clobUrl: urls.clob, wsUrl: urls.ws }, db, { hotCap: 2000 }, systemWall, () => {}, rest);
  const rec = new Recorder(dir, systemWall, 1000, { ms: segmentMs });
  rec.attach(engine, rest, { source: 'SIM', gamma: urls.gamma, clob: urls.clob });
  await engine.start();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  await engine.stop();
  rest.tap = undefined;
  engine.tap = undefined;
  await rec.close();
  await sim.stop();
  db.close();
}

/** Uncompressed body of a compiled file (what a replay holds of it): from its header. */
function heldBytes(path: string): number {
  const buf = readFileSync(path);
  const hl = buf.readUInt32LE(12);
  const h = JSON.parse(buf.toString('utf8', 16, 16 + hl)) as { metaOffset: number; metaBytes: number };
  return h.metaOffset + h.metaBytes;
}

function child(args: string[]): Promise<DayChildResult> {
  return new Promise((resolve, reject) => {
    const p = fork(new URL('./replay-day-child.js', import.meta.url), args, { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let got: DayChildResult | undefined;
    p.on('message', (m) => (got = m as DayChildResult));
    p.once('exit', (code) => (got ? resolve(got) : reject(new Error(`replay child exited ${code} without a result`))));
  });
}

export async function replayDaySuite(): Promise<Figure[]> {
  const seconds = Number(process.env['BENCH_DAY_SECONDS']) || 120;
  const segmentMs = Math.max(5_000, Math.round((seconds * 1000) / 6));
  const root = mkdtempSync(join(tmpdir(), 'pc-bench-day-'));
  const dir = join(root, 'segments');
  const figures: Figure[] = [];
  try {
    await recordSegments(dir, seconds, segmentMs);
    const m = readManifest(dir);
    const shas = await compileSegments(m);
    const recorded = (m.endMs - m.startMs) / 1000;
    const perHour = 3600 / recorded;
    const raw = m.segments.reduce((n, s) => n + s.bytes!, 0);
    const compiled = m.segments.reduce((n, s) => n + statSync(compiledPathOf(join(m.dir, s.file))).size, 0);
    const held = m.segments.reduce((n, s) => n + heldBytes(compiledPathOf(join(m.dir, s.file))), 0);
    // The same lines as one file (first header, then each segment's lines after its own), compiled whole.
    const lines: string[] = [];
    m.segments.forEach((s, k) => {
      const r = readRecording(join(m.dir, s.file));
      for (const [i, l] of r.lines.entries()) if (i > 0 || k === 0) lines.push(JSON.stringify(l));
    });
    const single = join(root, 'one.jsonl.gz');
    writeFileSync(single, gzipSync(lines.join('\n') + '\n'));
    lines.length = 0;
    writeFileSync(compiledPathOf(single), serialize(compileRecording(readRecording(single)), sha256File(single)));
    const seg = await child(['segments', m.manifestPath, JSON.stringify(shas)]);
    const one = await child(['single', single, sha256File(single).sha]);
    if (seg.signals !== one.signals || seg.fills !== one.fills || seg.events !== one.events) throw new Error(`segments and one file differ: ${JSON.stringify([seg, one])}`);
    const usPerEvent = seg.loopCpuUs / seg.events;
    const eventsPerHour = seg.events * perHour;
    const what = `${recorded.toFixed(0)} s recorded in ${m.segments.length} segments of ${segmentMs / 1000} s; record defaults: 2,000 markets, 1,500 events/s asked`;
    figures.push(
      { suite: 'day', name: `recording (gzip JSONL segments), per recorded hour (${what})`, unit: 'MB/h', ...once((raw * perHour) / 1e6) },
      { suite: 'day', name: '  compiled segments, per recorded hour', unit: 'MB/h', ...once((compiled * perHour) / 1e6), ceiling: 'the gzip recording', ratio: compiled / raw },
      { suite: 'day', name: '  compiled form in memory while replayed (columns + strings), per recorded hour', unit: 'MB/h', ...once((held * perHour) / 1e6) },
      { suite: 'day', name: '  events per recorded hour', unit: 'events', ...once(eventsPerHour) },
      { suite: 'day', name: `replay of the compiled segments, per CPU-second of the loop (${seg.events} events, ${seg.signals} signals, ${seg.fills} fills; same as one file)`, unit: 'events/s', ...once(1e6 / usPerEvent) },
      { suite: 'day', name: '  one day projected from that rate (events per recorded hour × 24 × CPU µs per event)', unit: 'min', ...once((eventsPerHour * 24 * usPerEvent) / 60e6) },
      { suite: 'day', name: `  this recording replayed: wall (start-up included, ${m.segments.length} segments)`, unit: 's', ...once(seg.wallMs / 1000) },
      { suite: 'day', name: `process RSS while replaying the segments, peak (at each segment start: ${seg.rssAtPart.map((x) => x.toFixed(0)).join(', ')} MB)`, unit: 'MB', ...once(seg.maxRssMb) },
      { suite: 'day', name: '  same lines as one compiled file held whole, peak', unit: 'MB', ...once(one.maxRssMb), ceiling: 'the segments', ratio: one.maxRssMb / seg.maxRssMb },
      { suite: 'day', name: `live heap + ArrayBuffers after a full gc at each segment start: ${seg.liveAtPart.map((x) => x.toFixed(0)).join(', ')} MB (last shown)`, unit: 'MB', ...once(seg.liveAtPart[seg.liveAtPart.length - 1] ?? NaN) },
      { suite: 'day', name: '  same lines as one compiled file, after a full gc at the start', unit: 'MB', ...once(one.liveAtPart[0] ?? NaN) },
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return figures;
}
