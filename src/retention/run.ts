// One retention pass: shred closed and withdrawn cases whose retention period has run
// out, and bound the life of conversation state left by intakes nobody finished.
// The clock is a parameter, so tests move time instead of waiting for it.
import type { Redis } from 'ioredis';
import type { CaseCode, CaseId, ReporterKey } from '../ids.js';
import type { Logger } from '../log.js';
import { scanCaseIds, scanKeys } from '../store/case-scan.js';
import { factsOfCase, newStatsId, readFactFields, statsRecordOf } from '../store/case-stats.js';
import { isClosedStatus } from '../store/cases.js';
import { redisKeys } from '../store/keys.js';
import { readDurability } from '../store/redis.js';
import { shredCase, type ShredTarget } from './shred.js';

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
}

interface Owners {
  reporters: Map<string, string[]>;
  topics: Map<string, string[]>;
  staffMessages: Map<string, string[]>;
}

/** Reverse maps case id -> the pointers at it, built once per run. */
async function readOwners(redis: Redis): Promise<Owners> {
  const reporters = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, id: string, value: string) => map.set(id, [...(map.get(id) ?? []), value]);
  const batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const ids = await redis.mget(...batch);
    batch.forEach((key, i) => ids[i] && push(reporters, ids[i]!, key));
    batch.length = 0;
  };
  for await (const key of scanKeys(redis, redisKeys.reporter('*' as ReporterKey) /* a SCAN pattern */)) {
    batch.push(key);
    if (batch.length >= 500) await flush();
  }
  await flush();
  const invert = (h: Record<string, string>) => {
    const map = new Map<string, string[]>();
    for (const [field, id] of Object.entries(h)) push(map, id, field);
    return map;
  };
  return {
    reporters,
    topics: invert(await redis.hgetall(redisKeys.topics)),
    staffMessages: invert(await redis.hgetall(redisKeys.staffMessages)),
  };
}

export async function runRetention(o: RetentionOptions): Promise<RetentionRun> {
  const { redis } = o;
  const result: RetentionRun = { dryRun: o.dryRun, shredded: [], kept: 0, clockStarted: 0, conversationsBounded: 0 };
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
    if (o.now - Number(fields.closedAt) < o.closedDays * DAY_MS) {
      result.kept++;
      continue;
    }
    const code = (await redis.hget(redisKeys.case(id), 'code')) as CaseCode | null;
    if (code === null) continue; // half-written; nothing here identifies anything anyway
    due.push({ id, code, status: fields.status!, closedAt: fields.closedAt, fields });
  }

  const owners = due.length > 0 && !o.dryRun ? await readOwners(redis) : undefined;
  for (const c of due) {
    const facts = factsOfCase(c.fields, o.timeZone);
    const listed = { code: c.code, status: c.status, closedAt: Number(c.closedAt) };
    if (o.dryRun || !facts || !owners) {
      if (o.dryRun) result.shredded.push(listed);
      continue;
    }
    const target: ShredTarget = {
      id: c.id,
      code: c.code,
      closedAt: c.closedAt,
      reporterKeys: owners.reporters.get(c.id) ?? [],
      topics: owners.topics.get(c.id) ?? [],
      staffMessages: owners.staffMessages.get(c.id) ?? [],
    };
    if (await shredCase(redis, target, statsRecordOf(facts), newStatsId())) result.shredded.push(listed);
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

  if (!o.dryRun && result.shredded.length > 0) await compactAppendOnlyFile(redis, o.log);
  o.log?.info(
    {
      event: 'retention.run',
      dryRun: o.dryRun,
      shredded: result.shredded.length,
      kept: result.kept,
      clockStarted: result.clockStarted,
      conversationsBounded: result.conversationsBounded,
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
