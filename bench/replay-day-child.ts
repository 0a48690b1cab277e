// One replay in a process of its own, for bench/replay-day.ts: its peak RSS
// is this replay's. argv: `segments MANIFEST SHAS_JSON` or `single FILE SHA`.
import { readFileSync } from 'node:fs';
import { compiledPathOf, deserialize } from '../src/replay/compiled.js';
import { replay } from '../src/replay/replay.js';
import { readManifest, segmentParts } from '../src/replay/segments.js';
import type { DayChildResult } from './replay-day.js';

const [mode, path, arg] = process.argv.slice(2);
const rssAtPart: number[] = [];
const mb = () => process.memoryUsage.rss() / 1e6;
const input =
  mode === 'segments'
    ? segmentParts(readManifest(path!), { shas: JSON.parse(arg!) as string[] })
    : deserialize(readFileSync(compiledPathOf(path!)), arg!) ?? (() => {
        throw new Error(`${path} has no current compiled form`);
      })();
// A day-long replay runs warm: the first pass is the JIT's; the second is measured (the peak covers both).
await replay(input, { speed: 'max', set: { 'paper.enabled': true } });
const c0 = process.cpuUsage();
const o = await replay(input, { speed: 'max', set: { 'paper.enabled': true }, onPart: () => rssAtPart.push(mb()) });
const c = process.cpuUsage(c0);
// Then once more for memory alone: the heap after a full collection at each part start, without
// the garbage a fast replay leaves behind (RSS keeps what the heap grew to; this is what is live).
const gc = (globalThis as { gc?: () => void }).gc;
const liveAtPart: number[] = [];
if (gc) {
  await replay(input, {
    speed: 'max',
    set: { 'paper.enabled': true },
    onPart: () => {
      gc();
      const m = process.memoryUsage();
      liveAtPart.push((m.heapUsed + m.arrayBuffers) / 1e6);
    },
  });
}
const cpuUs = c.user + c.system;
const result: DayChildResult = {
  events: o.events,
  frames: o.frames,
  signals: o.signals,
  fills: o.fills,
  cpuUs,
  loopCpuUs: cpuUs * (o.loopMs / o.wallMs),
  wallMs: o.wallMs,
  rssAtPart,
  liveAtPart,
  maxRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6, // maxRSS is in KiB
};
process.send!(result, () => process.exit(0));
