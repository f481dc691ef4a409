// Job names, payloads and ids. Payloads hold only internal ids and counters: content
// and identity never enter BullMQ (its job data rests in Redis in clear).
import type { ReporterKey, CaseId, CounsellorId, DeskName } from '../shared/index.js';
import type { StaffCopy } from '../store/index.js';

export const queueNames = {
  /** reminds, then expires, an unfinished intake conversation */
  intakeTimer: 'intake-timer',
  route: 'route',
  staff: 'staff-post',
  reporter: 'reporter-delivery',
  /**
   * The reporter edge of WhatsApp: a line sends only from the process holding its
   * lease, so its answers and reminders are worked there and nowhere else.
   */
  reporterWhatsApp: 'reporter-delivery-whatsapp',
  intakeTimerWhatsApp: 'intake-timer-whatsapp',
  /** the daily retention pass (job data is empty: it holds no id of any kind) */
  retention: 'retention',
  /** an erased or shredded case's messages leave the staff chat */
  staffErase: 'staff-erase',
} as const;
/** Queues of the duty roster: SLA timers, notices in case threads, follow-up check-ins. */
export const dutyQueueNames = {
  escalate: 'escalate',
  notice: 'staff-notice',
  followup: 'follow-up',
  /** someone taken off the roster leaves the staff chat (the job names only their handle) */
  membership: 'staff-membership',
  /** a reminder of the policy's time limit on a case (see routing/deadlines.ts) */
  deadline: 'deadline',
  /** each staff chat's daily summary (a job scheduler; the job data is empty) */
  summary: 'daily-summary',
} as const;
/**
 * Each staff chat's posts wait in a queue of their own (the main chat's is `staff-post`):
 * its own line, paused on its own when its 20 posts a minute are spent.
 */
export const staffQueueName = (desk: DeskName): StaffQueueName => (desk === 'main' ? queueNames.staff : `${queueNames.staff}-${desk}`);
export type StaffQueueName = typeof queueNames.staff | `staff-post-${string}`;

export type QueueName = (typeof queueNames)[keyof typeof queueNames] | (typeof dutyQueueNames)[keyof typeof dutyQueueNames] | StaffQueueName;

export interface RouteJob {
  caseId: CaseId;
  /** set on a routing deferred to the next shift start (informational) */
  dueAt?: number;
}

/** "Deliver everything of this case up to at least seq." Several jobs may collapse into one run. */
export interface FlushJob {
  caseId: CaseId;
  seq: number;
  /** a new case's first post: the job posts the oldest opening in this staff chat's line, whichever it is */
  line?: DeskName;
}

/** Need-to-know mode: a supervisor opened a case (`reader` is their roster handle); it goes to their private chat once. */
export interface ReaderCopyJob {
  caseId: CaseId;
  reader: string;
}

/** Reminds, then expires, an unfinished conversation. The reporter key is a keyed hash, not an identity. */
export interface IntakeTimerJob {
  rk: ReporterKey;
  cid: string;
}

// BullMQ rejects custom ids containing ':'; '.' keeps them readable.
export const jobIds = {
  route: (caseId: CaseId) => `route.${caseId}`,
  staff: (caseId: CaseId, seq: number) => `staff.${caseId}.${seq}`,
  reporter: (caseId: CaseId, seq: number) => `reporter.${caseId}.${seq}`,
  staffErase: (code: string) => `erase.${code}`,
  intakeTimer: (cid: string) => `intake.${cid}`,
  membership: (handle: string, at: number, desk: string) => `member.${handle}.${at}${desk === 'main' ? '' : `.${desk}`}`,
};

/** "If this assignment is still unacknowledged, pass the case on." dueAt is informational (sandbox clock). */
export interface EscalateJob {
  caseId: CaseId;
  epoch: number;
  dueAt: number;
}

/** Something to say in a case's staff thread (who to mention is in the notice, as handles). */
export interface NoticeJob {
  caseId: CaseId;
  notice: StaffNotice;
  /** routing's first word on a case not posted yet: the case's first post may carry it (CaseRecord.opening) */
  opening?: string;
}

/**
 * Where an erased case's copy is in the staff chat: its topic (topics mode) or its
 * messages (replies mode). Staff chat message ids only: no content, no identity. The
 * case itself is already gone when this runs.
 */
export interface StaffErasureJob extends StaffCopy {
  code: string;
  /** forget: the reporter's /forget; staff: an admin's /erase; retention: the shred; moved: to another staff chat */
  reason: 'forget' | 'staff' | 'retention' | 'moved';
}

/** A staff member taken off the roster: `handle` is the keyed hash the roster knows them by. */
export interface MembershipJob {
  handle: string;
  /** the staff chat to take them out of; absent: the main one */
  desk?: DeskName;
}

export interface FollowupJob {
  caseId: CaseId;
  dueAt: number;
}

/** The case's deadline `dueAt` comes near (`soon`) or has passed; stale once the case has another. */
export interface DeadlineJob {
  caseId: CaseId;
  dueAt: number;
  when: 'soon' | 'passed';
}

/** What routing and the SLA timers announce in a case's staff thread (rendered by routing/notices.ts). */
export type StaffNotice =
  | { kind: 'assigned'; who: CounsellorId; urgent: boolean; alsoNotify: CounsellorId[]; slaMinutes: number }
  /** an open case became urgent: `who` holds it (acknowledged or not), or nobody does */
  | { kind: 'turned-urgent'; who?: CounsellorId; acknowledged: boolean; alsoNotify: CounsellorId[]; slaMinutes: number }
  | { kind: 'waiting'; next?: number; urgent: boolean; alsoNotify: CounsellorId[] }
  | { kind: 'escalated'; who: CounsellorId; minutes: number }
  | { kind: 'admins-called'; who: CounsellorId[]; minutes: number }
  | { kind: 'reopened'; who?: CounsellorId }
  | { kind: 'followup-sent' }
  /** need-to-know mode: the case's card is out of date (its status or holder changed); says nothing itself */
  | { kind: 'card' }
  /** need-to-know mode: `who` was passed over, having no private chat with the bot yet */
  | { kind: 'needs-private-chat'; who: CounsellorId }
  /** need-to-know mode: supervisor `who` opened the case to read it (told to its holder) */
  | { kind: 'opened'; who: CounsellorId }
  /** the case's next step (of `stage`) is due at `dueAt`, soon or already: told to `who` (its holder, or those on duty) */
  | { kind: 'deadline'; stage: string; dueAt: number; passed: boolean; who: CounsellorId[] }
  /** what staff wrote waits for the reporter's quiet hours (/quiet) to end at `until` */
  | { kind: 'quiet-held'; until: number };
