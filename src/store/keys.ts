// Every Redis key Trustline writes, in one place, so the privacy test and a reader
// of a Redis dump know what to expect. None of them contains a platform id.
import type { CaseCode, CaseId, ReporterKey } from '../ids.js';

export const redisKeys = {
  reporter: (rk: ReporterKey) => `tl:reporter:${rk}`,
  case: (id: CaseId) => `tl:case:${id}`,
  caseMessages: (id: CaseId) => `tl:case:${id}:m`,
  code: (code: CaseCode) => `tl:code:${code}`,
  /** staff forum topic id -> case id */
  topics: 'tl:staff:topics',
  /** staff chat message id -> case id (reply threading) */
  staffMessages: 'tl:staff:messages',
  /** keyed hash of a non-staff member already told they cannot answer */
  strangerWarned: (hash: string) => `tl:staff:warned:${hash}`,
  staffThreading: 'tl:staff:threading',
  /** e.g. tg:123456 (a Telegram update_id is a counter, not an identity) */
  update: (updateId: string) => `tl:update:${updateId}`,
  /** cases with messages not yet posted to staff / delivered to the reporter */
  pending: (dir: Direction) => `tl:pending:${dir}`,
  lock: (name: string) => `tl:lock:${name}`,
  /** set while a lease is held when another job handed its work to the holder */
  lockMore: (name: string) => `tl:lock:${name}:more`,
  /** recent sends in one flood-control window; `scope` is a keyed hash, never a chat id */
  sendWindow: (scope: string) => `tl:rate:${scope}`,
  /** set after Telegram answered 429: nobody sends to that scope until it expires */
  sendHold: (scope: string) => `tl:rate:hold:${scope}`,
} as const;

/** in = reporter -> staff, out = staff -> reporter */
export type Direction = 'in' | 'out';

export const queuePrefix = 'tl:q';
