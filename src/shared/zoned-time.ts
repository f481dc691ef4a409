// Wall-clock time in the hotline's time zone (IANA, e.g. Asia/Almaty), with nothing but
// Intl: shifts are written as local times ("Mon 09:00-18:00"), instants are epoch ms.

/** 0 = Monday ... 6 = Sunday (the university's week starts on Monday). */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;
export const weekdays = [0, 1, 2, 3, 4, 5, 6] as const satisfies readonly Weekday[];

export interface LocalDate {
  y: number;
  /** 1-12 */
  m: number;
  d: number;
}

export interface LocalTime extends LocalDate {
  weekday: Weekday;
  /** minutes since local midnight */
  minutes: number;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function fields(at: number, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatter(timeZone).formatToParts(at)) {
    if (p.type in out) out[p.type as keyof typeof out] = Number(p.value);
  }
  return out;
}

/** The zone's offset from UTC at an instant (positive east of Greenwich). */
export function offsetAt(at: number, timeZone: string): number {
  const f = fields(at, timeZone);
  const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return wall - Math.floor(at / 1000) * 1000;
}

export function localTimeOf(at: number, timeZone: string): LocalTime {
  const f = fields(at, timeZone);
  const date = { y: f.year, m: f.month, d: f.day };
  return { ...date, weekday: weekdayOf(date), minutes: f.hour * 60 + f.minute };
}

/**
 * The instant a local wall-clock time happens. A time skipped by a DST jump lands just
 * after the jump; a time that happens twice resolves to the later one.
 */
export function instantOf(date: LocalDate, minutes: number, timeZone: string): number {
  // Intl is slow (~1 µs per call, three calls here) and rosters ask for the same few
  // wall times over and over: remember them. Bounded, since dates keep coming.
  const key = `${timeZone}|${date.y}-${date.m}-${date.d}|${minutes}`;
  const known = instants.get(key);
  if (known !== undefined) return known;
  if (instants.size >= 20_000) instants.clear();
  const at = computeInstant(date, minutes, timeZone);
  instants.set(key, at);
  return at;
}

const instants = new Map<string, number>();

function computeInstant(date: LocalDate, minutes: number, timeZone: string): number {
  const wall = Date.UTC(date.y, date.m - 1, date.d, 0, minutes);
  const first = wall - offsetAt(wall, timeZone);
  const second = offsetAt(first, timeZone);
  return second === offsetAt(wall, timeZone) ? first : wall - second;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function weekdayOf(date: LocalDate): Weekday {
  return ((new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay() + 6) % 7) as Weekday;
}

export function startOfWeek(date: LocalDate): LocalDate {
  return addDays(date, -weekdayOf(date));
}

export function sameDate(a: LocalDate, b: LocalDate): boolean {
  return a.y === b.y && a.m === b.m && a.d === b.d;
}

/** "09:00" from minutes since midnight (1440 shows as 24:00). */
export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function isoDate(date: LocalDate): string {
  return `${date.y}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`;
}
