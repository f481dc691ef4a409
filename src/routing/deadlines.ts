// The policy's time limits (CASE_DEADLINES): a case that enters a stage with a limit gets
// the date its next step is due, counted on the hotline's working calendar. Whoever holds
// it is reminded before that date and when it passes (those on duty, if nobody holds it);
// `/cases overdue` lists it meanwhile, and the reporter's /status shows the date.
import { isFinished } from '../cases/index.js';
import type { DeadlineJob } from '../queue/index.js';
import type { CounsellorId } from '../shared/index.js';
import type { CaseRecord, CaseStatus } from '../store/index.js';
import type { DutyContext } from './duty-context.js';
import { Roster } from './roster.js';

/** The audit entry's detail for a deadline: "investigation@1765432100000" (no text). */
export const deadlineDetail = (stage: CaseStatus, dueAt: number) => `${stage}@${dueAt}`;

export function parseDeadlineDetail(detail: string | undefined): { stage: string; dueAt: number } | undefined {
  const m = /^([a-z-]+)@(\d+)$/.exec(detail ?? '');
  return m ? { stage: m[1]!, dueAt: Number(m[2]) } : undefined;
}

/**
 * The case is at `stage` since `at`: it gets that stage's deadline and its reminders, or
 * loses the last stage's where this one has no limit (the step it waited for is done).
 * Returns the new due date. The caller holds the case's lease.
 */
export async function enterStage(ctx: DutyContext, record: CaseRecord, stage: CaseStatus, at: number): Promise<number | undefined> {
  // Closed and withdrawn have no limit (CASE_DEADLINES names only open stages).
  const limit = ctx.deadlines.limits[stage];
  if (!limit) {
    if (record.deadline) await ctx.store.setDeadline(record.id, undefined);
    return undefined;
  }
  const dueAt = ctx.deadlines.calendar.dueAt(at, limit);
  if (record.deadline?.stage === stage && record.deadline.dueAt === dueAt) return dueAt;
  await ctx.store.setDeadline(record.id, { stage, dueAt });
  const now = ctx.clock.now();
  const soon = dueAt - ctx.deadlines.remindBeforeMs;
  // A limit shorter than the warning needs no warning: the "passed" one is enough.
  if (soon > at) await ctx.queues.scheduleDeadline(record.id, dueAt, 'soon', soon, now);
  await ctx.queues.scheduleDeadline(record.id, dueAt, 'passed', dueAt, now);
  await ctx.audit.record({ at: now, actor: 'system', action: 'case.deadline', case: record.code, detail: deadlineDetail(stage, dueAt) });
  return dueAt;
}

/**
 * A reminder came due. Nothing is said if the case has moved on meanwhile (another stage,
 * another date), or ended: a reminder is about the deadline the case still has. Each is
 * said once (the notice's key names the deadline and the reminder).
 */
export async function deadlineDue(ctx: DutyContext, job: DeadlineJob): Promise<void> {
  const record = await ctx.store.get(job.caseId);
  if (!record || isFinished(record.status) || record.deadline?.dueAt !== job.dueAt) return;
  // Late (Trustline was down): "it is coming" is no news once "it passed" is due.
  if (job.when === 'soon' && ctx.clock.now() >= job.dueAt) return;
  const { assignee } = await ctx.duty.get(record.id);
  const who = assignee ? [assignee] : await onDutyFor(ctx, record);
  await ctx.queues.notify(record.id, `deadline.${job.dueAt}.${job.when}`, {
    kind: 'deadline',
    stage: record.deadline.stage,
    dueAt: job.dueAt,
    passed: job.when === 'passed',
    who,
  });
  ctx.log.info({ event: 'case.deadline', case: record.code, when: job.when, holder: assignee !== undefined }, 'deadline reminder');
}

/** Nobody holds the case: those on duty in its chat now, else its admins. */
async function onDutyFor(ctx: DutyContext, record: CaseRecord): Promise<CounsellorId[]> {
  const roster = new Roster(await ctx.roster.snapshot(), ctx.timeZone).forDesk(record.desk);
  const people = roster.onDuty(ctx.clock.now());
  return (people.length ? people : roster.admins()).map((c) => c.id);
}
