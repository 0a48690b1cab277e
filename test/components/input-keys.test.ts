import { describe, expect, it } from 'vitest';
import { keysOf, keyOfChar } from '../../components/input-keys.js';

const names = (input: string, key = {}) => keysOf(input, key).map((k) => k.name);

describe('keysOf: one Ink input event → the keys it carries, in order', () => {
  it('a burst of repeated keys is three keys, not one unknown string', () => {
    expect(names('jjj')).toEqual(['j', 'j', 'j']);
  });

  it('a pasted filter with its Enter: every character, then return', () => {
    expect(names('/Bitcoin\r')).toEqual(['/', 'B', 'i', 't', 'c', 'o', 'i', 'n', 'return']);
    expect(keysOf('/Bitcoin\r', {}).map((k) => k.text).join('')).toBe('/Bitcoin');
  });

  it('control characters inside a run are named (Ctrl-D, Ctrl-U, Tab, Backspace, Ctrl-C)', () => {
    expect(names('jj\u0004k\u0015\t\u007f\u0003')).toEqual(['j', 'j', 'ctrl+d', 'k', 'ctrl+u', 'tab', 'backspace', 'ctrl+c']);
  });

  it('keys Ink has already named pass through as one key', () => {
    expect(names('', { pageDown: true })).toEqual(['pagedown']);
    expect(names('', { home: true })).toEqual(['home']);
    expect(names('', { upArrow: true })).toEqual(['up']);
    expect(names('', { escape: true, meta: true })).toEqual(['escape']);
    expect(names('d', { ctrl: true })).toEqual(['ctrl+d']);
    expect(names('', { return: true })).toEqual(['return']);
  });

  it('Alt+key (meta: ESC read together with the key) is Esc then the key; astral characters stay whole', () => {
    expect(names('j', { meta: true })).toEqual(['escape', 'j']);
    expect(names('a😀b')).toEqual(['a', '😀', 'b']);
    expect(keyOfChar('\n').name).toBe('return');
  });
});
