// The alert keys through the configuration layers: file ← environment ← flags.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { tempDir } from '../helpers/paths.js';

describe('alert configuration', () => {
  it('defaults: no channels, the real Bot API root', () => {
    const c = loadConfig({}, { env: {}, cwd: tempDir() });
    expect(c.telegramToken).toBe('');
    expect(c.telegramApiRoot).toBe('https://api.telegram.org');
    expect(c.webhookUrls).toEqual([]);
  });

  it('environment: comma-separated lists', () => {
    const c = loadConfig({}, {
      cwd: tempDir(),
      env: {
        POLYCONSOLE_TELEGRAM_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef',
        POLYCONSOLE_TELEGRAM_CHAT_IDS: '111, -100222',
        POLYCONSOLE_TELEGRAM_USER_IDS: '42',
        POLYCONSOLE_TELEGRAM_API_ROOT: 'http://127.0.0.1:9999',
        POLYCONSOLE_WEBHOOK_URLS: 'https://hooks.slack.com/services/a/b/c,https://discord.com/api/webhooks/1/x',
      },
    });
    expect(c.telegramChatIds).toEqual(['111', '-100222']);
    expect(c.telegramUserIds).toEqual(['42']);
    expect(c.telegramApiRoot).toBe('http://127.0.0.1:9999');
    expect(c.webhookUrls).toHaveLength(2);
  });

  it('file ids may be numbers; flags override the environment', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'polyconsole.config.json'), JSON.stringify({ telegramChatIds: [111, -100222], telegramUserIds: [42] }));
    const c = loadConfig({ telegramChatIds: ['333'] }, { cwd: dir, env: { POLYCONSOLE_TELEGRAM_USER_IDS: '7' } });
    expect(c.telegramChatIds).toEqual(['333']);
    expect(c.telegramUserIds).toEqual(['7']);
  });

  it('a group id is not a user id', () => {
    expect(() => loadConfig({}, { cwd: tempDir(), env: { POLYCONSOLE_TELEGRAM_USER_IDS: '-100222' } })).toThrow(/telegramUserIds \(environment\): expected positive integer user ids/);
  });
});
