#!/usr/bin/env node
// polyconsole command line (DESIGN §8). Bad flags and config values end in one
// clear line and exit code 2; nothing here prints a stack trace to an operator.
import { sanitize } from './text/sanitize.js';
import { writeFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ConfigError, DEFAULTS, MAX_TIMER_SEC, loadConfig, type Config } from './config.js';
import { FAULTS_HELP, parseFaults } from './sim/faults.js';
import { installInkMeasureCache } from './text/ink-measure.js';
import { systemWall } from './clock.js';

// Ink 6 ignores NO_COLOR (research/tui-anchors.md §0); chalk honours FORCE_COLOR=0.
if (process.env['NO_COLOR']) process.env['FORCE_COLOR'] = '0';
process.env['NODE_ENV'] ??= 'production';

function die(message: string, code = 2): never {
  process.stderr.write(`polyconsole: ${sanitize(message, 2000)}\n`);
  process.exit(code);
}

// Each command lists only the flags it reads: where the data comes from
// (every engine command), how the console runs, and alerts (run only).
const sourceFlags = {
  db: { type: 'string', describe: 'SQLite file (default ./data/polyconsole.db)' },
  live: { type: 'boolean', describe: 'Connect to Polymarket instead of the embedded simulator' },
  config: { type: 'string', describe: 'Config file (default ./polyconsole.config.json)' },
  seed: { type: 'string', describe: 'Simulator seed' },
  markets: { type: 'number', describe: 'Simulator core markets (the real-shaped catalog adds about half as many)' },
  speed: { type: 'number', describe: 'Simulator seconds per wall second' },
  'sim-rate': { type: 'number', describe: 'Simulator market actions per second' },
  'sim-faults': { type: 'string', describe: `Simulator faults, comma-separated: ${FAULTS_HELP}` },
  'shard-size': { type: 'number', describe: 'Assets per WebSocket connection (≤ 500)' },
  'hot-cap': { type: 'number', describe: 'Most tokens streamed at once' },
} as const;

const consoleFlags = {
  headless: { type: 'boolean', describe: 'No UI: JSON lines on stdout (automatic without a TTY)' },
  duration: { type: 'number', describe: 'Stop after S seconds' },
  hz: { type: 'number', describe: 'Screen refreshes per second (1–20, default 5); lower it on a slow link' },
  'status-every': { type: 'number', describe: 'Headless status line period, seconds' },
  'checkpoint-every': { type: 'number', describe: 'Checkpoint trackers every N engine cycles (and on exit)' },
  paper: { type: 'boolean', describe: 'Start with paper trading on (t toggles it)' },
  'paper-cash': { type: 'number', describe: 'Initial paper cash in dollars for a new database' },
} as const;

const alertFlags = {
  // The bot token and webhook URLs are secrets: config file or environment only, never flags (ps shows flags).
  'telegram-chat-ids': { type: 'string', coerce: (v: unknown) => (v === undefined ? undefined : String(v).split(',').map((x) => x.trim()).filter(Boolean)), describe: 'Telegram chat ids that get alerts and may send commands (comma-separated)' },
  'telegram-user-ids': { type: 'string', coerce: (v: unknown) => (v === undefined ? undefined : String(v).split(',').map((x) => x.trim()).filter(Boolean)), describe: 'Telegram user ids whose commands are obeyed (comma-separated)' },
  'telegram-api-root': { type: 'string', describe: 'Bot API root (default https://api.telegram.org)' },
  'fair-value': { type: 'boolean', describe: 'Crypto fair value from reference data (Binance spot, Deribit DVOL; the simulator serves its own) — --no-fair-value turns it off' },
  'alert-modes': { type: 'string', describe: 'Per-event alert mode, e.g. fill=silent,signal=off (kinds: signal arb fill settlement halt feed db daily)' },
  'create-db-dir': { type: 'boolean', describe: "Create --db's directory if it is missing" },
  'retain-days': { type: 'number', describe: 'Days of raw trades and price snapshots kept (default 3)' },
  'market-ceiling': { type: 'number', describe: 'Most markets a catalog sync takes (default 80000)' },
} as const;

// Live trading: only from this flag at start-up plus a phrase typed at the
// terminal; the wallet and API credentials come from the environment or a 0600 key file, never flags.
const liveTradeFlags = {
  'trade-live': { type: 'boolean', describe: 'Trade real orders on the venue (wallet from POLY_PRIVATE_KEY or POLY_KEY_FILE); asks for a typed confirmation' },
  'live-max-order': { type: 'number', default: 10, describe: 'Live: most notional (USDC) one order may carry' },
  'live-max-day': { type: 'number', default: 100, describe: 'Live: most notional (USDC) sent in one UTC day' },
  'confirm-live': { type: 'string', describe: 'Headless live: the confirmation phrase the screen would ask for ("live <last 6 hex of the wallet>")' },
  'clear-halt': { type: 'boolean', describe: 'Live: lift the saved HALT at start-up (after the confirmation)' },
} as const;

const simCatalogFlag = {
  'real-catalog': { type: 'boolean', default: true, describe: 'Embedded simulator: serve the real-shaped catalog (game events with short sub-markets, award races, macro buckets) on top of the core world (--no-real-catalog: the core world only)' },
  'sim-history-days': { type: 'number', default: 90, describe: 'Embedded simulator: days of resolved markets it serves as history (1–90; strategies validate on them)' },
} as const;
const runFlags = { ...sourceFlags, ...simCatalogFlag, ...consoleFlags, ...alertFlags, ...liveTradeFlags } as const;
const JSON_FLAG = { type: 'boolean', describe: 'Machine-readable output (JSON)' } as const;

