// One token's order book. Levels are kept sorted here, never trusted from the
// wire (DESIGN §3). Both sides keep the best level at the END of their arrays
// (bids ascending, asks descending), so top-of-book changes, the most frequent,
// are cheap pushes/pops.
import { decodeRestBook } from '../protocol/clob.js';
import type { Level, LevelColumns, Side } from '../protocol/events.js';

export type BookState = 'stale' | 'fresh' | 'out-of-sync';

export class OrderBook {
  readonly asset: string;
  market = '';
  /** Bid prices ascending (best last), sizes aligned. */
  readonly bidPx: number[] = [];
  readonly bidSz: number[] = [];
  /** Ask prices descending (best last), sizes aligned. */
  readonly askPx: number[] = [];
  readonly askSz: number[] = [];
  state: BookState = 'stale';
  /** Why the book is not fresh, for the UI and incidents. */
  reason = 'no snapshot yet';
  /** Venue timestamp (ms) of the last full snapshot. */
  snapshotTs = 0;
  /** Venue timestamp (ms) of the last applied change. */
  updateTs = 0;
  /** Local receive time (ms) of the last message touching this book. */
  receivedAt = 0;
  /** Tick size in price units (100 = 0.01). */
  tick = 100;
  lastTradePrice: number | undefined;
  hash = '';
  /** Incremented on every change to the levels. */
  version = 0;
  /**
   * A signal tracker's integer slot for this book's token, cached on the book
   * so an update costs no lookup by a 77-digit id. Valid only while
   * `slotOwner` is that tracker; the tracker clears it when the slot is reused.
   */
  slotOwner: object | null = null;
  slot = -1;
  /**
   * The best level of each side (NaN / 0 when the side is empty), kept with
   * the arrays on every change: readers of the top touch this object only,
   * not four arrays and their stores (one cache line instead of up to eight).
   */
  topBidPx = NaN;
  topBidSz = 0;
  topAskPx = NaN;
  topAskSz = 0;

  constructor(asset: string) {
    this.asset = asset;
  }

  /** Replaces both sides from a snapshot (`book` message or REST /book). */
  replace(bids: readonly Level[], asks: readonly Level[]): void {
    this.version++;
    fill(bids, this.bidPx, this.bidSz, 1);
    fill(asks, this.askPx, this.askSz, -1);
    this.syncBid();
    this.syncAsk();
  }

  /** Same as `replace`, from levels in columns (a compiled recording): no level objects. */
  replaceColumns(c: LevelColumns): void {
    this.version++;
    fillColumns(c.px, c.sz, c.start, c.start + c.bids, this.bidPx, this.bidSz, 1);
    fillColumns(c.px, c.sz, c.start + c.bids, c.start + c.bids + c.asks, this.askPx, this.askSz, -1);
    this.syncBid();
    this.syncAsk();
  }

  /** Sets the aggregate size of one level; 0 removes it. BUY = bid side. */
  setLevel(side: Side, price: number, size: number): void {
    this.version++;
    if (side === 'BUY') {
      setSorted(this.bidPx, this.bidSz, price, size, 1);
      this.syncBid();
    } else {
      setSorted(this.askPx, this.askSz, price, size, -1);
      this.syncAsk();
    }
  }

  private syncBid(): void {
    const n = this.bidPx.length;
    this.topBidPx = n ? this.bidPx[n - 1]! : NaN;
    this.topBidSz = n ? this.bidSz[n - 1]! : 0;
  }

  private syncAsk(): void {
    const n = this.askPx.length;
    this.topAskPx = n ? this.askPx[n - 1]! : NaN;
    this.topAskSz = n ? this.askSz[n - 1]! : 0;
  }

  get bestBid(): number | undefined {
    return this.bidPx.length ? this.bidPx[this.bidPx.length - 1] : undefined;
  }
  get bestAsk(): number | undefined {
    return this.askPx.length ? this.askPx[this.askPx.length - 1] : undefined;
  }
  get bestBidSize(): number {
    return this.bidSz.length ? this.bidSz[this.bidSz.length - 1]! : 0;
  }
  get bestAskSize(): number {
    return this.askSz.length ? this.askSz[this.askSz.length - 1]! : 0;
  }

  /** Size resting at an exact price on one side (0 if none). */
  sizeAt(side: Side, price: number): number {
    const px = side === 'BUY' ? this.bidPx : this.askPx;
    const sz = side === 'BUY' ? this.bidSz : this.askSz;
    const i = search(px, price, side === 'BUY' ? 1 : -1);
    return i >= 0 ? sz[i]! : 0;
  }

  /** Levels best-first, at most n. */
  top(side: Side, n = Infinity): Level[] {
    const px = side === 'BUY' ? this.bidPx : this.askPx;
    const sz = side === 'BUY' ? this.bidSz : this.askSz;
    const out: Level[] = [];
    for (let i = px.length - 1; i >= 0 && out.length < n; i--) out.push({ price: px[i]!, size: sz[i]! });
    return out;
  }

  get crossed(): boolean {
    const b = this.bestBid;
    const a = this.bestAsk;
    return b !== undefined && a !== undefined && b >= a;
  }

