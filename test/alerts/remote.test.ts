// Remote commands on an injected clock: confirmation window, who may confirm,
// and once-only handling of an update redelivered after a restart.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase } from '../../src/persist/db.js';
import { Outbox } from '../../src/persist/alerts-outbox.js';
import { RemoteControl, type AlertActions } from '../../src/alerts/remote.js';
import { AuditLog } from '../../src/persist/audit-log.js';
import { tempDir } from '../helpers/paths.js';
import { wallMs } from '../../src/clock.js';

function counting() {
  const calls: string[] = [];
  const a: AlertActions = {
    status: () => (calls.push('status'), 'ok'),
    profit: () => (calls.push('profit'), 'ok'),
    positions: () => (calls.push('positions'), 'ok'),
    feed: () => (calls.push('feed'), 'ok'),
    pause: () => (calls.push('pause'), 'paused'),
    resume: () => (calls.push('resume'), 'resumed'),
    halt: () => (calls.push('halt'), 'halted'),
  };
  return { a, calls };
}

function remote(path: string, now: { t: number }, actions: AlertActions) {
  const { db } = openDatabase(path);
  const outbox = new Outbox(db, () => wallMs(now.t));
  const rc = new RemoteControl({ userIds: ['42'], chatIds: ['111'], actions: () => actions, audit: new AuditLog(db, () => wallMs(now.t)), firstSight: (id) => outbox.firstSight(id), now: () => wallMs(now.t), code: () => '123456' });
  return { rc, db };
}

const msg = (updateId: number, text: string, userId = '42', chatId = '111') => ({ updateId, userId, chatId, text });

describe('remote control', () => {
  it('/confirm after 60 s is refused; a fresh /resume works', () => {
    const now = { t: 1_000_000 };
    const { a, calls } = counting();
    const { rc } = remote(join(tempDir('pc-rc-'), 'a.db'), now, a);
    expect(rc.handle(msg(1, '/resume'))).toMatch(/\/confirm 123456 within 60 s/);
    now.t += 60_001;
    expect(rc.handle(msg(2, '/confirm 123456'))).toMatch(/expired/);
    expect(calls).toEqual([]);
    rc.handle(msg(3, '/resume'));
    now.t += 59_000;
    expect(rc.handle(msg(4, '/confirm 123456'))).toBe('resumed');
    expect(calls).toEqual(['resume']);
  });

  it('only the user who asked, in the same chat, can confirm; three wrong codes cancel', () => {
    const now = { t: 0 };
    const { a, calls } = counting();
    const { rc } = remote(join(tempDir('pc-rc-'), 'a.db'), now, a);
    rc.handle(msg(1, '/resume'));
    expect(rc.handle(msg(2, '/confirm 123456', '43'))).toBeUndefined(); // not allow-listed: no answer at all
    expect(rc.handle(msg(3, '/confirm 000000'))).toBe('wrong code');
    expect(rc.handle(msg(4, '/confirm 000001'))).toBe('wrong code');
    expect(rc.handle(msg(5, '/confirm 000002'))).toMatch(/cancelled/);
    expect(rc.handle(msg(6, '/confirm 123456'))).toBe('nothing to confirm');
    expect(calls).toEqual([]);
  });

  it('an update redelivered after a restart is not acted on twice', () => {
    const now = { t: 0 };
    const path = join(tempDir('pc-rc-'), 'a.db');
    const first = counting();
    const r1 = remote(path, now, first.a);
    expect(r1.rc.handle(msg(77, '/halt'))).toBe('halted');
    r1.db.close();
    const second = counting();
    const r2 = remote(path, now, second.a); // a new process, same database
    expect(r2.rc.handle(msg(77, '/halt'))).toBeUndefined();
    expect(second.calls).toEqual([]);
    expect(r2.rc.handle(msg(78, '/pause@fake_bot'))).toBe('paused'); // group-style command with the bot's name
  });

  it('no live/paper switch exists remotely: such commands are unknown and do nothing', () => {
    const { a, calls } = counting();
    const { rc } = remote(join(tempDir('pc-rc-'), 'a.db'), { t: 0 }, a);
    for (const [i, c] of ['/live', '/paper', '/mode live', '/stopbuy', '/forceexit all'].entries()) expect(rc.handle(msg(i + 1, c))).toMatch(/^unknown command/);
    expect(calls).toEqual([]);
  });
});