function configFrom(argv: Record<string, unknown>): Config {
  const seed = argv['seed'];
  try {
    return loadConfig(
      {
        db: argv['db'],
        live: argv['live'],
        headless: argv['headless'],
        duration: argv['duration'],
        seed: typeof seed === 'string' && /^-?\d+$/.test(seed) ? Number(seed) : seed,
        markets: argv['markets'],
        speed: argv['speed'],
        simRate: argv['simRate'],
        simFaults: argv['simFaults'],
        shardSize: argv['shardSize'],
        hotCap: argv['hotCap'],
        hz: argv['hz'],
        statusEvery: argv['statusEvery'],
        checkpointEvery: argv['checkpointEvery'],
        paper: argv['paper'],
        paperCash: argv['paperCash'],
        telegramChatIds: argv['telegramChatIds'],
        telegramUserIds: argv['telegramUserIds'],
        telegramApiRoot: argv['telegramApiRoot'],
        alertModes: argv['alertModes'],
        createDbDir: argv['createDbDir'],
        retainDays: argv['retainDays'],
        marketCeiling: argv['marketCeiling'],
        fairValue: argv['fairValue'],
      },
      typeof argv['config'] === 'string' ? { file: argv['config'] } : {},
    );
  } catch (err) {
    if (err instanceof ConfigError) die(err.message);
    throw err;
  }
}

/**
 * The first frame, before the simulator's world or the UI's modules load
 * (seconds on a big world): the source and PAPER state as configured, and what
 * is being done. The Ink UI replaces it on the same alternate screen.
 */
function bootFrame(cfg: { live: boolean; paper: boolean; markets: number }): void {
  process.stdout.write('\u001b[?1049h\u001b[H\u001b[2J');
  process.once('exit', () => process.stdout.write('\u001b[?25h\u001b[?1049l'));
  const what = cfg.live ? 'connecting to Polymarket' : `building the simulator (${cfg.markets.toLocaleString('en-US')} markets)`;
  process.stdout.write(`${cfg.live ? '◆ POLYMARKET' : '◇ SIM'}  ${cfg.paper ? '● PAPER ON' : '○ PAPER OFF'}  starting: ${what}…  (q quits once the console is up)\n`);
}

