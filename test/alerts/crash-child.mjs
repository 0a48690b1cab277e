// Child process for the kill -9 test: emits alerts numbered 1..N (one every
// few ms, the counter saved with the outbox rows in one transaction) to a
// webhook and a Telegram chat, and exits 0 once all N are emitted and sent.
// Plain JavaScript on the built modules: it is started nine times per test,
// and compiling TypeScript at each start cost more than the child's own work.
// argv: <dist dir> <db> <webhook url> <bot api root> <bot token> <N>
const [dist, dbPath, hook, apiRoot, token, total] = process.argv.slice(2);
const { openDatabase } = await import(`${dist}/src/persist/db.js`);
const { AuditLog } = await import(`${dist}/src/persist/audit-log.js`);
const { AlertService } = await import(`${dist}/src/alerts/service.js`);
const { Secret } = await import(`${dist}/src/alerts/secret.js`);

const N = Number(total);
const { db } = openDatabase(dbPath);
const svc = new AlertService(
  db,
  { webhooks: [new Secret(hook)], telegram: { token: new Secret(token), apiRoot, chatIds: ['111'], userIds: [] }, tickMs: 5, limits: { perChatMs: 5, groupPerMinute: 20, groupWindowMs: 1000, globalMs: 0 } },
  new AuditLog(db),
);
// Dispatch only: no long polling in this child.
setInterval(() => svc.tick(), 5);
const emitter = setInterval(() => {
  const n = Number(svc.outbox.getState('child:n') ?? 0);
  if (n >= N) {
    clearInterval(emitter);
    return;
  }
  svc.emit({ kind: 'feed', key: `crash:${n + 1}`, severity: 'info', title: `alert ${n + 1}`, at: Date.now() }, { 'child:n': String(n + 1) });
  svc.flush();
}, 3);
setInterval(() => {
  if (Number(svc.outbox.getState('child:n') ?? 0) >= N && svc.health().queued === 0) process.exit(0);
}, 20);
