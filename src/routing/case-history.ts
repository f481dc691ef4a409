// /history in a case: what happened to it, from the audit log: opened, who held it, its
// statuses, deadlines, labels, findings and follow-ups, each with when and by whom. Never the texts: not what
// was written, not the reasons given (a recusal's reason is the admins' to read in /audit).
import { formatDayTime, formatDue, t } from '../i18n/index.js';
import { parseDeadlineDetail } from './deadlines.js';
import { valueName } from './case-findings.js';
import { type FindingField, findingFields } from '../cases/index.js';
import type { CaseId } from '../shared/index.js';
import type { AuditActor, AuditEntry } from '../store/index.js';
import type { DutyContext } from './duty-context.js';
import { joinTexts, nameOf, reply, staffText, statusName, type DeskResult, type StaffPart, type StaffRef, type StaffText } from './staff-text.js';

/** A phone screen of lines; the oldest are counted, not shown. */
const MAX_LINES = 40;

export async function caseHistory(ctx: DutyContext, caseId: CaseId): Promise<DeskResult> {
  const lang = ctx.staffLang;
  const record = await ctx.store.get(caseId);
  if (!record) return reply(staffText(lang, 'cmd-case-gone'));
  const entries = await ctx.audit.ofCase(record.code);
  const when = (at: number) => formatDayTime(at, lang, ctx.timeZone);
  const who = (a: AuditActor): StaffPart => (a === 'system' || a === 'cli' ? t(lang, 'view-audit-actor', { actor: a }) : nameOf(a));

  const lines: StaffText[] = [];
  for (const e of entries) {
    const line = await describe(ctx, e);
    if (line) lines.push({ parts: [`${when(e.at)} · `, who(e.actor), ' · ', ...line.parts] });
  }
  const shown = lines.slice(-MAX_LINES);
  return reply(
    joinTexts([
      staffText(lang, 'history-title', { code: record.code }),
      staffText(lang, 'history-opened', { when: when(record.createdAt) }),
      ...(lines.length > shown.length ? [staffText(lang, 'history-earlier', { count: lines.length - shown.length })] : []),
      ...shown,
      ...(record.waitingSince !== undefined ? [staffText(lang, 'history-waiting', { when: when(record.waitingSince) })] : []),
    ]),
  );
}

/** One entry in words; undefined for what is not the case's story (an erasure has no case left to show it in). */
async function describe(ctx: DutyContext, e: AuditEntry): Promise<StaffText | undefined> {
  const lang = ctx.staffLang;
  const target: Record<string, StaffRef> = e.target ? { who: nameOf(e.target) } : {};
  switch (e.action) {
    case 'case.status': {
      const [from = '', to = ''] = (e.detail ?? '').split('->');
      return staffText(lang, 'history-status', { from: statusName(lang, from), to: statusName(lang, to) });
    }
    case 'case.label': {
      // The label died with the case's key if the case is gone; it is alive here.
      const label = e.caseNote ? await ctx.caseLog.openNote(e.caseNote.caseId, e.caseNote.sealed).catch(() => undefined) : undefined;
      return staffText(lang, 'history-label', { change: e.detail === 'remove' ? 'remove' : 'add', label: label ?? '?' });
    }
    case 'case.deadline': {
      const d = parseDeadlineDetail(e.detail);
      return d && staffText(lang, 'history-deadline', { stage: statusName(lang, d.stage), due: formatDue(d.dueAt, lang, ctx.timeZone) });
    }
    case 'case.record': {
      const [field, value = ''] = (e.detail ?? '').split(':') as [FindingField, string?];
      return findingFields.includes(field) ? staffText(lang, 'history-record', { field, value: valueName(lang, field, value) }) : undefined;
    }
    case 'case.followup':
      return staffText(lang, 'history-followup', { when: e.detail ?? '' });
    case 'case.assign':
    case 'case.escalate':
    case 'case.take':
    case 'case.transfer':
    case 'case.recuse':
    case 'case.open':
    case 'case.hold':
    case 'case.hold-off':
    case 'case.move':
    case 'case.block':
    case 'case.unblock':
    case 'case.offer-report':
    case 'case.contacts':
      return staffText(lang, 'history-action', { action: e.action.slice('case.'.length), desk: e.detail ?? '' }, target);
    default:
      return undefined;
  }
}