async function run(argv: Record<string, unknown>): Promise<void> {
  const cfg = configFrom(argv);
  const tradeLive = argv['tradeLive'] === true ? await liveWallet(argv) : undefined;
  // The clock-drift halt compares ours with the venue's: the embedded simulator's must run at wall speed.
  if (tradeLive && !cfg.live && cfg.speed !== 1) die('--trade-live against the embedded simulator needs --speed 1 (its clock must run with ours, or the clock-drift check halts trading)');
  if (!(cfg.headless || !process.stdout.isTTY || !process.stdin.isTTY)) bootFrame(cfg);
  let faults;
  try {
    faults = parseFaults(cfg.simFaults);
  } catch (err) {
    die(`--sim-faults: ${(err as Error).message}`);
  }
  const days = Number(argv['sim-history-days'] ?? 90);
  if (!Number.isInteger(days) || days < 1 || days > 90) die('--sim-history-days: expected a whole number of days from 1 to 90');
  const { openDatabase, DatabaseOpenError } = await import('./persist/db.js');
  const { Engine } = await import('./engine.js');
  let opened: import('./persist/db.js').OpenResult;
  try {
    // The default ./data directory is made on first run; a --db elsewhere must exist (or --create-db-dir).
    opened = openDatabase(cfg.db, { lock: true, createDir: cfg.createDbDir || cfg.db === DEFAULTS.db });
  } catch (err) {
    if (err instanceof DatabaseOpenError) die(err.message, 1);
    throw err;
  }
  if (opened.notice) process.stderr.write(`polyconsole: ${opened.notice}\n`);
  let sim: import('./sim/simulator.js').Simulator | undefined;
  let source: import('./engine.js').Source;
  let refdataUrl: string | undefined;
  if (cfg.live) {
    source = { kind: 'LIVE', gammaUrl: cfg.gammaUrl, clobUrl: cfg.clobUrl, wsUrl: cfg.wsUrl };
  } else {
    const { Simulator } = await import('./sim/simulator.js');
    sim = new Simulator({ seed: cfg.seed, markets: cfg.markets, speed: cfg.speed, rate: cfg.simRate, faults, clock: 'wall', crypto: true, backfill: days === 90 ? true : { days }, ...(argv['real-catalog'] === false ? { catalog: false } : {}) });
    const urls = await sim.start();
    source = { kind: 'SIM', gammaUrl: urls.gamma, clobUrl: urls.clob, wsUrl: urls.ws };
    if (urls.refdata) refdataUrl = urls.refdata;
  }
  const headless = cfg.headless || !process.stdout.isTTY || !process.stdin.isTTY;
  // Headless: log lines go to stderr (stdout is JSON lines). With the UI they go to the log buffer.
  const logSink = headless ? (line: string) => process.stderr.write(`polyconsole: ${line}\n`) : () => {};
  const engine = new Engine(source, opened.db, { shardSize: cfg.shardSize, hotCap: cfg.hotCap, checkpointEvery: cfg.checkpointEvery, marketCeiling: cfg.marketCeiling, retainMs: cfg.retainDays * 86_400_000 }, systemWall, logSink);
  // Last resort: an SQLite failure nobody caught is a DB-health state, anything
  // else one line and exit 1 — never a stack trace on the operator's terminal.
  const { PersistHealth } = await import('./persist/health.js');
  const lastResort = (err: unknown) => {
    if (PersistHealth.isDbError(err)) engine.dbHealth.failed('background write', err);
    else die(`internal error: ${(err as Error)?.message ?? String(err)}`, 1);
  };
  process.on('uncaughtException', lastResort);
  process.on('unhandledRejection', lastResort);
  const stopEngine = async () => {
    await engine.stop();
    await sim?.stop();
    opened.db.close();
    opened.lock?.release();
  };
  const { App } = await import('./app.js');
  let alerts;
  try {
    alerts = { config: (await import('./alerts/index.js')).alertsConfig(cfg), arbEdge: cfg.alertArbEdge };
  } catch (err) {
    die(`--alert-modes: ${(err as Error).message}`);
  }
  // Reference data: the simulator's own server in SIM mode (its paths drive the crypto markets), the public endpoints live.
  const { Secret } = await import('./alerts/secret.js');
  const coinalyze = cfg.coinalyzeKey ? { key: new Secret(cfg.coinalyzeKey) } : undefined;
  const refdata = !cfg.fairValue
    ? undefined
    : refdataUrl
      ? { binanceUrl: refdataUrl, deribitUrl: `${refdataUrl}/api/v2`, ...(coinalyze ? { coinalyze: { ...coinalyze, url: `${refdataUrl}/v1` } } : {}) }
      : cfg.live
        ? { binanceUrl: cfg.binanceUrl, deribitUrl: cfg.deribitUrl, ...(coinalyze ? { coinalyze: { ...coinalyze, url: cfg.coinalyzeUrl } } : {}) }
        : undefined;
  const app = new App(engine, { paper: { enabled: cfg.paper, initialCash: cfg.paperCash }, alerts, ...(refdata ? { refdata } : {}), ...(headless ? { emit: (line: string) => process.stdout.write(line + '\n') } : {}) });
  const { validateFairValue } = await import('./plugins/fair-validation.js');
  const { validateStrategies, historyOf } = await import('./plugins/validation.js');
  // Strategies validate on the venue's resolved history up to the session's start; FAIR_VALUE on the simulator's paths.
  const history = historyOf(source, opened.db, sim?.world.epochMs ?? systemWall());
  const fairHistory = sim ? (await import('./sim/fair-history.js')).simFairHistory(sim) : undefined;
  let shutdown = async () => {
    await app.alerts?.stop();
    await stopEngine();
  };
  // Remote commands go through the store's actions, as the keys do (headless too).
  const { EngineStore } = await import('../store/engine-store.js');
  const { alertActions } = await import('../store/alert-actions.js');
  const store = new EngineStore(app, { hz: cfg.hz, now: engine.now, ...(opened.notice ? { notice: opened.notice } : {}) });
  app.alerts?.setActions(alertActions(store));
  if (tradeLive) {
    const { startLive } = await import('./plugins/live-start.js');
    try {
      const session = await startLive(app, tradeLive, { headless, clob: source.clobUrl, ws: source.wsUrl, ...(typeof argv['confirmLive'] === 'string' ? { typed: argv['confirmLive'] } : {}), clearHalt: argv['clearHalt'] === true });
      const stop = shutdown;
      shutdown = async () => {
        session.close();
        await stop();
      };
    } catch (err) {
      await shutdown();
      die(`live trading not started: ${(err as Error).message}`, 1);
    }
  }
  app.alerts?.start();
  if (headless) {
    const behind = (await import('./plugins/history-behind.js')).historyBehind(history);
    void validateStrategies(app, behind.strategies);
    void validateFairValue(app, fairHistory);
    void (await import('./plugins/scorer-loop.js')).startScorer(app, behind.scorer);
    const { runHeadless } = await import('./headless.js');
    await runHeadless(app, sim, { ...(cfg.duration ? { durationSec: cfg.duration } : {}), statusEverySec: cfg.statusEvery }, shutdown);
    process.exit(0);
  }
  const behind = (await import('./plugins/history-behind.js')).historyBehind(history);
  void validateStrategies(app, behind.strategies);
  void validateFairValue(app, fairHistory);
  void (await import('./plugins/scorer-loop.js')).startScorer(app, behind.scorer);
  // Only now, just before Ink is first loaded: Ink measures text with our memoized
  // widest-line. On Node 20 the redirect runs on a loader thread that every later
  // import (and every worker's) waits on, so commands and headless runs, which
  // never load Ink, start without it.
  installInkMeasureCache();
  const { runUi } = await import('./ui.js');
  void engine.start();
  if (cfg.duration) setTimeout(() => store.actions.quit(), cfg.duration * 1000);
  await runUi(store, shutdown);
  process.exit(0);
}

