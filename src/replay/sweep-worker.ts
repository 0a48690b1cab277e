// One sweep worker: loads the recording once, then replays each setting it is
// given on a fresh engine and posts the outcome back.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { deserialize, fromShared, type CompiledRecording, type SharedCompiled } from './compiled.js';
import { readRecording, replay, type Recording } from './replay.js';
import type { RunResult, Setting, SweepSource } from './sweep.js';
import { readManifest, segmentParts, type PartSource } from './segments.js';

const source = workerData as SweepSource;
let rec: Recording | CompiledRecording | PartSource | undefined;
/** The compiled recording as the parent inflated it once for every worker (sent before any setting). */
let shared: SharedCompiled | undefined;

function load(): Recording | CompiledRecording | PartSource {
  if (source.segments) {
    // Parts are loaded as each replay reaches them: a worker never holds the whole recording.
    const m = readManifest(source.segments.manifest);
    return segmentParts(m, source.segments.shas ? { shas: source.segments.shas } : { raw: true });
  }
  if (source.compiled) {
    const c = shared ? fromShared(shared) : deserialize(readFileSync(source.compiled.path), source.compiled.sha);
    if (!c) throw new Error(`${source.compiled.path} is not the compiled form of this recording`);
    return c;
  }
  return readRecording(source.raw!);
}

parentPort!.on('message', (m: { id: number; set: Setting; shared?: SharedCompiled }) => {
  if (m.shared) {
    shared = m.shared;
    return;
  }
  void (async () => {
    try {
      rec ??= load();
      const { summary: _summary, ...result } = await replay(rec, { speed: 'max', set: m.set });
      parentPort!.postMessage({ id: m.id, result: result satisfies RunResult });
    } catch (err) {
      parentPort!.postMessage({ id: m.id, error: (err as Error).message });
    }
  })();
});
