import type { KeyEvent } from './input-keys.js';
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
  | 'escape'
  | 'top'
  | 'bottom'
  | 'pageDown'
  | 'pageUp'
  | 'halfDown'
  | 'halfUp'
  | 'copy'
  | 'copyUrl'
  | 'sort'
  | 'sortReverse';

export interface KeyBinding {
  id: KeyId;
  /** Keys by KeyEvent name: a character, or a name ('escape', 'return', 'tab', 'up', 'pagedown', 'ctrl+d' …). */
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
  { id: 'top', keys: ['g', 'home'], label: 'top', help: 'First row', footer: false },
  { id: 'bottom', keys: ['G', 'end'], label: 'bottom', help: 'Last row', footer: false },
  { id: 'pageDown', keys: ['pagedown', 'ctrl+f'], label: 'page↓', help: 'Page down', footer: false },
  { id: 'pageUp', keys: ['pageup', 'ctrl+b'], label: 'page↑', help: 'Page up', footer: false },
  { id: 'halfDown', keys: ['ctrl+d'], label: '½page↓', help: 'Half page down', footer: false },
  { id: 'halfUp', keys: ['ctrl+u'], label: '½page↑', help: 'Half page up', footer: false },
  { id: 'copy', keys: ['c'], label: 'copy id', help: 'Copy the selected market’s id to your clipboard (OSC 52: works over SSH)', footer: false },
  { id: 'copyUrl', keys: ['u'], label: 'copy URL', help: 'Copy the selected market’s polymarket.com URL (OSC 52)', footer: false },
  { id: 'sort', keys: ['s'], label: 'sort', help: 'Shards, OFI, Clusters: sort by the next column (the title shows it)', footer: false },
  { id: 'sortReverse', keys: ['S'], label: 'reverse', help: 'Reverse the sort', footer: false },
  { id: 'enter', keys: ['return'], label: 'detail', help: 'Open the selected row’s detail (signal: why and legs, Enter again executes on paper, asks to confirm; shard: incidents; token: live depth ladder; cluster: its markets, j/k to select one; position: fills and P&L)', footer: true },
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

/** Finds the binding for one key. */
export function bindingFor(k: KeyEvent): KeyBinding | undefined {
  return KEY_BINDINGS.find((b) => b.keys.includes(k.name));
}

export function keyLabel(b: KeyBinding): string {
  if (b.id === 'focusPane') return '1–5';
  return b.keys
    .filter((k) => k !== '=')
    .map((k) => ({ escape: 'Esc', return: 'Enter', tab: 'Tab', up: '↑', down: '↓', pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End' })[k] ?? k.replace(/^ctrl\+/, 'Ctrl-'))
    .join('/');
}
