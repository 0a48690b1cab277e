// Pre-signed order templates: signing costs milliseconds, so orders likely to
// be wanted are signed ahead — for each watched token, each side, every price
// within ±N ticks of the touch, at the expected sizes. A template is used once
// (its salt makes its hash unique) and refilled off the hot path. A template is
// only handed out while everything it was signed for still holds: same
// exchange version, tick size, neg-risk flag and key, market open, price still
// in the window, younger than the TTL; otherwise it is dropped, never posted.
// V2 does not sign the expiration, so one template serves GTC and GTD.
import { buildSignedOrder, type OrderSide, type SignedOrder, type SignerSpec, type TickSize } from './orders.js';
import type { ExchangeVersion } from './contracts.js';
import { systemWall, type WallNow } from '../clock.js';

export interface WatchSpec {
  tick: TickSize;
  negRisk: boolean;
  /** Expected sizes (shares, two decimals). */
  sizes: string[];
}

interface TokenState extends WatchSpec {
  /** Touch in tick units (undefined until known). */
  bid?: number;
  ask?: number;
  closed: boolean;
}

export interface Template {
  order: SignedOrder;
  tokenId: string;
  side: OrderSide;
  price: string;
  size: string;
  tick: TickSize;
  negRisk: boolean;
  version: ExchangeVersion;
  keyEpoch: number;
  signedAt: number;
}

export interface TemplateStats {
  hits: number;
  misses: number;
  signed: number;
  dropped: number;
  /** Templates refused at take() because something they were signed for changed (never posted). */
  refusedStale: number;
}

const keyOf = (token: string, side: OrderSide, price: string, size: string) => `${token}|${side}|${price}|${size}`;

export class TemplateCache {
  private readonly tokens = new Map<string, TokenState>();
  /** Insertion order doubles as LRU order (re-inserted on refill). */
  private readonly ready = new Map<string, Template>();
  private keyEpoch = 0;
  private refilling = false;
  /** A refill was asked for while one ran: it runs another round. */
  private again = false;
  readonly stats: TemplateStats = { hits: 0, misses: 0, signed: 0, dropped: 0, refusedStale: 0 };

  constructor(
    private who: SignerSpec,
    private version: ExchangeVersion,
    /**
     * `parallel`: signatures in flight during a refill. With a signer whose
     * signing runs in a worker thread (SigningWorker), a few in flight keep the
     * worker busy while the main thread only builds structs.
     */
    private readonly opts: { window?: number; ttlMs?: number; cap?: number; now?: WallNow; parallel?: number } = {},
  ) {}

  private get now(): number {
    return (this.opts.now ?? systemWall)();
  }
  get size(): number {
    return this.ready.size;
  }

  watch(tokenId: string, spec: WatchSpec): void {
    const cur = this.tokens.get(tokenId);
    if (cur && (cur.tick !== spec.tick || cur.negRisk !== spec.negRisk)) this.dropWhere((t) => t.tokenId === tokenId);
    this.tokens.set(tokenId, { ...spec, ...(cur?.bid !== undefined ? { bid: cur.bid } : {}), ...(cur?.ask !== undefined ? { ask: cur.ask } : {}), closed: false });
  }

  /** New touch (decimal prices): templates now outside the window are dropped. */
  touch(tokenId: string, bestBid: number | undefined, bestAsk: number | undefined): void {
    const s = this.tokens.get(tokenId);
    if (!s) return;
    const t = Number(s.tick);
    if (bestBid !== undefined) s.bid = Math.round(bestBid / t);
    if (bestAsk !== undefined) s.ask = Math.round(bestAsk / t);
    this.dropWhere((tp) => tp.tokenId === tokenId && !this.inWindow(s, tp.price));
  }

  tickChanged(tokenId: string, tick: TickSize): void {
    const s = this.tokens.get(tokenId);
    if (!s || s.tick === tick) return;
    s.tick = tick;
    s.bid = s.ask = undefined;
    this.dropWhere((t) => t.tokenId === tokenId);
  }

  versionChanged(version: ExchangeVersion): void {
    if (version === this.version) return;
    this.version = version;
    this.dropWhere(() => true);
  }

  /** API key or session signer rotated: nothing signed before may be used. */
  rotateKey(who: SignerSpec): void {
    this.who = who;
    this.keyEpoch++;
    this.dropWhere(() => true);
  }

  closed(tokenId: string): void {
    const s = this.tokens.get(tokenId);
    if (s) s.closed = true;
    this.dropWhere((t) => t.tokenId === tokenId);
  }

