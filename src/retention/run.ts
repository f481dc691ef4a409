// One retention pass: shred closed and withdrawn cases whose retention period has run
// out, and bound the life of conversation state left by intakes nobody finished.
// The clock is a parameter, so tests move time instead of waiting for it.
import type { Redis } from 'ioredis';
import type { CaseCode, CaseId, Logger } from '../shared/index.js';
import {
  scanCaseIds,
  scanKeys,
  factsOfCase,
  newStatsId,
  readFactFields,
  statsRecordOf,
  CaseStore,
  isClosedStatus,
  redisKeys,
  rosterKeys,
  readDurability,
} from '../store/index.js';
import type { StaffErasureJob } from '../queue/index.js';
import { findReferences, shredCase, type Reference, type ShredTarget } from './shred.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Conversation state of the intake questionnaire. Its owner sets its own expiry; this
 * is the backstop for state that was written without one (or with a longer one).
 */
export const conversationPatterns = ['tl:conv:*'];

export interface RetentionOptions {
  redis: Redis;
  /** the current time, ms */
  now: number;
  closedDays: number;
  intakeDays: number;
  timeZone: string;
  dryRun: boolean;
  log?: Logger;
  patterns?: readonly string[];
  /**
   * Hands a shredded case's staff chat copy to whoever deletes it there (the running
   * hotline's staff-erase queue). Without it the copy stays and the run says how many.
   */
  eraseStaffCopy?: (job: StaffErasureJob) => Promise<void>;
  /** audit log entries older than this many days are dropped (XTRIM MINID); kept forever if absent */
  auditDays?: number;
}

export interface RetentionRun {
  dryRun: boolean;
  /** cases shredded (or, in a dry run, that would be) */
  shredded: { code: CaseCode; status: string; closedAt: number }[];
  /** closed cases still inside their retention period */
  kept: number;
  /** closed cases without closedAt (closed before it was recorded): their clock starts now */
  clockStarted: number;
  /** conversation-state keys given (or that would be given) the intake expiry */
  conversationsBounded: number;
  /** shredded cases whose staff chat copy was handed on for deletion */
  staffCopiesErased: number;
  /** shredded cases with a staff chat copy nobody was asked to delete (no eraseStaffCopy) */
  staffCopiesLeft: number;
  /** audit log entries dropped for their age */
  auditTrimmed: number;
  /** closed cases kept past their period because an admin put them on hold */
  held: number;
}

export async function runRetention(o: RetentionOptions): Promise<RetentionRun> {
  const { redis } = o;
  const result: RetentionRun = {
    dryRun: o.dryRun,
    shredded: [],
    kept: 0,
    clockStarted: 0,
    conversationsBounded: 0,
    staffCopiesErased: 0,
    staffCopiesLeft: 0,
    auditTrimmed: 0,
    held: 0,
  };
  const cases = new CaseStore(redis);
  const due: { id: CaseId; code: CaseCode; status: string; closedAt: string; fields: Record<string, string> }[] = [];

  for await (const id of scanCaseIds(redis)) {
    const fields = await readFactFields(redis, id);
    if (!isClosedStatus(fields.status ?? '')) continue;
    if (fields.closedAt === undefined) {
      // Closed by something that did not record when: start the period now rather
      // than shred early or keep forever.
      if (!o.dryRun) await redis.hsetnx(redisKeys.case(id), 'closedAt', String(o.now));
      result.clockStarted++;
      continue;
    }
    if (await redis.hexists(redisKeys.case(id), 'hold')) {
      result.held++; // an admin keeps it for a formal procedure (/hold)
      continue;
    }
    if (o.now - Number(fields.closedAt) < o.closedDays * DAY_MS) {
      result.kept++;
      continue;
    }
    const code = (await redis.hget(redisKeys.case(id), 'code')) as CaseCode | null;
    if (code === null) continue; // half-written; nothing here identifies anything anyway
    due.push({ id, code, status: fields.status!, closedAt: fields.closedAt, fields });
  }

  const references = o.dryRun ? new Map<CaseId, Reference[]>() : await findReferences(redis, new Set(due.map((c) => c.id)));
  for (const c of due) {
    const listed = { code: c.code, status: c.status, closedAt: Number(c.closedAt) };
    if (o.dryRun) {
      result.shredded.push(listed);
      continue;
    }
    const facts = factsOfCase(c.fields, o.timeZone);
    if (!facts) continue;
    const target: ShredTarget = { id: c.id, code: c.code, closedAt: c.closedAt, references: references.get(c.id) ?? [] };
    // Read before the shred takes the pointers with it; handed on only if the shred happened.
    const copy = await cases.staffCopy(c.id);
    if (!(await shredCase(redis, target, statsRecordOf(facts), newStatsId()))) continue;
    result.shredded.push(listed);
    if (copy.thread === undefined && copy.messages.length === 0) continue; // never posted
    if (o.eraseStaffCopy) {
      await o.eraseStaffCopy({ code: c.code, reason: 'retention', ...copy });
      result.staffCopiesErased++;
    } else result.staffCopiesLeft++;
  }

  const maxMs = o.intakeDays * DAY_MS;
  for (const pattern of o.patterns ?? conversationPatterns) {
    for await (const key of scanKeys(redis, pattern)) {
      const ttl = await redis.pttl(key);
      if (ttl !== -1 && ttl <= maxMs) continue; // -2: gone meanwhile; else the owner's expiry is short enough
      if (!o.dryRun) await redis.pexpire(key, maxMs);
      result.conversationsBounded++;
    }
  }

  // Stream ids start with their time in ms: MINID drops every entry older than the cut.
  if (!o.dryRun && o.auditDays !== undefined) {
    result.auditTrimmed = await redis.xtrim(rosterKeys.audit, 'MINID', String(Math.max(0, o.now - o.auditDays * DAY_MS)));
  }
  if (!o.dryRun && result.shredded.length > 0) await compactAppendOnlyFile(redis, o.log);
  o.log?.info(
    {
      event: 'retention.run',
      dryRun: o.dryRun,
      shredded: result.shredded.length,
      kept: result.kept,
      clockStarted: result.clockStarted,
      conversationsBounded: result.conversationsBounded,
      staffCopiesErased: result.staffCopiesErased,
      staffCopiesLeft: result.staffCopiesLeft,
      auditTrimmed: result.auditTrimmed,
      held: result.held,
    },
    'retention run',
  );
  return result;
}

/**
 * Deleted values stay in Redis' append-only file until it is rewritten; a rewrite
 * after shredding makes the deletion reach the disk too. Managed Redis may forbid
 * it: that is logged, not fatal (the AOF is rewritten by Redis itself eventually).
 */
async function compactAppendOnlyFile(redis: Redis, log: Logger | undefined): Promise<void> {
  try {
    // Without AOF there is nothing to compact, and a rewrite would create the file.
    if (!(await readDurability(redis)).appendonly) return;
    await redis.bgrewriteaof();
  } catch (err) {
    log?.warn({ event: 'retention.aof-rewrite-failed', err }, 'could not start an AOF rewrite after shredding');
  }
}
