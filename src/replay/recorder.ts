// `polyconsole record`: every frame and REST response the engine receives, with
// its receive time, into a gzip JSONL file.
import { createWriteStream, type WriteStream } from 'node:fs';
import { createGzip, type Gzip } from 'node:zlib';
import type { Engine } from '../engine.js';
import type { RestClient } from '../feed/rest-client.js';
import { pathOf, type RecordLine } from './format.js';

export class Recorder {
  private readonly gzip: Gzip;
  private readonly file: WriteStream;
  lines = 0;
  frames = 0;
  responses = 0;

  constructor(
    path: string,
    private readonly now: () => number = Date.now,
  ) {
    this.gzip = createGzip();
    this.file = createWriteStream(path);
    this.gzip.pipe(this.file);
  }

  /** Taps an engine (before it starts) so everything it receives is written. */
  attach(engine: Engine, rest: RestClient, info: { source: string; gamma: string; clob: string }): void {
    this.write({ k: 'h', v: 1, t: this.now(), ...info });
    rest.tap = (m, u, body, s, b) => {
      this.responses++;
      const line: RecordLine = { k: 'r', t: this.now(), m, u: pathOf(u), s, b };
      if (body !== undefined) line.q = JSON.stringify(body);
      this.write(line);
    };
    engine.tap = {
      frame: (s, d) => {
        this.frames++;
        this.write({ k: 'f', t: this.now(), s, d });
      },
      assets: (s, a) => this.write({ k: 'a', t: this.now(), s, a }),
    };
  }

  private write(line: RecordLine): void {
    this.lines++;
    this.gzip.write(JSON.stringify(line) + '\n');
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.file.once('close', () => resolve());
      this.gzip.end();
    });
  }
}
