import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, stageNames } from '../../src/config/config.js';
import { caseStatuses } from '../../src/store/cases.js';

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

  it("reads the policy's time limits per stage, the working week and the holidays, with Kazakhstan's fixed holidays by default", () => {
    const c = loadConfig(valid);
    expect(c.deadlines.limits).toEqual({
      new: { n: 1, unit: 'working-days' },
      acknowledged: { n: 10, unit: 'working-days' },
      'under-consideration': { n: 10, unit: 'working-days' },
      investigation: { n: 30, unit: 'days' },
    });
    expect(c.deadlines.workdays).toEqual([0, 1, 2, 3, 4]);
    expect(c.deadlines.holidays).toContain('12-16');
    const set = loadConfig({
      ...valid,
      CASE_DEADLINES: 'new=4h, investigation=20wd',
      WORKING_DAYS: 'mon-sat',
      HOLIDAYS: '2026-05-27,03-22',
      DEADLINE_REMIND_BEFORE: '2h',
    });
    expect(set.deadlines).toEqual({
      limits: { new: { n: 4, unit: 'hours' }, investigation: { n: 20, unit: 'working-days' } },
      workdays: [0, 1, 2, 3, 4, 5],
      holidays: ['2026-05-27', '03-22'],
      remindBeforeMs: 2 * 3600_000,
    });
    expect(() => loadConfig({ ...valid, CASE_DEADLINES: 'closed=1d' })).toThrow(/CASE_DEADLINES[\s\S]*closed=1d/);
    expect(() => loadConfig({ ...valid, CASE_DEADLINES: 'new=soon' })).toThrow(/CASE_DEADLINES/);
    expect(() => loadConfig({ ...valid, HOLIDAYS: '16 December' })).toThrow(/HOLIDAYS/);
    expect(() => loadConfig({ ...valid, WORKING_DAYS: 'weekdays-ish' })).toThrow(/WORKING_DAYS/);
  });

  it('names the same stages as a case has statuses (config may not import the store)', () => {
    expect([...stageNames, 'closed', 'withdrawn'].sort()).toEqual([...caseStatuses].sort());
  });

  it('serves /healthz and /metrics only when HEALTH_PORT is set, on loopback unless HEALTH_HOST says otherwise', () => {
    expect(loadConfig(valid).health).toBeUndefined();
    expect(loadConfig({ ...valid, HEALTH_PORT: '9464' }).health).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(loadConfig({ ...valid, HEALTH_PORT: '9464', HEALTH_HOST: '0.0.0.0' }).health).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(() => loadConfig({ ...valid, HEALTH_PORT: 'metrics' })).toThrow(/HEALTH_PORT/);
    expect(() => loadConfig({ ...valid, HEALTH_PORT: '70000' })).toThrow(/HEALTH_PORT/);
  });

  it('does not require a bot token for key management', () => {
    expect(loadConfig({ TRUSTLINE_KEYS_DIR: '/tmp/k' }, []).keysDir).toBe('/tmp/k');
  });

  it('requires a webhook URL and secret in webhook mode', () => {
    expect(() => loadConfig({ ...valid, TELEGRAM_MODE: 'webhook' })).toThrow(/WEBHOOK_URL[\s\S]*WEBHOOK_SECRET/);
  });

  it('runs every role unless TRUSTLINE_ROLES splits them', () => {
    expect([...loadConfig(valid).roles]).toEqual(['telegram', 'whatsapp', 'workers']);
    expect([...loadConfig({ ...valid, TRUSTLINE_ROLES: 'workers' }).roles]).toEqual(['workers']);
    expect([...loadConfig({ ...valid, TRUSTLINE_ROLES: ' workers , telegram ' }).roles].sort()).toEqual(['telegram', 'workers']);
  });

  it('names TRUSTLINE_ROLES when it lists something that is not a role', () => {
    for (const bad of ['worker', 'telegram,polling', 'updates', 'telegram,', 'all']) {
      let error: unknown;
      try {
        loadConfig({ ...valid, TRUSTLINE_ROLES: bad });
      } catch (err) {
        error = err;
      }
      expect(error, bad).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'TRUSTLINE_ROLES: must be a comma-separated list of telegram, whatsapp and workers (e.g. telegram,whatsapp)',
      ]);
    }
  });

  it('asks only a process taking Telegram updates for the webhook it serves', () => {
    for (const roles of ['workers', 'whatsapp', 'whatsapp,workers']) {
      expect(loadConfig({ ...valid, TELEGRAM_MODE: 'webhook', TRUSTLINE_ROLES: roles }).telegram.webhook, roles).toBeUndefined();
    }
    expect(() => loadConfig({ ...valid, TELEGRAM_MODE: 'webhook', TRUSTLINE_ROLES: 'telegram' })).toThrow(/WEBHOOK_URL[\s\S]*WEBHOOK_SECRET/);
    const full = { ...valid, TELEGRAM_MODE: 'webhook', WEBHOOK_URL: 'https://example.org/tg', WEBHOOK_SECRET: 'secret-0123456789abcdef' };
    expect(loadConfig({ ...full, TRUSTLINE_ROLES: 'workers' }).telegram.webhook).toBeUndefined();
    expect(loadConfig({ ...full, TRUSTLINE_ROLES: 'telegram' }).telegram.webhook?.url).toBe('https://example.org/tg');
  });

  it('rejects a positive staff chat id (that is a person, not a group)', () => {
    expect(() => loadConfig({ ...valid, STAFF_CHAT_ID: '12345' })).toThrow(/STAFF_CHAT_ID/);
  });

  it('has no WhatsApp lines unless WHATSAPP_NUMBERS names them', () => {
    const c = loadConfig(valid);
    expect(c.whatsapp.lines).toEqual([]);
    expect(c.whatsapp.chromiumPath).toBe('/usr/bin/chromium');
    expect(c.whatsapp.headless).toBe(true);
    const wa = loadConfig({ ...valid, WHATSAPP_NUMBERS: 'line1, line2,line1', WHATSAPP_RESTART_HOURS: '0', WHATSAPP_HEADLESS: 'false' });
    expect(wa.whatsapp.lines).toEqual(['line1', 'line2']);
    expect(wa.whatsapp.restartHours).toBe(0);
    expect(wa.whatsapp.headless).toBe(false);
  });

  it('refuses phone numbers as line names without echoing them', () => {
    for (const numbers of ['+77011234567', '77011234567', 'line1,87011234567']) {
      let error: unknown;
      try {
        loadConfig({ ...valid, WHATSAPP_NUMBERS: numbers });
      } catch (err) {
        error = err;
      }
      expect((error as Error).message, numbers).toContain('WHATSAPP_NUMBERS');
      expect((error as Error).message).not.toContain('7011234567');
    }
  });
});