/** The wallet and limits for --trade-live, read before anything starts (a bad key file ends here, in one line). */
async function liveWallet(argv: Record<string, unknown>): Promise<import('./plugins/live-start.js').LiveStartWallet> {
  const { loadWallet, WalletError } = await import('./exec/wallet.js');
  const perOrderUsd = Number(argv['liveMaxOrder']);
  const perDayUsd = Number(argv['liveMaxDay']);
  if (!(perOrderUsd > 0) || !(perDayUsd > 0) || perOrderUsd > perDayUsd) die('--live-max-order and --live-max-day must be positive, the order limit at most the daily one');
  let wallet;
  try {
    wallet = loadWallet(process.env);
  } catch (err) {
    if (err instanceof WalletError) die(`--trade-live: ${err.message}`);
    throw err;
  }
  if (!wallet) die('--trade-live needs a wallet: set POLY_PRIVATE_KEY, or POLY_KEY_FILE to a JSON key file with mode 0600');
  return { wallet, limits: { perOrderUsd, perDayUsd } };
}

async function simCommand(argv: Record<string, unknown>): Promise<void> {
  let faults;
  try {
    faults = parseFaults(argv['faults'] as string | undefined);
  } catch (err) {
    die(`--faults: ${(err as Error).message}`);
  }
  const markets = Number(argv['markets']);
  if (!Number.isInteger(markets) || markets < 10 || markets > 50_000) die('--markets: expected an integer from 10 to 50000');
  const port = Number(argv['port']);
  const crypto = argv['crypto'] !== false;
  if (!Number.isInteger(port) || port < 0 || port > (crypto ? 65532 : 65533)) die(`--port: expected 0–${crypto ? 65532 : 65533} (Gamma on it, the CLOB on port+1, the WebSocket on port+2${crypto ? ', reference data on port+3' : ''})`);
  const rateLimit = argv['rate-limit'] === '429' ? '429' : 'delay';
  const seed = String(argv['seed']);
  const { Simulator } = await import('./sim/simulator.js');
  const speed = Number(argv['speed']);
  if (!Number.isFinite(speed) || speed <= 0) die('--speed: expected a positive number');
  const clock = argv['clock'] === 'epoch' ? 'epoch' : 'wall';
  const sim = new Simulator({ seed: /^-?\d+$/.test(seed) ? Number(seed) : seed, markets, speed, rate: Number(argv['rate']), faults, rateLimit, port, clock, crypto, ...(argv['real-catalog'] === false ? { catalog: false } : {}) });
  if (typeof argv['export-truth'] === 'string') {
    writeFileSync(argv['export-truth'], JSON.stringify(sim.world.exportTruth(), null, 1));
    process.stderr.write(`polyconsole sim: wrote ground truth for seed ${seed} (${sim.world.markets.length} markets, ${sim.world.planted.length} planted) to ${argv['export-truth']}\n`);
    if (argv['serve'] === false) process.exit(0);
  }
  let urls;
  try {
    urls = await sim.start();
  } catch (err) {
    die(`cannot listen on port ${port}: ${(err as Error).message}`, 1);
  }
  process.stdout.write(
    [
      `polyconsole simulator (seed ${seed}, ${sim.world.markets.length} markets, speed ×${speed}, clock ${clock} from ${new Date(sim.world.epochMs).toISOString()})`,
      `  gamma  ${urls.gamma}`,
      `  clob   ${urls.clob}`,
      `  ws     ${urls.ws}`,
      `  stats  ${urls.gamma}/sim/stats`,
      ...(urls.refdata ? [`  refdata ${urls.refdata} (Binance /api/v3 and /fapi/v1, Deribit /api/v2, Coinalyze /v1)`] : []),
      '',
    ].join('\n'),
  );
  const stop = async () => {
    await sim.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function statusCommand(argv: Record<string, unknown>): Promise<void> {
  const { readStatus, formatStatus } = await import('./status.js');
  const path = typeof argv['db'] === 'string' ? argv['db'] : './data/polyconsole.db';
  let report;
  try {
    report = readStatus(path);
  } catch (err) {
    die((err as Error).message, 1);
  }
  process.stdout.write((argv['json'] ? JSON.stringify(report) : formatStatus(report)) + '\n');
}

async function recordCommand(argv: Record<string, unknown>): Promise<void> {
  const out = argv['out'];
  const duration = Number(argv['duration']);
  if (typeof out !== 'string' || !out) die('record: --out FILE is required');
  if (!Number.isFinite(duration) || duration <= 0 || duration > MAX_TIMER_SEC) die(`record: --duration must be a positive number of seconds up to ${MAX_TIMER_SEC}`);
  const cfg = configFrom({ ...argv, headless: true });
  const { openDatabase } = await import('./persist/db.js');
  const { Engine } = await import('./engine.js');
  const { RestClient } = await import('./feed/rest-client.js');
  const { Recorder } = await import('./replay/recorder.js');
  let sim: import('./sim/simulator.js').Simulator | undefined;
  let source: import('./engine.js').Source;
  if (cfg.live) source = { kind: 'LIVE', gammaUrl: cfg.gammaUrl, clobUrl: cfg.clobUrl, wsUrl: cfg.wsUrl };
  else {
    const { Simulator } = await import('./sim/simulator.js');
    sim = new Simulator({ seed: cfg.seed, markets: cfg.markets, speed: cfg.speed, rate: cfg.simRate, faults: parseFaults(cfg.simFaults) });
    const urls = await sim.start();
    source = { kind: 'SIM', gammaUrl: urls.gamma, clobUrl: urls.clob, wsUrl: urls.ws };
  }
  const opened = openDatabase(':memory:');
  const rest = new RestClient();
  const engine = new Engine(source, opened.db, { shardSize: cfg.shardSize, hotCap: cfg.hotCap }, systemWall, (l) => process.stderr.write(`polyconsole: ${l}\n`), rest);
  const segMin = argv['segment-minutes'] === undefined ? undefined : Number(argv['segment-minutes']);
  const segMb = argv['segment-mb'] === undefined ? undefined : Number(argv['segment-mb']);
  if (segMin !== undefined && !(segMin > 0 && segMin <= 1440)) die('record: --segment-minutes must be more than 0 and at most 1440');
  if (segMb !== undefined && !(segMb > 0 && segMb <= 100_000)) die('record: --segment-mb must be a positive number of megabytes');
  const segments = segMin !== undefined || segMb !== undefined ? { ...(segMin !== undefined ? { ms: segMin * 60_000 } : {}), ...(segMb !== undefined ? { bytes: segMb * 1e6 } : {}) } : undefined;
  let recorder: import('./replay/recorder.js').Recorder;
  try {
    recorder = new Recorder(out, systemWall, undefined, segments);
  } catch (err) {
    die(`record: cannot write ${out}: ${(err as Error).message}`, 1);
  }
  recorder.attach(engine, rest, { source: source.kind, gamma: source.gammaUrl, clob: source.clobUrl });
  void engine.start();
  // Progress on stderr (stdout keeps the one JSON result): in place on a terminal, a line every 10 s otherwise.
  const started = systemWall();
  const tty = process.stderr.isTTY;
  const progress = setInterval(() => {
    const line = `recording ${Math.min(duration, Math.round((systemWall() - started) / 1000))}/${duration} s: ${recorder.frames} frames, ${recorder.responses} REST responses → ${out}`;
    process.stderr.write(tty ? `\r${line}\u001b[K` : `polyconsole: ${line}\n`);
  }, tty ? 1000 : 10_000);
  await new Promise<void>((resolve) => {
    setTimeout(resolve, duration * 1000);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    process.once('SIGHUP', resolve);
  });
  clearInterval(progress);
  if (tty) process.stderr.write('\n');
  await engine.stop();
  try {
    await recorder.close();
  } catch (err) {
    die(`record: ${out} is incomplete: ${(err as Error).message}`, 1);
  }
  await sim?.stop();
  process.stdout.write(JSON.stringify({ type: 'recorded', file: out, lines: recorder.lines, frames: recorder.frames, responses: recorder.responses, ...(recorder.segments ? { segments: recorder.segments.manifest.segments.length } : {}) }) + '\n');
  process.exit(0);
}

async function replayCommand(argv: Record<string, unknown>): Promise<void> {
  const { readRecording, replay, parseSettings, diffOutcomes } = await import('./replay/replay.js');
  const file = String(argv['file']);
  const speedText = String(argv['speed'] ?? 'max');
  const speed = speedText === 'max' ? 'max' : Number(speedText);
  if (speed !== 'max' && (!Number.isFinite(speed) || speed <= 0)) die('replay: --speed must be 1, 10, any positive number, or max');
  const pairs = ((argv['set'] as string[] | undefined) ?? []).map(String);
  const { parseGrid } = await import('./replay/sweep.js');
  let set: Record<string, number | boolean>;
  let grid: Record<string, number | boolean>[];
  try {
    grid = parseGrid(pairs);
    set = grid.length === 1 ? grid[0]! : {};
  } catch (err) {
    die((err as Error).message);
  }
  const workersText = argv['workers'];
  const workers = workersText === undefined ? undefined : Number(workersText);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 64)) die('replay: --workers must be an integer from 1 to 64');
  let rec;
  let compiledSource: { path: string; sha: string } | undefined;
  let segmented: import('./replay/sweep.js').SweepSource['segments'];
  try {
    const seg = await import('./replay/segments.js');
    if (seg.manifestPathOf(file)) {
      // A directory of segments: each compiled once (next to it), replayed one after another.
      const m = seg.readManifest(file);
      const shas = argv['raw'] === true ? undefined : await seg.compileSegments(m, { onSegment: (k, how) => how === 'compiled' && process.stderr.write(`compiled segment ${k + 1}/${m.segments.length}\n`) });
      rec = seg.segmentParts(m, shas ? { shas } : { raw: true });
      segmented = { manifest: m.manifestPath, ...(shas ? { shas } : {}) };
      if (m.open) process.stderr.write(`polyconsole: ${m.open} segment${m.open === 1 ? ' is' : 's are'} not closed (still recording, or the recorder stopped): replaying what ${m.open === 1 ? 'it holds' : 'they hold'}\n`);
    } else if (argv['raw'] === true) rec = readRecording(file);
    else {
      // Decode once: what-ifs and sweeps replay the compiled form, checked against the raw file's checksum.
      const { loadCompiled } = await import('./replay/compiled.js');
      const t = performance.now();
      const c = await loadCompiled(file);
      rec = c.rec;
      if (c.how === 'compiled') process.stderr.write(`compiled ${file} in ${Math.round(performance.now() - t)} ms${c.writeError ? ` (not saved: ${c.writeError})` : ` → ${c.path}`}\n`);
      if (!c.writeError) compiledSource = { path: c.path, sha: c.sha };
    }
  } catch (err) {
    die((err as Error).message, 1);
  }
  if (!('load' in rec) && rec.truncated) process.stderr.write(`polyconsole: recording ${sanitize(file, 200)} was cut short (a crash?): replaying its ${'lines' in rec ? rec.lines.length : rec.records} complete lines; dropped ${rec.dropped} incomplete line${rec.dropped === 1 ? '' : 's'}${rec.rejected ? ` and ${rec.rejected} unreadable` : ''}\n`);
  const json = argv['json'] === true;
  if (grid.length > 1) {
    const { sweep, sweepTable } = await import('./replay/sweep.js');
    const r = await sweep(segmented ? { segments: segmented } : compiledSource ? { compiled: compiledSource } : { raw: file }, grid, workers);
    if (json) process.stdout.write(JSON.stringify({ type: 'sweep', file, workers: r.workers, wallMs: Math.round(r.wallMs), baseline: r.baseline, rows: r.rows }) + '\n');
    else process.stdout.write(`swept ${file}: ${grid.length} settings + baseline on ${r.workers} worker${r.workers === 1 ? '' : 's'} in ${Math.round(r.wallMs)} ms\n${sweepTable(r)}\n`);
    process.exit(0);
  }
  const src = rec;
  const run = (s: Record<string, number | boolean>, emit?: (l: string) => void) => replay(src, { speed, set: s, ...(emit ? { emit } : {}) });
  const whatIf = Object.keys(set).length > 0;
  const base = await run({}, json && !whatIf ? (l) => process.stdout.write(l + '\n') : undefined);
  const report: Record<string, unknown> = { type: 'replay', file, recordedSeconds: Math.round((rec.endMs - rec.startMs) / 1000), frames: base.frames, events: base.events, wallMs: Math.round(base.wallMs), eventsPerSec: Math.round((base.events * 1000) / Math.max(1, base.wallMs)), signals: base.signals, arbs: base.arbs, clusters: base.clusters, restMisses: base.restMisses, rejectedLines: rec.rejected, pnl: base.pnl, fees: base.fees, maxDrawdown: base.maxDrawdown, truncated: typeof rec.truncated === 'number' ? rec.truncated > 0 : rec.truncated, droppedLines: rec.dropped, ...('load' in rec ? { segments: rec.count } : {}) };
  if (whatIf) {
    const alt = await run(set);
    report['whatIf'] = { set, diff: diffOutcomes(base, alt) };
  }
  if (json) process.stdout.write(JSON.stringify(report) + '\n');
  else {
    process.stdout.write(`replayed ${file}: ${report['recordedSeconds']} s recorded, ${base.frames} frames / ${base.events} events in ${report['wallMs']} ms (${report['eventsPerSec']} events/s)\n`);
    process.stdout.write(`  signals ${base.signals}, arbitrage ${base.arbs}, clusters ${base.clusters}${base.restMisses ? `, ${base.restMisses} REST requests not in the recording` : ''}\n`);
    const w = report['whatIf'] as { diff: ReturnType<typeof diffOutcomes> } | undefined;
    if (w) {
      const d = w.diff;
      process.stdout.write(`what-if ${Object.entries(set).map(([k, v]) => `${k}=${v}`).join(' ')}:\n`);
      process.stdout.write(`  baseline ${d.baseline.lines} lines (${d.baseline.signals} queued, ${d.baseline.arbs} arbs) → what-if ${d.whatIf.lines} lines (${d.whatIf.signals} queued, ${d.whatIf.arbs} arbs); ${d.common} in common\n`);
      for (const k of d.onlyBaseline.slice(0, 10)) process.stdout.write(`  - ${k}\n`);
      for (const k of d.onlyWhatIf.slice(0, 10)) process.stdout.write(`  + ${k}\n`);
    }
  }
  process.exit(0);
}

