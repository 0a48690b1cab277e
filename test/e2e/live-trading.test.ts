// Live trading through the real binary against the simulator's trading desk
// (pointed at it as the venue): with the wrong phrase nothing is sent; in
// tmux the confirmation screen names the wallet, the venue and the limits, the
// typed phrase turns the header to ● LIVE, an order the journal never wrote
// halts trading (cancel-all at the venue), and no secret — private key, API
// key, secret, passphrase — appears in any log, the SQLite files or any screen
// capture. And `x` while orders rest at the venue: LIVE HALTED, no POST after
// 100 ms, nothing open at the venue within 2 s, the heartbeat stopped, and the
// halt still there after a restart.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Simulator } from '../../src/sim/simulator.js';
import type { SimMarket } from '../../src/sim/world-types.js';
import { SimPool } from '../sim/helpers.js';
import { CLI, ROOT, tempDir } from '../helpers/paths.js';
import { runProcess } from '../helpers/proc.js';
import { HAS_TMUX, Tmux } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait.js';
import { l1Headers } from '../../src/exec/auth.js';
import { openDatabase } from '../../src/persist/db.js';
import { LiveJournal } from '../../src/persist/live-journal.js';
import { LiveTrader } from '../../src/exec/trader.js';
import { Venue } from '../../src/exec/venue.js';
import { Secret } from '../../src/exec/secret.js';
import { confirmPhrase, priceText, tickOf } from '../../src/plugins/live-session.js';

const BUILT = existsSync(CLI);
const pool = new SimPool();
let sim: Simulator;
let urls: { gamma: string; clob: string; ws: string };
const pk = generatePrivateKey();
const account = privateKeyToAccount(pk);
let raw: { apiKey: string; secret: string; passphrase: string };
const dir = tempDir('pc-live-e2e-');
const keyFile = join(dir, 'key.json');
const cfgFile = join(dir, 'venue.json');

beforeAll(async () => {
  if (!BUILT) return;
  ({ sim, urls } = await pool.start({ seed: 'live-e2e', markets: 150, speed: 1, rate: 20, clock: 'wall', desk: { startingBalance: 1000 } }));
  raw = (await (await fetch(`${urls.clob}/auth/api-key`, { method: 'POST', headers: await l1Headers(account, Math.floor(Date.now() / 1000)) })).json()) as typeof raw;
  writeFileSync(keyFile, JSON.stringify({ privateKey: pk, apiKey: raw.apiKey, apiSecret: raw.secret, passphrase: raw.passphrase }));
  chmodSync(keyFile, 0o600);
  // The simulator stands in for Polymarket: --live with its URLs.
  writeFileSync(cfgFile, JSON.stringify({ gammaUrl: urls.gamma, clobUrl: urls.clob, wsUrl: urls.ws, fairValue: false }));
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await pool.stopAll();
});

/** A loopback HTTP proxy in front of the simulator's CLOB that notes every request's method, path and arrival. */
let proxy: { url: string; seen: { method: string; path: string; at: number }[]; close: () => Promise<void> } | undefined;
async function venueProxy(target: string) {
  const up = new URL(target);
  const seen: { method: string; path: string; at: number }[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, at: Date.now() });
    const fwd = request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    fwd.on('error', () => res.destroy());
    req.pipe(fwd);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Every secret in every form an encoder might write it. */
function secrets(key = pk, api = raw): string[] {
  const forms = (s: string) => [s, Buffer.from(s).toString('base64'), Buffer.from(s).toString('base64url')];
  return [key, key.slice(2), api.apiKey, api.secret, api.passphrase].flatMap(forms);
}

function leaks(where: string, text: string, key = pk, api = raw): string[] {
  return secrets(key, api)
    .filter((s) => text.includes(s))
    .map((s) => `${where} holds ${s.slice(0, 6)}…`);
}

const env = () => ({ PATH: process.env.PATH, HOME: dir, POLY_KEY_FILE: keyFile });

