#!/usr/bin/env node
// polyconsole command line (DESIGN §8). Bad flags and config values end in one
// clear line and exit code 2; nothing here prints a stack trace to an operator.
import { writeFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ConfigError, loadConfig, type Config } from './config.js';
import { parseFaults } from './sim/faults.js';

// Ink 6 ignores NO_COLOR (research/tui-anchors.md §0); chalk honours FORCE_COLOR=0.
if (process.env['NO_COLOR']) process.env['FORCE_COLOR'] = '0';
process.env['NODE_ENV'] ??= 'production';

function die(message: string, code = 2): never {
  process.stderr.write(`polyconsole: ${message}\n`);
  process.exit(code);
}

const runFlags = {
  db: { type: 'string', describe: 'SQLite file (default ./data/polyconsole.db)' },
  live: { type: 'boolean', describe: 'Connect to Polymarket instead of the embedded simulator' },
  headless: { type: 'boolean', describe: 'No UI: JSON lines on stdout (automatic without a TTY)' },
  duration: { type: 'number', describe: 'Stop after S seconds' },
  seed: { type: 'string', describe: 'Simulator seed' },
  markets: { type: 'number', describe: 'Simulator catalog size' },
  speed: { type: 'number', describe: 'Simulator seconds per wall second' },
  'sim-rate': { type: 'number', describe: 'Simulator market actions per second' },
  'sim-faults': { type: 'string', describe: 'Simulator faults, e.g. drop=20,stall=45,garbage=0.001,reorder=0.001,slowrest=200' },
  'shard-size': { type: 'number', describe: 'Assets per WebSocket connection (≤ 500)' },
  'hot-cap': { type: 'number', describe: 'Most tokens streamed at once' },
  hz: { type: 'number', describe: 'UI snapshot rate' },
  'status-every': { type: 'number', describe: 'Headless status line period, seconds' },
  'checkpoint-every': { type: 'number', describe: 'Checkpoint trackers every N engine cycles (and on exit)' },
  config: { type: 'string', describe: 'Config file (default ./polyconsole.config.json)' },
} as const;

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
      },
      typeof argv['config'] === 'string' ? { file: argv['config'] } : {},
    );
  } catch (err) {
    if (err instanceof ConfigError) die(err.message);
    throw err;
  }
}

async function run(argv: Record<string, unknown>): Promise<void> {
  const cfg = configFrom(argv);
  let faults;
  try {
    faults = parseFaults(cfg.simFaults);
  } catch (err) {
    die(`--sim-faults: ${(err as Error).message}`);
  }
  const { openDatabase } = await import('./persist/db.js');
  const { Engine } = await import('./engine.js');
  const opened = openDatabase(cfg.db);
  if (opened.notice) process.stderr.write(`polyconsole: ${opened.notice}\n`);
  let sim: import('./sim/simulator.js').Simulator | undefined;
  let source: import('./engine.js').Source;
  if (cfg.live) {
    source = { kind: 'LIVE', gammaUrl: cfg.gammaUrl, clobUrl: cfg.clobUrl, wsUrl: cfg.wsUrl };
  } else {
    const { Simulator } = await import('./sim/simulator.js');
    sim = new Simulator({ seed: cfg.seed, markets: cfg.markets, speed: cfg.speed, rate: cfg.simRate, faults });
    const urls = await sim.start();
    source = { kind: 'SIM', gammaUrl: urls.gamma, clobUrl: urls.clob, wsUrl: urls.ws };
  }
  const headless = cfg.headless || !process.stdout.isTTY || !process.stdin.isTTY;
  // Headless: log lines go to stderr (stdout is JSON lines). With the UI they go to the log buffer.
  const logSink = headless ? (line: string) => process.stderr.write(`polyconsole: ${line}\n`) : () => {};
  const engine = new Engine(source, opened.db, { shardSize: cfg.shardSize, hotCap: cfg.hotCap, checkpointEvery: cfg.checkpointEvery }, Date.now, logSink);
  const shutdown = async () => {
    await engine.stop();
    await sim?.stop();
    opened.db.close();
  };
  const { App } = await import('./app.js');
  const app = new App(engine, headless ? { emit: (line) => process.stdout.write(line + '\n') } : {});
  if (headless) {
    const { runHeadless } = await import('./headless.js');
    await runHeadless(app, sim, { ...(cfg.duration ? { durationSec: cfg.duration } : {}), statusEverySec: cfg.statusEvery }, shutdown);
    process.exit(0);
  }
  const { EngineStore } = await import('../store/engine-store.js');
  const { runUi } = await import('./ui.js');
  const store = new EngineStore(app, { hz: cfg.hz, ...(opened.notice ? { notice: opened.notice } : {}) });
  void engine.start();
  if (cfg.duration) setTimeout(() => store.actions.quit(), cfg.duration * 1000);
  await runUi(store, shutdown);
  process.exit(0);
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
  if (!Number.isInteger(port) || port < 0 || port > 65535) die('--port: expected 0–65535');
  const rateLimit = argv['rate-limit'] === '429' ? '429' : 'delay';
  const seed = String(argv['seed']);
  const { Simulator } = await import('./sim/simulator.js');
  const sim = new Simulator({ seed: /^-?\d+$/.test(seed) ? Number(seed) : seed, markets, speed: Number(argv['speed']), rate: Number(argv['rate']), faults, rateLimit, port });
  if (typeof argv['export-truth'] === 'string') {
    writeFileSync(argv['export-truth'], JSON.stringify(sim.world.exportTruth(), null, 1));
    process.stderr.write(`polyconsole sim: wrote ground truth for seed ${seed} (${sim.world.markets.length} markets, ${sim.world.planted.length} planted) to ${argv['export-truth']}\n`);
    if (argv['no-serve']) process.exit(0);
  }
  let urls;
  try {
    urls = await sim.start();
  } catch (err) {
    die(`cannot listen on port ${port}: ${(err as Error).message}`, 1);
  }
  process.stdout.write(
    [`polyconsole simulator (seed ${seed}, ${sim.world.markets.length} markets, speed ×${argv['speed']})`, `  gamma  ${urls.gamma}`, `  clob   ${urls.clob}`, `  ws     ${urls.ws}`, `  stats  ${urls.gamma}/sim/stats`, ''].join('\n'),
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
          port: { type: 'number', default: 8080, describe: 'Port on 127.0.0.1 (0 = any)' },
          seed: { type: 'string', default: '1' },
          markets: { type: 'number', default: 2000 },
          speed: { type: 'number', default: 60 },
          rate: { type: 'number', default: 1500, describe: 'Market actions per second' },
          faults: { type: 'string', describe: 'drop=S,stall=S,garbage=RATE,reorder=RATE,slowrest=MS' },
          'rate-limit': { type: 'string', choices: ['delay', '429'], default: 'delay' },
          'export-truth': { type: 'string', describe: 'Write the ground truth JSON for this seed to FILE' },
          'no-serve': { type: 'boolean', describe: 'With --export-truth: write the file and exit' },
        }),
      (argv) => simCommand(argv as Record<string, unknown>),
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
