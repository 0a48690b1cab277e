// The Telegram channel and remote control against a loopback Bot API, with the
// real grammY client pointed at it through telegramApiRoot.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBotApi, gaps } from './fake-bot-api.js';
import { actionRows, consoleOn, service, TOKEN } from './helpers.js';
import { Secret } from '../../src/alerts/secret.js';
import type { AlertService } from '../../src/alerts/service.js';
import type { AlertEvent } from '../../src/alerts/events.js';
import { waitFor } from '../helpers/wait.js';

const USER = 42;
const CHAT = 111;
const GROUP = -100222;
let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup(opts: { chats?: number[]; poll?: boolean } = {}) {
  const fake = new FakeBotApi(TOKEN);
  const root = await fake.start();
  const c = consoleOn();
  const svc: AlertService = service(c.db, { telegram: { token: new Secret(TOKEN), apiRoot: root, chatIds: (opts.chats ?? [CHAT]).map(String), userIds: [String(USER)] }, webhooks: [] });
  svc.setActions(c.actions);
  if (opts.poll === false) {
    // Dispatch only (no long polling).
    const t = setInterval(() => svc.tick(), 20);
    cleanups.push(() => clearInterval(t));
  } else svc.start();
  cleanups.push(async () => {
    await svc.stop();
    await fake.stop();
    c.db.close();
  });
  return { fake, svc, ...c };
}

const alert = (i: number, body?: string): AlertEvent => ({ kind: 'feed', key: `k${i}`, severity: 'warn', title: `alert ${i}`, ...(body ? { body } : {}), at: Date.now() });

describe('Telegram alerts through grammY', () => {
  it('every allow-listed chat gets each alert once, in order, ≥ 1 s apart per chat at the server; a backlog is joined into fuller messages', async () => {
    const { fake, svc } = await setup({ chats: [CHAT, GROUP], poll: false });
    const lines = (chat: string) => fake.sent.filter((a) => a.chatId === chat).flatMap((a) => a.text.split('\n\n'));
    svc.emit(alert(0));
    await waitFor(() => fake.sent.length >= 2, { timeoutMs: 30_000, what: 'first alert' });
    for (let i = 1; i < 40; i++) svc.emit(alert(i)); // a burst while the chats' 1 s gap runs
    await waitFor(() => lines(String(CHAT)).length >= 40 && lines(String(GROUP)).length >= 40, { timeoutMs: 30_000, what: '40 alerts per chat' });
    for (const chat of [String(CHAT), String(GROUP)]) {
      expect(lines(chat)).toEqual(Array.from({ length: 40 }, (_, i) => `⚠️ alert ${i}`));
      expect(fake.sent.filter((a) => a.chatId === chat).length).toBeLessThanOrEqual(3);
      for (const g of gaps(fake.attempts, chat)) expect(g).toBeGreaterThanOrEqual(1000);
    }
    // The server records a message before its reply reaches the client, so the
    // channel's own view settles a moment later.
    await waitFor(() => svc.health().channels.every((c) => c.connected && c.queued === 0 && c.lastSentAt > 0), { timeoutMs: 10_000, what: 'channels drained and connected' });
  }, 40_000);

  it('429 with retry_after: nothing to that chat until it has passed, and the message still goes once', async () => {
    const { fake, svc } = await setup({ poll: false });
    fake.failNext(String(CHAT), 429, 2);
    svc.emit(alert(1));
    svc.emit(alert(2));
    await waitFor(() => fake.sent.flatMap((a) => a.text.split('\n\n')).length >= 2, { timeoutMs: 30_000, what: 'both delivered' });
    const at = fake.attempts.filter((a) => a.chatId === String(CHAT));
    expect(at[0]!.status).toBe(429);
    expect(at.slice(1).every((a) => a.status === 200)).toBe(true);
    expect(at[1]!.at - at[0]!.at).toBeGreaterThanOrEqual(2000);
    expect(fake.violations).toEqual([]);
    expect(fake.sent.flatMap((a) => a.text.split('\n\n'))).toEqual(['⚠️ alert 1', '⚠️ alert 2']);
  }, 40_000);

  it('a 10,000-character alert goes as parts within 4,096; "message is too long" from the server splits again; nothing lost', async () => {
    const { fake, svc } = await setup({ poll: false });
    const body = Array.from({ length: 100 }, (_, i) => `line ${String(i).padStart(3, '0')} ${'y'.repeat(90)}`).join('\n');
    svc.emit(alert(1, body));
    await waitFor(() => fake.sent.length >= 3, { timeoutMs: 30_000, what: '3 parts' });
    expect(fake.sent.length).toBe(3);
    for (const a of fake.sent) expect(a.text.length).toBeLessThanOrEqual(4096);
    const joined = fake.sent.map((a) => a.text.replace(/\n\(\d\/3\)$/, '')).join('\n');
    for (let i = 0; i < 100; i++) expect(joined).toContain(`line ${String(i).padStart(3, '0')} `);
    // A server that counts differently refuses our 4,0xx-character part: it is halved and sent.
    fake.maxLength = 2500;
    svc.emit(alert(2, body));
    const second = () => fake.sent.slice(3).map((a) => a.text).join('\n');
    await waitFor(() => second().includes('line 099') && svc.health().queued === 0, { timeoutMs: 40_000, what: 're-split parts' });
    for (const a of fake.sent.slice(3)) expect(a.text.length).toBeLessThanOrEqual(2500);
    for (let i = 0; i < 100; i++) expect(second()).toContain(`line ${String(i).padStart(3, '0')} `);
    expect(fake.attempts.some((a) => a.status === 400)).toBe(true);
    expect(svc.health().channels[0]!.failed).toBe(0);
  }, 60_000);
});

