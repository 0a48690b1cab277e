// One key registry (DESIGN §7): it drives input handling, the footer hints and
// the `?` help overlay, so what is shown is always what works.
export type KeyId =
  | 'help'
  | 'quit'
  | 'pause'
  | 'batchUp'
  | 'batchDown'
  | 'intervalUp'
  | 'intervalDown'
  | 'paper'
  | 'nextPane'
  | 'focusPane'
  | 'down'
  | 'up'
  | 'enter'
  | 'filter'
  | 'zoom'
  | 'halt'
  | 'resume'
  | 'blotter'
  | 'escape';

export interface KeyBinding {
  id: KeyId;
  /** Keys as Ink reports them: a character, or a name ('escape', 'return', 'tab', 'up', 'down'). */
  keys: string[];
  /** Short label for the footer. */
  label: string;
  /** One line for the help overlay. */
  help: string;
  /** Shown in the footer (the rest only in help). */
  footer: boolean;
  /** Destructive: asks for a one-key confirmation first. */
  confirm?: boolean;
}

export const KEY_BINDINGS: readonly KeyBinding[] = [
  { id: 'help', keys: ['?'], label: 'help', help: 'Show or hide this help', footer: true },
  { id: 'quit', keys: ['q'], label: 'quit', help: 'Quit cleanly: checkpoint, restore the terminal', footer: true },
  { id: 'pause', keys: ['p'], label: 'pause', help: 'Pause or resume the engine’s decisions (scan, arbitrage, paper); books stay fresh', footer: true },
  { id: 'paper', keys: ['t'], label: 'paper', help: 'Turn paper trading on or off (asks to confirm)', footer: true, confirm: true },
  { id: 'nextPane', keys: ['tab'], label: 'pane', help: 'Focus the next pane', footer: true },
  { id: 'focusPane', keys: ['1', '2', '3', '4', '5'], label: 'pane', help: 'Focus pane 1 Shards · 2 OFI · 3 Signals · 4 Clusters · 5 Portfolio', footer: false },
  { id: 'down', keys: ['j', 'down'], label: 'down', help: 'Select the next row', footer: false },
  { id: 'up', keys: ['k', 'up'], label: 'up', help: 'Select the previous row', footer: false },
  { id: 'enter', keys: ['return'], label: 'detail', help: 'Open the selected signal’s detail; in the detail, execute it on paper (asks to confirm)', footer: true },
  { id: 'filter', keys: ['/'], label: 'filter', help: 'Filter the focused pane by text (Enter keeps it, Esc clears)', footer: true },
  { id: 'zoom', keys: ['z'], label: 'zoom', help: 'Zoom the focused pane to the whole screen, or back', footer: false },
  { id: 'batchUp', keys: ['+', '='], label: 'batch+', help: 'Scan batch size +50 (50–300)', footer: false },
  { id: 'batchDown', keys: ['-'], label: 'batch−', help: 'Scan batch size −50', footer: false },
  { id: 'intervalUp', keys: [']'], label: 'slower', help: 'Scan interval ×2', footer: false },
  { id: 'intervalDown', keys: ['['], label: 'faster', help: 'Scan interval ÷2', footer: false },
  { id: 'halt', keys: ['x'], label: 'HALT', help: 'Kill switch: halt paper trading at once (asks to confirm)', footer: true, confirm: true },
  { id: 'resume', keys: ['R'], label: 'resume', help: 'Resume trading after a halt (asks to confirm)', footer: false, confirm: true },
  { id: 'blotter', keys: ['b'], label: 'blotter', help: 'Portfolio: show the blotter (every fill, settlement and refusal with why and the P&L it booked) or the positions', footer: false },
  { id: 'escape', keys: ['escape'], label: 'back', help: 'Close the overlay, detail or filter', footer: false },
];

export interface InkKey {
  escape?: boolean;
  return?: boolean;
  tab?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  ctrl?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

export function keyName(input: string, key: InkKey): string {
  return key.escape ? 'escape' : key.return ? 'return' : key.tab ? 'tab' : key.upArrow ? 'up' : key.downArrow ? 'down' : input;
}

/** Finds the binding for one Ink input event. */
export function bindingFor(input: string, key: InkKey): KeyBinding | undefined {
  const name = keyName(input, key);
  return KEY_BINDINGS.find((b) => b.keys.includes(name));
}

export function keyLabel(b: KeyBinding): string {
  if (b.id === 'focusPane') return '1–5';
  return b.keys
    .filter((k) => k !== '=')
    .map((k) => ({ escape: 'Esc', return: 'Enter', tab: 'Tab', up: '↑', down: '↓' })[k] ?? k)
    .join('/');
}
