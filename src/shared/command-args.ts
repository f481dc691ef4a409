// The small languages inside staff commands: durations ("14d"), days ("mon-fri",
// "пн-пт"), time ranges ("09:00-18:00", "18-9"), dates ("2025-05-12", "12.05").
// Each parser returns undefined for anything it does not fully understand.
import { isLang, type Lang } from './ids.js';
import { DAY, HOUR, MINUTE, type LocalDate, type Weekday } from './zoned-time.js';

const UNITS: Record<string, number> = { s: 1000, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY };

/** "14d", "3h", "30m", "2w", "1d12h" -> ms. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (!/^(\d+[smhdw])+$/.test(t)) return undefined;
  let ms = 0;
  for (const [, n, unit] of t.matchAll(/(\d+)([smhdw])/g)) ms += Number(n) * UNITS[unit!]!;
  return ms > 0 ? ms : undefined;
}

/** Day names in English, Russian and Kazakh, full or short, Monday first. */
const DAY_NAMES: readonly string[][] = [
  ['mon', 'monday', 'mo', 'пн', 'понедельник', 'дс', 'дүйсенбі'],
  ['tue', 'tuesday', 'tu', 'вт', 'вторник', 'сс', 'сейсенбі'],
  ['wed', 'wednesday', 'we', 'ср', 'среда', 'сәрсенбі'],
  ['thu', 'thursday', 'th', 'чт', 'четверг', 'бс', 'бейсенбі'],
  ['fri', 'friday', 'fr', 'пт', 'пятница', 'жм', 'жұма'],
  ['sat', 'saturday', 'sa', 'сб', 'суббота', 'сн', 'сенбі'],
  ['sun', 'sunday', 'su', 'вс', 'воскресенье', 'жс', 'жексенбі'],
];

function dayOf(word: string): Weekday | undefined {
  const w = word.trim().toLowerCase();
  const i = DAY_NAMES.findIndex((names) => names.includes(w));
  return i < 0 ? undefined : (i as Weekday);
}

/** "mon", "mon-fri", "sat,sun", "fri-mon" (wraps), "daily" -> weekdays. */
export function parseDays(text: string): Weekday[] | undefined {
  const t = text.trim().toLowerCase();
  if (['daily', 'every', 'all', 'ежедневно', 'күнделікті'].includes(t)) return [0, 1, 2, 3, 4, 5, 6];
  const out = new Set<Weekday>();
  for (const part of t.split(',')) {
    const range = part.split(/[-–]/);
    if (range.length === 1) {
      const d = dayOf(range[0]!);
      if (d === undefined) return undefined;
      out.add(d);
    } else if (range.length === 2) {
      const a = dayOf(range[0]!);
      const b = dayOf(range[1]!);
      if (a === undefined || b === undefined) return undefined;
      for (let d = a; ; d = ((d + 1) % 7) as Weekday) {
        out.add(d);
        if (d === b) break;
      }
    } else return undefined;
  }
  return out.size ? [...out].sort() : undefined;
}

function clock(text: string): number | undefined {
  const m = /^(\d{1,2})(?:[:.](\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return undefined;
  return h * 60 + min;
}

/** "09:00-18:00", "9-18", "18:00-09:00" (crosses midnight), "00:00-24:00" -> minutes. */
export function parseTimeRange(text: string): { start: number; end: number } | undefined {
  const parts = text.split(/[-–]/);
  if (parts.length !== 2) return undefined;
  const start = clock(parts[0]!);
  const end = clock(parts[1]!);
  if (start === undefined || end === undefined || start === 1440 || start === end) return undefined;
  return { start, end: end === 0 ? 1440 : end };
}

/** "2025-05-12", "12.05.2025", "12.05" (this year, or next if already past) -> a date. */
export function parseDate(text: string, today: LocalDate): LocalDate | undefined {
  const t = text.trim();
  let y: number;
  let m: number;
  let d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const dotted = /^(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?$/.exec(t);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (dotted) {
    [d, m] = [Number(dotted[1]), Number(dotted[2])];
    y = dotted[3] ? Number(dotted[3]) : today.y;
    if (!dotted[3] && (m < today.m || (m === today.m && d < today.d))) y += 1;
  } else return undefined;
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return undefined;
  return { y, m, d };
}

/** "kk,ru" -> ['kk', 'ru']. */
export function parseLangs(text: string): Lang[] | undefined {
  const parts = text
    .toLowerCase()
    .split(/[,+/]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!parts.length || !parts.every(isLang)) return undefined;
  return [...new Set(parts)];
}
