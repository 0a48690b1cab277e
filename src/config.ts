// Configuration (DESIGN §8): defaults ← polyconsole.config.json ← env
// POLYCONSOLE_* ← flags, validated by one zod schema; an invalid value is a
// one-line error naming the key and where it came from.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { deepFreeze } from './frozen.js';

/** Telegram ids: integers (chat ids of groups are negative), given as numbers or strings. */
function idText(negative: boolean) {
  return z
    .union([z.string(), z.number().int()])
    .transform(String)
    .pipe(z.string().regex(negative ? /^-?\d{1,20}$/ : /^\d{1,20}$/, negative ? 'expected integer chat ids' : 'expected positive integer user ids'));
}
/** Longest timer Node can arm, in seconds (2^31-1 ms). */
export const MAX_TIMER_SEC = Math.floor((2 ** 31 - 1) / 1000);
/** Headless status lines no more often than this (a smaller period floods stdout). */
export const MIN_STATUS_SEC = 0.5;

export const configSchema = z
  .object({
    db: z.string().min(1),
    live: z.boolean(),
    headless: z.boolean(),
    // setTimeout holds at most 2^31-1 ms; a longer duration would fire at once.
    duration: z.number().positive().max(MAX_TIMER_SEC).optional(),
    seed: z.union([z.number().int(), z.string().min(1)]),
    markets: z.number().int().min(10).max(50_000),
    speed: z.number().positive().max(1_000_000),
    simRate: z.number().positive().max(1_000_000),
    simFaults: z.string(),
    shardSize: z.number().int().min(1).max(500),
    hotCap: z.number().int().min(2).max(200_000),
    hz: z.number().min(1).max(20),
    statusEvery: z.number().min(MIN_STATUS_SEC).max(MAX_TIMER_SEC),
    checkpointEvery: z.number().int().min(1).max(100_000),
    paper: z.boolean(),
    paperCash: z.number().positive().max(1e9),
    gammaUrl: z.string().url(),
    clobUrl: z.string().url(),
    wsUrl: z.string().url(),
    // Alerts and remote control. Token and webhook URLs are secrets: never logged or shown.
    telegramToken: z.string().regex(/^(\d{3,}:[A-Za-z0-9_-]{20,})?$/, 'expected a bot token from BotFather (digits:letters), or empty'),
    telegramChatIds: z.array(idText(true)),
    telegramUserIds: z.array(idText(false)),
    telegramApiRoot: z.string().url(),
    webhookUrls: z.array(z.string().url()),
    alertModes: z.string(),
    alertArbEdge: z.number().min(0).max(1),
    createDbDir: z.boolean(),
    /** Days of raw trades and price snapshots kept before pruning. */
    retainDays: z.number().min(0.01).max(3650),
    /** Catalog sync stops here, with a warning (Polymarket lists ~50k active markets). */
    marketCeiling: z.number().int().min(100).max(10_000_000),
    // Crypto reference data (fair value). In SIM mode the simulator's own server replaces these URLs.
    fairValue: z.boolean(),
    binanceUrl: z.string().url(),
    deribitUrl: z.string().url(),
    coinalyzeUrl: z.string().url(),
    /** Coinalyze API key (free, per account): a secret, never logged or shown. Empty: Coinalyze is not called. */
    coinalyzeKey: z.string().max(200).regex(/^[A-Za-z0-9_-]*$/, 'expected the key Coinalyze issued (letters, digits, - and _), or empty'),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

export const DEFAULTS: Config = deepFreeze({
  db: './data/polyconsole.db',
  live: false,
  headless: false,
  seed: 1,
  markets: 2000,
  speed: 60,
  simRate: 1500,
  simFaults: '',
  shardSize: 200,
  hotCap: 2000,
  hz: 5,
  statusEvery: 5,
  checkpointEvery: 10,
  paper: false,
  paperCash: 10_000,
  gammaUrl: 'https://gamma-api.polymarket.com',
  clobUrl: 'https://clob.polymarket.com',
  wsUrl: 'wss://ws-subscriptions-clob.polymarket.com/ws/market',
  telegramToken: '',
  telegramChatIds: [],
  telegramUserIds: [],
  telegramApiRoot: 'https://api.telegram.org',
  webhookUrls: [],
  alertModes: '',
  alertArbEdge: 0.02,
  createDbDir: false,
  retainDays: 3,
  marketCeiling: 80_000,
  fairValue: true,
  binanceUrl: 'https://api.binance.com',
  deribitUrl: 'https://www.deribit.com/api/v2',
  coinalyzeUrl: 'https://api.coinalyze.net/v1',
  coinalyzeKey: '',
});

const KEYS = Object.keys(DEFAULTS).concat('duration') as (keyof Config)[];

export class ConfigError extends Error {}

/** Only true/false/1/0: anything else ("yes", "on", a typo) is an error, never a silent false. */
export function parseBool(raw: string): boolean | undefined {
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return undefined;
}

/** POLYCONSOLE_SHARD_SIZE → shardSize, with the value typed like the default. */
function fromEnv(env: NodeJS.ProcessEnv): Partial<Record<keyof Config, unknown>> {
  const out: Partial<Record<keyof Config, unknown>> = {};
  for (const key of KEYS) {
    const name = `POLYCONSOLE_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const dflt = DEFAULTS[key];
    if (Array.isArray(dflt)) out[key] = raw.split(',').map((x) => x.trim()).filter(Boolean);
    else if (typeof dflt === 'boolean') {
      const b = parseBool(raw);
      if (b === undefined) throw new ConfigError(`invalid config: ${key} (environment ${name}): expected true, false, 1 or 0, got ${JSON.stringify(raw.slice(0, 40))}`);
      out[key] = b;
    } else if (typeof dflt === 'number' || key === 'duration') out[key] = Number(raw);
    else if (key === 'seed') out[key] = /^-?\d+$/.test(raw) ? Number(raw) : raw;
    else out[key] = raw;
  }
  return out;
}

/** Merges the layers, recording which layer set each key (for error messages). */
export function loadConfig(flags: Partial<Record<string, unknown>>, opts: { file?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Config {
  const origin = new Map<string, string>();
  const merged: Record<string, unknown> = { ...DEFAULTS };
  const apply = (layer: Record<string, unknown>, name: string) => {
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined) continue;
      merged[k] = v;
      origin.set(k, name);
    }
  };
  const file = opts.file ?? `${opts.cwd ?? process.cwd()}/polyconsole.config.json`;
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`invalid config file ${file}: ${(err as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(`invalid config file ${file}: expected a JSON object`);
    apply(parsed as Record<string, unknown>, file);
  }
  apply(fromEnv(opts.env ?? process.env), 'environment');
  const flagLayer: Record<string, unknown> = {};
  for (const k of KEYS) if (flags[k] !== undefined) flagLayer[k] = flags[k];
  apply(flagLayer, 'flags');
  const r = configSchema.safeParse(merged);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const key = issue.path.length ? String(issue.path[0]) : (issue as { keys?: string[] }).keys?.[0] ?? '?';
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    const from = origin.get(key) ?? 'defaults';
    throw new ConfigError(`invalid config: ${key} (${from === 'flags' ? flag : from}): ${issue.message}`);
  }
  return r.data;
}
