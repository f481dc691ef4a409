// The roster in Redis: three small hashes (staff, shifts, overrides). Rosters are tens
// of people, so a snapshot is read whole each time a case is routed: a change made in
// the staff chat (a removal above all) takes effect on the very next message.
import type { Redis } from 'ioredis';
import type { CounsellorId, DeskName, Lang, Weekday } from '../shared/index.js';
import { rosterKeys } from './redis-keys.js';

/**
 * A supervisor is a counsellor who may also open a case they do not hold (need-to-know
 * mode, /open). Oversight members read and answer, in their own chat, the reports about
 * the hotline's own staff, and nothing else.
 */
export const staffRoles = ['counsellor', 'supervisor', 'admin', 'oversight'] as const;
export type StaffRole = (typeof staffRoles)[number];

/**
 * The staff chats someone works in: oversight members in the oversight chat only; anyone
 * else in the chats the roster gives them (STAFF_CHATS), the main one by default.
 */
export function desksOf(c: Pick<Counsellor, 'role' | 'desks'>): readonly DeskName[] {
  if (c.role === 'oversight') return ['oversight'];
  const theirs = (c.desks ?? []).filter((d) => d !== 'oversight');
  return theirs.length ? theirs : ['main'];
}

export const inDesk = (c: Pick<Counsellor, 'role' | 'desks'>, desk: DeskName): boolean => desksOf(c).includes(desk);

export interface Counsellor {
  id: CounsellorId;
  role: StaffRole;
  /** languages they answer reports in; routing prefers a match */
  langs: Lang[];
  /** false once removed: no access, no routing, kept so the audit log can still name them */
  active: boolean;
  /** told at once about urgent cases and when an unacknowledged case runs out of counsellors */
  escalation: boolean;
  /** the staff chats they work in, when not only the main one (see desksOf) */
  desks?: DeskName[];
}

/** A weekly shift in local time. `end <= start` means it ends on the next day. */
export interface Shift {
  id: string;
  counsellor: CounsellorId;
  days: Weekday[];
  /** minutes since local midnight */
  start: number;
  /** minutes since local midnight, 1..1440 */
  end: number;
}

/** One-off change: `away` (holiday, sick leave, a shift given away) or `cover` (an extra duty). */
export interface Override {
  id: string;
  counsellor: CounsellorId;
  kind: 'away' | 'cover';
  from: number;
  to: number;
  /** how it was made: /away can be cancelled with `/away off`, swaps and imports cannot */
  via: 'away' | 'swap' | 'import';
}

export interface RosterSnapshot {
  staff: Counsellor[];
  shifts: Shift[];
  overrides: Override[];
}

/** A staff member as stored: the duty facts plus their identity, encrypted. */
export interface StaffRecord extends Counsellor {
  /** sealed {channel, address, name, username} (see StaffDirectory) */
  identity: string;
  addedAt: number;
}

/** What a roster holds; the seam the router reads through (tests may pass a fake). */
export interface RosterSource {
  snapshot(): Promise<RosterSnapshot>;
}

const SEEN_SECONDS = 30 * 24 * 3600;

function parseStaff(handle: string, json: string): StaffRecord | undefined {
  const v = JSON.parse(json) as Partial<StaffRecord> & { v?: number };
  if (v.v !== 1) return undefined; // written by a newer version: better unknown than misread
  return {
    id: handle as CounsellorId,
    role: staffRoles.includes(v.role as StaffRole) ? v.role! : 'counsellor',
    langs: v.langs ?? [],
    active: v.active === true,
    escalation: v.escalation === true,
    ...(Array.isArray(v.desks) && v.desks.length ? { desks: v.desks.filter((d): d is DeskName => typeof d === 'string') } : {}),
    identity: v.identity ?? '',
    addedAt: v.addedAt ?? 0,
  };
}

function staffJson(r: StaffRecord): string {
  const { id: _id, ...rest } = r;
  return JSON.stringify({ v: 1, ...rest });
}

function parseShift(id: string, json: string): Shift | undefined {
  const v = JSON.parse(json) as Partial<Shift> & { v?: number };
  if (v.v !== 1 || !v.counsellor || !Array.isArray(v.days)) return undefined;
  return { id, counsellor: v.counsellor, days: v.days, start: Number(v.start), end: Number(v.end) };
}

function parseOverride(id: string, json: string): Override | undefined {
  const v = JSON.parse(json) as Partial<Override> & { v?: number };
  if (v.v !== 1 || !v.counsellor || (v.kind !== 'away' && v.kind !== 'cover')) return undefined;
  return { id, counsellor: v.counsellor, kind: v.kind, from: Number(v.from), to: Number(v.to), via: v.via ?? 'away' };
}

const withoutId = <T extends { id: string }>(x: T) => {
  const { id: _id, ...rest } = x;
  return JSON.stringify({ v: 1, ...rest });
};

export class RosterStore implements RosterSource {
  constructor(private readonly redis: Redis) {}

  async snapshot(): Promise<RosterSnapshot> {
    const [staff, shifts, overrides] = await Promise.all([this.allStaff(), this.shifts(), this.overrides()]);
    return { staff: staff.map(({ identity: _i, addedAt: _a, ...c }) => c), shifts, overrides };
  }

