// The roster as a file an admin edits: YAML (everything) or CSV (one row per person,
// a column per weekday, for spreadsheets). Times are local to the hotline's zone.
// Parsing reports every problem with its place ("staff 3, languages: ..."), never a value.
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { languages, type Lang, hhmm, type Weekday, parseDays, parseLangs, parseTimeRange } from '../shared/index.js';
import { staffRoles, type StaffRole } from '../store/index.js';

export interface FileShift {
  days: Weekday[];
  start: number;
  end: number;
}

export interface FileStaff {
  telegramId: number;
  name: string;
  username?: string;
  role: StaffRole;
  languages: Lang[];
  escalation: boolean;
  active: boolean;
  shifts: FileShift[];
  /** the staff chats they work in (STAFF_CHATS names; `main` is the staff chat); absent: the main one */
  chats?: string[];
}

export interface FileOverride {
  telegramId: number;
  kind: 'away' | 'cover';
  /** local "YYYY-MM-DD HH:MM" */
  from: string;
  to: string;
}

export interface RosterFile {
  timeZone?: string;
  staff: FileStaff[];
  /** undefined: the file says nothing about overrides (CSV), so they are left as they are */
  overrides?: FileOverride[];
}

export class RosterFileError extends Error {
  override name = 'RosterFileError';
  constructor(readonly problems: string[]) {
    super(`The roster file has problems; nothing was imported:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const DAY_COLUMNS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const LOCAL = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$/;

/** "mon-fri 09:00-18:00" */
function parseShiftText(text: string): FileShift | undefined {
  const [days, range, extra] = text.trim().split(/\s+/);
  if (!days || !range || extra) return undefined;
  const d = parseDays(days);
  const r = parseTimeRange(range);
  return d && r ? { days: d, ...r } : undefined;
}

/** "mon-fri 09:00-18:00", "daily 18:00-09:00", "mon,wed 10:00-14:00" */
export function shiftText(s: FileShift): string {
  const days = [...new Set(s.days)].sort();
  const runs: number[][] = [];
  for (const d of days) {
    const run = runs.at(-1);
    if (run && run.at(-1) === d - 1) run.push(d);
    else runs.push([d]);
  }
  const text =
    days.length === 7
      ? 'daily'
      : runs.map((r) => (r.length >= 3 ? `${DAY_COLUMNS[r[0]!]}-${DAY_COLUMNS[r.at(-1)!]}` : r.map((d) => DAY_COLUMNS[d]).join(','))).join(',');
  return `${text} ${hhmm(s.start)}-${hhmm(s.end)}`;
}

const telegramId = z.coerce.number().int().positive();
const yamlSchema = z.object({
  timeZone: z.string().optional(),
  staff: z.array(
    z.object({
      telegramId,
      name: z.string().default(''),
      username: z
        .string()
        .regex(/^@?\w{3,32}$/, 'must be a Telegram username')
        .optional(),
      role: z.enum(staffRoles).default('counsellor'),
      languages: z.array(z.enum(languages)).default([]),
      escalation: z.boolean().default(false),
      active: z.boolean().default(true),
      chats: z.array(z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, 'must be a chat name from STAFF_CHATS, or main')).optional(),
      shifts: z.array(z.string()).default([]),
    }),
  ),
  overrides: z
    .array(
      z.object({
        telegramId,
        kind: z.enum(['away', 'cover']),
        from: z.string().regex(LOCAL, 'must be "YYYY-MM-DD HH:MM"'),
        to: z.string().regex(LOCAL, 'must be "YYYY-MM-DD HH:MM"'),
      }),
    )
    .optional(),
});

function check(model: RosterFile, problems: string[]): RosterFile {
  const seen = new Set<number>();
  model.staff.forEach((s, i) => {
    if (seen.has(s.telegramId)) problems.push(`staff ${i + 1}: the same telegramId appears twice`);
    seen.add(s.telegramId);
  });
  model.overrides?.forEach((o, i) => {
    if (!seen.has(o.telegramId)) problems.push(`overrides ${i + 1}: telegramId is not in staff`);
    if (o.to.replace(' ', 'T') <= o.from.replace(' ', 'T')) problems.push(`overrides ${i + 1}: "to" must be after "from"`);
  });
  if (problems.length) throw new RosterFileError(problems);
  return model;
}

export function parseYamlRoster(text: string): RosterFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new RosterFileError([`not valid YAML (${(err as Error).message.split('\n')[0]})`]);
  }
  const parsed = yamlSchema.safeParse(raw);
  if (!parsed.success) {
    throw new RosterFileError(parsed.error.issues.map((i) => `${placeOf(i.path)}: ${i.message}`));
  }
  const problems: string[] = [];
  const staff = parsed.data.staff.map((s, i): FileStaff => {
    const shifts = s.shifts.flatMap((text, j) => {
      const shift = parseShiftText(text);
      if (!shift) problems.push(`staff ${i + 1}, shift ${j + 1}: write it like "mon-fri 09:00-18:00"`);
      return shift ? [shift] : [];
    });
    return { ...s, username: s.username?.replace(/^@/, ''), shifts };
  });
  return check(
    { ...(parsed.data.timeZone ? { timeZone: parsed.data.timeZone } : {}), staff, ...(parsed.data.overrides ? { overrides: parsed.data.overrides } : {}) },
    problems,
  );
}

function placeOf(path: PropertyKey[]): string {
  const [list, index, field] = path;
  if (typeof index === 'number') return `${String(list)} ${index + 1}${field !== undefined ? `, ${String(field)}` : ''}`;
  return path.map(String).join('.') || '(file)';
}

export function parseCsvRoster(text: string): RosterFile {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new RosterFileError([`not valid CSV (${(err as Error).message.split('\n')[0]})`]);
  }
  const problems: string[] = [];
  const flag = (v: string | undefined, dflt: boolean) => (v === undefined || v === '' ? dflt : ['yes', 'true', '1', 'да', 'иә'].includes(v.toLowerCase()));
  const staff = rows.map((row, i): FileStaff => {
    const line = `row ${i + 2}`; // row 1 is the header
    const id = Number(row.telegram_id);
    if (!Number.isInteger(id) || id <= 0) problems.push(`${line}, telegram_id: must be a numeric Telegram user id`);
    const role = (row.role || 'counsellor').toLowerCase();
    const known = staffRoles.find((r) => r === role);
    if (!known) problems.push(`${line}, role: must be counsellor, supervisor or admin`);
    const langs = row.languages ? parseLangs(row.languages.replace(/\s+/g, ',')) : [];
    if (!langs) problems.push(`${line}, languages: must be kk, ru or en (comma-separated)`);
    const shifts: FileShift[] = [];
    DAY_COLUMNS.forEach((day, d) => {
      for (const range of (row[day] ?? '').split(/[\s;]+/).filter(Boolean)) {
        const r = parseTimeRange(range);
        if (!r) problems.push(`${line}, ${day}: write times like 09:00-18:00`);
        else shifts.push({ days: [d as Weekday], ...r });
      }
    });
    return {
      telegramId: id,
      name: row.name ?? '',
      ...(row.username ? { username: row.username.replace(/^@/, '') } : {}),
      role: known ?? 'counsellor',
      languages: langs ?? [],
      escalation: flag(row.escalation, false),
      active: flag(row.active, true),
      shifts: mergeDays(shifts),
    };
  });
  return check({ staff }, problems);
}

/** Shifts with the same hours on several days become one ("mon-fri 09:00-18:00"). */
function mergeDays(shifts: FileShift[]): FileShift[] {
  const byHours = new Map<string, FileShift>();
  for (const s of shifts) {
    const key = `${s.start}-${s.end}`;
    const found = byHours.get(key);
    if (found) found.days = [...new Set([...found.days, ...s.days])].sort();
    else byHours.set(key, { ...s, days: [...s.days] });
  }
  return [...byHours.values()];
}

const YAML_HEADER = `# Trustline duty roster. Times are local to timeZone; a shift like 18:00-09:00 runs past midnight.
# This file names staff and their Telegram ids: keep it private, and delete it once imported.
`;

export function toYaml(model: RosterFile): string {
  const doc = {
    ...(model.timeZone ? { timeZone: model.timeZone } : {}),
    staff: model.staff.map((s) => ({
      telegramId: s.telegramId,
      name: s.name,
      ...(s.username ? { username: s.username } : {}),
      role: s.role,
      languages: s.languages,
      escalation: s.escalation,
      active: s.active,
      ...(s.chats?.length ? { chats: s.chats } : {}),
      shifts: s.shifts.map(shiftText),
    })),
    overrides: model.overrides ?? [],
  };
  return YAML_HEADER + stringifyYaml(doc, { lineWidth: 0 });
}

export function toCsv(model: RosterFile): string {
  const rows = model.staff.map((s) => {
    const cells: Record<string, string> = {
      telegram_id: String(s.telegramId),
      name: s.name,
      username: s.username ?? '',
      role: s.role,
      languages: s.languages.join(','),
      escalation: s.escalation ? 'yes' : 'no',
      active: s.active ? 'yes' : 'no',
    };
    DAY_COLUMNS.forEach((day, d) => {
      cells[day] = s.shifts
        .filter((x) => x.days.includes(d as Weekday))
        .map((x) => `${hhmm(x.start)}-${hhmm(x.end)}`)
        .join(' ');
    });
    return cells;
  });
  return stringifyCsv(rows, { header: true, columns: ['telegram_id', 'name', 'username', 'role', 'languages', 'escalation', 'active', ...DAY_COLUMNS] });
}
