import { describe, expect, it } from 'vitest';
import { parseDate, parseDays, parseDuration, parseLangs, parseTimeRange } from '../../src/shared/command-args.js';
import { canMove, parseStatus } from '../../src/cases/lifecycle.js';

describe('command arguments', () => {
  it('durations', () => {
    expect(parseDuration('14d')).toBe(14 * 86_400_000);
    expect(parseDuration('1d12h')).toBe(36 * 3_600_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    for (const bad of ['', '14', 'd', '3x', '0d', '1.5h']) expect(parseDuration(bad)).toBeUndefined();
  });

  it('days in English, Russian and Kazakh, ranges wrapping over the weekend', () => {
    expect(parseDays('mon-fri')).toEqual([0, 1, 2, 3, 4]);
    expect(parseDays('пн-пт')).toEqual([0, 1, 2, 3, 4]);
    expect(parseDays('дс-жм')).toEqual([0, 1, 2, 3, 4]);
    expect(parseDays('sat,sun')).toEqual([5, 6]);
    expect(parseDays('fri-mon')).toEqual([0, 4, 5, 6]);
    expect(parseDays('daily')).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(parseDays('funday')).toBeUndefined();
  });

  it('time ranges, across midnight and to 24:00', () => {
    expect(parseTimeRange('09:00-18:00')).toEqual({ start: 540, end: 1080 });
    expect(parseTimeRange('18-9')).toEqual({ start: 1080, end: 540 });
    expect(parseTimeRange('00:00-24:00')).toEqual({ start: 0, end: 1440 });
    expect(parseTimeRange('20:00-00:00')).toEqual({ start: 1200, end: 1440 });
    for (const bad of ['9', '25:00-26:00', '09:00-09:00', '09:61-10:00']) expect(parseTimeRange(bad)).toBeUndefined();
  });

  it('dates, with and without a year', () => {
    const today = { y: 2025, m: 5, d: 12 };
    expect(parseDate('2025-05-20', today)).toEqual({ y: 2025, m: 5, d: 20 });
    expect(parseDate('20.05', today)).toEqual({ y: 2025, m: 5, d: 20 });
    expect(parseDate('10.01', today)).toEqual({ y: 2026, m: 1, d: 10 }); // already past this year
    expect(parseDate('31.02.2025', today)).toBeUndefined();
  });

  it('languages', () => {
    expect(parseLangs('kk,ru')).toEqual(['kk', 'ru']);
    expect(parseLangs('de')).toBeUndefined();
  });
});

describe('case lifecycle', () => {
  it('moves forward through the policy’s procedure; closed cases can be reopened', () => {
    expect(canMove('new', 'acknowledged')).toEqual({ ok: true });
    expect(canMove('acknowledged', 'investigation')).toEqual({ ok: true });
    expect(canMove('investigation', 'closed')).toEqual({ ok: true });
    expect(canMove('closed', 'under-consideration')).toEqual({ ok: true });
    expect(canMove('investigation', 'under-consideration')).toEqual({ ok: false, reason: 'backwards' });
    expect(canMove('acknowledged', 'new')).toEqual({ ok: false, reason: 'backwards' });
    expect(canMove('closed', 'closed')).toEqual({ ok: false, reason: 'same' });
    expect(canMove('new', 'withdrawn')).toEqual({ ok: false, reason: 'reporter-only' });
    expect(canMove('withdrawn', 'investigation')).toEqual({ ok: false, reason: 'withdrawn' });
  });

  it('understands a status by name or an unambiguous start', () => {
    expect(parseStatus('investigation')).toBe('investigation');
    expect(parseStatus('invest')).toBe('investigation');
    expect(parseStatus('measures')).toBe('measures-taken');
    expect(parseStatus('consideration')).toBe('under-consideration');
    expect(parseStatus('Under consideration')).toBe('under-consideration');
    expect(parseStatus('new')).toBeUndefined(); // staff cannot set it
    expect(parseStatus('x')).toBeUndefined();
  });
});
