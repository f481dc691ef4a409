// The surface of src/queue: what other folders may import. Everything else here is internal.
export { DutyQueues } from './duty-queues.js';
export {
  dutyQueueNames,
  type EscalateJob,
  type FlushJob,
  type ReaderCopyJob,
  type DeadlineJob,
  type FollowupJob,
  type IntakeTimerJob,
  jobIds,
  type MembershipJob,
  type NoticeJob,
  queueNames,
  type RouteJob,
  type StaffErasureJob,
  type StaffNotice,
  staffQueueName,
  type StaffQueueName,
} from './jobs.js';
export { Pipeline, type StaffLine, staffLineOf, type StaffPostKind, type StaffTarget, sumLines } from './pipeline.js';