describe.skipIf(!BUILT)('live trading from the command line', { timeout: 180_000 }, () => {
  it('headless with the wrong phrase: exits 1 naming the wallet, and sends nothing', async () => {
    const before = sim.desk.counts.posted;
    const db = join(dir, 'refused.db');
    const r = await runProcess(process.execPath, [CLI, 'run', '--headless', '--live', '--config', cfgFile, '--db', db, '--create-db-dir', '--trade-live', '--confirm-live', 'yes', '--duration', '5'], { cwd: ROOT, env: env(), timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('live trading not started: the confirmation phrase was not typed');
    expect(r.stderr).toContain(`${account.address.slice(0, 6)}…${account.address.slice(-4)}`);
    expect(sim.desk.counts.posted).toBe(before);
    expect(leaks('stderr', r.stderr + r.stdout)).toEqual([]);
  });

  it('headless with the phrase: runs live for a few seconds; stdout, stderr and the DB hold no secret', async () => {
    const db = join(dir, 'headless.db');
    const r = await runProcess(process.execPath, [CLI, 'run', '--headless', '--live', '--config', cfgFile, '--db', db, '--create-db-dir', '--trade-live', '--confirm-live', confirmPhrase(account.address), '--paper', '--duration', '4', '--status-every', '2'], { cwd: ROOT, env: env(), timeoutMs: 90_000 });
    expect(r.stderr).not.toContain('not started');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('● LIVE TRADING');
    const found = [...leaks('stdout', r.stdout), ...leaks('stderr', r.stderr)];
    for (const f of readdirSync(dir)) if (f.startsWith('headless.db')) found.push(...leaks(f, readFileSync(join(dir, f)).toString('latin1')));
    expect(found).toEqual([]);
    // It did talk to the venue as this key: the audit row says so, naming the wallet only abbreviated.
    const { db: check } = openDatabase(db);
    const audit = check.prepare("SELECT new_value AS v, detail FROM operator_actions WHERE action = 'trade_live'").get() as { v: string; detail: string } | undefined;
    check.close();
    expect(audit?.detail).toContain(`${account.address.slice(0, 6)}…${account.address.slice(-4)}`);
  });

  describe.skipIf(!HAS_TMUX)('in tmux', () => {
    let t: Tmux | undefined;
    afterEach(() => t?.kill());

    it('typed confirmation → ● LIVE; a stranger order halts and is cancelled; no secret on screen, in logs or in the DB', async () => {
      const db = join(dir, 'live.db');
      const log = join(dir, 'stderr.log');
      t = new Tmux(140, 40);
      t.start(`env CI=false TERM=xterm-256color HOME=${dir} POLY_KEY_FILE=${keyFile} node ${CLI} run --live --config ${cfgFile} --db ${db} --create-db-dir --trade-live --live-max-order 15 --live-max-day 120 2>${log}; echo "EXIT=$?"; sleep 30`);
      const captures: string[] = [];
      const confirm = await t.waitForText('Type "live');
      captures.push(confirm, t.captureEscapes());
      expect(confirm).toContain('● LIVE TRADING');
      expect(confirm).toContain(`${account.address.slice(0, 6)}…${account.address.slice(-4)}`);
      expect(confirm).toContain(urls.clob);
      expect(confirm).toMatch(/per order\s+at most \$15\.00/);
      expect(confirm).toMatch(/per day\s+at most \$120\.00/);
      expect(confirm).toMatch(/Kelly\s+fraction 0\.25/);
      expect(confirm).toMatch(/breaker\s+halts at 15% drawdown/);
      t.paste(confirmPhrase(account.address));
      t.keys('Enter');
      const up = await t.waitForText(/● LIVE\s+0x/);
      captures.push(up, t.captureEscapes());
      expect(up).not.toContain('PAPER ON');
      await waitFor(() => sim.userWs.wss.clients.size >= 1, { what: 'user channel connected' });
      // An order on the same key that this console's journal never wrote: the user channel reports it; trading halts.
      const m: SimMarket = sim.world.markets.find((x) => {
        const b = sim.exchange.book(x.tokenIds[0]);
        return !x.closed && b?.bestBid !== undefined && b.bestBid > 10 * x.tick;
      })!;
      const { db: strangerDb } = openDatabase(':memory:');
      const creds = { key: raw.apiKey, secret: new Secret(raw.secret), passphrase: new Secret(raw.passphrase) };
      const venue = new Venue({ clob: urls.clob, address: account.address, creds });
      const stranger = new LiveTrader({ account, funder: account.address, signatureType: 0, apiKey: raw.apiKey, venue, journal: new LiveJournal(strangerDb) });
      const tick = tickOf(m.tick)!;
      await stranger.place({ tokenId: m.tokenIds[0], side: 'BUY', price: priceText(sim.exchange.book(m.tokenIds[0])!.bestBid! - 4 * m.tick, tick), size: '5', tick, negRisk: m.negRisk, version: 2 }, 'GTC');
      const halted = await t.waitForText('■ LIVE HALTED');
      captures.push(halted, t.captureEscapes());
      await waitFor(async () => (await venue.call<{ data: unknown[] }>('GET', '/data/orders', undefined, { next_cursor: 'MA==' })).data.length === 0, { what: 'cancel-all at the venue' });
      // The live blotter: focus Portfolio, show the blotter.
      t.keys('5');
      t.keys('b');
      const blotter = await t.waitForText('HALTED: the user channel reports order');
      captures.push(blotter, t.captureEscapes());
      expect(blotter).toMatch(/heartbeat stopped/);
      t.keys('q');
      captures.push(await t.waitForText(/EXIT=\d+/));
      venue.close();
      strangerDb.close();
      // The halt is saved for the next start.
      const { db: check } = openDatabase(db);
      expect(new LiveJournal(check).halt()?.reason).toMatch(/never wrote/);
      check.close();
      const found: string[] = [];
      for (const [i, c] of captures.entries()) found.push(...leaks(`capture ${i}`, c));
      found.push(...leaks('stderr', readFileSync(log, 'utf8')));
      for (const f of readdirSync(dir)) if (f.startsWith('live.db')) found.push(...leaks(f, readFileSync(join(dir, f)).toString('latin1')));
      expect(found).toEqual([]);
    });

    it('x with orders resting at the venue: LIVE HALTED, no POST after 100 ms, none open within 2 s, heartbeat stopped, halt kept across a restart', async () => {
      // Its own account, and the venue reached through a proxy that notes every request.
      const pk2 = generatePrivateKey();
      const account2 = privateKeyToAccount(pk2);
      const raw2 = (await (await fetch(`${urls.clob}/auth/api-key`, { method: 'POST', headers: await l1Headers(account2, Math.floor(Date.now() / 1000)) })).json()) as typeof raw;
      const keyFile2 = join(dir, 'key-x.json');
      writeFileSync(keyFile2, JSON.stringify({ privateKey: pk2, apiKey: raw2.apiKey, apiSecret: raw2.secret, passphrase: raw2.passphrase }));
      chmodSync(keyFile2, 0o600);
      proxy = await venueProxy(urls.clob);
      const cfg2 = join(dir, 'venue-x.json');
      writeFileSync(cfg2, JSON.stringify({ gammaUrl: urls.gamma, clobUrl: proxy.url, wsUrl: urls.ws, fairValue: false }));
      // Three orders this console journaled (an earlier run) rest at the venue.
      const db = join(dir, 'halt.db');
      const creds = { key: raw2.apiKey, secret: new Secret(raw2.secret), passphrase: new Secret(raw2.passphrase) };
      const venue = new Venue({ clob: urls.clob, address: account2.address, creds });
      const openAtVenue = async () => (await venue.call<{ data: unknown[] }>('GET', '/data/orders', undefined, { next_cursor: 'MA==' })).data.length;
      let heldBack = 0;
      {
        const { db: seed } = openDatabase(db);
        const trader = new LiveTrader({ account: account2, funder: account2.address, signatureType: 0, apiKey: raw2.apiKey, venue, journal: new LiveJournal(seed) });
        const markets = sim.world.markets.filter((x) => {
          const b = sim.exchange.book(x.tokenIds[0]);
          return !x.closed && b?.bestBid !== undefined && b.bestBid > 10 * x.tick;
        });
        for (const m of markets.slice(0, 3)) {
          const tick = tickOf(m.tick)!;
          const price = priceText(sim.exchange.book(m.tokenIds[0])!.bestBid! - 5 * m.tick, tick);
          const r = await trader.place({ tokenId: m.tokenIds[0], side: 'BUY', price, size: '5', tick, negRisk: m.negRisk, version: 2 }, 'GTC');
          expect(r.state).toBe('LIVE');
          heldBack += Number(price) * 5;
        }
        seed.close();
      }
      expect(await openAtVenue()).toBe(3);
      const cmd = (extra: string) => `env CI=false TERM=xterm-256color HOME=${dir} POLY_KEY_FILE=${keyFile2} node ${CLI} run --live --config ${cfg2} --db ${db} --create-db-dir --trade-live ${extra}`;
      t = new Tmux(140, 40);
      t.start(`${cmd('')} 2>${join(dir, 'stderr-x.log')}; echo "EXIT=$?"; sleep 30`);
      await t.waitForText('Type "live');
      t.paste(confirmPhrase(account2.address));
      t.keys('Enter');
      await t.waitForText(/● LIVE\s+0x/);
      const beat = () => proxy!.seen.filter((x) => x.method === 'POST' && x.path === '/v1/heartbeats').length;
      await waitFor(() => beat() > 0, { what: 'the exchange heartbeat running' });
      expect(t.capture()).not.toContain('HALTED');
      expect(await openAtVenue()).toBe(3);
      // The portfolio shows the venue account the desk sizes from: the balance, and what the three BUYs hold back.
      expect(t.capture()).toContain(`venue cash $1,000.00 · open BUYs $${heldBack.toFixed(2)} · free $${(1000 - heldBack).toFixed(2)} · equity $1,000.00`);
      const screens = [t.capture(), t.captureEscapes()];
      t.keys('x');
      screens.push(await t.waitForText('HALT LIVE trading now'));
      const pressed = Date.now();
      t.keys('y');
      screens.push(await t.waitForText('■ LIVE HALTED'), t.captureEscapes());
      const cancel = await waitFor(() => proxy!.seen.find((x) => x.method === 'DELETE' && x.path === '/cancel-all' && x.at >= pressed), { what: 'cancel-all at the venue' });
      await waitFor(async () => (await openAtVenue()) === 0, { what: 'no open order at the venue', everyMs: 10 });
      const emptyAt = Date.now();
      expect(emptyAt - cancel.at).toBeLessThanOrEqual(2_000);
      t.keys('q');
      await t.waitForText(/EXIT=\d+/);
      t.kill();
      // Restart: the saved halt holds; nothing is posted and no heartbeat starts.
      const before = proxy.seen.length;
      const r = await runProcess(process.execPath, [CLI, 'run', '--headless', '--live', '--config', cfg2, '--db', db, '--trade-live', '--confirm-live', confirmPhrase(account2.address), '--duration', '2'], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: dir, POLY_KEY_FILE: keyFile2 }, timeoutMs: 90_000 });
      expect(r.code).toBe(0);
      expect(proxy.seen.slice(before).some((x) => x.method === 'GET' && x.path === '/data/orders')).toBe(true);
      // Longer than one heartbeat period (5 s) since the halt, across the quit and the restart: a running chain would have beaten again.
      await waitFor(() => Date.now() >= cancel.at + 5_500, { what: 'one heartbeat period after the halt', timeoutMs: 10_000, everyMs: 100 });
      // Trading POSTs (orders and heartbeats); POST /books and /prices are market-data reads.
      const trading = (x: { method: string; path: string }) => x.method === 'POST' && (x.path === '/order' || x.path === '/orders' || x.path === '/v1/heartbeats');
      const late = proxy.seen.filter((x) => trading(x) && x.at > cancel.at + 100);
      process.stdout.write(`x while live: key→cancel-all ${cancel.at - pressed} ms, key→0 open at the venue ≤ ${emptyAt - pressed} ms (cancel-all→0 open ≤ ${emptyAt - cancel.at} ms), trading POSTs in the ${Date.now() - cancel.at} ms after cancel-all+100 ms (restart included): ${late.length}\n`);
      expect(late).toEqual([]);
      const { db: check } = openDatabase(db);
      expect(new LiveJournal(check).halt()?.reason).toBe('operator (x)');
      check.close();
      venue.close();
      // These runs handed the key to the template signing worker: still no secret anywhere.
      const found = [...leaks('restart output', r.stdout + r.stderr, pk2, raw2), ...leaks('stderr', readFileSync(join(dir, 'stderr-x.log'), 'utf8'), pk2, raw2), ...screens.flatMap((c, i) => leaks(`capture ${i}`, c, pk2, raw2))];
      for (const f of readdirSync(dir)) if (f.startsWith('halt.db')) found.push(...leaks(f, readFileSync(join(dir, f)).toString('latin1'), pk2, raw2));
      expect(found).toEqual([]);
    });
  });
});
