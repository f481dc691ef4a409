// Changes to the roster made from the staff chat: staff (admins only), weekly shifts
// (admins), time away and swaps (a counsellor for themself, an admin for anyone).
// Every change is audited and gives cases waiting for a shift another chance.
import { randomBytes } from 'node:crypto';
import { type CounsellorId, type DeskName, type LocalDate, type Weekday, addDays, hhmm, instantOf } from '../shared/index.js';
import type { StaffRecord } from '../store/index.js';
import { copyToHolder, type DutyContext } from './duty-context.js';
import { formatDays, formatDayTime } from '../i18n/index.js';
import { desksOf, Roster, type Override, type Shift } from './roster.js';
import type { Router } from './router.js';
import type { Enrolment, StaffIdentity } from './staff-directory.js';
import { nameOf, reply, roleName, staffText, type DeskResult } from './staff-text.js';

const ID_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Short ids people can type: `/shift remove K7Q4`. */
export function newRosterItemId(): string {
  return [...randomBytes(4)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

export interface RosterDeskOptions {
  /** handles of STAFF_ADMIN_IDS: always admins, not removable from the chat */
  configAdmins: ReadonlySet<CounsellorId>;
}

/** Changes to the roster from the staff chat, each audited; every answer is the reply. */
export interface RosterDesk {
  /** /staff add: someone joins the roster, or their role, languages or escalation change. */
  readonly addStaff: (actor: StaffRecord, identity: StaffIdentity, e: Enrolment) => Promise<DeskResult>;
  /** /staff remove: they leave the roster (and the staff chat); their cases are routed again. */
  readonly removeStaff: (actor: StaffRecord, target: StaffRecord) => Promise<DeskResult>;
  /** /shift add: a weekly shift, `start` and `end` in minutes since local midnight. */
  readonly addShift: (actor: StaffRecord, target: StaffRecord, days: Weekday[], start: number, end: number) => Promise<DeskResult>;
  /** /shift remove */
  readonly removeShift: (actor: StaffRecord, id: string) => Promise<DeskResult>;
  /** /away: `target` is off duty from `from` to `to`. */
  readonly away: (actor: StaffRecord, target: StaffRecord, from: number, to: number) => Promise<DeskResult>;
  /** /away off: back early. */
  readonly awayOff: (actor: StaffRecord, target: StaffRecord) => Promise<DeskResult>;
  /** /swap: `from` gives their duty starting on `date` to `to`. */
  readonly swap: (actor: StaffRecord, from: StaffRecord, to: StaffRecord, date: LocalDate) => Promise<DeskResult>;
}

export function createRosterDesk(ctx: DutyContext, router: Router, options: RosterDeskOptions): RosterDesk {
  const { staffLang: lang, roster: store } = ctx;
  const now = () => ctx.clock.now();
  const say = (id: Parameters<typeof staffText>[1], args?: Parameters<typeof staffText>[2], people?: Parameters<typeof staffText>[3]) =>
    reply(staffText(lang, id, args, people));

  async function changed(): Promise<void> {
    await store.pruneOverrides(now() - 24 * 3600_000);
    await router.rerouteWaiting();
  }

  async function addStaff(actor: StaffRecord, identity: StaffIdentity, e: Enrolment): Promise<DeskResult> {
    const before = await ctx.directory.lookup(identity.channel, identity.address);
    const { record, created } = await ctx.directory.enroll(identity, e, now());
    // Out of a chat (into oversight, or off a team's chat): they hold none of its cases, and leave it.
    const left = before?.active ? desksOf(before).filter((d) => !desksOf(record).includes(d)) : [];
    if (left.length) await leaveDesks(record, left);
    const detail = `${e.role} ${e.langs.join(',') || '-'}${e.escalation ? ' escalation' : ''} ${desksOf(record).join(',')}`;
    await ctx.audit.record({ at: now(), actor: actor.id, action: created ? 'staff.add' : 'staff.update', target: record.id, detail });
    await changed();
    return say(
      created ? 'cmd-staff-added' : 'cmd-staff-updated',
      { role: roleName(lang, e.role), langs: e.langs.join(', ') || '-', escalation: e.escalation ? 'yes' : 'no' },
      { who: nameOf(record.id) },
    );
  }

  /** Their open cases of those chats go back to routing, and they are taken out of the chats; returns how many cases. */
  async function leaveDesks(target: StaffRecord, desks: readonly DeskName[]): Promise<number> {
    let rerouted = 0;
    for (const caseId of await ctx.duty.openCases(target.id)) {
      const record = await ctx.store.get(caseId);
      if (record && !desks.includes(record.desk)) continue;
      await copyToHolder(ctx, caseId, await ctx.duty.unassign(caseId, target.id));
      await ctx.queues.routeAgain(caseId, now());
      rerouted++;
    }
    // They must not read the cases to come.
    for (const desk of desks) await ctx.queues.removeFromChat(target.id, now(), desk);
    return rerouted;
  }

  async function removeStaff(actor: StaffRecord, target: StaffRecord): Promise<DeskResult> {
    if (!target.active) return say('cmd-staff-not-active', {}, { who: nameOf(target.id) });
    if (options.configAdmins.has(target.id)) return say('cmd-staff-config-admin', {}, { who: nameOf(target.id) });
    await store.deactivate(target);
    const open = await leaveDesks(target, desksOf(target));
    await ctx.audit.record({ at: now(), actor: actor.id, action: 'staff.remove', target: target.id, detail: `${open} open cases rerouted` });
    ctx.log.info({ event: 'staff.removed', rerouted: open }, 'a staff member was removed');
    return say('cmd-staff-removed', { cases: open }, { who: nameOf(target.id) });
  }

  async function addShift(actor: StaffRecord, target: StaffRecord, days: Weekday[], start: number, end: number): Promise<DeskResult> {
    if (!target.active) return say('cmd-staff-not-active', {}, { who: nameOf(target.id) });
    const shift: Shift = { id: newRosterItemId(), counsellor: target.id, days, start, end };
    await store.putShift(shift);
    const detail = `${formatDays(days, 'en')} ${hhmm(start)}-${hhmm(end)}`;
    await ctx.audit.record({ at: now(), actor: actor.id, action: 'shift.add', target: target.id, detail: `${shift.id} ${detail}` });
    await changed();
    return say('cmd-shift-added', { id: shift.id, days: formatDays(days, lang), start: hhmm(start), end: hhmm(end) }, { who: nameOf(target.id) });
  }

  async function removeShift(actor: StaffRecord, id: string): Promise<DeskResult> {
    const shift = (await store.shifts()).find((s) => s.id === id.toUpperCase());
    if (!shift) return say('cmd-shift-unknown', { id });
    await store.removeShift(shift.id);
    const detail = `${shift.id} ${formatDays(shift.days, 'en')} ${hhmm(shift.start)}-${hhmm(shift.end)}`;
    await ctx.audit.record({ at: now(), actor: actor.id, action: 'shift.remove', target: shift.counsellor, detail });
    await changed();
    return say('cmd-shift-removed', { id: shift.id }, { who: nameOf(shift.counsellor) });
  }

  async function away(actor: StaffRecord, target: StaffRecord, from: number, to: number): Promise<DeskResult> {
    if (to <= from || to <= now()) return say('cmd-away-bad-range');
    const o: Override = { id: newRosterItemId(), counsellor: target.id, kind: 'away', from, to, via: 'away' };
    await store.putOverrides([o]);
    const span = `${formatDayTime(from, 'en', ctx.timeZone)} - ${formatDayTime(to, 'en', ctx.timeZone)}`;
    await ctx.audit.record({ at: now(), actor: actor.id, action: 'away', target: target.id, detail: span });
    await changed();
    return say('cmd-away-set', { from: formatDayTime(from, lang, ctx.timeZone), to: formatDayTime(to, lang, ctx.timeZone) }, { who: nameOf(target.id) });
  }

  async function awayOff(actor: StaffRecord, target: StaffRecord): Promise<DeskResult> {
    const mine = (await store.overrides()).filter((o) => o.counsellor === target.id && o.kind === 'away' && o.via === 'away' && o.to > now());
    await store.removeOverrides(mine.map((o) => o.id));
    await ctx.audit.record({ at: now(), actor: actor.id, action: 'away.cancel', target: target.id, detail: `${mine.length}` });
    await changed();
    return say('cmd-away-cleared', { count: mine.length }, { who: nameOf(target.id) });
  }

  /** `from` gives their duty starting on `date` to `to`: away for one, cover for the other. */
  async function swap(actor: StaffRecord, from: StaffRecord, to: StaffRecord, date: LocalDate): Promise<DeskResult> {
    if (!to.active || !from.active) return say('cmd-not-staff-target');
    if (from.id === to.id) return say('cmd-swap-same');
    const roster = new Roster(await store.snapshot(), ctx.timeZone);
    const dayStart = instantOf(date, 0, ctx.timeZone);
    const dayEnd = instantOf(addDays(date, 1), 0, ctx.timeZone);
    const spans = roster.spans(dayStart, dayEnd).filter((s) => s.counsellor === from.id && s.from >= dayStart && s.from < dayEnd);
    if (!spans.length)
      return say('cmd-swap-no-shift', { date: formatDayTime(dayStart, lang, ctx.timeZone).replace(/ \d\d:\d\d$/, '') }, { who: nameOf(from.id) });
    const overrides = spans.flatMap((s): Override[] => [
      { id: newRosterItemId(), counsellor: from.id, kind: 'away', from: s.from, to: s.to, via: 'swap' },
      { id: newRosterItemId(), counsellor: to.id, kind: 'cover', from: s.from, to: s.to, via: 'swap' },
    ]);
    await store.putOverrides(overrides);
    const when = spans.map((s) => `${formatDayTime(s.from, lang, ctx.timeZone)}–${formatDayTime(s.to, lang, ctx.timeZone)}`).join(', ');
    const detail = spans.map((s) => `${formatDayTime(s.from, 'en', ctx.timeZone)} - ${formatDayTime(s.to, 'en', ctx.timeZone)}`).join('; ');
    await ctx.audit.record({ at: now(), actor: actor.id, action: 'swap', target: from.id, with: to.id, detail });
    await changed();
    return say('cmd-swapped', { when }, { from: nameOf(from.id), to: nameOf(to.id) });
  }

  return { addStaff, removeStaff, addShift, removeShift, away, awayOff, swap };
}