async function scanCli(argv: Record<string, unknown>, which: 'scan' | 'categorize' | 'clusters'): Promise<void> {
  const cfg = configFrom({ ...argv, headless: true });
  const { scanCommand, categorizeCommand, clustersCommand } = await import('./scan-command.js');
  const out = (s: string) => process.stdout.write(s + '\n');
  const warn = (s: string) => process.stderr.write(`polyconsole ${which}: ${s}\n`);
  const batch = Number(argv['batchSize'] ?? 150);
  if (which === 'scan' && (!Number.isInteger(batch) || batch < 1 || batch > 10_000)) die('scan: --batch-size must be an integer from 1 to 10000');
  try {
    if (which === 'scan') await scanCommand(cfg, { ...(typeof argv['catalog'] === 'string' ? { catalog: argv['catalog'] } : {}), ...(argv['now'] !== undefined ? { now: String(argv['now']) } : {}), batchSize: batch, json: argv['json'] === true }, out, warn);
    else if (which === 'clusters') await clustersCommand(cfg, { ...(typeof argv['catalog'] === 'string' ? { catalog: argv['catalog'] } : {}), json: argv['json'] === true }, out, warn);
    else await categorizeCommand(cfg, { ...(typeof argv['catalog'] === 'string' ? { catalog: argv['catalog'] } : {}), json: argv['json'] === true }, out, warn);
  } catch (err) {
    die((err as Error).message, 1);
  }
  process.exit(0);
}

