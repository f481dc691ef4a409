// Instants as people read them, in their language and the hotline's time zone.
import type { Lang } from '../shared/index.js';

const cache = new Map<string, Intl.DateTimeFormat>();

function fmt(lang: Lang, timeZone: string, style: 'when' | 'time' | 'day' | 'date'): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone}|${style}`;
  let f = cache.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      style === 'time'
        ? { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : style === 'day'
          ? { timeZone, weekday: 'short', day: 'numeric', month: 'short' }
          : style === 'date'
            ? { timeZone, day: 'numeric', month: 'long' }
            : { timeZone, weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' };
    f = new Intl.DateTimeFormat(lang, options);
    cache.set(key, f);
  }
  return f;
}

/** "Monday, 12 May at 09:00 GMT+5": for the reporter, who may be in another zone. */
export const formatWhen = (at: number, lang: Lang, timeZone: string) => fmt(lang, timeZone, 'when').format(at);

/** "09:00" */
export const formatTime = (at: number, lang: Lang, timeZone: string) => fmt(lang, timeZone, 'time').format(at);

/** "Mon, 12 May" */
export const formatDay = (at: number, lang: Lang, timeZone: string) => fmt(lang, timeZone, 'day').format(at);

/** "Mon, 12 May 09:00": staff are in the hotline's zone, so no zone name. */
export const formatDayTime = (at: number, lang: Lang, timeZone: string) => `${formatDay(at, lang, timeZone)} ${formatTime(at, lang, timeZone)}`;

/**
 * A deadline as people read it: one that ends a day (midnight after it) is that day,
 * "Tue, 9 Dec"; one at another hour is "Tue, 9 Dec 14:00". `reporter`: in long words,
 * "9 December" ("до 9 декабря": a weekday would not decline), or with the zone at an hour.
 */
export function formatDue(at: number, lang: Lang, timeZone: string, reporter = false): string {
  const endOfDay = formatTime(at, 'en', timeZone) === '00:00';
  if (!endOfDay) return reporter ? formatWhen(at, lang, timeZone) : formatDayTime(at, lang, timeZone);
  return reporter ? fmt(lang, timeZone, 'date').format(at - 1) : formatDay(at - 1, lang, timeZone);
}

const weekdayNames = new Map<string, Intl.DateTimeFormat>();

/** "Mon" for weekday 0, in `lang`. */
export function formatWeekday(weekday: number, lang: Lang): string {
  let f = weekdayNames.get(lang);
  if (!f) weekdayNames.set(lang, (f = new Intl.DateTimeFormat(lang, { weekday: 'short', timeZone: 'UTC' })));
  return f.format(Date.UTC(2024, 0, 1 + weekday)); // 1 January 2024 was a Monday
}

/** "Mon–Fri", "Sat, Sun", "Mon, Wed–Fri". */
export function formatDays(days: readonly number[], lang: Lang): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const runs: number[][] = [];
  for (const d of sorted) {
    const run = runs.at(-1);
    if (run && run.at(-1) === d - 1) run.push(d);
    else runs.push([d]);
  }
  return runs
    .map((r) => (r.length >= 3 ? `${formatWeekday(r[0]!, lang)}–${formatWeekday(r.at(-1)!, lang)}` : r.map((d) => formatWeekday(d, lang)).join(', ')))
    .join(', ');
}

/** How long ago, roughly ("5 min", "2 ч", "3 күн"): minutes under an hour, hours under two days, then days. */
export function formatAge(ms: number, lang: Lang): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const [unit, n] =
    minutes < 60
      ? (['minute', minutes] as const)
      : minutes < 48 * 60
        ? (['hour', Math.floor(minutes / 60)] as const)
        : (['day', Math.floor(minutes / 1440)] as const);
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short' }).format(n);
}
