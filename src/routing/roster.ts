// The duty roster as a value: who is staff, their weekly shifts and one-off overrides,
// and the answer to "who is on duty at this instant?". Pure: the store loads a
// snapshot, the caller passes the time, so every rule is tested with plain inputs.
import { type CounsellorId, type DeskName, addDays, DAY, instantOf, localTimeOf, MINUTE, weekdayOf } from '../shared/index.js';
import { type Counsellor, inDesk, type Override, type RosterSnapshot, type Shift } from '../store/index.js';

// The roster's stored shapes are the store's (store/roster.ts); this is their home in the domain.
export { desksOf, inDesk, staffRoles, type Counsellor, type Override, type RosterSnapshot, type Shift, type StaffRole } from '../store/index.js';

/** A stretch of time one counsellor is on duty. */
export interface DutySpan {
  counsellor: CounsellorId;
  from: number;
  to: number;
}

/** How far ahead "when does the next shift start?" looks. */
export const LOOKAHEAD_MS = 15 * DAY;

/** Duration of a shift in minutes; `end <= start` crosses midnight. */
export function shiftMinutes(shift: Pick<Shift, 'start' | 'end'>): number {
  return shift.end > shift.start ? shift.end - shift.start : shift.end + 1440 - shift.start;
}

export class Roster {
  private readonly byId: Map<CounsellorId, Counsellor>;

  constructor(
    readonly snapshot: RosterSnapshot,
    readonly timeZone: string,
  ) {
    this.byId = new Map(snapshot.staff.map((c) => [c.id, c]));
  }

  /**
   * The people of one staff chat, with their shifts and overrides: the oversight chat's
   * members are routed only its cases, and never counted on duty in the main chat.
   */
  forDesk(desk: DeskName): Roster {
    const staff = this.snapshot.staff.filter((c) => inDesk(c, desk));
    const ids = new Set(staff.map((c) => c.id));
    const theirs = <T extends { counsellor: CounsellorId }>(xs: T[]) => xs.filter((x) => ids.has(x.counsellor));
    return new Roster({ staff, shifts: theirs(this.snapshot.shifts), overrides: theirs(this.snapshot.overrides) }, this.timeZone);
  }

  member(id: CounsellorId): Counsellor | undefined {
    return this.byId.get(id);
  }

  get active(): Counsellor[] {
    return this.snapshot.staff.filter((c) => c.active);
  }

  /**
   * Until an admin adds the first shift there is no rota to honour: every active
   * counsellor counts as on duty (as before rosters existed), admins only if there
   * are no counsellors.
   */
  get hasRota(): boolean {
    return this.snapshot.shifts.length > 0 || this.snapshot.overrides.some((o) => o.kind === 'cover');
  }

  /** Escalation contacts: those flagged as such, or all admins when nobody is. */
  escalationContacts(): Counsellor[] {
    const flagged = this.active.filter((c) => c.escalation);
    return flagged.length ? flagged : this.admins();
  }

  admins(): Counsellor[] {
    return this.active.filter((c) => c.role === 'admin');
  }

  /**
   * Every duty span overlapping [from, to): weekly shifts and covers of active staff,
   * minus their away periods, with touching spans of one person merged.
   */
  spans(from: number, to: number): DutySpan[] {
    const raw: DutySpan[] = [];
    const first = addDays(localTimeOf(from, this.timeZone), -1); // yesterday's shift may run past midnight
    const last = localTimeOf(to, this.timeZone);
    const days = Math.round((Date.UTC(last.y, last.m - 1, last.d) - Date.UTC(first.y, first.m - 1, first.d)) / DAY);
    for (let i = 0; i <= days; i++) {
      const date = addDays(first, i);
      const weekday = weekdayOf(date);
      for (const shift of this.snapshot.shifts) {
        if (!shift.days.includes(weekday)) continue;
        const start = instantOf(date, shift.start, this.timeZone);
        // The end is a wall-clock time too: a shift over a DST change is an hour shorter or longer.
        const endDate = shift.end > shift.start ? date : addDays(date, 1);
        const end = instantOf(endDate, shift.end, this.timeZone);
        raw.push({ counsellor: shift.counsellor, from: start, to: end });
      }
    }
    for (const o of this.snapshot.overrides) if (o.kind === 'cover') raw.push({ counsellor: o.counsellor, from: o.from, to: o.to });

    const aways = this.snapshot.overrides.filter((o) => o.kind === 'away');
    const pieces = raw
      .filter((s) => this.byId.get(s.counsellor)?.active && s.to > from && s.from < to && s.from < s.to)
      .flatMap((s) =>
        subtract(
          s,
          aways.filter((a) => a.counsellor === s.counsellor),
        ),
      );
    return merge(pieces);
  }

  /** Who is on duty at `at`. */
  onDuty(at: number): Counsellor[] {
    if (!this.hasRota) {
      const counsellors = this.active.filter((c) => c.role !== 'admin'); // supervisors take cases too
      return counsellors.length ? counsellors : this.admins();
    }
    const ids = new Set(
      this.spans(at, at + MINUTE)
        .filter((s) => s.from <= at && at < s.to)
        .map((s) => s.counsellor),
    );
    return this.active.filter((c) => ids.has(c.id));
  }

  /** The span each on-duty counsellor is in at `at` (for "until 18:00"); a week ahead is read so back-to-back shifts merge. */
  currentSpans(at: number): DutySpan[] {
    return this.spans(at, at + 8 * DAY).filter((s) => s.from <= at && at < s.to);
  }

  /**
   * The next moment after `at` when someone not on duty just before comes on duty,
   * and who. With `exclude`, people who must not get this case are ignored.
   */
  nextStart(at: number, exclude: ReadonlySet<CounsellorId> = new Set()): { at: number; counsellors: CounsellorId[] } | undefined {
    if (!this.hasRota) return undefined;
    const spans = this.spans(at, at + LOOKAHEAD_MS).filter((s) => s.from > at && !exclude.has(s.counsellor));
    if (!spans.length) return undefined;
    const when = Math.min(...spans.map((s) => s.from));
    return { at: when, counsellors: [...new Set(spans.filter((s) => s.from === when).map((s) => s.counsellor))] };
  }
}

/** A span minus away periods: zero, one or more pieces. */
function subtract(span: DutySpan, aways: Override[]): DutySpan[] {
  let pieces = [span];
  for (const a of aways) {
    pieces = pieces.flatMap((p) => {
      if (a.to <= p.from || a.from >= p.to) return [p];
      const out: DutySpan[] = [];
      if (a.from > p.from) out.push({ ...p, to: a.from });
      if (a.to < p.to) out.push({ ...p, from: a.to });
      return out;
    });
  }
  return pieces;
}

/** Overlapping or touching spans of the same person become one ("18:00-09:00", not two pieces). */
function merge(spans: DutySpan[]): DutySpan[] {
  const sorted = [...spans].sort((a, b) => (a.counsellor < b.counsellor ? -1 : a.counsellor > b.counsellor ? 1 : a.from - b.from));
  const out: DutySpan[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && last.counsellor === s.counsellor && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push({ ...s });
  }
  return out.sort((a, b) => a.from - b.from || (a.counsellor < b.counsellor ? -1 : 1));
}
