import { describe, expect, it } from 'vitest';
import { GapLog } from '../../src/signals/gap-log.js';

describe('GapLog', () => {
  it('[10, 20] and [15, 30] merge to [10, 30]: 20 ms of gap in [0, 100]', () => {
    const g = new GapLog(1, 1_000);
    g.add(0, 10, 20, 30);
    g.add(0, 15, 30, 30);
    expect(g.dump(0)).toEqual([[10, 30]]);
    expect(g.gapMs(0, 0, 100)).toBe(20);
  });

  it('an open gap counts up to now and closes at the given time', () => {
    const g = new GapLog(1, 1_000);
    g.open(0, 50);
    expect(g.isOpen(0)).toBe(true);
    expect(g.gapMs(0, 0, 80)).toBe(30);
    g.close(0, 90);
    expect(g.isOpen(0)).toBe(false);
    expect(g.gapMs(0, 0, 200)).toBe(40);
  });

  it('5 gaps with room for 4: the two oldest merge (coverage errs low)', () => {
    const g = new GapLog(1, 10_000);
    for (let k = 0; k < 5; k++) g.add(0, k * 100, k * 100 + 10, 500);
    expect(g.dump(0)).toEqual([[0, 110], [200, 210], [300, 310], [400, 410]]);
  });

  it('gaps that ended before now − horizon are dropped instead of merged', () => {
    const g = new GapLog(1, 1_000);
    for (let k = 0; k < 4; k++) g.add(0, k * 100, k * 100 + 10, 500);
    g.add(0, 5_000, 5_010, 5_010);
    expect(g.dump(0)).toEqual([[5_000, 5_010]]);
  });
});
