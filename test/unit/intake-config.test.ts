import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

const valid = {
  TELEGRAM_BOT_TOKEN: '123456:AAEabcdefghijklmnopqrstuvwxyz',
  STAFF_CHAT_ID: '-1001234567890',
  STAFF_USER_IDS: '111',
};

describe('intake configuration', () => {
  it('has safe defaults', () => {
    const { intake } = loadConfig(valid);
    expect(intake.emergencyNumbers).toEqual(['112', '102', '103', '111', '150']);
    expect(intake.riskWords).toEqual({});
    expect(intake.remindAfterMs).toBe(3_600_000);
    expect(intake.expireAfterMs).toBe(86_400_000);
    expect(intake.evidence).toEqual({ maxBytes: 20 * 1024 * 1024, maxFiles: 10 });
    expect(intake.resumeMaxAttempts).toBe(5);
    expect(intake.flood).toEqual({ burst: 20, perMinute: 30 });
  });

  it('reads numbers, word lists, durations and sizes', () => {
    const { intake } = loadConfig({
      ...valid,
      EMERGENCY_NUMBERS: '112, 1414',
      RISK_WORDS_RU: 'Пожар*, взрыв',
      INTAKE_REMIND_AFTER: '90s',
      INTAKE_EXPIRE_AFTER: '2d',
      EVIDENCE_MAX_BYTES: '5MB',
      EVIDENCE_MAX_FILES: '3',
      RESUME_MAX_ATTEMPTS: '2',
      REPORTER_BURST: '5',
      REPORTER_PER_MINUTE: '12',
    });
    expect(intake.emergencyNumbers).toEqual(['112', '1414']);
    expect(intake.riskWords).toEqual({ ru: ['пожар*', 'взрыв'] });
    expect([intake.remindAfterMs, intake.expireAfterMs]).toEqual([90_000, 172_800_000]);
    expect(intake.evidence).toEqual({ maxBytes: 5 * 1024 * 1024, maxFiles: 3 });
    expect(intake.resumeMaxAttempts).toBe(2);
    expect(intake.flood).toEqual({ burst: 5, perMinute: 12 });
  });

  it('names every bad value at once', () => {
    let error: unknown;
    try {
      loadConfig({
        ...valid,
        EMERGENCY_NUMBERS: 'call 112',
        INTAKE_REMIND_AFTER: 'soon',
        EVIDENCE_MAX_BYTES: '50MB',
        RISK_WORDS_EN: ' , ',
        REPORTER_BURST: '0',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    for (const name of ['EMERGENCY_NUMBERS', 'INTAKE_REMIND_AFTER', 'EVIDENCE_MAX_BYTES', 'RISK_WORDS_EN', 'REPORTER_BURST']) expect(text).toContain(name);
    expect(() => loadConfig({ ...valid, INTAKE_REMIND_AFTER: '2h', INTAKE_EXPIRE_AFTER: '1h' })).toThrow(/INTAKE_REMIND_AFTER: must be shorter/);
  });
});
