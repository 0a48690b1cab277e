// Alerts and remote control: built from the console's configuration, started
// with the engine (UI and headless alike), stopped before the database closes.
import type { App } from '../app.js';
import { AuditLog } from '../persist/audit-log.js';
import type { AlertActions } from './remote.js';
import { parseModes } from './router.js';
import { Secret } from './secret.js';
import { AlertService, type AlertsConfig, type AlertsHealth } from './service.js';
import { AlertWatcher } from './watch.js';

export type { AlertActions, AlertsHealth };
export { REMOTE_COMMANDS } from './remote.js';

/** The configuration keys this feature reads (see src/config.ts). */
export interface AlertSettings {
  telegramToken: string;
  telegramChatIds: string[];
  telegramUserIds: string[];
  telegramApiRoot: string;
  webhookUrls: string[];
  alertModes: string;
  alertArbEdge: number;
}

/** Secrets wrapped at once; throws a one-line error for bad alert modes. */
export function alertsConfig(s: AlertSettings): AlertsConfig {
  return {
    ...(s.telegramToken ? { telegram: { token: new Secret(s.telegramToken), apiRoot: s.telegramApiRoot, chatIds: s.telegramChatIds, userIds: s.telegramUserIds } } : {}),
    webhooks: s.webhookUrls.map((u) => new Secret(u)),
    modes: parseModes(s.alertModes),
  };
}

export class Alerts {
  readonly service: AlertService;
  readonly watcher: AlertWatcher;

  constructor(app: App, cfg: AlertsConfig, arbEdge = 0.02) {
    const engine = app.engine;
    this.service = new AlertService(engine.db, cfg, new AuditLog(engine.db, engine.now), engine.now, (l) => engine.log(l));
    this.watcher = new AlertWatcher(app, this.service, {
      arbEdge,
      everyMs: 1000,
      daily: () => {
        const p = app.paper.trader.summary();
        return [`equity $${p.equity.toFixed(2)}, cash $${p.cash.toFixed(2)}`, `realized $${p.realized.toFixed(2)}, unrealized $${p.unrealized.toFixed(2)}, fees $${p.fees.toFixed(2)}`, `orders ${p.orders}, fills ${p.fills}, open ${p.open}, breaker ${p.breaker}`];
      },
    });
  }

  setActions(a: AlertActions): void {
    this.service.setActions(a);
  }

  start(): void {
    this.service.start();
    this.watcher.start();
  }

  async stop(): Promise<void> {
    this.watcher.stop();
    await this.service.stop();
  }

  health(): AlertsHealth {
    return this.service.health();
  }
}
