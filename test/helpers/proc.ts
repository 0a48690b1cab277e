// Child processes a test starts, ended pass or fail. Each child leads its own
// process group (detached), so ending it also ends anything it started; call
// endAll() in afterEach / finally.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const live = new Set<ChildProcess>();

/** spawn() in its own process group, remembered until it exits. */
export function startProcess(cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
  const child = spawn(cmd, args, { ...opts, detached: true });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** SIGKILL the child's whole group (the child alone if the group is already gone). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Resolves when the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

/** Kill every child still running and wait for them to exit. */
export async function endAll(): Promise<void> {
  const all = [...live];
  for (const c of all) killGroup(c);
  await Promise.all(all.map(exited));
}

/** Run to completion with a deadline; on the deadline the group is killed and the promise rejects. */
export function runProcess(cmd: string, args: string[], opts: SpawnOptions & { timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = startProcess(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      killGroup(child);
      reject(new Error(`${cmd} ${args.join(' ')}: timed out after ${opts.timeoutMs} ms; stderr: ${stderr.slice(-2000)}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    // 'close', not 'exit': it comes after the child's stdout and stderr are drained.
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * spawnSync's result shape (status, stdout, stderr) without blocking: a test
 * worker whose event loop is held by a synchronous spawn for a minute on a
 * busy host misses its own calls to the test runner. The child is ended on
 * the deadline (the promise then rejects).
 */
export async function runAsync(cmd: string, args: string[], opts: SpawnOptions & { timeout?: number } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const { timeout, ...rest } = opts;
  const r = await runProcess(cmd, args, { ...rest, timeoutMs: timeout ?? 300_000 });
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}
