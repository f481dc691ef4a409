// The surface of src/store: what other folders may import. Everything else here is internal.
export { AttemptCounter } from './attempts.js';
export { type AuditActor, type AuditEntry, AuditLog } from './audit.js';
export { scanCaseIds, scanKeys } from './case-scan.js';
export {
  type CaseFactKind,
  caseFactKinds,
  type CaseFacts,
  dayOf,
  factsOfCase,
  newStatsId,
  type Outcome,
  readAllFacts,
  readFactFields,
  statsRecordOf,
  UNRECOGNISED,
} from './case-stats.js';
export {
  type CaseRecord,
  type CaseStatus,
  type CaseKind,
  caseStatuses,
  CaseStore,
  isClosedStatus,
  type NewCase,
  type RecordedFindings,
  type StaffMessageKind,
  type StaffMessageRef,
  type PrivateCopyRef,
  type StaffCopy,
} from './cases.js';
export { type Conversation, type EvidenceKind, type EvidenceRef, newConversation } from './conversation.js';
export { ConversationStore } from './conversations.js';
export { type CaseDuty, DutyStore } from './duty.js';
export { InboundBudget } from './inbound-budget.js';
export { claimOrHandOver, type Lease, tryLease } from './lock.js';
export { type Direction, queuePrefix, redisKeys, rosterKeys } from './redis-keys.js';
export { assertDurable, connectRedis, isRedisUnreachable, readDurability, type Redis, RedisNotDurable, type RedisTarget } from './redis.js';
export { ReporterBlocks } from './reporter-blocks.js';
export { ReporterCaseStore } from './reporter-cases.js';
export { ReporterMessages } from './reporter-messages.js';
export { PrivateCopies } from './private-copies.js';
export {
  type Counsellor,
  desksOf,
  inDesk,
  type Override,
  type RosterSnapshot,
  RosterStore,
  type Shift,
  type StaffRecord,
  staffRoles,
  type StaffRole,
} from './roster.js';
export { SendBudget, Stopping } from './send-budget.js';
export { TemplateStore } from './templates.js';
