// /cases: the open cases at a glance, one line each (code, status, holder, age, urgency,
// labels, the next deadline), never a word of their content, filtered (mine, unassigned,
// waiting for an answer, overdue, urgent, by label) and paged. Each code links to the
// case. The same list in the staff chat and, for one's own cases, in a private chat with
// the bot, where each code is also a button that makes it the case one writes in
// (need-to-know mode).
import { isFinished } from '../cases/index.js';
import { formatAge, formatDue, formatTime, t } from '../i18n/index.js';
import { type CaseId, type DeskName, OVERSIGHT_DESK } from '../shared/index.js';
import type { CaseDuty, CaseRecord, StaffRecord } from '../store/index.js';
import { acknowledgeBy } from './case-card.js';
import type { DutyContext } from './duty-context.js';
import { joinTexts, nameOf, reply, staffText, statusName, type DeskResult, type StaffText } from './staff-text.js';

export const caseFilters = ['open', 'mine', 'unassigned', 'waiting', 'overdue', 'urgent', 'label'] as const;
export type CaseFilter = (typeof caseFilters)[number];

/** What /cases was asked for: a filter, and the label for `label`. */
export interface CaseQuery {
  filter: CaseFilter;
  label?: string;
}

/** Lines a page holds: what a phone shows without scrolling far; the buttons page on. */
export const PAGE_LINES = 15;

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

/** The next deadline of a case: its holder's time to acknowledge it, or its stage's limit (CASE_DEADLINES). */
type Due = { at: number; kind: 'ack' | 'stage' };
type Listed = { record: CaseRecord; duty: CaseDuty; due?: Due; labels: string[] };

function nextDue(ctx: DutyContext, record: CaseRecord, duty: CaseDuty): Due | undefined {
  const ack = acknowledgeBy(ctx, duty);
  const dues: Due[] = [
    ...(ack !== undefined ? [{ at: ack, kind: 'ack' as const }] : []),
    ...(record.deadline ? [{ at: record.deadline.dueAt, kind: 'stage' as const }] : []),
  ];
  return dues.sort((a, b) => a.at - b.at)[0];
}

/** Whether a case belongs in the list, and in which order the list goes. */
function chosen(q: CaseQuery, now: number): { keep: (c: Listed) => boolean; order: (a: Listed, b: Listed) => number } {
  // Urgent first, then the longest waiting.
  const byUrgency = (a: Listed, b: Listed) => Number(b.record.urgent) - Number(a.record.urgent) || a.record.createdAt - b.record.createdAt;
  switch (q.filter) {
    case 'unassigned':
      return { keep: (c) => !c.duty.assignee, order: byUrgency };
    case 'waiting':
      return { keep: (c) => c.record.waitingSince !== undefined, order: (a, b) => a.record.waitingSince! - b.record.waitingSince! };
    case 'overdue':
      return { keep: (c) => c.due !== undefined && c.due.at < now, order: (a, b) => a.due!.at - b.due!.at };
    case 'urgent':
      return { keep: (c) => c.record.urgent, order: byUrgency };
    case 'label':
      return { keep: (c) => q.label !== undefined && c.labels.includes(q.label), order: byUrgency };
    default:
      return { keep: () => true, order: byUrgency };
  }
}

/**
 * /cases: one page of the cases a query selects. `desks`: the staff chat asking (a private
 * chat: the sender's); a case of another chat is never listed, nor counted.
 */
export async function listCases(ctx: DutyContext, actor: StaffRecord, q: CaseQuery, desks: readonly DeskName[], page = 1): Promise<DeskResult> {
  const lang = ctx.staffLang;
  const now = ctx.clock.now();
  const { keep, order } = chosen(q, now);
  const cases = (await openCases(ctx, await selected(ctx, actor, q.filter)))
    .filter((c) => desks.includes(c.record.desk))
    .map(({ record, duty }): Listed => {
      const due = nextDue(ctx, record, duty);
      // Need-to-know mode: a case's labels are its holder's to see.
      const labelled = ctx.visibility !== 'assigned' || duty.assignee === actor.id;
      return { record, duty, ...(due ? { due } : {}), labels: labelled ? ctx.labels.of(record) : [] };
    })
    .filter(keep)
    .sort(order);
  const args = { filter: q.filter, label: q.label ?? '' };
  if (!cases.length) return reply(staffText(lang, 'cases-none', args));
  const pages = Math.ceil(cases.length / PAGE_LINES);
  const at = Math.min(Math.max(1, page), pages);
  const shown = cases.slice((at - 1) * PAGE_LINES, at * PAGE_LINES);
  const lines = shown.map((c) => caseLine(ctx, c, q, now));
  const title = staffText(lang, 'cases-title', { ...args, count: cases.length, page: at, pages });
  return {
    replies: [joinTexts([title, ...lines])],
    cases: shown.map(({ record }) => record.code),
    ...(pages > 1 ? { pages: { page: at, count: pages, command: ['cases', q.filter, ...(q.label ? [q.label] : [])].join(' ') } } : {}),
  };
}

