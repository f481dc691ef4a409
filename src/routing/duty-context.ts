// Everything the duty desk (routing, SLA, case commands, roster commands) works with,
// built once in the composition root.
import {
  type DeskName,
  type Lang,
  type Logger,
  NotYet,
  type Clock,
  type EmergencyNumbers,
  type CaseId,
  type TimeLimit,
  type WorkingCalendar,
} from '../shared/index.js';
import type { DutyQueues, Pipeline } from '../queue/index.js';
import {
  type AuditLog,
  type CaseStatus,
  type CaseStore,
  type ReporterCaseStore,
  type DutyStore,
  type Redis,
  type RosterStore,
  type TemplateStore,
  type PrivateCopies,
  type ReporterBlocks,
  tryLease,
} from '../store/index.js';
import type { CaseLabels, CaseLog } from '../cases/index.js';
import type { StaffVisibility } from '../config/index.js';
import type { StaffDirectory } from './staff-directory.js';

export interface Sla {
  /** time to acknowledge a case before it passes on */
  ackMs: number;
  /** the same for urgent cases */
  urgentAckMs: number;
}

/** The policy's time limits (CASE_DEADLINES), counted on the working calendar (see deadlines.ts). */
export interface DeadlinePolicy {
  /** the stages that have a limit, and that limit */
  limits: Partial<Record<CaseStatus, TimeLimit>>;
  calendar: WorkingCalendar;
  /** how long before a deadline its reminder comes */
  remindBeforeMs: number;
}

/** An assignment went unacknowledged past its SLA and was passed on. */
export interface SlaBreach {
  urgent: boolean;
  /** the next on-duty counsellor, or admins when there was nobody else */
  passedTo: 'counsellor' | 'admins';
}

export interface DutyContext {
  redis: Redis;
  store: CaseStore;
  /** what is left of a case its reporter ended (withdrawn, erased) */
  reporterCases: ReporterCaseStore;
  caseLog: CaseLog;
  /** staff's labels on each case, sealed under its key */
  labels: CaseLabels;
  /** the labels the hotline usually uses (CASE_LABELS), offered by /label */
  labelWords: readonly string[];
  /** the intake's categories ("harassment.sexual"), which /record verifies a case's against */
  categories: readonly string[];
  pipeline: Pipeline;
  queues: DutyQueues;
  duty: DutyStore;
  roster: RosterStore;
  directory: StaffDirectory;
  audit: AuditLog;
  templates: TemplateStore;
  /** need-to-know mode: who holds each case's private copy, and who can receive one */
  copies: PrivateCopies;
  clock: Clock;
  timeZone: string;
  staffLang: Lang;
  sla: Sla;
  /** the policy's time limits per stage (CASE_DEADLINES) and the calendar they count on */
  deadlines: DeadlinePolicy;
  emergency: EmergencyNumbers;
  /** where else a reporter can turn (OVERSIGHT_CONTACTS), told to a blocked reporter */
  elsewhere?: string;
  /** the help contacts of /rights, in a language (/contacts sends them to a reporter) */
  helpContacts?: (lang: Lang) => string;
  /** reporter keys blocked from opening new cases (/block), and for how long */
  blocks: ReporterBlocks;
  blockNewCasesMs: number;
  leaseMs: number;
  log: Logger;
  /** told of every SLA breach (metrics) */
  onSlaBreach?: (breach: SlaBreach) => void;
  /** who reads a case: the whole staff chat, or only its holder (STAFF_VISIBILITY) */
  visibility: StaffVisibility;
  /** the staff chats configured, the main one first (`oversight` when OVERSIGHT_CHAT_ID is set) */
  desks: readonly DeskName[];
}

/**
 * A case has a new holder (assigned, taken, transferred). In need-to-know mode their
 * private chat gets the whole case now; the job id names the assignment, so an earlier
 * flush of the same messages does not swallow it.
 */
export async function copyToHolder(ctx: DutyContext, caseId: CaseId, epoch: number): Promise<void> {
  if (ctx.visibility !== 'assigned') return;
  const record = await ctx.store.get(caseId);
  if (!record) return; // erased meanwhile
  await ctx.pipeline.postToStaff(record, record.count.in, `a${epoch}`);
  await refreshCard(ctx, caseId);
}

/** Need-to-know mode: the case's card in the shared chat shows its new status or holder. */
export async function refreshCard(ctx: DutyContext, caseId: CaseId): Promise<void> {
  if (ctx.visibility === 'assigned') await ctx.queues.notify(caseId, `card.${ctx.clock.now()}`, { kind: 'card' });
}

/**
 * Routing, SLA timers and case commands change who holds a case; one lease per case
 * keeps them from interleaving. Workers give up at once (the job comes back shortly);
 * a command from a person waits a little first.
 */
export async function underCaseLease<T>(ctx: DutyContext, caseId: CaseId, wait: 'no' | 'briefly', fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + (wait === 'briefly' ? 3_000 : 0);
  for (;;) {
    const lease = await tryLease(ctx.redis, `duty:${caseId}`, ctx.leaseMs);
    if (lease) {
      try {
        return await fn();
      } finally {
        await lease.release();
      }
    }
    if (Date.now() >= deadline) throw new NotYet('another step is changing who holds this case');
    await new Promise((r) => setTimeout(r, 50));
  }
}
