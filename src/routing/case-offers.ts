// What a counsellor offers the reporter from a case. /offer: to the reporter of a
// consultation, that they file a report; they get it in their language with a button
// (Telegram) or the command to send (/report), and only their own "Send" at the review
// makes it one. /contacts: the help contacts of /rights (RIGHTS_PAGES), in the reporter's
// language, so that the same card a reader finds reaches someone who asked.
import { t } from '../i18n/index.js';
import type { CaseId } from '../shared/index.js';
import type { StaffRecord } from '../store/index.js';
import type { DutyContext } from './duty-context.js';
import { reply, staffText, type DeskResult } from './staff-text.js';
import { tellReporter } from './tell-reporter.js';

export async function offerReport(ctx: DutyContext, actor: StaffRecord, caseId: CaseId): Promise<DeskResult> {
  const lang = ctx.staffLang;
  const record = await ctx.store.get(caseId);
  if (!record) return reply(staffText(lang, 'cmd-case-gone'));
  if (record.kind !== 'consultation') return reply(staffText(lang, 'cmd-offer-report-already', { code: record.code }));
  await tellReporter(ctx, record, t(record.lang, 'offer-report', { code: record.code }), 0, 'report');
  await ctx.audit.record({ at: ctx.clock.now(), actor: actor.id, action: 'case.offer-report', case: record.code });
  ctx.log.info({ event: 'case.offer-report', case: record.code }, 'a counsellor offered the reporter to file a report');
  return reply(staffText(lang, 'cmd-offered-report', { code: record.code }));
}

export async function sendContacts(ctx: DutyContext, actor: StaffRecord, caseId: CaseId): Promise<DeskResult> {
  const lang = ctx.staffLang;
  const record = await ctx.store.get(caseId);
  if (!record) return reply(staffText(lang, 'cmd-case-gone'));
  if (!ctx.helpContacts) return reply(staffText(lang, 'cmd-contacts-none'));
  await tellReporter(ctx, record, ctx.helpContacts(record.lang));
  await ctx.audit.record({ at: ctx.clock.now(), actor: actor.id, action: 'case.contacts', case: record.code });
  ctx.log.info({ event: 'case.contacts', case: record.code }, 'a counsellor sent the reporter the help contacts');
  return reply(staffText(lang, 'cmd-contacts-sent', { code: record.code }));
}
