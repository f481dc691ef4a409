// The working calendar the policy's deadlines are counted on: weekends and holidays are
// skipped, a limit in working days or days ends at midnight after its last day.
import { describe, expect, it } from 'vitest';
import { parseTimeLimit, quietUntil, WorkingCalendar } from '../../src/shared/calendar.js';
import { almaty } from '../support/duty.js';

const MON_FRI = [0, 1, 2, 3, 4] as const;
const calendar = new WorkingCalendar('Asia/Almaty', MON_FRI, ['12-16', '2025-06-06']);
const due = (from: string, limit: string) => calendar.dueAt(almaty(from), parseTimeLimit(limit)!);

describe('the working calendar', () => {
  it('reads limits as the policy states them', () => {
    expect(parseTimeLimit('1wd')).toEqual({ n: 1, unit: 'working-days' });
    expect(parseTimeLimit(' 30d ')).toEqual({ n: 30, unit: 'days' });
    expect(parseTimeLimit('4H')).toEqual({ n: 4, unit: 'hours' });
    for (const bad of ['', '0wd', 'wd', '1w', '1 week', '-1d', '1000d']) expect(parseTimeLimit(bad)).toBeUndefined();
  });

  it('gives a report on Friday evening one working day: until the end of Monday', () => {
    expect(due('2025-05-16T19:30', '1wd')).toBe(almaty('2025-05-20T00:00'));
    // On Saturday too: the weekend is no working day.
    expect(due('2025-05-17T10:00', '1wd')).toBe(almaty('2025-05-20T00:00'));
    expect(due('2025-05-12T09:00', '1wd')).toBe(almaty('2025-05-14T00:00'));
  });

  it('skips holidays, every year’s (MM-DD) and one year’s (YYYY-MM-DD)', () => {
    // Tuesday 16 December is Independence Day: Monday's working day ends Wednesday.
    expect(due('2025-12-15T12:00', '1wd')).toBe(almaty('2025-12-18T00:00'));
    expect(due('2026-12-15T12:00', '1wd')).toBe(almaty('2026-12-18T00:00'));
    // Friday 6 June 2025 (Kurban Ait that year), but not 2026's.
    expect(due('2025-06-05T12:00', '1wd')).toBe(almaty('2025-06-10T00:00'));
    expect(due('2026-06-04T12:00', '1wd')).toBe(almaty('2026-06-06T00:00'));
  });

  it('counts ten working days over two weekends, days and hours as they come', () => {
    expect(due('2025-05-16T17:00', '10wd')).toBe(almaty('2025-05-31T00:00'));
    expect(due('2025-05-16T17:00', '30d')).toBe(almaty('2025-06-16T00:00'));
    expect(due('2025-05-16T17:00', '4h')).toBe(almaty('2025-05-16T21:00'));
  });

  it('counts calendar days where no day of the week is a working day, rather than never ending', () => {
    const never = new WorkingCalendar('Asia/Almaty', []);
    expect(never.dueAt(almaty('2025-05-16T17:00'), { n: 1, unit: 'working-days' })).toBeGreaterThan(almaty('2025-05-16T17:00'));
  });
});

describe('quiet hours', () => {
  const night = { start: 22 * 60, end: 8 * 60 };
  const until = (at: string, q = night) => quietUntil(almaty(at), 'Asia/Almaty', q);

  it('end the next morning when they run past midnight, whichever side of it it is now', () => {
    expect(until('2025-05-16T23:30')).toBe(almaty('2025-05-17T08:00'));
    expect(until('2025-05-17T03:00')).toBe(almaty('2025-05-17T08:00'));
    expect(until('2025-05-16T22:00')).toBe(almaty('2025-05-17T08:00'));
  });

  it('do not hold anything outside them', () => {
    expect(until('2025-05-16T08:00')).toBeUndefined();
    expect(until('2025-05-16T21:59')).toBeUndefined();
    expect(until('2025-05-16T12:00', { start: 13 * 60, end: 14 * 60 })).toBeUndefined();
    expect(until('2025-05-16T13:30', { start: 13 * 60, end: 14 * 60 })).toBe(almaty('2025-05-16T14:00'));
  });
});
