// Waiting for a condition instead of sleeping a fixed time.
export async function waitFor<T>(check: () => T | Promise<T>, opts: { timeoutMs?: number; everyMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  // The default deadline is sized for a loaded two-core host; a passing wait returns as soon as its condition holds.
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'condition'}`);
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 20));
  }
}
