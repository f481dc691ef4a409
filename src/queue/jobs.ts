// Job names, payloads and ids. Payloads hold only internal ids and counters: content
// and identity never enter BullMQ (its job data rests in Redis in clear).
import type { ReporterKey } from '../ids.js';
import type { CaseId } from '../ids.js';

export const queueNames = {
  /** reminds, then expires, an unfinished intake conversation */
  intakeTimer: 'intake-timer',
  route: 'route',
  staff: 'staff-post',
  reporter: 'reporter-delivery',
} as const;
export type QueueName = (typeof queueNames)[keyof typeof queueNames];

export interface RouteJob {
  caseId: CaseId;
}

/** "Deliver everything of this case up to at least seq." Several jobs may collapse into one run. */
export interface FlushJob {
  caseId: CaseId;
  seq: number;
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
  erased: (caseId: CaseId) => `erased.${caseId}`,
  intakeTimer: (cid: string) => `intake.${cid}`,
};
