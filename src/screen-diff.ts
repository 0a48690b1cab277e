// Writes only what changed between two frames of the console.
//
// Ink 6 rewrites the whole frame on every render (≈9 KB at 120×40); over SSH
// that is ~43 KB/s while nothing happens. Here each frame line is cut into
// cells (a character and the SGR style it is drawn with), compared with the
// same line of the frame on screen, and only the changed runs of cells are
// written, each after an absolute cursor move. The console runs on the
// alternate screen with its frame anchored at row 1, so absolute moves are
// exact; a resize (or anything that may have disturbed the screen) is a full
// redraw.
import stringWidth from 'string-width';

export interface Cell {
  /** The grapheme drawn, '' for the second column of a wide one. */
  ch: string;
  /** The SGR sequence that sets this cell's style from a reset ('' = default). */
  style: string;
}

interface Style {
  fg: string;
  bg: string;
  attrs: Set<number>;
}

const BLANK: Cell = { ch: ' ', style: '' };
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
// CSI … m (SGR) and other CSI / OSC sequences Ink never emits inside a frame line but we must not count as text.
const ESCAPE = /\u001b(?:\[[0-9;:?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/y;

const ATTR_OFF: Record<number, number[]> = { 22: [1, 2], 23: [3], 24: [4], 25: [5], 27: [7], 28: [8], 29: [9] };

function applySgr(style: Style, params: string): void {
  const p = params === '' ? [0] : params.split(/[;:]/).map((x) => (x === '' ? 0 : Number(x)));
  for (let i = 0; i < p.length; i++) {
    const n = p[i]!;
    if (n === 0) {
      style.fg = '';
      style.bg = '';
      style.attrs.clear();
    } else if (n === 38 || n === 48) {
      // 38;5;n or 38;2;r;g;b
      const len = p[i + 1] === 5 ? 3 : p[i + 1] === 2 ? 5 : 1;
      const value = p.slice(i, i + len).join(';');
      if (n === 38) style.fg = value;
      else style.bg = value;
      i += len - 1;
    } else if (n === 39) style.fg = '';
    else if (n === 49) style.bg = '';
    else if ((n >= 30 && n <= 37) || (n >= 90 && n <= 97)) style.fg = String(n);
    else if ((n >= 40 && n <= 47) || (n >= 100 && n <= 107)) style.bg = String(n);
    else if (ATTR_OFF[n]) for (const a of ATTR_OFF[n]!) style.attrs.delete(a);
    else if (n >= 1 && n <= 9) style.attrs.add(n);
  }
}

function styleCode(style: Style): string {
  const parts = [...style.attrs].sort((a, b) => a - b).map(String);
  if (style.fg) parts.push(style.fg);
  if (style.bg) parts.push(style.bg);
  return parts.length ? `\u001b[0;${parts.join(';')}m` : '';
}

/** A frame line → its cells. Wide graphemes take two cells (the second is ''). */
export function parseCells(line: string): Cell[] {
  const cells: Cell[] = [];
  const style: Style = { fg: '', bg: '', attrs: new Set() };
  let code = '';
  let i = 0;
  let text = '';
  const flush = () => {
    if (!text) return;
    for (const { segment } of segmenter.segment(text)) {
      const w = stringWidth(segment);
      if (w === 0) {
        // A combining mark or zero-width character joins the previous cell.
        if (cells.length) cells[cells.length - 1] = { ...cells[cells.length - 1]!, ch: cells[cells.length - 1]!.ch + segment };
        continue;
      }
      cells.push({ ch: segment, style: code });
      if (w === 2) cells.push({ ch: '', style: code });
    }
    text = '';
  };
  while (i < line.length) {
    if (line.charCodeAt(i) === 0x1b) {
      ESCAPE.lastIndex = i;
      const m = ESCAPE.exec(line);
      if (m) {
        flush();
        const seq = m[0];
        if (seq.startsWith('\u001b[') && seq.endsWith('m')) {
          applySgr(style, seq.slice(2, -1));
          code = styleCode(style);
        }
        i += seq.length;
        continue;
      }
      i++;
      continue;
    }
    text += line[i];
    i++;
  }
  flush();
  return cells;
}

const same = (a: Cell, b: Cell) => a.ch === b.ch && a.style === b.style;

/** Writes cells [from, to) at row `row` (1-based), starting from the default style; ends back at default. */
function writeRun(cells: Cell[], row: number, from: number, to: number): string {
  let out = `\u001b[${row};${from + 1}H`;
  let current = '';
  for (let c = from; c < to; c++) {
    const cell = cells[c] ?? BLANK;
    if (cell.ch === '') continue;
    if (cell.style !== current) {
      out += cell.style || '\u001b[0m';
      current = cell.style;
    }
    out += cell.ch;
  }
  if (current) out += '\u001b[0m';
  return out;
}

/** Runs of changed cells closer than this are written as one (a cursor move costs ~8 bytes). */
const MERGE_GAP = 8;

/**
 * The bytes that turn line `prev` into line `next` at screen row `row` (1-based)
 * of a terminal `columns` wide. '' when nothing changed.
 */
export function diffLine(prev: Cell[], next: Cell[], row: number, columns: number): string {
  const width = Math.min(columns, Math.max(prev.length, next.length));
  // Where the new line's content ends: beyond it, erase-to-end-of-line is cheaper than spaces.
  let end = next.length;
  while (end > 0 && same(next[end - 1]!, BLANK)) end--;
  end = Math.min(end, columns);
  let out = '';
  let c = 0;
  while (c < width) {
    if (same(prev[c] ?? BLANK, next[c] ?? BLANK)) {
      c++;
      continue;
    }
    // A change inside a wide character redraws the whole character.
    let from = c;
    if (from > 0 && ((next[from]?.ch === '' ) || prev[from]?.ch === '')) from--;
    let to = c + 1;
    let gap = 0;
    for (let k = c + 1; k < width && gap < MERGE_GAP; k++) {
      if (same(prev[k] ?? BLANK, next[k] ?? BLANK)) gap++;
      else {
        gap = 0;
        to = k + 1;
      }
    }
    if (to < width && (next[to]?.ch === '' || prev[to]?.ch === '')) to++;
    if (to >= end && width > end) {
      // The rest of the row is blank in the new frame: write up to the content, then erase.
      out += writeRun(next, row, from, Math.max(from, end));
      // Erasing at the last column would also erase a character drawn there (pending wrap).
      if (end < columns) out += '\u001b[K';
      return out;
    }
    out += writeRun(next, row, from, to);
    c = to;
  }
  return out;
}

/** Turns whole frames into the fewest bytes that update the screen. */
export class FrameDiff {
  private lines: Cell[][] = [];
  private raw: string[] = [];
  private full = true;

  constructor(
    private columns: number,
    private rows: number,
  ) {}

  /** The next write forgets what is on screen and redraws everything. */
  invalidate(columns = this.columns, rows = this.rows): void {
    this.columns = columns;
    this.rows = rows;
    this.full = true;
  }

  /** The bytes that bring the screen from the last frame to `frame`. */
  next(frame: string): string {
    const text = frame.endsWith('\n') ? frame.slice(0, -1) : frame;
    const rawLines = text.split('\n').slice(0, this.rows);
    let out = '';
    const cells: Cell[][] = [];
    if (this.full) {
      out += '\u001b[0m\u001b[H\u001b[2J';
      rawLines.forEach((l, i) => {
        const c = parseCells(l);
        cells.push(c);
        out += diffLine([], c, i + 1, this.columns);
      });
      this.full = false;
    } else {
      const n = Math.max(rawLines.length, this.raw.length);
      for (let i = 0; i < n; i++) {
        const l = rawLines[i];
        if (l === undefined) {
          // The frame got shorter: blank the rows it left.
          if (this.raw[i]) out += `\u001b[${i + 1};1H\u001b[2K`;
          continue;
        }
        if (l === this.raw[i]) {
          cells.push(this.lines[i]!);
          continue;
        }
        const c = parseCells(l);
        cells.push(c);
        out += diffLine(this.lines[i] ?? [], c, i + 1, this.columns);
      }
    }
    this.lines = cells;
    this.raw = rawLines;
    return out;
  }
}