/** "ABC-123 · under consideration · Dana · 2 h · referred · acknowledge by 14:00", the code a link to the case. */
function caseLine(ctx: DutyContext, { record, duty, due, labels }: Listed, q: CaseQuery, now: number): StaffText {
  const lang = ctx.staffLang;
  // Topics: the case's topic; replies: its first post; need-to-know: its card.
  const message = record.staffThread ?? record.card;
  return staffText(
    lang,
    'cases-line',
    {
      code: record.code,
      status: statusName(lang, record.status),
      age: formatAge(now - record.createdAt, lang),
      urgent: record.urgent ? 'yes' : 'no',
      hasLabels: labels.length ? 'yes' : 'no',
      labels: labels.join(', '),
      dueKind: due?.kind ?? 'none',
      overdue: due !== undefined && due.at < now ? 'yes' : 'no',
      // The time to acknowledge is today's; a stage's limit is days away.
      due: due === undefined ? '' : due.kind === 'ack' ? formatTime(due.at, lang, ctx.timeZone) : formatDue(due.at, lang, ctx.timeZone),
      hasWaited: q.filter === 'waiting' && record.waitingSince !== undefined ? 'yes' : 'no',
      waited: record.waitingSince !== undefined ? formatAge(now - record.waitingSince, lang) : '',
      ...(duty.assignee ? {} : { who: t(lang, 'staff-card-nobody') }),
    },
    {
      ...(message !== undefined ? { code: { link: { desk: record.desk, message }, text: record.code } } : {}),
      ...(duty.assignee ? { who: nameOf(duty.assignee) } : {}),
    },
  );
}

/** Codes a summary names; the rest are counted (/cases overdue lists them all). */
const MAX_CODES = 20;

/**
 * A staff chat's daily summary: how many of its cases are open, held by nobody, waiting
 * for an answer (and the longest wait) and urgent, and the codes of those past a
 * deadline. Counts and codes only. The oversight chat's cases are counted in its own.
 */
export async function dailySummary(ctx: DutyContext, desk: DeskName): Promise<StaffText> {
  const lang = ctx.staffLang;
  const now = ctx.clock.now();
  const cases = (await openCases(ctx, await selected(ctx, undefined, 'open'))).filter((c) => c.record.desk === desk);
  if (!cases.length) return staffText(lang, 'daily-none');
  const waiting = cases.flatMap((c) => (c.record.waitingSince === undefined ? [] : [c.record.waitingSince]));
  const overdue = cases
    .map((c) => ({ code: c.record.code, due: nextDue(ctx, c.record, c.duty) }))
    .filter((c) => c.due !== undefined && c.due.at < now)
    .sort((a, b) => a.due!.at - b.due!.at);
  const lines = [
    staffText(lang, 'daily-counts', {
      open: cases.length,
      unassigned: cases.filter((c) => !c.duty.assignee).length,
      waiting: waiting.length,
      longest: waiting.length ? formatAge(now - Math.min(...waiting), lang) : '',
      urgent: cases.filter((c) => c.record.urgent).length,
    }),
    ...(overdue.length
      ? [
          staffText(lang, 'daily-overdue', {
            count: overdue.length,
            codes: overdue
              .slice(0, MAX_CODES)
              .map((c) => c.code)
              .join(', '),
            more: Math.max(0, overdue.length - MAX_CODES),
          }),
        ]
      : []),
  ];
  return joinTexts(lines);
}
