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

  it('requires the staff chat and the first admins to run the bot', () => {
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: valid.TELEGRAM_BOT_TOKEN })).toThrow(/STAFF_CHAT_ID[\s\S]*STAFF_ADMIN_IDS/);
  });

  it('takes admins from STAFF_ADMIN_IDS, and from STAFF_USER_IDS on an install from before rosters', () => {
    const both = loadConfig({ ...valid, STAFF_ADMIN_IDS: '333' });
    expect([...both.staff.adminIds]).toEqual([333]);
    expect([...both.staff.userIds]).toEqual([111, 222]);
    expect([...loadConfig(valid).staff.adminIds]).toEqual([111, 222]);
    const { STAFF_USER_IDS: _legacy, ...adminsOnly } = { ...valid, STAFF_ADMIN_IDS: '333' };
    expect([...loadConfig(adminsOnly).staff.userIds]).toEqual([]);
  });

  it('reads the acknowledgement SLA as a duration, 15 min and 5 min when urgent by default', () => {
    expect(loadConfig(valid).sla).toEqual({ ackMs: 15 * 60_000, urgentAckMs: 5 * 60_000 });
    expect(loadConfig({ ...valid, SLA_ACK_AFTER: '1h', SLA_URGENT_ACK_AFTER: '90s' }).sla).toEqual({ ackMs: 3_600_000, urgentAckMs: 90_000 });
    expect(() => loadConfig({ ...valid, SLA_ACK_AFTER: 'soon' })).toThrow(/SLA_ACK_AFTER/);
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
});