async function main(): Promise<void> {
  await yargs(hideBin(process.argv))
    .scriptName('polyconsole')
    .usage('$0 [command] [options]')
    .command(['run', '$0'], 'Run the console (embedded simulator by default)', (y) => y.options(runFlags), (argv) => run(argv as Record<string, unknown>))
    .command(
      'sim',
      'Run the embedded Polymarket simulator standalone',
      (y) =>
        y.options({
          port: { type: 'number', default: 8080, describe: 'Gamma port on 127.0.0.1; CLOB on port+1, WebSocket on port+2, reference data on port+3 (0 = any free ports)' },
          seed: { type: 'string', default: '1', describe: 'Simulator seed (source sim)' },
          markets: { type: 'number', default: 2000, describe: 'Core markets of the simulated world (10–50000); the real-shaped catalog adds about half as many on top' },
          ...simCatalogFlag,
          speed: { type: 'number', default: 1, describe: 'Simulator seconds per wall second (above 1 the venue clock runs ahead of the wall clock)' },
          clock: { type: 'string', choices: ['wall', 'epoch'], default: 'wall', describe: "Start at the current wall time, or at the catalog templates' fixed epoch" },
          rate: { type: 'number', default: 1500, describe: 'Market actions per second' },
          faults: { type: 'string', describe: `Faults, comma-separated: ${FAULTS_HELP}` },
          'rate-limit': { type: 'string', choices: ['delay', '429'], default: 'delay', describe: 'Over the REST rate limit: delay the answer, or answer 429' },
          'export-truth': { type: 'string', describe: 'Write the ground truth JSON for this seed to FILE' },
          serve: { type: 'boolean', default: true, describe: 'Serve after --export-truth (--no-serve: write the file and exit)' },
          crypto: { type: 'boolean', default: true, describe: 'Hidden crypto price paths: BTC up/down windows settle on them and a reference-data server quotes them (--no-crypto: the plain seeded world)' },
        }),
      (argv) => simCommand(argv as Record<string, unknown>),
    )
    .command(
      'scan',
      'One batch through the signal processor; --json prints the compact seed-000 contract',
      (y) => y.options({ ...sourceFlags, json: JSON_FLAG, 'batch-size': { type: 'number', default: 150, describe: 'Markets in the batch' }, catalog: { type: 'string', describe: 'A saved Gamma /markets dump (array or {markets:[…]})' }, now: { type: 'string', describe: 'With --catalog: the scan time (ISO or epoch ms); default the newest timestamp in the file' } }),
      (argv) => scanCli(argv as Record<string, unknown>, 'scan'),
    )
    .command(
      'clusters',
      'Clusters of the catalog, events first; --json: one {cluster_id, rule, confidence, summary, marketIds} per line',
      (y) => y.options({ ...sourceFlags, json: JSON_FLAG, catalog: { type: 'string', describe: 'A saved Gamma /markets dump instead of the venue' } }),
      (argv) => scanCli(argv as Record<string, unknown>, 'clusters'),
    )
    .command(
      'categorize',
      'Category distribution of the catalog; --json: one {id, question, family, category} per market',
      (y) => y.options({ ...sourceFlags, json: JSON_FLAG, catalog: { type: 'string', describe: 'A saved Gamma /markets dump instead of the venue' } }),
      (argv) => scanCli(argv as Record<string, unknown>, 'categorize'),
    )
    .command(
      'backtest',
      'Validate the strategies on resolved markets: win rate with Wilson interval, break-even, ROI CI, walk-forward, Brier, verdict',
      (y) =>
        y.options({
          strategy: { type: 'string', describe: 'One strategy id (default: all)' },
          lead: { type: 'string', default: '24h', describe: 'Entry lead before resolution: 24h, 90m, 2d' },
          json: JSON_FLAG,
          report: { type: 'string', describe: 'Write an HTML report with SVG charts' },
          source: { type: 'string', choices: ['sim', 'db', 'files'], default: 'sim', describe: 'Resolved markets from the simulator, a database or saved files' },
          db: { type: 'string', describe: 'SQLite file (source db)' },
          markets: { type: 'string', describe: 'Gamma closed-markets JSON (source files)' },
          history: { type: 'string', describe: '/prices-history JSON file or folder (source files)' },
          seed: { type: 'string', default: '1', describe: 'Simulator seed (source sim)' },
          bias: { type: 'number', describe: 'Simulator backfill favourite–longshot bias (0 = calibrated)' },
          'half-spread': { type: 'number', describe: 'Assumed half-spread paid on entry, probability units' },
          tolerance: { type: 'string', describe: 'Most a price point may lie from the entry time: 1h, 90m' },
          resamples: { type: 'number', describe: 'Bootstrap resamples for the ROI interval' },
        }),
      async (argv) => {
        const { backtestCommand } = await import('./backtest/index.js');
        const a = argv as Record<string, unknown>;
        const args: import('./backtest/index.js').BacktestArgs = { lead: String(a['lead']), source: a['source'] as 'sim' | 'db' | 'files' };
        for (const k of ['strategy', 'report', 'db', 'markets', 'history', 'seed', 'tolerance'] as const) if (typeof a[k] === 'string') (args as Record<string, unknown>)[k] = a[k];
        if (a['json']) args.json = true;
        if (typeof a['bias'] === 'number') args.bias = a['bias'];
        if (typeof a['halfSpread'] === 'number') args.halfSpread = a['halfSpread'];
        if (typeof a['resamples'] === 'number') args.resamples = a['resamples'];
        const { simBackfillHistory } = await import('./sim/backfill-cache.js');
        process.exit(await backtestCommand(args, { simHistory: simBackfillHistory }));
      },
    )
    .command(
      'record',
      'Record raw frames and REST responses (gzip JSONL) while running headless',
      (y) =>
        y.options({
          ...sourceFlags,
          out: { type: 'string', demandOption: true, describe: 'Output file (.jsonl.gz), or with --segment-*: a directory of segments and manifest.json' },
          duration: { type: 'number', demandOption: true, describe: 'Seconds to record' },
          'segment-minutes': { type: 'number', describe: 'Start a new segment file every N minutes (long recordings; replay takes the directory)' },
          'segment-mb': { type: 'number', describe: 'Start a new segment file every N MB written' },
        }),
      (argv) => recordCommand(argv as Record<string, unknown>),
    )
    .command(
      'replay <file>',
      'Run the engine on a recording: same file and settings, same outcome',
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true })
          .options({ speed: { type: 'string', default: 'max', describe: '1, 10, … or max' }, set: { type: 'array', string: true, describe: 'key=value what-if settings; key=v1,v2,… sweeps every combination on worker threads' }, workers: { type: 'number', describe: 'Sweep worker threads (default: one per core)' }, raw: { type: 'boolean', describe: 'Replay the raw frames, not the compiled form' }, json: JSON_FLAG }),
      (argv) => replayCommand(argv as Record<string, unknown>),
    )
    .command(
      'compile <file>',
      'Decode a recording once into its compiled (columnar) form, next to it; replay uses it while the checksum matches',
      (y) => y.positional('file', { type: 'string', demandOption: true }),
      async (argv) => {
        const { loadCompiled } = await import('./replay/compiled.js');
        const { statSync } = await import('node:fs');
        const file = String(argv.file);
        const t = performance.now();
        const seg = await import('./replay/segments.js');
        if (seg.manifestPathOf(file)) {
          try {
            const m = seg.readManifest(file);
            await seg.compileSegments(m, { force: true, onSegment: (k) => process.stderr.write(`compiled segment ${k + 1}/${m.segments.length}\n`) });
            const bytes = (f: string) => statSync(f).size;
            const { join } = await import('node:path');
            const sourceBytes = m.segments.reduce((n, x) => n + bytes(join(m.dir, x.file)), 0);
            const compiledBytes = m.segments.reduce((n, x) => n + bytes(join(m.dir, `${x.file}.compiled`)), 0);
            process.stdout.write(JSON.stringify({ type: 'compiled', file, segments: m.segments.length, sourceBytes, compiledBytes, ms: Math.round(performance.now() - t) }) + '\n');
          } catch (err) {
            die((err as Error).message, 1);
          }
          process.exit(0);
        }
        let c;
        try {
          c = await loadCompiled(file, { force: true });
        } catch (err) {
          die((err as Error).message, 1);
        }
        if (c.writeError) die(`cannot write ${c.path}: ${c.writeError}`, 1);
        process.stdout.write(JSON.stringify({ type: 'compiled', file, path: c.path, records: c.rec.records, events: c.rec.events, sourceBytes: statSync(file).size, compiledBytes: statSync(c.path).size, ms: Math.round(performance.now() - t) }) + '\n');
        process.exit(0);
      },
    )
    .command(
      'resolve',
      'Map crypto markets to their reference rule (asset, kind, strike, window, source); --json: one line per market',
      (y) => y.options({ catalog: { type: 'string', demandOption: true, describe: 'A saved Gamma /markets dump (JSON or .gz; array, {markets:[…]} or events)' }, json: JSON_FLAG }),
      async (argv) => {
        const { readDump, resolveDump, ResolveInputError } = await import('./refdata/resolve-command.js');
        let items: unknown[];
        try {
          items = readDump(String(argv['catalog']));
        } catch (err) {
          if (err instanceof ResolveInputError) die(err.message, 1);
          throw err;
        }
        resolveDump(items, argv['json'] === true, (s) => process.stdout.write(s + '\n'), (s) => process.stderr.write(`polyconsole resolve: ${s}\n`));
        process.exit(0);
      },
    )
    .command(
      'doctor',
      'Pre-flight for live trading: reachability, exchange version, clock drift, wallet, API key binding, balance and allowances (read-only; never posts)',
      (y) => y.options({ clob: { type: 'string', default: 'https://clob.polymarket.com', describe: 'CLOB origin to check' }, json: { type: 'boolean' } }),
      async (argv) => {
        const { doctor, formatChecks } = await import('./exec/doctor.js');
        const { loadWallet, WalletError } = await import('./exec/wallet.js');
        let wallet;
        try {
          wallet = loadWallet();
        } catch (err) {
          if (err instanceof WalletError) die(`doctor: ${err.message}`, 1);
          throw err;
        }
        const checks = await doctor(String(argv['clob']).replace(/\/+$/, ''), wallet, systemWall);
        process.stdout.write((argv['json'] ? JSON.stringify(checks) : formatChecks(checks)) + '\n');
        process.exit(checks.every((c) => c.ok) ? 0 : 1);
      },
    )
    .command(
      'status',
      'Positions, P&L, the last checkpoint and recent operator actions from the database',
      (y) => y.options({ db: { type: 'string', describe: 'SQLite file (default ./data/polyconsole.db)' }, json: { type: 'boolean', describe: 'One JSON object' } }),
      (argv) => statusCommand(argv as Record<string, unknown>),
    )
    .strict()
    .help()
    .fail((msg, err) => {
      if (err) die(err.message, 1);
      die(msg);
    })
    .parseAsync();
}

main().catch((err: Error) => die(err.message, 1));
