// Read-only answers in the staff chat: the week at a glance (/roster), who is on duty
// (/oncall), the staff list, the shifts, the audit log, the templates.
import { addDays, type DeskName, hhmm, instantOf, localTimeOf, startOfWeek } from '../shared/index.js';
import type { AuditActor, AuditEntry } from '../store/index.js';
import type { DutyContext } from './duty-context.js';
import { formatDay, formatDays, formatDayTime, formatTime, t } from '../i18n/index.js';
import { desksOf, inDesk, Roster } from './roster.js';
import { joinTexts, nameOf, plain, roleName, staffText, type StaffText } from './staff-text.js';

/** Read-only answers in the staff chat. */
export interface RosterViews {
  /** /roster: this week, each day's duty as it will really be. */
  readonly week: (desk: DeskName) => Promise<StaffText>;
  /** /oncall: who is on duty now, and who is next. */
  readonly onCall: (desk: DeskName) => Promise<StaffText>;
  /** /staff list */
  readonly staffList: () => Promise<StaffText>;
  /** /shift list */
  readonly shiftList: () => Promise<StaffText>;
  /** /audit: the latest `count` entries of the audit log. */
  readonly audit: (count: number, desk: DeskName) => Promise<StaffText>;
  /** /templates: the saved answers and their languages. */
  readonly templates: () => Promise<StaffText>;
}

