// kill -9 while alerts flow: after restarts, every alert reached each channel,
// none was queued twice, and a repeat at a receiver happens only for a message
// whose request was cut mid-flight (the webhook repeat carries the same
// idempotency key; the Telegram one is marked as a possible repeat).
import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FakeWebhooks } from './fake-webhook.js';
import { FakeBotApi } from './fake-bot-api.js';
import { TOKEN } from './helpers.js';
import { ROOT, tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';

const N = 400;
const KILLS = 8;
const CHILD = join(ROOT, 'test', 'alerts', 'crash-child.mjs');

function child(db: string, hook: string, api: string): ChildProcess {
  // The child runs the built modules (npm test builds first).
  return spawn(process.execPath, [CHILD, join(ROOT, 'dist'), db, hook, api, TOKEN, String(N)], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
}

describe('alerts across kill -9', () => {
  it(`${KILLS} × kill -9 while ${N} alerts flow: none lost, none queued twice, repeats only for cut requests`, async () => {
    const hooks = new FakeWebhooks();
    const api = new FakeBotApi(TOKEN);
    const hookUrl = (await hooks.start()) + '/services/T0/B0/secret';
    const apiRoot = await api.start();
    const db = join(tempDir('pc-alert-crash-'), 'a.db');
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const procs: ChildProcess[] = [];
    try {
      for (let k = 0; k < KILLS; k++) {
        const before = hooks.hits.length;
        const c = child(db, hookUrl, apiRoot);
        procs.push(c);
        let err = '';
        c.stderr!.on('data', (d) => (err += d));
        await waitFor(() => hooks.hits.length > before + 5 || c.exitCode !== null, { timeoutMs: 60_000, what: `round ${k}: deliveries (${err})` });
        if (c.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, rand() * 400));
        c.kill('SIGKILL');
        await new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r)));
      }
      const last = child(db, hookUrl, apiRoot);
      procs.push(last);
      let err = '';
      last.stderr!.on('data', (d) => (err += d));
      const code = await new Promise<number | null>((r) => last.once('exit', r));
      expect(code, err).toBe(0);

      const num = (text: string) => Number(/alert (\d+)$/.exec(text)?.[1]);
      // Webhook: each alert arrived, and all repeats share their original's idempotency key.
      const got = hooks.hits.filter((h) => h.status < 300);
      const byKey = new Map<string, number>();
      for (const h of got) byKey.set(h.key, num(JSON.parse(h.body).text as string));
      expect(new Set(byKey.values()).size).toBe(N);
      expect(byKey.size).toBe(N);
      const hookRepeats = got.length - N;
      // Telegram: each alert arrived; at most once unmarked, and a repeat is marked as one
      // (a batch cut mid-request is resent row by row, each marked).
      const unmarked = new Map<number, number>();
      const marked = new Map<number, number>();
      for (const a of api.sent) {
        const resent = a.text.startsWith('↻');
        for (const p of resent ? [a.text] : a.text.split('\n\n')) {
          const m = resent ? marked : unmarked;
          m.set(num(p), (m.get(num(p)) ?? 0) + 1);
        }
      }
      for (let i = 1; i <= N; i++) {
        expect((unmarked.get(i) ?? 0) + (marked.get(i) ?? 0), `alert ${i}`).toBeGreaterThanOrEqual(1);
        expect(unmarked.get(i) ?? 0, `alert ${i} unmarked`).toBeLessThanOrEqual(1);
        expect(marked.get(i) ?? 0, `alert ${i} marked`).toBeLessThanOrEqual(1);
      }
      const tgRepeats = [...marked.keys()].filter((i) => unmarked.has(i)).length;
      // A kill cuts at most one webhook request.
      expect(hookRepeats).toBeLessThanOrEqual(KILLS);
      // Nothing was queued twice: one row per alert per channel.
      const d = new Database(db, { readonly: true });
      const rows = d.prepare("SELECT target, COUNT(*) AS n, COUNT(DISTINCT dedupe_key) AS k, SUM(state = 'sent') AS s FROM alert_outbox GROUP BY target").all() as { target: string; n: number; k: number; s: number }[];
      d.close();
      expect(rows.length).toBe(2);
      for (const r of rows) expect([r.n, r.k, r.s]).toEqual([N, N, N]);
      console.log(`alerts crash: ${KILLS} kills, ${N} alerts × 2 channels delivered; repeats: webhook ${hookRepeats}, telegram ${tgRepeats}`);
    } finally {
      for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
      await hooks.stop();
      await api.stop();
    }
  }, 240_000);
});
