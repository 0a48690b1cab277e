import { describe, expect, it } from 'vitest';
import { Slots } from '../../src/signals/slots.js';

describe('Slots', () => {
  it('capacity 2 doubles to 4 on the third key, every listener grows and resets the new slot; max 3 refuses a fourth', () => {
    const s = new Slots(2, 3);
    const log: string[] = [];
    s.listen({ grow: (c) => log.push(`grow ${c}`), reset: (i) => log.push(`reset ${i}`) });
    expect(['a', 'b', 'c', 'd'].map((k) => s.add(k))).toEqual([0, 1, 2, -1]);
    expect(s.add('b')).toBe(1); // known key: no reset
    expect(log).toEqual(['reset 0', 'reset 1', 'grow 3', 'reset 2']);
    expect(s.rejected).toBe(1);
  });

  it('a removed key frees its slot (reset) for the next new key', () => {
    const s = new Slots(4, 4);
    const resets: number[] = [];
    s.listen({ grow: () => undefined, reset: (i) => resets.push(i) });
    s.add('a');
    s.add('b');
    s.remove('a');
    expect(s.add('c')).toBe(0);
    expect(resets).toEqual([0, 1, 0, 0]);
    expect(s.keys).toEqual(['c', 'b']);
  });
});
