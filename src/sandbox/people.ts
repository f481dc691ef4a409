// Who is in the sandbox: three staff (Dana and Arman, counsellors; Aliya, the admin) and
// the reporters r1, r2... The emulated Telegram starts empty on every run and numbers
// people in the order they are added, while Redis knows them by their Telegram ids (a
// reporter's case, a staff member's roster entry and shifts). So every run adds them
// again in the order they first appeared, kept in sandbox.json with their ids, and
// each gets their old id back. The sandbox clock's offset is kept there too, so time
// does not jump back at a restart.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { User } from 'grammy/types';
import { isLang, type CaseCode, type Lang } from '../shared/index.js';
import type { BotApiServer } from './bot-api/index.js';
import { writeAtomic } from './home.js';

export type StaffTag = 's' | 's2' | 'a';

/** The staff chat's people, by the tag you type them with. */
const staffCast: Record<StaffTag, { firstName: string; username: string; languageCode: string }> = {
  s: { firstName: 'Dana', username: 'dana_counsellor', languageCode: 'ru' },
  s2: { firstName: 'Arman', username: 'arman_k', languageCode: 'ru' },
  a: { firstName: 'Aliya', username: 'aliya_admin', languageCode: 'ru' },
};
const staffTags = Object.keys(staffCast) as StaffTag[];

export interface Reporter {
  name: string;
  lang: Lang;
  user: User;
  code?: CaseCode;
}

/** One person in sandbox.json: a staff tag, or a reporter with their phone's language. */
interface Entry {
  name: string;
  id?: number;
  lang?: Lang;
  code?: CaseCode;
}

export class People {
  readonly staff = {} as Record<StaffTag, User>;
  readonly reporters = new Map<string, Reporter>();
  /** reporter's user (and private chat) id -> their name */
  readonly names = new Map<number, string>();
  private readonly order: Array<{ name: string; id: number }> = [];

  private constructor(
    private readonly api: BotApiServer,
    private readonly file: string,
    private offset: number,
  ) {}

  /** Adds everyone an earlier run had, in the same order, so they keep their ids. */
  static restore(api: BotApiServer, home: string): People {
    const file = join(home, 'sandbox.json');
    const legacy = join(home, 'reporters.json');
    const saved = readState(file);
    let entries: Entry[];
    if (saved) {
      entries = [...saved.people, ...staffTags.filter((tag) => !saved.people.some((e) => e.name === tag)).map((name) => ({ name }))];
    } else {
      // Fresh, or written by a sandbox from before the roster: that one added Dana
      // first and then its reporters (reporters.json); Arman and Aliya come after them.
      entries = [{ name: 's' }, ...readLegacyReporters(legacy), { name: 's2' }, { name: 'a' }];
    }
    const people = new People(api, file, saved?.clockOffsetMs ?? 0);
    for (const entry of entries) {
      const { id } = isStaffTag(entry.name) ? people.addStaff(entry.name) : people.addReporter(entry.name, entry.lang ?? 'ru', entry.code, true).user;
      if (entry.id !== undefined && entry.id !== id) {
        throw new Error(
          `could not give ${entry.name} their Telegram id ${entry.id} back (the emulator gave ${id}); ${file} lists people in the order they were added`,
        );
      }
    }
    people.save();
    if (existsSync(legacy)) rmSync(legacy, { force: true });
    return people;
  }

  get clockOffset(): number {
    return this.offset;
  }

  set clockOffset(ms: number) {
    this.offset = ms;
    this.save();
  }

  /** `returning`: someone from an earlier run, who has written to the bot before. */
  addReporter(name: string, lang: Lang, code?: CaseCode, returning = false): Reporter {
    const user = this.api.addUser({ firstName: name, languageCode: lang, wroteToBot: returning });
    const r: Reporter = { name, lang, user, ...(code ? { code } : {}) };
    this.reporters.set(name, r);
    this.names.set(user.id, name);
    this.order.push({ name, id: user.id });
    return r;
  }

  /** The first message with a code is the receipt: remember whose case it is. */
  noteCode(reporter: Reporter, code: CaseCode): void {
    if (reporter.code) return;
    reporter.code = code;
    this.save();
  }

  /** Whose case `code` is, e.g. "r1 (kk)". */
  ownerOf(code: CaseCode): string | undefined {
    const r = [...this.reporters.values()].find((x) => x.code === code);
    return r && `${r.name} (${r.lang})`;
  }

  save(): void {
    const people = this.order.map(({ name, id }) => {
      const r = this.reporters.get(name);
      return r ? { name, id, lang: r.lang, ...(r.code ? { code: r.code } : {}) } : { name, id, as: this.staff[name as StaffTag]?.first_name };
    });
    writeAtomic(this.file, JSON.stringify({ people, clockOffsetMs: this.offset }, null, 1));
  }

  private addStaff(tag: StaffTag): User {
    const user = this.api.addUser(staffCast[tag]);
    this.staff[tag] = user;
    this.order.push({ name: tag, id: user.id });
    return user;
  }
}

const isStaffTag = (s: string): s is StaffTag => (staffTags as string[]).includes(s);

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // none yet (or unreadable): start afresh
  }
}

/** Entries that make sense, each name once; anything else is dropped. */
function entriesOf(raw: unknown): Entry[] {
  if (!Array.isArray(raw)) return [];
  const seen = new Set<string>();
  return raw.flatMap((e: { name?: unknown; id?: unknown; lang?: unknown; code?: unknown }): Entry[] => {
    if (typeof e?.name !== 'string' || seen.has(e.name)) return [];
    const reporter = /^r\d+$/.test(e.name) && isLang(e.lang);
    if (!reporter && !isStaffTag(e.name)) return [];
    seen.add(e.name);
    return [
      {
        name: e.name,
        ...(typeof e.id === 'number' ? { id: e.id } : {}),
        ...(reporter ? { lang: e.lang as Lang } : {}),
        ...(reporter && typeof e.code === 'string' ? { code: e.code as CaseCode } : {}),
      },
    ];
  });
}

function readState(file: string): { people: Entry[]; clockOffsetMs: number } | undefined {
  const raw = readJson(file) as { people?: unknown; clockOffsetMs?: unknown } | undefined;
  if (!raw || typeof raw !== 'object') return undefined;
  const offset = raw.clockOffsetMs;
  return { people: entriesOf(raw.people), clockOffsetMs: typeof offset === 'number' && Number.isFinite(offset) ? offset : 0 };
}

function readLegacyReporters(file: string): Entry[] {
  return entriesOf(readJson(file)).filter((e) => !isStaffTag(e.name));
}
