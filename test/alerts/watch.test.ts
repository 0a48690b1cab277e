// From what the engine records to alert events: signals and arbitrage from the
// queue, fills by tailing their table (watermark saved with the outbox rows, so
// a restart neither repeats nor loses one), breaker transitions, feed
// incidents, and one daily summary per UTC day. Injected clock; real SQLite.
import { describe, expect, it } from 'vitest';
import { consoleOn, service } from './helpers.js';
import { AlertWatcher } from '../../src/alerts/watch.js';
import { parseModes } from '../../src/alerts/router.js';
import { Secret } from '../../src/alerts/secret.js';
import type { QueueItem } from '../../src/plugins/queue.js';
import type { DB } from '../../src/persist/db.js';

const T0 = Date.UTC(2026, 5, 1, 23, 59, 0);
const rows = (db: DB) => db.prepare("SELECT kind, dedupe_key AS key, text FROM alert_outbox ORDER BY id").all() as { kind: string; key: string; text: string }[];

function item(key: string, over: Partial<QueueItem>): QueueItem {
  return { key, kind: 'strategy', label: 'S', tier: 'WATCH', priority: 0.5, marketIds: ['m1'], question: 'Will it?', side: 'BUY Yes', confidence: 0.8, gate: 'ready', reasoning: '', autoTradable: false, seenAt: 0, firstSeen: 0, ...over };
}

function fill(db: DB, id: number) {
  db.prepare('INSERT INTO fills (id, order_id, ts, token_id, side, price, size, fee_micros, liquidity) VALUES (?, 1, 0, ?, ?, ?, ?, ?, ?)').run(id, 'tok', 'BUY', 4200, 10, 175_000, 'taker');
}

describe('alert watcher', () => {
  it('AUTO-TRADE/ALERT signals and arbitrage above the threshold become events, once each', () => {
    const c = consoleOn();
    const svc = service(c.db, { webhooks: [new Secret('http://127.0.0.1:9/x')] });
    const w = new AlertWatcher(c.app, svc, { arbEdge: 0.02, everyMs: 1000 });
    c.app.queue.upsert(item('s1', { tier: 'ALERT' }));
    c.app.queue.upsert(item('s2', { tier: 'WATCH' }));
    c.app.queue.upsert(item('a1', { kind: 'arb', tier: 'ARB', edge: 0.05, label: 'negrisk-short' }));
    c.app.queue.upsert(item('a2', { kind: 'arb', tier: 'ARB', edge: 0.01 }));
    w.check(T0);
    w.check(T0 + 1000);
    svc.flush();
    expect(rows(c.db).map((r) => r.key)).toEqual(['arb:a1', 'signal:s1']);
    expect(rows(c.db)[0]!.text).toBe('ARB negrisk-short: edge 0.0500 per set\nWill it? [m1]');
    // A restart does not announce them again.
    const w2 = new AlertWatcher(c.app, service(c.db, { webhooks: [new Secret('http://127.0.0.1:9/x')] }), { arbEdge: 0.02, everyMs: 1000 });
    w2.check(T0 + 2000);
    expect(rows(c.db).length).toBe(2);
    c.db.close();
  });

  it('fills: only new ones, each once, across a restart', () => {
    const c = consoleOn();
    fill(c.db, 1); // before alerts existed: not announced
    const mk = () => {
      const svc = service(c.db, { webhooks: [new Secret('http://127.0.0.1:9/x')] });
      return { svc, w: new AlertWatcher(c.app, svc, { arbEdge: 0.02, everyMs: 1000 }) };
    };
    const a = mk();
    fill(c.db, 2);
    fill(c.db, 3);
    a.w.check(T0);
    a.w.check(T0 + 1000);
    const b = mk(); // restart
    fill(c.db, 4);
    b.w.check(T0 + 2000);
    expect(rows(c.db).filter((r) => r.kind === 'fill').map((r) => r.key)).toEqual(['fill:2', 'fill:3', 'fill:4']);
    expect(rows(c.db)[0]!.text).toBe('FILL BUY 10 @ 0.4200 (fee $0.17)\ntoken tok');
    c.db.close();
  });

  it('breaker HALT, feed incidents, and one daily summary per UTC day (none at first start)', () => {
    const c = consoleOn();
    const svc = service(c.db, { webhooks: [new Secret('http://127.0.0.1:9/x')] });
    const w = new AlertWatcher(c.app, svc, { arbEdge: 0.02, everyMs: 1000, daily: () => ['equity $10000.00'] });
    w.check(T0);
    c.app.paper.trader.halt('drawdown 12%', T0);
    c.engine.incidents.open({ shard: 3, kind: 'stall', startMs: T0, assets: 200, detail: 'silent 30 s' });
    w.check(T0 + 1000);
    w.check(T0 + 2000);
    w.check(T0 + 120_000); // the next UTC day
    w.check(T0 + 121_000);
    svc.flush();
    const r = rows(c.db);
    expect(r.map((x) => x.kind)).toEqual(['halt', 'feed', 'daily']);
    expect(r[0]!.text).toBe('🛑 BREAKER HALTED: drawdown 12%');
    expect(r[1]!.text).toBe('⚠️ FEED STALL on shard 3\nsilent 30 s');
    expect(r[2]!.text).toBe('Daily summary 2026-06-01\nequity $10000.00');
    c.db.close();
  });

  it('silent kinds go without a notification sound; off kinds not at all', () => {
    const c = consoleOn();
    const svc = service(c.db, { webhooks: [new Secret('http://127.0.0.1:9/x')], modes: parseModes('fill=silent,signal=off') });
    svc.emit({ kind: 'fill', key: 'fill:1', severity: 'info', title: 'f', at: T0 });
    svc.emit({ kind: 'signal', key: 'signal:1', severity: 'info', title: 's', at: T0 });
    svc.flush();
    expect(c.db.prepare('SELECT kind, silent FROM alert_outbox').all()).toEqual([{ kind: 'fill', silent: 1 }]);
    expect(svc.health().dropped).toBe(1);
    c.db.close();
  });
});
