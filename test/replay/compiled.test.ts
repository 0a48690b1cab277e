// Decode once, replay many: the compiled form of a recording holds exactly the
// events the raw frames decode to, replays to the same signals and fills, and
// is tied to the raw file by its checksum.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { tempDir } from '../helpers/paths.js';
import { sharedRecording } from '../helpers/recording.js';
import { compileFile, compileRecording, compiledPathOf, deserialize, fromShared, loadCompiled, serialize, sha256File, shareCompiled, Rec } from '../../src/replay/compiled.js';
import { parseSettings, readRecording, replay } from '../../src/replay/replay.js';
import { decodeFrame } from '../../src/protocol/market-channel.js';
import type { MarketEvent } from '../../src/protocol/events.js';

let file = '';

// The run's one recorded session (test/helpers/recording.ts), copied for this
// file: recorded again, longer, on a busy host until it holds enough market frames.
beforeAll(async () => {
  file = await sharedRecording();
}, 240_000);

/** An event as its readers see it: a compiled book keeps its levels in columns and builds `bids`/`asks` when read. */
function fields(ev: MarketEvent): MarketEvent {
  if (ev.type !== 'book') return ev;
  const { type, asset, market, ts, bids, asks, hash, lastTradePrice } = ev;
  return { type, asset, market, ts, bids, asks, hash, ...(lastTradePrice !== undefined ? { lastTradePrice } : {}) };
}

