// SQLite failing under a running console (disk full, simulated with a real
// SQLite file whose max_page_count is pinned): a handled state, not a crash.
// The feed keeps running, paper trading refuses, the status line says why,
// the summary is still produced, and freeing the "disk" resumes writing.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Simulator } from '../../src/sim/simulator.js';
import { Engine } from '../../src/engine.js';
import { App } from '../../src/app.js';
import { openDatabase } from '../../src/persist/db.js';
import { summarize } from '../../src/headless.js';
import { EngineStore } from '../../store/engine-store.js';
import { tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';

describe('SQLite write failures are states', () => {
  it('disk full: DB WRITE FAILED on the status line, feed keeps running, paper refuses, summary written, free space resumes', async () => {
    const sim = new Simulator({ seed: 'dbfull', markets: 40, speed: 600, rate: 600 });
    const urls = await sim.start();
    const path = join(tempDir(), 'full.db');
    const { db } = openDatabase(path);
    const engine = new Engine({ kind: 'SIM', gammaUrl: urls.gamma, clobUrl: urls.clob, wsUrl: urls.ws }, db, { cycleMs: 100, hotCap: 80, shardSize: 100 });
    const app = new App(engine, { paper: { enabled: true, initialCash: 10_000 } });
    const store = new EngineStore(app, { hz: 5 });
    try {
      void engine.start();
      await waitFor(() => engine.phase === 'streaming' && engine.trades.written > 0, { timeoutMs: 60_000, what: 'streaming with trades written' });
      const pages = db.pragma('page_count', { simple: true }) as number;
      db.pragma(`max_page_count = ${pages}`);
      await waitFor(() => !engine.dbHealth.ok, { timeoutMs: 60_000, what: 'a write to fail' });
      expect(engine.dbHealth.error).toBe('DB WRITE FAILED: disk full');
      expect(engine.stats().statusLine).toMatch(/^DB WRITE FAILED: disk full — paper trading halted; /);
      store.publish();
      expect(store.getSnapshot().status.line).toMatch(/^DB WRITE FAILED: disk full/);
      // The feed keeps running.
      const received = engine.stats().messages.received;
      await waitFor(() => engine.stats().messages.received > received + 50, { timeoutMs: 30_000, what: 'the feed to keep running' });
      // Paper trading refuses while writes fail (fail closed).
      const any = app.queue.ranked(1)[0];
      if (any) expect(store.actions.execute(any.key)).toMatch(/refused: DB WRITE FAILED: disk full/);
      const fillsDuring = app.paper.trader.portfolioPane().fills;
      // An operator action does not crash the keyboard path.
      expect(() => store.actions.togglePaper()).not.toThrow();
      store.actions.togglePaper();
      // The summary can still be produced.
      const during = summarize(app, sim);
      expect(during.db).toMatchObject({ ok: false, error: 'DB WRITE FAILED: disk full' });
      expect(during.db.failures).toBeGreaterThan(0);
      expect(app.paper.trader.portfolioPane().fills).toBe(fillsDuring);
      // Free the disk: the kept trades are written and the state clears.
      const writtenBefore = engine.trades.written;
      db.pragma('max_page_count = 1073741823');
      await waitFor(() => engine.dbHealth.ok, { timeoutMs: 30_000, what: 'writes to resume' });
      await waitFor(() => engine.trades.written > writtenBefore, { timeoutMs: 30_000, what: 'the kept trades to be written' });
      expect(engine.trades.dropped).toBe(0);
      expect(engine.stats().statusLine).not.toMatch(/DB WRITE FAILED/);
      await engine.stop();
      const rows = (db.prepare('SELECT COUNT(*) AS n FROM trades').get() as { n: number }).n;
      expect(rows).toBe(engine.trades.written);
    } finally {
      await engine.stop();
      await sim.stop();
      db.close();
    }
  }, 180_000);

  it('another process holding the write lock past the busy timeout: "database is locked", event loop not frozen, resumes on release', async () => {
    const sim = new Simulator({ seed: 'dblock', markets: 40, speed: 600, rate: 600 });
    const urls = await sim.start();
    const path = join(tempDir(), 'locked.db');
    const { db } = openDatabase(path);
    const engine = new Engine({ kind: 'SIM', gammaUrl: urls.gamma, clobUrl: urls.clob, wsUrl: urls.ws }, db, { cycleMs: 100, hotCap: 80, shardSize: 100 });
    const app = new App(engine, { paper: { enabled: true, initialCash: 10_000 } });
    const code = `const D=require('better-sqlite3');const d=new D(${JSON.stringify(path)});d.pragma('busy_timeout = 20000');let held=false;process.stdin.on('data',()=>{if(!held){held=true;d.exec('BEGIN IMMEDIATE');process.stdout.write('held\\n');}else{d.exec('COMMIT');d.close();process.exit(0);}});`;
    const holder = spawn(process.execPath, ['-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    holder.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      void engine.start();
      await waitFor(() => engine.phase === 'streaming' && engine.trades.written > 0, { timeoutMs: 60_000, what: 'streaming with trades written' });
      // Hold the lock (a child process, so it is a real second writer).
      holder.stdin.write('lock\n');
      await waitFor(() => out.includes('held'), { timeoutMs: 20_000, what: 'the other process to take the lock' });
      await waitFor(() => !engine.dbHealth.ok, { timeoutMs: 60_000, what: 'a write to fail on the lock' });
      expect(engine.dbHealth.error).toBe('DB WRITE FAILED: database is locked by another process');
      // While failing, the engine waits briefly on the lock: the event loop keeps turning.
      let worst = 0;
      let last = Date.now();
      const tick = setInterval(() => {
        worst = Math.max(worst, Date.now() - last);
        last = Date.now();
      }, 50);
      await new Promise((r) => setTimeout(r, 6000));
      clearInterval(tick);
      expect(worst).toBeLessThan(2500);
      expect(app.paper.trader.enabled).toBe(true);
      holder.stdin.write('release\n');
      await new Promise((r) => holder.once('exit', r));
      await waitFor(() => engine.dbHealth.ok, { timeoutMs: 30_000, what: 'writes to resume after the lock is released' });
      expect(engine.trades.dropped).toBe(0);
    } finally {
      if (holder.exitCode === null) holder.kill('SIGKILL');
      await engine.stop();
      await sim.stop();
      db.close();
    }
  }, 180_000);
});
