// A venue that is down when the console starts (HTTP 500 with escape-laden
// bodies): the catalog sync is retried with backoff until it answers, the
// status line counts down to the next attempt and stays terminal-safe.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { RestClient } from '../../src/feed/rest-client.js';
import { openDatabase } from '../../src/persist/db.js';
import { isTerminalSafe } from '../../src/text/sanitize.js';
import { gammaMarket, hostileServer } from '../helpers/hostile.js';
import { waitFor } from '../helpers/wait.js';
import { systemWall } from '../../src/clock.js';

describe('catalog sync retries until it succeeds', () => {
  it('an outage at start-up: error state with "next attempt in N s", then streaming once the venue answers', async () => {
    let down = true;
    const s = await hostileServer((_req, res) => {
      if (down) {
        res.writeHead(500);
        return res.end('\u001b]0;owned\u0007\u001b[2Jgateway melted');
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ markets: Array.from({ length: 40 }, (_, i) => gammaMarket(i)), next_cursor: null }));
    });
    const { db } = openDatabase(':memory:');
    const engine = new Engine(
      { kind: 'LIVE', gammaUrl: s.url, clobUrl: s.url, wsUrl: 'ws://127.0.0.1:1' },
      db,
      { syncRetryMinMs: 300, syncRetryMaxMs: 1000, cycleMs: 100 },
      systemWall,
      () => {},
      new RestClient({ maxRetries: 0 }),
    );
    try {
      const started = engine.start();
      await waitFor(() => engine.phase === 'error', { timeoutMs: 20_000, what: 'the first failed sync' });
      const line = engine.stats().statusLine;
      expect(line).toMatch(/^catalog unavailable: GET 127\.0\.0\.1:\d+\/markets\/keyset → 500 gateway melted — next attempt in \d+ s$/);
      expect(isTerminalSafe(line)).toBe(true);
      await waitFor(() => s.hits() >= 3, { timeoutMs: 20_000, what: 'three attempts' });
      expect(engine.logLines.some((l) => /catalog sync failed \(attempt 2\)/.test(l))).toBe(true);
      down = false;
      await started;
      expect(engine.phase).toBe('streaming');
      expect(engine.catalog.markets.size).toBe(40);
    } finally {
      await engine.stop();
      await s.close();
      db.close();
    }
  }, 60_000);
});
