// A real App (engine on unreachable URLs, never started), its store and the
// store's actions, on a real SQLite file: what remote commands act on.
import { join } from 'node:path';
import { App } from '../../src/app.js';
import { Engine } from '../../src/engine.js';
import { openDatabase, type DB } from '../../src/persist/db.js';
import { AuditLog } from '../../src/persist/audit-log.js';
import { AlertService, type AlertsConfig } from '../../src/alerts/service.js';
import { EngineStore } from '../../store/engine-store.js';
import { alertActions } from '../../store/alert-actions.js';
import { tempDir } from '../helpers/paths.js';

export const TOKEN = '123456789:AAHfakeFAKEfake_token-for-tests-0123456';

export function consoleOn(path = join(tempDir('pc-alerts-'), 'a.db')) {
  const { db } = openDatabase(path);
  const engine = new Engine({ kind: 'SIM', gammaUrl: 'http://127.0.0.1:1', clobUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' }, db);
  const app = new App(engine, { collector: false });
  const store = new EngineStore(app);
  return { db, engine, app, store, actions: alertActions(store), path };
}

export function service(db: DB, cfg: AlertsConfig): AlertService {
  return new AlertService(db, { tickMs: 20, ...cfg }, new AuditLog(db));
}

export function actionRows(db: DB): { action: string; detail: string | null }[] {
  return db.prepare('SELECT action, detail FROM operator_actions ORDER BY id').all() as { action: string; detail: string | null }[];
}
