// A live trading process for crash tests (run from dist/): reconciles on
// start, then either loops placing and cancelling orders, or holds orders
// behind a running exchange heartbeat. One JSON line per event on stdout.
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
} else {
  db.close();
}