  private inWindow(s: TokenState, price: string): boolean {
    if (s.bid === undefined || s.ask === undefined) return false;
    const p = Math.round(Number(price) / Number(s.tick));
    const n = this.opts.window ?? 3;
    return p >= s.bid - n && p <= s.ask + n;
  }

  /** Whether a template still matches everything it was signed for. */
  private fresh(t: Template): boolean {
    const s = this.tokens.get(t.tokenId);
    return !!s && !s.closed && t.version === this.version && t.keyEpoch === this.keyEpoch && t.tick === s.tick && t.negRisk === s.negRisk && this.now - t.signedAt < (this.opts.ttlMs ?? 60_000) && this.inWindow(s, t.price);
  }

  /** The hot path: a fresh template for exactly this order, removed from the cache (single use), or undefined. */
  take(tokenId: string, side: OrderSide, price: string, size: string): Template | undefined {
    const k = keyOf(tokenId, side, price, size);
    const t = this.ready.get(k);
    if (!t) {
      this.stats.misses++;
      return undefined;
    }
    this.ready.delete(k);
    if (!this.fresh(t)) {
      this.stats.refusedStale++;
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    return t;
  }

  private dropWhere(pred: (t: Template) => boolean): void {
    for (const [k, t] of this.ready) {
      if (pred(t)) {
        this.ready.delete(k);
        this.stats.dropped++;
      }
    }
  }

  /** Every (token, side, price, size) the window wants that is not ready. */
  wanted(): Array<{ tokenId: string; side: OrderSide; price: string; size: string; tick: TickSize; negRisk: boolean }> {
    const out = [];
    const n = this.opts.window ?? 3;
    for (const [tokenId, s] of this.tokens) {
      if (s.closed || s.bid === undefined || s.ask === undefined) continue;
      const t = Number(s.tick);
      const dp = s.tick.split('.')[1]!.length;
      const max = Math.round(1 / t) - 1;
      for (let p = Math.max(1, s.bid - n); p <= Math.min(max, s.ask + n); p++) {
        const price = (p * t).toFixed(dp);
        for (const side of ['BUY', 'SELL'] as const) {
          for (const size of s.sizes) {
            const k = keyOf(tokenId, side, price, size);
            const have = this.ready.get(k);
            if (!have || !this.fresh(have)) out.push({ tokenId, side, price, size, tick: s.tick, negRisk: s.negRisk });
          }
        }
      }
    }
    return out;
  }

  /**
   * Signs what is missing, yielding to the event loop between orders so the
   * hot path is never held up by more than one order's main-thread work (with
   * a SigningWorker account that is building the struct, not signing it).
   * Expired templates are replaced; the LRU cap evicts the oldest.
   */
  async refill(maxOrders = Infinity): Promise<number> {
    if (this.refilling) {
      // The running refill signs what was wanted when it began; the window may have moved since, so it
      // takes another round when it ends (or the new prices would wait for the next touch).
      this.again = true;
      return 0;
    }
    this.refilling = true;
    let n = 0;
    let queue: ReturnType<TemplateCache['wanted']> = [];
    let next = 0;
    try {
      const one = async (w: ReturnType<TemplateCache['wanted']>[number]): Promise<void> => {
        const version = this.version;
        const epoch = this.keyEpoch;
        const order = await buildSignedOrder({ tokenId: w.tokenId, side: w.side, price: w.price, size: w.size, tick: w.tick, negRisk: w.negRisk, version }, this.who, { timestampMs: this.now });
        // Something may have changed while signing; a template signed for the old state is discarded.
        if (version !== this.version || epoch !== this.keyEpoch) return;
        const t: Template = { order, tokenId: w.tokenId, side: w.side, price: w.price, size: w.size, tick: w.tick, negRisk: w.negRisk, version, keyEpoch: epoch, signedAt: this.now };
        if (!this.fresh(t)) return;
        const k = keyOf(w.tokenId, w.side, w.price, w.size);
        this.ready.delete(k);
        this.ready.set(k, t);
        this.stats.signed++;
        n++;
        const cap = this.opts.cap ?? 20_000;
        while (this.ready.size > cap) {
          const oldest = this.ready.keys().next().value as string;
          this.ready.delete(oldest);
          this.stats.dropped++;
        }
      };
      const lane = async (): Promise<void> => {
        while (next < queue.length && n < maxOrders) {
          await one(queue[next++]!);
          await new Promise<void>((r) => setImmediate(r));
        }
      };
      do {
        this.again = false;
        queue = this.wanted();
        next = 0;
        await Promise.all(Array.from({ length: Math.max(1, Math.floor(this.opts.parallel ?? 1)) }, lane));
      } while (this.again && n < maxOrders);
    } finally {
      this.refilling = false;
      this.again = false;
    }
    return n;
  }
}