  get levelCount(): number {
    return this.bidPx.length + this.askPx.length;
  }

  clear(): void {
    this.version++;
    this.bidPx.length = this.bidSz.length = this.askPx.length = this.askSz.length = 0;
    this.syncBid();
    this.syncAsk();
  }
}

/** dir = 1: ascending (bids); dir = -1: descending (asks). */
function fill(levels: readonly Level[], px: number[], sz: number[], dir: 1 | -1): void {
  const to = levels.length;
  let n = 0;
  let k = 0;
  // Levels in book order (best last), as the venue sends them: written over the old ones in place.
  for (; k < to; k++) {
    const p = levels[k]!.price;
    if (n > 0 && !(dir * (p - px[n - 1]!) > 0)) break;
    px[n] = p;
    sz[n++] = levels[k]!.size;
  }
  truncate(px, sz, n);
  for (; k < to; k++) put(px, sz, levels[k]!.price, levels[k]!.size, dir);
  dropEmpty(px, sz);
}

/** `fill` from columns [from, to). */
function fillColumns(cpx: Float64Array, csz: Float64Array, from: number, to: number, px: number[], sz: number[], dir: 1 | -1): void {
  let n = 0;
  let k = from;
  for (; k < to; k++) {
    const p = cpx[k]!;
    if (n > 0 && !(dir * (p - px[n - 1]!) > 0)) break;
    px[n] = p;
    sz[n++] = csz[k]!;
  }
  truncate(px, sz, n);
  for (; k < to; k++) put(px, sz, cpx[k]!, csz[k]!, dir);
  dropEmpty(px, sz);
}

/**
 * One snapshot level into the sorted arrays, in place and without garbage:
 * snapshots come in book order (best last) or reversed, so most levels land at
 * an end. Duplicate prices in a snapshot: the later one wins (a later 0
 * removes it), so zeros stay until `dropEmpty`.
 */
function put(px: number[], sz: number[], price: number, size: number, dir: 1 | -1): void {
  const n = px.length;
  if (n === 0 || dir * (price - px[n - 1]!) > 0) {
    px.push(price);
    sz.push(size);
    return;
  }
  const i = search(px, price, dir);
  if (i >= 0) sz[i] = size;
  else insertAt(px, sz, -i - 1, price, size);
}

/** Inserts one level at `at`, shifting the rest up (splice would allocate the array of removed items). */
function insertAt(px: number[], sz: number[], at: number, price: number, size: number): void {
  let j = px.length;
  if (at >= j) {
    px.push(price);
    sz.push(size);
    return;
  }
  px.push(px[j - 1]!);
  sz.push(sz[j - 1]!);
  for (j--; j > at; j--) {
    px[j] = px[j - 1]!;
    sz[j] = sz[j - 1]!;
  }
  px[at] = price;
  sz[at] = size;
}

/** Removes the level at `at`, shifting the rest down. */
function removeAt(px: number[], sz: number[], at: number): void {
  const n = px.length - 1;
  for (let j = at; j < n; j++) {
    px[j] = px[j + 1]!;
    sz[j] = sz[j + 1]!;
  }
  px.pop();
  sz.pop();
}

/**
 * Cuts both arrays to n levels. By pop: setting `length` is a call into the
 * runtime on every snapshot and removal, even when nothing changes; pop is
 * inlined, and a book loses a level or two at a time.
 */
function truncate(px: number[], sz: number[], n: number): void {
  while (px.length > n) {
    px.pop();
    sz.pop();
  }
}

function dropEmpty(px: number[], sz: number[]): void {
  let w = 0;
  for (let r = 0; r < px.length; r++) {
    if (!(sz[r]! > 0)) continue;
    px[w] = px[r]!;
    sz[w++] = sz[r]!;
  }
  truncate(px, sz, w);
}

/** Index of price in a sorted array, or -(insertion point) - 1. */
function search(px: readonly number[], price: number, dir: 1 | -1): number {
  // Fast path: most changes touch the best level at the end.
  const n = px.length;
  if (n && px[n - 1] === price) return n - 1;
  let lo = 0;
  let hi = n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const d = dir * (px[mid]! - price);
    if (d === 0) return mid;
    if (d < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

function setSorted(px: number[], sz: number[], price: number, size: number, dir: 1 | -1): void {
  const i = search(px, price, dir);
  if (i >= 0) {
    if (size > 0) sz[i] = size;
    else removeAt(px, sz, i);
    return;
  }
  if (size <= 0) return;
  const at = -i - 1;
  if (at === px.length) {
    px.push(price);
    sz.push(size);
  } else insertAt(px, sz, at, price, size);
}

/**
 * A standalone fresh book from one item of a REST `/book` or `/books` answer,
 * received at `at` (this process's clock); undefined if the item does not decode.
 */
export function bookFromRest(item: unknown, at: number): OrderBook | undefined {
  const d = decodeRestBook(item);
  if (!d.ok) return undefined;
  const b = new OrderBook(d.value.book.asset);
  b.replace(d.value.book.bids, d.value.book.asks);
  b.state = 'fresh';
  b.receivedAt = at;
  b.updateTs = d.value.book.ts;
  return b;
}
