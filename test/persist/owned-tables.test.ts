// The alert outbox and the live order journal used to create their own tables
// when first constructed; they are migrations 3 and 4 now. A database written
// by that older code (version 2, the tables already there with rows in them)
// must upgrade without losing a row, a fresh database gets the tables from the
// migrations alone, and a database newer than this build is still refused.
import { wallMs } from '../../src/clock.js';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseOpenError, openDatabase } from '../../src/persist/db.js';
import { MIGRATIONS } from '../../src/persist/migrations.js';
import { Outbox } from '../../src/persist/alerts-outbox.js';
import { LiveJournal } from '../../src/persist/live-journal.js';
import { tempDir } from '../helpers/paths.js';

const NEWEST = Math.max(...MIGRATIONS.map((m) => m.version));
const sqlOf = (v: number) => MIGRATIONS.find((m) => m.version === v)!.sql;

const ORDER = {
  hash: '0x' + 'ab'.repeat(32),
  tokenId: '1234',
  market: '0xm',
  side: 'BUY' as const,
  price: '0.42',
  size: '10',
  orderType: 'GTC',
  postOnly: false,
  version: 2,
  negRisk: false,
  signatureType: 0,
  maker: '0x' + '11'.repeat(20),
  salt: '7',
  expiration: '0',
};

describe('tables the outbox and the journal own', () => {
  it('a version-2 database whose outbox and journal created their tables upgrades with every row kept', () => {
    const path = join(tempDir('pc-owned-'), 'v2.db');
    const old = openDatabase(path, MIGRATIONS.filter((m) => m.version <= 2));
    expect(old.schemaVersion).toBe(2);
    // What the older outbox and journal ran on construction (the same statements, IF NOT EXISTS).
    old.db.exec(sqlOf(3));
    old.db.exec(sqlOf(4));
    old.db.prepare("INSERT INTO alert_outbox (created_at, target, kind, dedupe_key, silent, text, ord, prio) VALUES (1, 'webhook:0', 'fill', 'k1', 0, 'bought', 1, 0)").run();
    old.db.prepare("INSERT INTO alert_state (name, value) VALUES ('instance', 'old-instance')").run();
    old.db.prepare("INSERT INTO live_state (key, value, updated_at) VALUES ('halt', '{\"reason\":\"operator\",\"at\":5}', 5)").run();
    old.db.close();

    const { db, schemaVersion } = openDatabase(path);
    expect(schemaVersion).toBe(NEWEST);
    expect(NEWEST).toBeGreaterThanOrEqual(4);
    const outbox = new Outbox(db, () => wallMs(2));
    expect(outbox.instance).toBe('old-instance');
    expect(outbox.queued().get('webhook:0')).toBe(1);
    expect(outbox.next('webhook:0')?.text).toBe('bought');
    const journal = new LiveJournal(db, () => wallMs(10));
    expect(journal.halt()?.reason).toBe('operator');
    db.close();
  });

  it('a fresh database gets the tables from the migrations: neither class creates anything', () => {
    const { db } = openDatabase(join(tempDir('pc-owned-'), 'new.db'));
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    for (const t of ['alert_outbox', 'alert_state', 'alert_updates', 'live_orders', 'live_fills', 'live_state']) expect(tables).toContain(t);
    const before = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master").get();
    const journal = new LiveJournal(db, () => wallMs(1));
    journal.journal(ORDER);
    expect(journal.get(ORDER.hash)?.state).toBe('JOURNALED');
    const outbox = new Outbox(db, () => wallMs(1));
    expect(outbox.enqueue([{ target: 'webhook:0', kind: 'fill', key: 'k', silent: false, text: 'hi' }])).toHaveLength(1);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master").get()).toEqual(before);
    db.close();
  });

  it('a database from a newer build is still refused, untouched', () => {
    const path = join(tempDir('pc-owned-'), 'future.db');
    openDatabase(path).db.close();
    const raw = new Database(path);
    raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(NEWEST + 1, 'from a newer build', 0);
    raw.close();
    expect(() => openDatabase(path)).toThrow(DatabaseOpenError);
    expect(() => openDatabase(path)).toThrow(/newer than this polyconsole understands/);
  });
});
