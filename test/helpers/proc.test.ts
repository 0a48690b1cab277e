// The process helper ends what a test started, grandchildren included, even
// when the test fails before it gets to stop them.
import { describe, expect, it } from 'vitest';
import { endAll, runProcess, startProcess } from './proc.js';
import { waitFor } from './wait.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('test processes', () => {
  it('endAll kills a child and the process it started (its whole group)', async () => {
    // The child starts a grandchild that would outlive a plain child.kill().
    const script = `const { spawn } = require('node:child_process'); const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); console.log(g.pid); setInterval(() => {}, 1000);`;
    const child = startProcess(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const grandchild = Number(await waitFor(() => /^(\d+)\n/.exec(out)?.[1], { what: 'grandchild pid' }));
    expect(alive(child.pid!)).toBe(true);
    expect(alive(grandchild)).toBe(true);
    await endAll();
    expect(alive(child.pid!)).toBe(false);
    await waitFor(() => !alive(grandchild), { timeoutMs: 10_000, what: 'grandchild gone' });
  });

  it('runProcess kills on its deadline and says so', async () => {
    await expect(runProcess(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 300 })).rejects.toThrow(/timed out after 300 ms/);
    await expect(runProcess(process.execPath, ['-e', 'console.log("ok")'])).resolves.toMatchObject({ code: 0, stdout: 'ok\n' });
  });
});