export function createRosterViews(ctx: DutyContext): RosterViews {
  const { staffLang: lang, timeZone } = ctx;
  const now = () => ctx.clock.now();
  // Each staff chat sees its own rota: the oversight chat's people are not on duty in the main one.
  const roster = async (desk: DeskName) => new Roster(await ctx.roster.snapshot(), timeZone).forDesk(desk);

  /** This week, Monday to Sunday: each day's duty as it will really be (aways and swaps applied). */
  async function week(desk: DeskName): Promise<StaffText> {
    const r = await roster(desk);
    const monday = startOfWeek(localTimeOf(now(), timeZone));
    const lines: StaffText[] = [staffText(lang, 'view-roster-title', { week: formatDay(instantOf(monday, 0, timeZone), lang, timeZone), zone: timeZone })];
    if (!r.hasRota) {
      lines.push(staffText(lang, 'view-roster-no-rota'));
      return joinTexts(lines);
    }
    const start = instantOf(monday, 0, timeZone);
    const end = instantOf(addDays(monday, 7), 0, timeZone);
    const spans = r.spans(start, end);
    for (let i = 0; i < 7; i++) {
      const dayStart = instantOf(addDays(monday, i), 0, timeZone);
      const dayEnd = instantOf(addDays(monday, i + 1), 0, timeZone);
      const today = spans.filter((s) => s.from >= dayStart && s.from < dayEnd);
      const parts: StaffText['parts'] = [`${formatDay(dayStart, lang, timeZone)}: `];
      if (!today.length) parts.push('—');
      today.forEach((s, j) => {
        if (j > 0) parts.push(', ');
        parts.push(nameOf(s.counsellor), ` ${formatTime(s.from, lang, timeZone)}–${formatTime(s.to, lang, timeZone)}`);
      });
      lines.push({ parts });
    }
    const aways = r.snapshot.overrides.filter((o) => o.kind === 'away' && o.to > start && o.from < end);
    for (const o of aways) {
      lines.push(
        staffText(
          lang,
          'view-roster-away',
          { from: formatDayTime(o.from, lang, timeZone), to: formatDayTime(o.to, lang, timeZone) },
          { who: nameOf(o.counsellor) },
        ),
      );
    }
    return joinTexts(lines);
  }

  async function onCall(desk: DeskName): Promise<StaffText> {
    const r = await roster(desk);
    const at = now();
    if (!r.hasRota) return joinTexts([staffText(lang, 'view-oncall-no-rota', {}, { who: r.onDuty(at).map((c) => nameOf(c.id)) })]);
    const current = r.currentSpans(at);
    const lines: StaffText[] = [];
    if (current.length) {
      lines.push(staffText(lang, 'view-oncall-now'));
      for (const s of current) lines.push(staffText(lang, 'view-oncall-until', { until: formatDayTime(s.to, lang, timeZone) }, { who: nameOf(s.counsellor) }));
    } else lines.push(staffText(lang, 'view-oncall-nobody'));
    const next = r.nextStart(at);
    lines.push(
      next
        ? staffText(lang, 'view-oncall-next', { at: formatDayTime(next.at, lang, timeZone) }, { who: next.counsellors.map(nameOf) })
        : staffText(lang, 'view-oncall-no-next'),
    );
    return joinTexts(lines);
  }

  async function staffList(): Promise<StaffText> {
    const all = await ctx.roster.allStaff();
    const active = all.filter((s) => s.active).sort((a, b) => (a.role === b.role ? a.addedAt - b.addedAt : a.role === 'admin' ? -1 : 1));
    const lines: StaffText[] = [staffText(lang, 'view-staff-title', { count: active.length })];
    for (const s of active) {
      lines.push(
        staffText(
          lang,
          'view-staff-line',
          { role: roleName(lang, s.role), langs: s.langs.join(', ') || '-', escalation: s.escalation ? 'yes' : 'no', chats: desksOf(s).join(', ') },
          { who: nameOf(s.id) },
        ),
      );
    }
    return joinTexts(lines);
  }

  async function shiftList(): Promise<StaffText> {
    const shifts = (await ctx.roster.shifts()).sort((a, b) => Math.min(...a.days) - Math.min(...b.days) || a.start - b.start);
    if (!shifts.length) return staffText(lang, 'view-shifts-none');
    const lines: StaffText[] = [staffText(lang, 'view-shifts-title', { zone: timeZone })];
    for (const s of shifts) {
      lines.push({ parts: [`${s.id} · `, nameOf(s.counsellor), ` · ${formatDays(s.days, lang)} ${hhmm(s.start)}–${hhmm(s.end)}`] });
    }
    return joinTexts(lines);
  }

  /**
   * What happened to another chat's cases stays out of this chat's log: an entry about a
   * case that lives elsewhere, or done by or to someone of another chat, is left out
   * (a move itself, done here, stays in).
   */
  async function ofThisDesk(entries: AuditEntry[], desk: DeskName): Promise<AuditEntry[]> {
    const staff = new Map((await ctx.roster.snapshot()).staff.map((c) => [c.id as string, c]));
    const elsewhere = (id: string | undefined) => id !== undefined && staff.has(id) && !inDesk(staff.get(id)!, desk);
    const codes = [...new Set(entries.flatMap((e) => (e.case ? [e.case] : [])))];
    const deskOf = new Map(
      await Promise.all(
        codes.map(async (code) => {
          const id = await ctx.store.caseOfCode(code);
          return [code, id && (await ctx.store.get(id))?.desk] as const;
        }),
      ),
    );
    return entries.filter((e) => {
      if (!e.action.startsWith('case.') || e.action === 'case.move') return true;
      const caseDesk = e.case ? deskOf.get(e.case) : undefined;
      return !(caseDesk !== undefined && caseDesk !== desk) && !elsewhere(e.actor) && !elsewhere(e.target);
    });
  }

  async function audit(count: number, desk: DeskName): Promise<StaffText> {
    const entries = await ofThisDesk(await ctx.audit.recent(count), desk);
    if (!entries.length) return staffText(lang, 'view-audit-empty');
    const who = (a: AuditActor): StaffText['parts'][number] => (a === 'system' || a === 'cli' ? t(lang, 'view-audit-actor', { actor: a }) : nameOf(a));
    const lines: StaffText[] = [staffText(lang, 'view-audit-title', { count: entries.length })];
    for (const e of entries.reverse()) {
      const parts: StaffText['parts'] = [`${formatDayTime(e.at, lang, timeZone)} · `, who(e.actor), ` · ${e.action}`];
      if (e.target) parts.push(' → ', nameOf(e.target));
      if (e.with) parts.push(' ⇄ ', nameOf(e.with));
      if (e.case) parts.push(` · ${e.case}`);
      if (e.detail) parts.push(` · ${e.detail}`);
      if (e.note) parts.push(` · “${e.note}”`);
      if (e.caseNote) {
        // The reason died with its case: erased or shredded cases show that it was there.
        const note = await ctx.caseLog.openNote(e.caseNote.caseId, e.caseNote.sealed).catch(() => undefined);
        parts.push(note === undefined ? ` · ${t(lang, 'view-audit-note-gone')}` : ` · “${note}”`);
      }
      lines.push({ parts });
    }
    return joinTexts(lines);
  }

  async function templates(): Promise<StaffText> {
    const list = await ctx.templates.list();
    if (!list.size) return staffText(lang, 'view-templates-none');
    return joinTexts([staffText(lang, 'view-templates-title'), ...[...list].map(([name, langs]) => plain(`• ${name} (${langs.join(', ')})`))]);
  }

  return { week, onCall, staffList, shiftList, audit, templates };
}
