// Turns one Ink input event into the keys it carries, in order.
//
// Ink 6 splits escape sequences (CSI/SS3, meta) out of a stdin chunk and
// holds a split sequence until its end arrives, but hands every run of plain
// characters over as ONE event: `jjj` from key repeat, `/Bitcoin⏎` from a fast
// typist or a paste, `jj^D` over a slow SSH link. Treating that run as one key
// loses every key in it. Here each run is cut into code points and each control
// character is named, so the console hears the keys one by one.

export interface InkKeyFlags {
  escape?: boolean;
  return?: boolean;
  tab?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

/** One key as the console handles it. */
export interface KeyEvent {
  /** 'j', 'G', '/', or a name: 'return', 'escape', 'tab', 'backspace', 'up', 'down', 'left', 'right', 'pageup', 'pagedown', 'home', 'end', 'ctrl+d' … */
  name: string;
  /** The printable text it types ('' for named keys). */
  text: string;
}

const CONTROL_NAMES: Record<number, string> = {
  0x09: 'tab',
  0x0a: 'return',
  0x0d: 'return',
  0x08: 'backspace',
  0x7f: 'backspace',
  0x1b: 'escape',
};

/** One code point of a plain run → the key it stands for. */
export function keyOfChar(ch: string): KeyEvent {
  const cp = ch.codePointAt(0) ?? 0;
  const named = CONTROL_NAMES[cp];
  if (named) return { name: named, text: '' };
  // C0 controls: Ctrl-A … Ctrl-Z (0x01–0x1a).
  if (cp >= 0x01 && cp <= 0x1a) return { name: `ctrl+${String.fromCharCode(cp + 0x60)}`, text: '' };
  if (cp < 0x20) return { name: `ctrl+${cp.toString(16)}`, text: '' };
  return { name: ch, text: ch };
}

/** The keys one Ink input event carries, in the order they were typed. */
export function keysOf(input: string, key: InkKeyFlags): KeyEvent[] {
  const named = key.escape
    ? 'escape'
    : key.return
      ? 'return'
      : key.tab
        ? 'tab'
        : key.upArrow
          ? 'up'
          : key.downArrow
            ? 'down'
            : key.leftArrow
              ? 'left'
              : key.rightArrow
                ? 'right'
                : key.pageUp
                  ? 'pageup'
                  : key.pageDown
                    ? 'pagedown'
                    : key.home
                      ? 'home'
                      : key.end
                        ? 'end'
                        : key.backspace || key.delete
                          ? 'backspace'
                          : '';
  if (named) return [{ name: named, text: '' }];
  // Ink names a lone control character itself (Ctrl-D arrives as 'd' with ctrl).
  if (key.ctrl && [...input].length === 1) return [{ name: `ctrl+${input.toLowerCase()}`, text: '' }];
  // ESC then a key, read together, reaches us as Alt+key: over SSH that is
  // almost always Esc typed just before the key, so both are heard.
  const keys = [...input].map(keyOfChar);
  return key.meta && input ? [{ name: 'escape', text: '' }, ...keys] : keys;
}
