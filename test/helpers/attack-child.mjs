// Runs one memory attack in its own process (so its peak RSS is its own) and
// prints one JSON line: what the client said, peak RSS, worst event-loop lag.
// argv: <dist dir> <kind> <url>
const [dist, kind, url] = process.argv.slice(2);
let lastTick = Date.now();
let maxLagMs = 0;
const ticker = setInterval(() => {
  const now = Date.now();
  maxLagMs = Math.max(maxLagMs, now - lastTick - 20);
  lastTick = now;
}, 20);
const out = {};
if (kind === 'rest') {
  const { RestClient } = await import(`${dist}/src/feed/rest-client.js`);
  const c = new RestClient({ maxRetries: 0, timeoutMs: 60_000 });
  const r = await c.getJson(url);
  out.ok = r.ok;
  out.error = r.ok ? '' : r.error;
  out.bodyType = r.ok ? typeof r.body : '';
} else if (kind === 'catalog') {
  const { RestClient } = await import(`${dist}/src/feed/rest-client.js`);
  const { CatalogSync } = await import(`${dist}/src/feed/catalog-sync.js`);
  const ceiling = Number(process.argv[6] ?? 80_000);
  const s = new CatalogSync(new RestClient({ maxRetries: 0 }), url, undefined, ceiling);
  out.ok = await s.fullSync();
  out.markets = s.markets.size;
  out.warning = s.progress.warning ?? '';
} else if (kind === 'ws') {
  const { Shard } = await import(`${dist}/src/feed/shard.js`);
  const { decodeFrame } = await import(`${dist}/src/protocol/market-channel.js`);
  const books = new Map();
  let frames = 0;
  let rejected = 0;
  let reason = '';
  const shard = new Shard(0, url, {
    frame: (raw) => {
      frames++;
      const d = decodeFrame(raw);
      rejected += d.errors.length;
      for (const e of d.events) if (e.type === 'book') books.set(e.asset, e);
    },
    disconnected: (_s, why) => (reason ||= why),
  }, { backoffMinMs: 50, backoffMaxMs: 200 });
  shard.subscribe(['1']);
  shard.start();
  const deadline = Date.now() + Number(process.argv[6] ?? 20_000);
  while (Date.now() < deadline && frames < Number(process.argv[7] ?? 1e9) && !(reason && process.argv[8] === 'untilClose')) await new Promise((r) => setTimeout(r, 50));
  shard.stop();
  Object.assign(out, { frames, rejected, books: books.size, reason });
}
clearInterval(ticker);
out.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
out.maxLagMs = maxLagMs;
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
