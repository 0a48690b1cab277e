// A live trading process for crash tests (run from dist/): reconciles on
// start, then either loops placing and cancelling orders, holds orders behind
// a running exchange heartbeat, or walks one order through its lifecycle and
// kills itself with SIGKILL at the named point (KILL_AT). One JSON line per
// event on stdout.
import { privateKeyToAccount } from 'viem/accounts';
import { openDatabase } from '../../dist/src/persist/db.js';
import { LiveJournal } from '../../dist/src/persist/live-journal.js';
import { LiveTrader } from '../../dist/src/exec/trader.js';
import { Venue } from '../../dist/src/exec/venue.js';
import { Secret } from '../../dist/src/exec/secret.js';

const e = process.env;
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const account = privateKeyToAccount(e.PK);
const creds = { key: e.API_KEY, secret: new Secret(e.API_SECRET), passphrase: new Secret(e.API_PASSPHRASE) };
const { db } = openDatabase(e.DB);
const journal = new LiveJournal(db);
const venue = new Venue({ clob: e.CLOB, address: account.address, creds, deadlineMs: 3000 });
const trader = new LiveTrader({ account, funder: account.address, signatureType: 0, apiKey: creds.key, venue, journal, heartbeatEveryMs: 300, onHalt: (reason) => say({ event: 'halt', reason }) });
const intent = { tokenId: e.TOKEN, side: 'BUY', price: e.PRICE, size: '5', tick: e.TICK, negRisk: e.NEGRISK === '1', version: 2 };

/**
 * Lifecycle points where the process stops itself with SIGKILL:
 * journaled   the order is in the journal, nothing posted;
 * posted      the venue booked it and answered, the answer not yet recorded;
 * acked       the answer is recorded (LIVE);
 * partial     an order partly filled on arrival, the rest resting, recorded;
 * cancel-requested  the cancel is on its way, no answer yet;
 * cancel-acked      the venue answered the cancel, not yet recorded.
 */
const KILL_POINTS = ['journaled', 'posted', 'acked', 'partial', 'cancel-requested', 'cancel-acked'];
const die = (point, hash) => {
  say({ event: 'kill', point, hash });
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL is delivered at once; never go on.
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
};
if (e.KILL_AT && !KILL_POINTS.includes(e.KILL_AT)) {
  say({ event: 'error', text: `unknown KILL_AT ${e.KILL_AT}` });
  process.exit(2);
}
let armed = false;
const at = (point, hash) => armed && e.KILL_AT === point && die(point, hash);
const journalWrite = journal.journal.bind(journal);
journal.journal = (o) => (journalWrite(o), at('journaled', o.hash));
const journalAck = journal.ack.bind(journal);
journal.ack = (hash, state, matched, err) => (journalAck(hash, state, matched, err), at(Number(matched) > 0 ? 'partial' : 'acked', hash));
const venueCall = venue.call.bind(venue);
venue.call = (method, path, ...rest) => {
  const reply = venueCall(method, path, ...rest);
  if (method === 'POST' && path === '/order') return reply.then((r) => (at('posted', r.orderID), r));
  if (method === 'DELETE' && path === '/order') {
    // Killed on the next loop turn: the request is on its way (or still in this
    // process's socket buffer), its answer not read. Either way the venue may or may not cancel.
    const hash = rest[0]?.orderID;
    if (armed && e.KILL_AT === 'cancel-requested') setImmediate(() => die('cancel-requested', hash));
    return reply.then((r) => (at('cancel-requested', hash), at('cancel-acked', hash), r));
  }
  return reply;
};

const r = await trader.reconcile();
say({ event: 'reconciled', problems: r.problems, open: r.openOnVenue, resolved: r.resolved });
if (e.MODE === 'hold') {
  trader.startHeartbeat();
  for (let i = 0; i < 3; i++) await trader.place(intent, 'GTC');
  say({ event: 'ready' });
  setInterval(() => undefined, 1000);
} else if (e.MODE === 'loop') {
  for (let i = 0; ; i++) {
    const p = await trader.place(intent, 'GTC');
    say({ event: 'placed', hash: p.hash, state: p.state });
    if (i % 4 === 3) await trader.cancelAll();
  }
} else if (e.MODE === 'point') {
  if (e.KILL_AT === 'partial') {
    // Marketable for part of its size: the rest rests on the book.
    armed = true;
    await trader.place({ ...intent, price: e.CROSS_PRICE, size: e.CROSS_SIZE }, 'GTC');
  } else if (e.KILL_AT.startsWith('cancel')) {
    const p = await trader.place(intent, 'GTC');
    say({ event: 'placed', hash: p.hash, state: p.state });
    armed = true;
    await trader.cancel(p.hash);
  } else {
    armed = true;
    await trader.place(intent, 'GTC');
  }
  say({ event: 'error', text: `not killed at ${e.KILL_AT}` });
  process.exit(3);
} else {
  db.close();
}