  async allStaff(): Promise<StaffRecord[]> {
    const h = await this.redis.hgetall(rosterKeys.staff);
    return Object.entries(h).flatMap(([k, v]) => parseStaff(k, v) ?? []);
  }

  async staff(id: CounsellorId): Promise<StaffRecord | undefined> {
    const v = await this.redis.hget(rosterKeys.staff, id);
    return v ? parseStaff(id, v) : undefined;
  }

  async putStaff(record: StaffRecord): Promise<void> {
    await this.redis.hset(rosterKeys.staff, record.id, staffJson(record));
  }

  async isEmpty(): Promise<boolean> {
    return (await this.redis.hlen(rosterKeys.staff)) === 0;
  }

  /** Deactivates someone and drops their shifts and overrides in one step. */
  async deactivate(record: StaffRecord): Promise<void> {
    const [shifts, overrides] = await Promise.all([this.shifts(), this.overrides()]);
    const m = this.redis.multi().hset(rosterKeys.staff, record.id, staffJson({ ...record, active: false }));
    const shiftIds = shifts.filter((s) => s.counsellor === record.id).map((s) => s.id);
    const overrideIds = overrides.filter((o) => o.counsellor === record.id).map((o) => o.id);
    if (shiftIds.length) m.hdel(rosterKeys.shifts, ...shiftIds);
    if (overrideIds.length) m.hdel(rosterKeys.overrides, ...overrideIds);
    await m.exec();
  }

  async linkUsername(usernameHash: string, id: CounsellorId): Promise<void> {
    await this.redis.hset(rosterKeys.usernames, usernameHash, id);
  }

  async unlinkUsername(usernameHash: string): Promise<void> {
    await this.redis.hdel(rosterKeys.usernames, usernameHash);
  }

  async staffOfUsername(usernameHash: string): Promise<CounsellorId | undefined> {
    return ((await this.redis.hget(rosterKeys.usernames, usernameHash)) ?? undefined) as CounsellorId | undefined;
  }

  /** Remembers (encrypted, for 30 days) a member who wrote in the staff chat, so `/staff add @name` finds them. */
  async rememberSeen(usernameHash: string, sealedIdentity: string): Promise<void> {
    await this.redis.set(rosterKeys.seen(usernameHash), sealedIdentity, 'EX', SEEN_SECONDS);
  }

  async seen(usernameHash: string): Promise<string | undefined> {
    return (await this.redis.get(rosterKeys.seen(usernameHash))) ?? undefined;
  }

  async shifts(): Promise<Shift[]> {
    const h = await this.redis.hgetall(rosterKeys.shifts);
    return Object.entries(h).flatMap(([k, v]) => parseShift(k, v) ?? []);
  }

  async putShift(shift: Shift): Promise<void> {
    await this.redis.hset(rosterKeys.shifts, shift.id, withoutId(shift));
  }

  async removeShift(id: string): Promise<boolean> {
    return (await this.redis.hdel(rosterKeys.shifts, id)) === 1;
  }

  async overrides(): Promise<Override[]> {
    const h = await this.redis.hgetall(rosterKeys.overrides);
    return Object.entries(h).flatMap(([k, v]) => parseOverride(k, v) ?? []);
  }

  async putOverrides(overrides: Override[]): Promise<void> {
    if (!overrides.length) return;
    await this.redis.hset(rosterKeys.overrides, Object.fromEntries(overrides.map((o) => [o.id, withoutId(o)])));
  }

  async removeOverrides(ids: string[]): Promise<void> {
    if (ids.length) await this.redis.hdel(rosterKeys.overrides, ...ids);
  }

  /** Overrides that ended before `before` only clutter /roster: drop them. */
  async pruneOverrides(before: number): Promise<void> {
    const old = (await this.overrides()).filter((o) => o.to < before).map((o) => o.id);
    await this.removeOverrides(old);
  }

  /**
   * Makes the roster exactly what an import file says: its staff (others deactivated),
   * its shifts, and its overrides when the file has any to say.
   */
  async replace(staff: StaffRecord[], shifts: Shift[], overrides: Override[] | undefined, usernames: Map<string, CounsellorId>): Promise<void> {
    const existing = await this.allStaff();
    const keep = new Set(staff.map((s) => s.id));
    const m = this.redis.multi();
    for (const r of existing) if (!keep.has(r.id) && r.active) m.hset(rosterKeys.staff, r.id, staffJson({ ...r, active: false }));
    for (const r of staff) m.hset(rosterKeys.staff, r.id, staffJson(r));
    m.del(rosterKeys.shifts);
    if (shifts.length) m.hset(rosterKeys.shifts, Object.fromEntries(shifts.map((s) => [s.id, withoutId(s)])));
    if (overrides) {
      m.del(rosterKeys.overrides);
      if (overrides.length) m.hset(rosterKeys.overrides, Object.fromEntries(overrides.map((o) => [o.id, withoutId(o)])));
    }
    if (usernames.size) m.hset(rosterKeys.usernames, Object.fromEntries(usernames));
    await m.exec();
  }
}
