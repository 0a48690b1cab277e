// A recording cut by a crash: the recorder sync-flushes on a bounded
// interval, so the bytes on disk at any moment inflate to every line written
// before the last flush; replay reads them and says what it dropped. A newer
// format version is named as such.
import { describe, expect, it } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Recorder } from '../../src/replay/recorder.js';
import { readRecording } from '../../src/replay/replay.js';
import type { Engine } from '../../src/engine.js';
import type { RestClient } from '../../src/feed/rest-client.js';
import { tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { wallMs } from '../../src/clock.js';

async function crashedRecording(lines: number) {
  const path = join(tempDir(), 'cut.jsonl.gz');
  const rec = new Recorder(path, () => wallMs(1_700_000_000_000), 100);
  const engine = {} as Engine;
  const rest = {} as RestClient;
  rec.attach(engine, rest, { source: 'SIM', gamma: 'http://g', clob: 'http://c' });
  for (let i = 0; i < lines; i++) engine.tap!.frame(i % 3, JSON.stringify({ event_type: 'book', i, pad: 'x'.repeat(200) }));
  // What a kill -9 leaves: the bytes on disk once the interval flush has run, stream never finished.
  let bytes = Buffer.alloc(0);
  await waitFor(
    () => {
      try {
        bytes = readFileSync(path);
      } catch {
        return false; // the write stream has not opened the file yet
      }
      return bytes.length > 1000 && readRecordingSafe(bytes)?.lines === lines + 1;
    },
    { timeoutMs: 10_000, what: 'the interval flush to reach the disk' },
  );
  const mode = statSync(path).mode & 0o777;
  await rec.close();
  return { bytes, mode };
}

function readRecordingSafe(bytes: Buffer): { lines: number } | undefined {
  const p = join(tempDir(), 'probe.gz');
  writeFileSync(p, bytes);
  try {
    return { lines: readRecording(p).lines.length };
  } catch {
    return undefined;
  }
}

describe('recordings survive a crash', () => {
  it('a file cut before the gzip trailer replays every flushed line and says it was truncated', async () => {
    const { bytes, mode } = await crashedRecording(2000);
    expect(mode).toBe(0o600);
    const path = join(tempDir(), 'a.gz');
    writeFileSync(path, bytes);
    const r = readRecording(path);
    expect(r.truncated).toBe(true);
    expect(r.lines).toHaveLength(2001);
    expect(r.rejected).toBe(0);
    expect(r.lines[0]!.k).toBe('h');
    expect(r.lines[2000]).toMatchObject({ k: 'f', s: 1999 % 3 });
  });

  it('a file cut mid-block keeps every complete line and counts the partial one dropped', async () => {
    const { bytes } = await crashedRecording(3000);
    const path = join(tempDir(), 'b.gz');
    // Cut inside the compressed stream.
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const r = readRecording(path);
    expect(r.truncated).toBe(true);
    expect(r.lines.length).toBeGreaterThan(100);
    expect(r.lines.length).toBeLessThan(3001);
    expect(r.dropped).toBe(1);
    expect(r.rejected).toBe(0);
    // Every kept line is the original, in order.
    r.lines.slice(1).forEach((l, i) => expect(l).toMatchObject({ k: 'f', s: i % 3 }));
  });

  it('a newer recording version is named as such', () => {
    const path = join(tempDir(), 'v2.jsonl.gz');
    writeFileSync(path, gzipSync(JSON.stringify({ k: 'h', v: 2, t: 0, source: 'SIM', gamma: '', clob: '' }) + '\n'));
    expect(() => readRecording(path)).toThrow(/is recording format version 2; this polyconsole reads version 1/);
  });
});
