// Renders an Ink tree into a fake terminal of any size (ink-testing-library is
// fixed at 100 columns with no rows). Frames are recorded as Ink writes them.
import React, { type ReactElement } from 'react';
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { TerminalSizeContext } from '../../components/context.js';

class FakeStdout extends EventEmitter {
  readonly frames: string[] = [];
  isTTY = true;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

export function renderSized(tree: ReactElement, columns: number, rows: number) {
  const stdout = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  const instance = render(<TerminalSizeContext.Provider value={{ columns, rows }}>{tree}</TerminalSizeContext.Provider>, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeStdout(columns, rows) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    stdin,
    lastFrame: () => stdout.frames.at(-1) ?? '',
    frames: stdout.frames,
    unmount: () => instance.unmount(),
  };
}
