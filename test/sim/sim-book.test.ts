// The simulator's own book: worked examples of its matching, and the boundary
// that keeps it independent of the engine's book (the soak compares the two).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimBook, type Resting } from '../../src/sim/sim-book.js';
import { ROOT } from '../helpers/paths.js';

const order = (side: 'BUY' | 'SELL', price: number, size: number, maker = 'acct-a'): Resting => ({ side, price, original: size, matched: 0, maker });

describe('the simulator book', () => {
  it('shows makers and resting orders as one public level, best last on the wire arrays', () => {
    const b = new SimBook('t');
    b.setMakers('BUY', 4_800, 100);
    b.setMakers('BUY', 4_900, 50);
    b.setMakers('SELL', 5_100, 80);
    b.setMakers('SELL', 5_200, 120);
    b.add(order('BUY', 4_900, 10));
    b.add(order('BUY', 5_000, 7.5));
    expect(b.bidPx).toEqual([4_800, 4_900, 5_000]);
    expect(b.bidSz).toEqual([100, 60, 7.5]);
    expect(b.askPx).toEqual([5_200, 5_100]);
    expect(b.askSz).toEqual([120, 80]);
    expect(b.bestBid).toBe(5_000);
    expect(b.bestBidSize).toBe(7.5);
    expect(b.bestResting('BUY')).toBe(5_000);
  });

  it('matches price first, then resting orders in time order ahead of the makers at a price', () => {
    const b = new SimBook('t');
    b.setMakers('BUY', 4_900, 50);
    const first = order('BUY', 4_900, 10, 'a');
    const second = order('BUY', 4_900, 5, 'b');
    const better = order('BUY', 5_000, 3, 'c');
    b.add(first);
    b.add(second);
    b.add(better);
    // A seller for 20 at 0.49 or better: 3 @ 0.50 (c), then 10 (a) and 5 (b) @ 0.49, then 2 from the makers.
    const { fills, touched } = b.match('SELL', 20, 4_900);
    expect(fills.map((f) => [f.price, f.size, f.order?.maker ?? 'makers'])).toEqual([
      [5_000, 3, 'c'],
      [4_900, 10, 'a'],
      [4_900, 5, 'b'],
      [4_900, 2, 'makers'],
    ]);
    expect(touched).toEqual([
      { side: 'BUY', price: 5_000, size: 0 },
      { side: 'BUY', price: 4_900, size: 48 },
    ]);
    expect(b.bidPx).toEqual([4_900]);
    expect(b.orders()).toEqual([]);
    expect(first.matched).toBe(10);
  });

  it('stops at the limit, never matches a taker with its own order, and counts what is fillable the same way', () => {
    const b = new SimBook('t');
    b.setMakers('SELL', 5_100, 30);
    b.setMakers('SELL', 5_300, 30);
    const own = order('SELL', 5_000, 10, 'me');
    b.add(own);
    expect(b.fillable('BUY', 5_100, 'me')).toBe(30);
    expect(b.fillable('BUY', 5_100, 'other')).toBe(40);
    const { fills } = b.match('BUY', 100, 5_100, 'me');
    expect(fills).toEqual([{ price: 5_100, size: 30 }]);
    expect(own.matched).toBe(0);
    expect(b.askPx).toEqual([5_300, 5_000]);
  });

  it('a partly filled order keeps its place; removing it leaves only the makers', () => {
    const b = new SimBook('t');
    b.setMakers('SELL', 5_100, 30);
    const o = order('SELL', 5_100, 20);
    b.add(o);
    b.match('BUY', 12, undefined, 'x');
    expect(o.matched).toBe(12);
    expect(b.size('SELL', 5_100)).toBe(38);
    expect(b.remove(o)).toBe(30);
    expect(b.remove(o)).toBeUndefined();
    expect(b.makersAt('SELL', 5_100)).toBe(30);
  });

  it('a tick change drops the makers and keeps accounts\u2019 orders', () => {
    const b = new SimBook('t');
    b.setMakers('BUY', 4_900, 50);
    b.setMakers('SELL', 5_000, 50);
    b.add(order('SELL', 5_000, 4));
    const v = b.version;
    b.dropMakers();
    expect(b.version).toBeGreaterThan(v);
    expect(b.bidPx).toEqual([]);
    expect(b.askPx).toEqual([5_000]);
    expect(b.askSz).toEqual([4]);
  });
});

/** Relative import specifiers of a TypeScript file (static, dynamic and type-only). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s*|import\s*\(\s*|import\s+)['"](\.[^'"]+)['"]/g)) out.push(m[1]!);
  return out;
}

describe('the simulator keeps its own book', () => {
  it('nothing under src/sim reaches src/book, directly or through another module', () => {
    const src = join(ROOT, 'src');
    const book = join(src, 'book');
    const simFiles = readdirSync(join(src, 'sim')).filter((f) => f.endsWith('.ts')).map((f) => join(src, 'sim', f));
    expect(simFiles.length).toBeGreaterThan(10);
    const seen = new Set<string>();
    const via = new Map<string, string>();
    const queue = [...simFiles];
    const offenders: string[] = [];
    while (queue.length) {
      const f = queue.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      for (const spec of importsOf(f)) {
        const base = resolve(dirname(f), spec).replace(/\.js$/, '');
        const target = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((p) => existsSync(p)) ?? `${base}.ts`;
        if (!target.startsWith(src)) continue;
        if (target.startsWith(book + '/')) {
          let chain = relative(ROOT, f);
          for (let p = via.get(f); p; p = via.get(p)) chain = `${relative(ROOT, p)} -> ${chain}`;
          offenders.push(`${chain} -> ${relative(ROOT, target)}`);
          continue;
        }
        if (!existsSync(target)) continue;
        if (!via.has(target) && !simFiles.includes(target)) via.set(target, f);
        queue.push(target);
      }
    }
    expect(offenders).toEqual([]);
  });
});
