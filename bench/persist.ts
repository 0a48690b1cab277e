// SQLite steady-state writes.
// (a) Rows persisted per second through TradesRepo (add + flush) into the real
//     `trades` table (with its index) on a temp FILE database opened by
//     openDatabase (WAL, synchronous=NORMAL), at batch sizes 1 / 100 / 1,000,
//     each next to the ceiling: raw better-sqlite3 inserts of the same rows,
//     same batch size and pragmas, into a bare table, measured in the same run.
// (b) The engine's write load on the simulator (2,000 markets, default rate):
//     CPU spent inside trades.flush, checkpoints.save and signalsRepo.save, as a
//     share of one core over wall time (goal < 5%).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DB } from '../src/persist/db.js';
import { TradesRepo } from '../src/persist/trades-repo.js';
import type { TradeEvent } from '../src/protocol/events.js';
import { stat, withGoal, type Figure } from './harness.js';
import { sleep, startLive, timeMethod } from './live.js';

const BATCHES = [1, 100, 1_000];
const WINDOW_MS = 10_000;

function trades(n: number): TradeEvent[] {
  const out: TradeEvent[] = [];
  for (let i = 0; i < n; i++) {
    const k = (i * 7919) % 4000;
    out.push({ type: 'last_trade_price', asset: String(10n ** 76n + BigInt(k)), market: '0x' + (k >> 1).toString(16).padStart(64, '0'), price: 100 + (i % 98) * 100, size: 5 + (i % 200), side: i % 3 ? 'BUY' : 'SELL', ts: 1_761_179_949_036 + i });
  }
  return out;
}

/** Rows/s of `write(batch)` over at least `minMs`. */
function rowsPerSec(rows: readonly TradeEvent[], batch: number, write: (rows: readonly TradeEvent[]) => void, minMs = 300): number {
  let n = 0;
  let i = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    if (i + batch > rows.length) i = 0;
    write(rows.slice(i, i + batch));
    i += batch;
    n += batch;
    t = performance.now();
  }
  return (n * 1000) / (t - t0);
}

/** Raw better-sqlite3, same pragmas: a bare table (the ceiling) or the trades schema with its (token_id, ts) index (a diagnostic). */
function rawDb(path: string, indexed: boolean): { db: DB; write: (rows: readonly TradeEvent[]) => void } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    indexed
      ? 'CREATE TABLE t (id INTEGER PRIMARY KEY, token_id TEXT NOT NULL, market TEXT NOT NULL, price INTEGER NOT NULL, size REAL NOT NULL, side TEXT NOT NULL, ts INTEGER NOT NULL, received_at INTEGER NOT NULL); CREATE INDEX t_token_ts ON t(token_id, ts)'
      : 'CREATE TABLE t (token_id TEXT, market TEXT, price INTEGER, size REAL, side TEXT, ts INTEGER, received_at INTEGER)',
  );
  const ins = db.prepare('INSERT INTO t (token_id, market, price, size, side, ts, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const tx = db.transaction((rows: readonly TradeEvent[]) => {
    for (const r of rows) ins.run(r.asset, r.market, r.price, r.size, r.side, r.ts, r.ts);
  });
  return { db, write: (rows) => tx(rows) };
}

function batchFigures(runs: number, dir: string): Figure[] {
  const rows = trades(10_000);
  const out: Figure[] = [];
  for (const batch of BATCHES) {
    const raw = rawDb(join(dir, `raw-${batch}.db`), false);
    const rawIndexed = rawDb(join(dir, `raw-indexed-${batch}.db`), true);
    const ours = openDatabase(join(dir, `trades-${batch}.db`)).db;
    const repo = new TradesRepo(ours);
    const viaRepo = (b: readonly TradeEvent[]) => {
      for (const t of b) repo.add(t, t.ts);
      repo.flush();
    };
    rowsPerSec(rows, batch, raw.write, 100); // warm-up
    rowsPerSec(rows, batch, viaRepo, 100);
    rowsPerSec(rows, batch, rawIndexed.write, 100);
    const r: number[] = [];
    const o: number[] = [];
    const x: number[] = [];
    for (let i = 0; i < runs; i++) {
      r.push(rowsPerSec(rows, batch, raw.write));
      o.push(rowsPerSec(rows, batch, viaRepo));
      x.push(rowsPerSec(rows, batch, rawIndexed.write));
    }
    raw.db.close();
    rawIndexed.db.close();
    ours.close();
    const rs = stat(r);
    const os = stat(o);
    const label = batch === 1 ? '1 row per transaction' : `batches of ${batch.toLocaleString('en-US')}`;
    out.push({ suite: 'persist', name: `raw better-sqlite3 insert, bare table, ${label} (ceiling)`, unit: 'rows/s', ...rs });
    out.push({ suite: 'persist', name: `TradesRepo add+flush → trades (indexed), ${label}`, unit: 'rows/s', ...os, ceiling: `raw, batch ${batch}`, ratio: os.median / rs.median });
    const xs = stat(x);
    out.push({ suite: 'persist', name: `  raw better-sqlite3 into the trades schema + (token_id, ts) index, ${label} (what the index costs)`, unit: 'rows/s', ...xs, ceiling: `raw, batch ${batch}`, ratio: xs.median / rs.median });
  }
  return out;
}

