// One `polyconsole record` session for every replay test file in a run. Making
// a recording is wall time (the recorder streams for its duration) plus the
// CPU of a simulator and an engine; the replay files only read it. The first
// file to ask records it into the run's scratch directory (the one the test
// command's global setup makes and removes: POLYCONSOLE_BACKFILL_CACHE), others
// wait for it, and each caller gets its own copy (tests compile, damage and
// rewrite their file). Without that directory every caller records its own.
import { copyFileSync, existsSync, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readRecording } from '../../src/replay/replay.js';
import { CLI, tempDir } from './paths.js';
import { runProcess } from './proc.js';

/** The session every replay file reads: seed 13, 500 core markets. */
const SEED = '13';
const MARKETS = '500';
/** Recorded for 10 s; a busy host streams less, so it is recorded again, longer, until it holds this many market frames. */
const MIN_FRAMES = 300;
const ATTEMPTS_S = [10, 25, 45];
/** A lock older than this is from a file whose recorder died; the waiter records itself. */
const STALE_LOCK_MS = 240_000;

// Asynchronous throughout: a test worker whose event loop is blocked for a minute
// (a synchronous spawn, a busy wait) misses its own calls to the test runner.
async function record(out: string): Promise<void> {
  for (const seconds of ATTEMPTS_S) {
    const r = await runProcess(process.execPath, [CLI, 'record', '--out', out, '--duration', String(seconds), '--markets', MARKETS, '--seed', SEED], { timeoutMs: (seconds + 60) * 1000 });
    if (r.code !== 0) throw new Error(`polyconsole record exited ${r.code}: ${r.stderr.slice(-1000)}`);
    if (readRecording(out).lines.filter((l) => l.k === 'f').length >= MIN_FRAMES) return;
  }
}

function lockAge(lock: string): number {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return Infinity;
  }
}

/** A private copy of the run's shared recording (made on first use), at `<fresh temp dir>/session.jsonl.gz`. */
export async function sharedRecording(): Promise<string> {
  const mine = join(tempDir(), 'session.jsonl.gz');
  const dir = process.env['POLYCONSOLE_BACKFILL_CACHE'];
  if (!dir) {
    await record(mine);
    return mine;
  }
  mkdirSync(dir, { recursive: true });
  const shared = join(dir, `recording-${SEED}-${MARKETS}.jsonl.gz`);
  const lock = `${shared}.lock`;
  for (;;) {
    if (existsSync(shared)) {
      copyFileSync(shared, mine);
      return mine;
    }
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
    } catch {
      // Another file is recording: wait for its file (or for its lock to go stale).
      if (lockAge(lock) < STALE_LOCK_MS) {
        await sleep(250);
        continue;
      }
      try {
        unlinkSync(lock);
      } catch {
        // another waiter took it first
      }
      continue;
    }
    try {
      const tmp = join(dir, `recording-${SEED}-${MARKETS}.${process.pid}.partial.jsonl.gz`);
      await record(tmp);
      // Renamed whole: a waiter sees the complete file or none.
      renameSync(tmp, shared);
    } finally {
      unlinkSync(lock);
    }
  }
}
