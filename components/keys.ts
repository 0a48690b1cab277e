// One key registry (DESIGN §7): it drives input handling, the footer hints and
// the `?` help overlay, so what is shown is always what works.
export type KeyId = 'help' | 'quit' | 'pause' | 'escape';

export interface KeyBinding {
  id: KeyId;
  /** Keys as Ink reports them: a character, or a name like 'escape'. */
  keys: string[];
  /** Short label for the footer. */
  label: string;
  /** One line for the help overlay. */
  help: string;
  /** Shown in the footer (the rest only in help). */
  footer: boolean;
}

export const KEY_BINDINGS: readonly KeyBinding[] = [
  { id: 'help', keys: ['?'], label: 'help', help: 'Show or hide this help', footer: true },
  { id: 'pause', keys: ['p'], label: 'pause', help: 'Pause or resume the engine (scanning, arbitrage, paper trading; books stay fresh)', footer: true },
  { id: 'quit', keys: ['q'], label: 'quit', help: 'Quit cleanly (checkpoint, restore the terminal)', footer: true },
  { id: 'escape', keys: ['escape'], label: 'back', help: 'Close the overlay or go back', footer: false },
];

export interface InkKey {
  escape?: boolean;
  return?: boolean;
  tab?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  ctrl?: boolean;
}

/** Finds the binding for one Ink input event. */
export function bindingFor(input: string, key: InkKey): KeyBinding | undefined {
  const name = key.escape ? 'escape' : key.return ? 'return' : key.tab ? 'tab' : key.upArrow ? 'up' : key.downArrow ? 'down' : input;
  return KEY_BINDINGS.find((b) => b.keys.includes(name));
}

export function keyLabel(b: KeyBinding): string {
  return b.keys.map((k) => (k === 'escape' ? 'Esc' : k)).join('/');
}
