import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/persist/db.js';
import { Checkpoints, type Checkpointable } from '../../src/persist/checkpoints.js';
import { wallMs } from '../../src/clock.js';

class Counter implements Checkpointable {
  value = 0;
  constructor(
    readonly name: string,
    readonly toleranceMs: number,
  ) {}
  toCheckpoint() {
    return { value: this.value };
  }
  fromCheckpoint(json: unknown) {
    const v = (json as { value?: unknown })?.value;
    if (typeof v !== 'number') return false;
    this.value = v;
    return true;
  }
}

function setup() {
  const { db } = openDatabase(':memory:');
  let now = 1_000_000;
  const log: string[] = [];
  const make = () => new Checkpoints(db, () => wallMs(now), (l) => log.push(l));
  return { db, make, log, advance: (ms: number) => (now += ms) };
}

describe('Checkpoints', () => {
  it('writes every registered tracker in one transaction with its cycle, and restores them', () => {
    const { make, db } = setup();
    const cp = make();
    const ofi = new Counter('ofi', 10_000);
    const arb = new Counter('arb', 60_000);
    cp.register(ofi);
    cp.register(arb);
    ofi.value = 7;
    arb.value = 9;
    expect(cp.save(42)).toBe(2);
    expect(db.prepare('SELECT name, cycle FROM tracker_state ORDER BY name').all()).toEqual([
      { name: 'arb', cycle: 42 },
      { name: 'ofi', cycle: 42 },
    ]);
    const again = make();
    const ofi2 = new Counter('ofi', 10_000);
    again.register(ofi2);
    expect(again.restore()[0]!.outcome).toBe('restored');
    expect(ofi2.value).toBe(7);
  });

  it('discards state older than each tracker’s own tolerance (OFI 10 s, arbitrage 60 s) and logs the age', () => {
    const { make, advance, log } = setup();
    const cp = make();
    cp.register(new Counter('ofi', 10_000));
    cp.register(new Counter('arb', 60_000));
    cp.save(1);
    advance(30_000);
    const next = make();
    const ofi = new Counter('ofi', 10_000);
    const arb = new Counter('arb', 60_000);
    next.register(ofi);
    next.register(arb);
    const reports = next.restore();
    expect(reports.map((r) => [r.name, r.outcome])).toEqual([
      ['ofi', 'stale'],
      ['arb', 'restored'],
    ]);
    expect(log.some((l) => /ofi: checkpoint 30\.0 s old exceeds tolerance 10\.0 s, discarded/.test(l))).toBe(true);
    expect(log.some((l) => /arb: restored checkpoint from cycle 1, 30\.0 s old/.test(l))).toBe(true);
  });

  it('a tracker whose JSON fails validation starts fresh with a warning; the others still restore', () => {
    const { make, db, log } = setup();
    const cp = make();
    cp.register(new Counter('good', 60_000));
    cp.register(new Counter('bad', 60_000));
    cp.save(3);
    db.prepare("UPDATE tracker_state SET json = '{\"value\":\"not a number\"}' WHERE name = 'bad'").run();
    const next = make();
    const good = new Counter('good', 60_000);
    const bad = new Counter('bad', 60_000);
    next.register(good);
    next.register(bad);
    const r = next.restore();
    expect(r.find((x) => x.name === 'bad')!.outcome).toBe('invalid');
    expect(r.find((x) => x.name === 'good')!.outcome).toBe('restored');
    expect(log.some((l) => l.startsWith('warning: bad: checkpoint failed validation'))).toBe(true);
  });

  it('unparseable JSON is also a fresh start, not a crash', () => {
    const { make, db } = setup();
    const cp = make();
    cp.register(new Counter('x', 60_000));
    cp.save(1);
    db.prepare("UPDATE tracker_state SET json = '{{{' WHERE name = 'x'").run();
    const next = make();
    next.register(new Counter('x', 60_000));
    expect(next.restore()[0]!.outcome).toBe('invalid');
  });
});