describe('remote commands', () => {
  it("a stranger's commands have zero effect: no answer, no action, one audit row per stranger", async () => {
    const { fake, engine, app, db } = await setup();
    fake.say(666, CHAT, '/halt'); // stranger in our chat
    fake.say(666, CHAT, '/pause');
    fake.say(USER, 999, '/pause'); // our user in a foreign chat
    fake.say(USER, 999, '/halt');
    fake.say(666, 999, '/resume'); // stranger in a foreign chat
    fake.say(666, 999, '/confirm 000000');
    fake.say(USER, CHAT, '/status'); // the barrier: processed after the others
    await waitFor(() => fake.sent.length >= 1, { timeoutMs: 20_000, what: 'status reply' });
    await new Promise((r) => setTimeout(r, 300)); // a wrong reply would go out within the tick
    expect(fake.attempts.every((a) => a.chatId === String(CHAT))).toBe(true);
    expect(fake.attempts.length).toBe(1);
    expect(fake.sent[0]!.text).toMatch(/SIM · RUNNING/);
    expect(engine.paused).toBe(false);
    expect(app.paper.trader.breakerView().state).toBe('ARMED');
    const rows = actionRows(db);
    expect(rows.filter((r) => r.action === 'remote_refused').length).toBe(3);
    expect(rows.map((r) => r.action).filter((a) => a !== 'remote_refused')).toEqual(['remote/status']);
  }, 30_000);

  it('/halt acts at once through the store; /resume needs /confirm <code> from the same user within 60 s', async () => {
    const { fake, app, db } = await setup();
    fake.say(USER, CHAT, '/halt');
    await waitFor(() => fake.sent.length >= 1, { timeoutMs: 20_000, what: 'halt reply' });
    expect(app.paper.trader.breakerView().state).toBe('HALTED');
    fake.say(USER, CHAT, '/resume');
    await waitFor(() => fake.sent.length >= 2, { timeoutMs: 20_000, what: 'code' });
    const code = /\/confirm (\d{6})/.exec(fake.sent[1]!.text)![1]!;
    fake.say(USER, CHAT, `/confirm ${code === '000000' ? '000001' : '000000'}`);
    await waitFor(() => fake.sent.length >= 3, { timeoutMs: 20_000, what: 'wrong code reply' });
    expect(fake.sent[2]!.text).toBe('wrong code');
    expect(app.paper.trader.breakerView().state).toBe('HALTED');
    fake.say(USER, CHAT, '/live'); // no such thing remotely
    fake.say(USER, CHAT, `/confirm ${code}`);
    await waitFor(() => fake.sent.length >= 5, { timeoutMs: 20_000, what: 'confirm reply' });
    expect(fake.sent[3]!.text).toMatch(/cannot be switched remotely/);
    expect(app.paper.trader.breakerView().state).toBe('ARMED');
    const actions = actionRows(db).map((r) => r.action);
    // The store's own rows (as for the keys) and one row per remote command.
    expect(actions).toEqual(['halt', 'remote/halt', 'remote/resume', 'remote/confirm', 'remote/live', 'resume', 'remote/resume+confirm']);
  }, 40_000);
});