type Acc = { cpuUs: number; wallMs: number; calls: number };
const acc = (): Acc => ({ cpuUs: 0, wallMs: 0, calls: 0 });

async function liveFigures(): Promise<Figure[]> {
  const live = await startLive();
  const { engine, app, db } = live;
  const paths = { 'trades.flush': acc(), 'checkpoints.save': acc(), 'signalsRepo.save': acc() };
  const undo = [
    timeMethod(engine.trades, 'flush', paths['trades.flush']),
    timeMethod(engine.checkpoints, 'save', paths['checkpoints.save']),
    timeMethod(app.signalsRepo, 'save', paths['signalsRepo.save']),
  ];
  // Every transaction body, whoever opens it (collector, catalog, incidents too): a wider cross-check.
  const txAcc = acc();
  const original = db.transaction.bind(db);
  (db as { transaction: unknown }).transaction = (fn: (...a: unknown[]) => unknown) => {
    const tx = original(fn);
    const holder = { run: (...a: unknown[]) => tx(...a) };
    timeMethod(holder, 'run', txAcc);
    return holder.run;
  };
  const share = { write: [] as number[], tx: [] as number[], proc: [] as number[], byPath: new Map<string, number[]>() };
  let written = 0;
  let checkpoints = 0;
  let signals = 0;
  const windows = 3;
  try {
    await sleep(2_000); // past the first cycles after the books turned fresh
    for (let w = 0; w < windows; w++) {
      const before = Object.fromEntries(Object.entries(paths).map(([k, a]) => [k, { ...a }]));
      const tx0 = { ...txAcc };
      const rows0 = engine.trades.written;
      const sig0 = app.signalsRepo.written;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await sleep(WINDOW_MS);
      const wallUs = (performance.now() - t0) * 1000;
      const proc = process.cpuUsage(c0);
      let sum = 0;
      for (const [k, a] of Object.entries(paths)) {
        const d = a.cpuUs - before[k]!.cpuUs;
        sum += d;
        const list = share.byPath.get(k) ?? [];
        list.push((100 * d) / wallUs);
        share.byPath.set(k, list);
      }
      share.write.push((100 * sum) / wallUs);
      share.tx.push((100 * (txAcc.cpuUs - tx0.cpuUs)) / wallUs);
      share.proc.push((100 * (proc.user + proc.system)) / wallUs);
      written += engine.trades.written - rows0;
      signals += app.signalsRepo.written - sig0;
      checkpoints += paths['checkpoints.save'].calls - before['checkpoints.save']!.calls;
    }
  } finally {
    for (const u of undo) u();
    (db as { transaction: unknown }).transaction = original;
    await live.stop();
  }
  const secs = (windows * WINDOW_MS) / 1000;
  const out: Figure[] = [];
  const label = `simulator 2,000 markets / rate 1,500 + engine + app, file DB, ${windows} × ${WINDOW_MS / 1000} s`;
  out.push(withGoal({ suite: 'persist', name: `engine write paths, CPU % of one core (${label})`, unit: '% core', ...stat(share.write) }, '<', 5, '< 5%'));
  for (const [k, xs] of share.byPath) out.push({ suite: 'persist', name: `  of which ${k} (${paths[k as keyof typeof paths].calls} calls)`, unit: '% core', ...stat(xs) });
  out.push({ suite: 'persist', name: '  every SQLite transaction body (cross-check, incl. collector)', unit: '% core', ...stat(share.tx) });
  out.push({ suite: 'persist', name: `  trades persisted ${Math.round(written / secs).toLocaleString('en-US')}/s, signal rows ${Math.round(signals / secs)}/s, ${checkpoints} checkpoints; whole process CPU`, unit: '% core', ...stat(share.proc) });
  return out;
}

export async function persistSuite(runs: number): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-persist-'));
  try {
    return [...batchFigures(runs, dir), ...(await liveFigures())];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
