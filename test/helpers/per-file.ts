// Values built once per test file. Test files share a worker (isolation off),
// so a cache kept at module level in a helper would hand one file's objects —
// which its tests may change — to the next file. This one is keyed to the file
// running now and forgets the previous file's values when the file changes.
import { expect } from 'vitest';

export class PerFile<V> {
  private file: string | undefined;
  private readonly values = new Map<string, V>();

  get(key: string, make: () => V): V {
    const file = expect.getState().testPath ?? '';
    if (file !== this.file) {
      this.values.clear();
      this.file = file;
    }
    let v = this.values.get(key);
    if (v === undefined) this.values.set(key, (v = make()));
    return v;
  }
}
