import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const valid = {
  TELEGRAM_BOT_TOKEN: '123456:AAEabcdefghijklmnopqrstuvwxyz',
  STAFF_CHAT_ID: '-1001234567890',
  STAFF_USER_IDS: '111, 222',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

describe('config', () => {
  it('parses a valid environment with defaults', () => {
    const c = loadConfig(valid);
    expect(c.telegram.apiRoot).toBe('https://api.telegram.org');
    expect(c.telegram.mode).toBe('polling');
    expect(c.staff.chatId).toBe(-1001234567890);
    expect([...c.staff.userIds]).toEqual([111, 222]);
    expect(c.staff.threading).toBe('auto');
    expect(c.timeZone).toBe('Asia/Almaty');
    expect(c.keysDir).toBe('./keys');
    expect(c.redis.allowVolatile).toBe(false);
  });

  it('names every missing or malformed variable, without echoing values', () => {
    let error: unknown;
    try {
      loadConfig({ TELEGRAM_BOT_TOKEN: 'not-a-token-secret', STAFF_THREADING: 'sideways', TZ: 'Mars/Olympus', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['TELEGRAM_BOT_TOKEN', 'STAFF_THREADING', 'TZ', 'LOG_LEVEL']) expect(message).toContain(name);
    expect(message).not.toContain('not-a-token-secret');
  });

  it('requires the staff chat and staff list to run the bot', () => {
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: valid.TELEGRAM_BOT_TOKEN })).toThrow(/STAFF_CHAT_ID[\s\S]*STAFF_USER_IDS/);
  });

  it('does not require a bot token for key management', () => {
    expect(loadConfig({ TRUSTLINE_KEYS_DIR: '/tmp/k' }, []).keysDir).toBe('/tmp/k');
  });

  it('requires a webhook URL and secret in webhook mode', () => {
    expect(() => loadConfig({ ...valid, TELEGRAM_MODE: 'webhook' })).toThrow(/WEBHOOK_URL[\s\S]*WEBHOOK_SECRET/);
  });

  it('rejects a positive staff chat id (that is a person, not a group)', () => {
    expect(() => loadConfig({ ...valid, STAFF_CHAT_ID: '12345' })).toThrow(/STAFF_CHAT_ID/);
  });

  it('keeps to Telegram\'s flood limits unless told the Bot API server has none', () => {
    expect(loadConfig(valid).telegram.limits).toEqual({ globalPerSecond: 30, chatPerSecond: 1, groupPerMinute: 20, minuteMs: 60_000 });
    expect(loadConfig({ ...valid, TELEGRAM_GROUP_PER_MINUTE: '15' }).telegram.limits?.groupPerMinute).toBe(15);
    expect(loadConfig({ ...valid, TELEGRAM_RATE_LIMITS: 'off' }).telegram.limits).toBeUndefined();
    expect(() => loadConfig({ ...valid, TELEGRAM_RATE_LIMITS: 'maybe' })).toThrow(/TELEGRAM_RATE_LIMITS/);
  });
});