describe('config: keys, retention and report', () => {
  it('defaults: shred 365 days after closing, intake state 7 days, cells below 5 suppressed, 24 h first-answer SLA', () => {
    const c = loadConfig(valid);
    expect(c.retention).toEqual({ closedDays: 365, intakeDays: 7, schedule: '30 3 * * *', auditDays: 400 });
    expect(c.report).toEqual({ minCell: 5, firstAnswerSlaHours: 24 });
    expect(c.keyPassphrase).toBeUndefined();
  });

  it('reads them from the environment and refuses nonsense, naming the variable', () => {
    const c = loadConfig({ ...valid, RETENTION_CLOSED_DAYS: '730', REPORT_MIN_CELL: '10', TRUSTLINE_KEY_PASSPHRASE: 'long enough phrase' });
    expect(c.retention.closedDays).toBe(730);
    expect(c.report.minCell).toBe(10);
    expect(c.keyPassphrase).toBe('long enough phrase');
    expect(() => loadConfig({ ...valid, REPORT_MIN_CELL: '1', RETENTION_INTAKE_DAYS: '0' })).toThrow(
      /REPORT_MIN_CELL[\s\S]*RETENTION_INTAKE_DAYS|RETENTION_INTAKE_DAYS[\s\S]*REPORT_MIN_CELL/,
    );
  });

  it("keeps to Telegram's flood limits unless told the Bot API server has none", () => {
    expect(loadConfig(valid).telegram.limits).toEqual({ globalPerSecond: 30, chatPerSecond: 1, groupPerMinute: 20, minuteMs: 60_000 });
    expect(loadConfig({ ...valid, TELEGRAM_GROUP_PER_MINUTE: '15' }).telegram.limits?.groupPerMinute).toBe(15);
    expect(loadConfig({ ...valid, TELEGRAM_RATE_LIMITS: 'off' }).telegram.limits).toBeUndefined();
    expect(() => loadConfig({ ...valid, TELEGRAM_RATE_LIMITS: 'maybe' })).toThrow(/TELEGRAM_RATE_LIMITS/);
  });
});
