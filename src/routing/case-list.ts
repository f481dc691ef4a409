// /cases: the open cases at a glance, one line each (code, status, holder, age, urgency,
// the time its holder must acknowledge it by), never a word of their content. The same
// list in the staff chat and, for one's own cases, in a private chat with the bot, where
// each code is a button that makes it the case one writes in (need-to-know mode).
import { isFinished } from '../cases/index.js';
import { formatAge, formatTime, t } from '../i18n/index.js';
import { type CaseId, type DeskName, OVERSIGHT_DESK } from '../shared/index.js';
import type { CaseDuty, CaseRecord, StaffRecord } from '../store/index.js';
import { acknowledgeBy } from './case-card.js';
import type { DutyContext } from './duty-context.js';
import { joinTexts, nameOf, reply, staffText, statusName, type DeskResult } from './staff-text.js';

export const caseFilters = ['open', 'mine', 'unassigned'] as const;
export type CaseFilter = (typeof caseFilters)[number];

/** A chat message of tens of lines is as much as a phone screen shows; the rest is counted. */
const MAX_LINES = 30;

/** The open cases a filter selects: held by someone on the roster, or waiting for a shift. */
async function selected(ctx: DutyContext, actor: StaffRecord | undefined, filter: CaseFilter): Promise<CaseId[]> {
  // One's own cases are all in one's own chat; the others are filtered by chat below.
  if (filter === 'mine') return actor ? ctx.duty.openCases(actor.id) : [];
  const waiting = await ctx.duty.waitingCases();
  if (filter === 'unassigned') return waiting;
  const { staff } = await ctx.roster.snapshot();
  const held = await Promise.all(staff.map((s) => ctx.duty.openCases(s.id)));
  return [...new Set([...held.flat(), ...waiting])];
}

/** Each case with its duty, read together; erased and finished ones left out. */
async function openCases(ctx: DutyContext, ids: readonly CaseId[]): Promise<{ record: CaseRecord; duty: CaseDuty }[]> {
  const found = await Promise.all(ids.map(async (id) => Promise.all([ctx.store.get(id), ctx.duty.get(id)]).then(([record, duty]) => ({ record, duty }))));
  return found.filter((c): c is { record: CaseRecord; duty: CaseDuty } => c.record !== undefined && !isFinished(c.record.status));
}

/**
 * /health: how many cases are open in each staff chat, for admins of the staff chat. The
 * oversight chat is not counted: the staff chat must not learn that a case about staff exists.
 */
export async function countByDesk(ctx: DutyContext): Promise<DeskResult> {
  const lang = ctx.staffLang;
  const cases = await openCases(ctx, await selected(ctx, undefined, 'open'));
  const lines = ctx.desks
    .filter((desk) => desk !== OVERSIGHT_DESK)
    .map((desk) => {
      const mine = cases.filter((c) => c.record.desk === desk);
      return staffText(lang, 'health-line', {
        chat: desk,
        open: mine.length,
        unassigned: mine.filter((c) => !c.duty.assignee).length,
        urgent: mine.filter((c) => c.record.urgent).length,
      });
    });
  const oversight = staffText(lang, 'health-oversight', { configured: ctx.desks.includes(OVERSIGHT_DESK) ? 'yes' : 'no' });
  const line = await ctx.pipeline.staffLine(); // job times are real time, whatever the roster clock says
  const waiting = line.total ? [staffText(lang, 'health-backlog', { ...line.waiting, seconds: Math.round(line.headWaitedMs / 1000) })] : [];
  return reply(joinTexts([staffText(lang, 'health-title'), ...lines, ...waiting, oversight]));
}

/** `desks`: the staff chat asking (a private chat: the sender's); a case of another chat is never listed, nor counted. */
export async function listCases(ctx: DutyContext, actor: StaffRecord, filter: CaseFilter, desks: readonly DeskName[]): Promise<DeskResult> {
  const lang = ctx.staffLang;
  const cases = (await openCases(ctx, await selected(ctx, actor, filter)))
    .filter((c) => desks.includes(c.record.desk) && (filter !== 'unassigned' || !c.duty.assignee))
    // Urgent first, then the longest waiting.
    .sort((a, b) => Number(b.record.urgent) - Number(a.record.urgent) || a.record.createdAt - b.record.createdAt);
  if (!cases.length) return reply(staffText(lang, 'cases-none', { filter }));
  const now = ctx.clock.now();
  const lines = cases.slice(0, MAX_LINES).map(({ record, duty }) => {
    const due = acknowledgeBy(ctx, duty);
    return staffText(
      lang,
      'cases-line',
      {
        code: record.code,
        status: statusName(lang, record.status),
        age: formatAge(now - record.createdAt, lang),
        urgent: record.urgent ? 'yes' : 'no',
        hasDue: due === undefined ? 'no' : 'yes',
        due: due === undefined ? '' : formatTime(due, lang, ctx.timeZone),
        ...(duty.assignee ? {} : { who: t(lang, 'staff-card-nobody') }),
      },
      duty.assignee ? { who: nameOf(duty.assignee) } : {},
    );
  });
  const more = cases.length > MAX_LINES ? [staffText(lang, 'cases-more', { count: cases.length - MAX_LINES })] : [];
  return {
    replies: [joinTexts([staffText(lang, 'cases-title', { filter, count: cases.length }), ...lines, ...more])],
    cases: cases.slice(0, MAX_LINES).map(({ record }) => record.code),
  };
}
