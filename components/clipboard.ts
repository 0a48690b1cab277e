// OSC 52 asks the operator's own terminal to set its clipboard; it travels in
// the output stream, so it works over SSH (where the terminal allows it; inside
// tmux, `set -g set-clipboard on`).

/** The escape sequence that puts `text` on the local clipboard. Control characters are dropped first. */
export function osc52(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return `\u001b]52;c;${Buffer.from(clean, 'utf8').toString('base64')}\u0007`;
}
