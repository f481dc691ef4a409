// The hotline's working calendar: which days count as working days (the week's working
// days, less public holidays) and when a time limit given in working days, days or hours
// ends, in the hotline's time zone. The policy's deadlines are counted on it.
import { addDays, HOUR, instantOf, isoDate, type LocalDate, localTimeOf, type Weekday, weekdayOf } from './zoned-time.js';

/** A time limit as the policy states it: "1 working day", "30 days", "4 hours". */
export type TimeLimit = { n: number; unit: 'working-days' | 'days' | 'hours' };

/** "1wd", "10wd", "30d", "4h" -> a TimeLimit; undefined when it does not read. */
export function parseTimeLimit(text: string): TimeLimit | undefined {
  const m = /^(\d{1,3})\s*(wd|d|h)$/i.exec(text.trim());
  if (!m || Number(m[1]) === 0) return undefined;
  const unit = { wd: 'working-days', d: 'days', h: 'hours' } as const;
  return { n: Number(m[1]), unit: unit[m[2]!.toLowerCase() as keyof typeof unit] };
}

export const formatTimeLimit = (l: TimeLimit): string => `${l.n}${{ 'working-days': 'wd', days: 'd', hours: 'h' }[l.unit]}`;

export class WorkingCalendar {
  /**
   * @param workdays the week's working days (0 = Monday)
   * @param holidays "YYYY-MM-DD" for one day, "MM-DD" for the same day every year
   */
  constructor(
    private readonly timeZone: string,
    private readonly workdays: readonly Weekday[],
    private readonly holidays: readonly string[] = [],
  ) {}

  isWorkingDay(date: LocalDate): boolean {
    const iso = isoDate(date);
    return this.workdays.includes(weekdayOf(date)) && !this.holidays.includes(iso) && !this.holidays.includes(iso.slice(5));
  }

  /**
   * When a limit that starts at `from` ends. Working days and days end with the last one
   * (midnight after it, local time): a report on Friday evening with "1 working day" is due
   * by the end of Monday, not Saturday. Hours are counted as they pass.
   */
  dueAt(from: number, limit: TimeLimit): number {
    if (limit.unit === 'hours') return from + limit.n * HOUR;
    let day: LocalDate = localTimeOf(from, this.timeZone);
    if (limit.unit === 'days') day = addDays(day, limit.n);
    else {
      // Days without a working day for a year mean a calendar that cannot be right: count days then.
      for (let left = limit.n, guard = 0; left > 0; guard++) {
        day = addDays(day, 1);
        if (this.isWorkingDay(day) || guard > 366) left--;
      }
    }
    return instantOf(addDays(day, 1), 0, this.timeZone);
  }
}

/** Hours a reporter asked not to be written to (/quiet 22:00-08:00): minutes since local midnight; end before start runs past midnight. */
export interface QuietHours {
  start: number;
  end: number;
}

/** When the quiet hours around `now` end, or undefined when `now` is outside them. */
export function quietUntil(now: number, timeZone: string, q: QuietHours): number | undefined {
  const local = localTimeOf(now, timeZone);
  const m = local.minutes;
  const inside = q.start < q.end ? m >= q.start && m < q.end : m >= q.start || m < q.end;
  if (!inside) return undefined;
  const day = q.start < q.end || m < q.end ? local : addDays(local, 1);
  return instantOf(day, q.end, timeZone);
}
