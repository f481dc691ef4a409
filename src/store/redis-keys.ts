// Every Redis key Trustline writes, in one place, so the privacy test and a reader
// of a Redis dump know what to expect. None of them contains a platform id.
import type { CaseCode, CaseId, DeskName, ReporterKey } from '../shared/index.js';

export const redisKeys = {
  /** the case a reporter's messages go to (their current case) */
  reporter: (rk: ReporterKey) => `tl:reporter:${rk}`,
  /** every case of a reporter who has more than one (/new), current or not; absent for the many with one (see store/cases.ts) */
  reporterCases: (rk: ReporterKey) => `tl:reporter:${rk}:cases`,
  /** a reporter key blocked from opening new cases (/block; expires), see store/reporter-blocks.ts */
  reporterBlock: (rk: ReporterKey) => `tl:block:${rk}`,
  case: (id: CaseId) => `tl:case:${id}`,
  /** ids of every case erased or shredded, nothing else: a restored backup erases them again (src/backup) */
  shredded: 'tl:shredded',
  caseMessages: (id: CaseId) => `tl:case:${id}:m`,
  /** evidence bytes of a case, encrypted under the case key, by blob id */
  caseFiles: (id: CaseId) => `tl:case:${id}:f`,
  /**
   * replies mode: every staff chat message of the case (the bot's and counsellors'), as
   * `<kind><message id>` scored by when it was posted, so erasing the case can delete
   * them. Message ids only, never text.
   */
  caseStaffCopy: (id: CaseId) => `tl:case:${id}:s`,
  /**
   * assigned mode: the case's messages in its holder's private chat with the bot, as
   * message ids scored by when they were posted, so a hand-over or erasure deletes them
   */
  casePrivateCopy: (id: CaseId) => `tl:case:${id}:p`,
  /** assigned mode: handles of staff who have a private chat with the bot (they wrote to it) */
  privateReady: 'tl:staff:pm-ready',
  /** assigned mode: a staff member's private-chat message id -> case id (keyed by their handle) */
  privateMessages: (handle: string) => `tl:staff:pm:${handle}`,
  /** assigned mode: the case a staff member chose with /cases to write in without replying */
  privateCurrent: (handle: string) => `tl:staff:pm-now:${handle}`,
  /** a reporter's conversation state, encrypted (expires) */
  conversation: (rk: ReporterKey) => `tl:conv:${rk}`,
  /** evidence of a report not sent yet, encrypted (expires with the conversation) */
  conversationFiles: (rk: ReporterKey) => `tl:conv:${rk}:files`,
  /** failed /resume attempts, per case code or per reporter (expires) */
  resumeAttempts: (scope: string) => `tl:resume:${scope}`,
  /** message ids of the reporter's private chat with the bot, for /wipe (expires after 48 h) */
  reporterMessages: (rk: ReporterKey) => `tl:chat:${rk}`,
  /** emergency numbers were just given to this reporter (expires) */
  urgentTold: (rk: ReporterKey) => `tl:urgent-told:${rk}`,
  /** the reporter was told what cleaning removes from their files (told once a month at most) */
  cleaningTold: (rk: ReporterKey, what: 'files' | 'voice') => `tl:cleaning-told:${what}:${rk}`,
  code: (code: CaseCode) => `tl:code:${code}`,
  /** a staff chat's forum topic id -> case id (the main chat's key is as it always was) */
  topics: (desk: DeskName) => (desk === 'main' ? 'tl:staff:topics' : `tl:staff:topics:${desk}`),
  /** a staff chat's new cases waiting for their first post: case id, scored by when it came (see CaseStore.lineUpOpening) */
  openings: (desk: DeskName) => `tl:staff:openings:${desk}`,
  /** set for 10 minutes after the people on duty were told the staff chat is saturated */
  backlogTold: (desk: DeskName) => (desk === 'main' ? 'tl:staff:backlog-told' : `tl:staff:backlog-told:${desk}`),
  /** the names of the staff chats configured at the last start (see cases/move.ts rehomeCases) */
  desks: 'tl:staff:desks',
  /** a staff chat's message id -> case id (reply threading) */
  staffMessages: (desk: DeskName) => (desk === 'main' ? 'tl:staff:messages' : `tl:staff:messages:${desk}`),
  /** keyed hash of a non-staff member already told they cannot answer */
  strangerWarned: (hash: string) => `tl:staff:warned:${hash}`,
  // Redelivery marks, tl:update:*, are laid out in update-marks.ts.
  /** cases with messages not yet posted to staff / delivered to the reporter */
  pending: (dir: Direction) => `tl:pending:${dir}`,
  lock: (name: string) => `tl:lock:${name}`,
  /** key ids the running processes seal new values to (role -> kid), see keys/sealing.ts */
  sealingKeys: 'tl:keys:sealing',
  /** statistics left of a shredded case: no content, no identity, see store/case-stats.ts */
  stats: (id: string) => `tl:stats:${id}`,
  /** set while a lease is held when another job handed its work to the holder */
  lockMore: (name: string) => `tl:lock:${name}:more`,
  /** recent sends in one flood-control window; `scope` is a keyed hash, never a chat id */
  sendWindow: (scope: string) => `tl:rate:${scope}`,
  /** set after Telegram answered 429: nobody sends to that scope until it expires */
  sendHold: (scope: string) => `tl:rate:hold:${scope}`,
  /** a reporter's incoming-message budget (expires when full again): see store/inbound-budget.ts */
  inboundBudget: (rk: ReporterKey) => `tl:flood:${rk}`,
} as const;

/** in = reporter -> staff, out = staff -> reporter */
export type Direction = 'in' | 'out';

export const queuePrefix = 'tl:q';

/**
 * The duty roster, case assignments, templates and the audit log. Staff appear only as
 * handles (keyed hashes); their ids and names are encrypted inside `staff` values.
 */
export const rosterKeys = {
  /** handle -> JSON: role, languages, flags, encrypted identity */
  staff: 'tl:roster:staff',
  /** shift id -> JSON weekly shift */
  shifts: 'tl:roster:shifts',
  /** override id -> JSON one-off away/cover */
  overrides: 'tl:roster:overrides',
  /** keyed hash of a staff @username -> handle */
  usernames: 'tl:roster:usernames',
  /** keyed hash of an @username -> encrypted identity of a non-staff member seen in the staff chat */
  seen: (usernameHash: string) => `tl:roster:seen:${usernameHash}`,
  /** handle -> when they were last given a case (round robin) */
  lastAssigned: 'tl:duty:last',
  /** case ids a counsellor holds open (their load) */
  open: (handle: string) => `tl:duty:open:${handle}`,
  /** cases waiting for the next shift */
  waiting: 'tl:duty:waiting',
  /** stream of roster and case-handling changes */
  audit: 'tl:audit',
  /** `name:lang` -> encrypted canned answer */
  templates: 'tl:templates',
} as const;