describe('compiled recordings', () => {
  it('hold, frame by frame, exactly the events the raw frames decode to', () => {
    const raw = readRecording(file);
    const c = compileRecording(raw);
    const frames = raw.lines.filter((l) => l.k === 'f' || l.k === 'a');
    expect(c.records).toBe(frames.length);
    let evStart = 0;
    let decoded = 0;
    for (let i = 0; i < frames.length; i++) {
      const l = frames[i]!;
      if (l.k === 'a') {
        expect(c.rk[i]).toBe(Rec.Assets);
        expect(c.assets(i)).toEqual(l.a);
        continue;
      }
      expect(c.rt[i]).toBe(l.t);
      expect(c.rs[i]).toBe(l.s);
      if (c.rk[i] === Rec.Raw) {
        expect(c.raw(i)).toBe(l.d);
        continue;
      }
      decoded++;
      const end = c.rx[i]!;
      expect(c.eventsOf(evStart, end).map(fields)).toEqual(decodeFrame(l.d).events.map(fields));
      evStart = end;
    }
    expect(decoded).toBeGreaterThan(100);
    expect(c.events).toBe(evStart);
  });

  it('replay to the same signals, arbitrage and fills as the raw file, with and without paper trading', async () => {
    const raw = readRecording(file);
    const c = compileRecording(raw);
    for (const set of [{}, parseSettings(['paper.enabled=true'])]) {
      const a = await replay(raw, { speed: 'max', set });
      const b = await replay(c, { speed: 'max', set });
      expect(a.lines.length).toBeGreaterThan(0);
      expect(b.lines).toEqual(a.lines);
      expect(b.events).toBe(a.events);
      expect(b.frames).toBe(a.frames);
      expect(b.summary).toEqual(a.summary);
      expect([b.pnl, b.fees, b.maxDrawdown]).toEqual([a.pnl, a.fees, a.maxDrawdown]);
    }
    const fills = (await replay(c, { speed: 'max', set: parseSettings(['paper.enabled=true']) })).fills;
    expect(fills).toBeGreaterThan(0);
  }, 120_000);

  it('survive the file round trip, and the file replays the same', async () => {
    const raw = readRecording(file);
    const c = compileRecording(raw);
    const src = sha256File(file);
    const buf = serialize(c, src);
    const back = deserialize(buf, src.sha)!;
    expect(back).toBeDefined();
    expect(back.records).toBe(c.records);
    expect(back.eventsOf(0, back.events).map(fields)).toEqual(c.eventsOf(0, c.events).map(fields));
    const a = await replay(c, { speed: 'max', set: {} });
    const b = await replay(back, { speed: 'max', set: {} });
    expect(b.lines).toEqual(a.lines);
    // Inflated once into shared memory (a sweep's workers): two recordings over the very same columns, the same events.
    const shared = shareCompiled(buf, src.sha)!;
    const [s1, s2] = [fromShared(shared)!, fromShared(shared)!];
    expect(s1.rk.buffer).toBe(shared.bytes);
    expect(s2.rt.buffer).toBe(shared.bytes);
    expect(s1.eventsOf(0, s1.events).map(fields)).toEqual(c.eventsOf(0, c.events).map(fields));
    expect((await replay(s2, { speed: 'max', set: {} })).lines).toEqual(a.lines);
    expect(shareCompiled(buf, 'another source')).toBeUndefined();
    expect(shareCompiled(buf.subarray(0, buf.length - 10), src.sha)).toBeUndefined();
    // columns of numbers, one string table, compressed: smaller than the gzip JSON it came from
    expect(buf.length).toBeLessThan(readFileSync(file).length);
  }, 60_000);

  it('are rebuilt when the raw file changes, and a damaged compiled file is never used', async () => {
    const dir = tempDir();
    const copy = join(dir, 'copy.jsonl.gz');
    writeFileSync(copy, readFileSync(file));
    const first = await loadCompiled(copy);
    expect(first.how).toBe('compiled');
    expect(first.writeError).toBeUndefined();
    expect((await loadCompiled(copy)).how).toBe('cached');
    // another recording under the same name: the checksum no longer matches
    const other = readFileSync(file);
    writeFileSync(copy, Buffer.concat([other, other]));
    const again = await loadCompiled(copy);
    expect(again.how).toBe('compiled');
    expect((await loadCompiled(copy)).how).toBe('cached');
    // truncated or wrong-magic compiled files are rejected
    const cbuf = readFileSync(compiledPathOf(copy));
    expect(deserialize(cbuf.subarray(0, cbuf.length - 10))).toBeUndefined();
    expect(deserialize(Buffer.from('not a compiled file at all'))).toBeUndefined();
    writeFileSync(compiledPathOf(copy), cbuf.subarray(0, 1000));
    expect((await loadCompiled(copy)).how).toBe('compiled');
  });

  it('compile from a stream of lines: the same as from the whole file; a cut file keeps its complete lines', async () => {
    const raw = readRecording(file);
    const whole = compileRecording(raw);
    const streamed = await compileFile(file);
    expect(streamed.records).toBe(whole.records);
    expect(streamed.eventsOf(0, streamed.events).map(fields)).toEqual(whole.eventsOf(0, whole.events).map(fields));
    expect([streamed.startMs, streamed.endMs, streamed.rejected]).toEqual([raw.startMs, raw.endMs, 0]);
    const dir = tempDir();
    // a gzip file cut in the middle (a crash while recording)
    const gz = readFileSync(file);
    const cut = join(dir, 'cut.jsonl.gz');
    writeFileSync(cut, gz.subarray(0, Math.floor(gz.length / 2)));
    const part = await compileFile(cut);
    expect(part.records).toBeGreaterThan(10);
    expect(part.records).toBeLessThan(whole.records);
    expect(part.eventsOf(0, part.events).map(fields)).toEqual(whole.eventsOf(0, part.events).map(fields));
    expect(part.truncated).toBe(true);
    // plain JSONL with a torn last line
    const text = gunzipSync(gz).toString('utf8');
    const torn = join(dir, 'torn.jsonl');
    writeFileSync(torn, text.slice(0, Math.floor(text.length * 0.7)));
    const t = await compileFile(torn);
    // the torn line is dropped and counted as the raw reader counts it, not "unreadable"
    expect([t.rejected, t.dropped, t.truncated]).toEqual([0, 1, true]);
    expect(whole.truncated).toBe(false);
    expect(t.records).toBeGreaterThan(10);
    // not a recording, and a missing file: one-line errors
    const bad = join(dir, 'bad.jsonl.gz');
    writeFileSync(bad, gzipSync('{"k":"f","t":1,"s":0,"d":"x"}\n'));
    await expect(compileFile(bad)).rejects.toThrow(/is not a polyconsole recording/);
    await expect(compileFile(join(dir, 'missing.gz'))).rejects.toThrow(/cannot read recording/);
    await expect(loadCompiled(join(dir, 'missing.gz'))).rejects.toThrow(/cannot read recording/);
  }, 60_000);
});
